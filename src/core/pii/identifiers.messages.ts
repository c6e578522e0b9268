import { defineMessages } from '../i18n/messages.js'

/**
 * Why an identifier was refused (identifiers.ts `IdentifierProblem.code`), in both languages.
 * Core codes: every domain that checks an ID number or a phone (the registry form, roster
 * imports, sampling scans) and the web form that checks as you type render these same texts.
 */
export const identifierMessages = defineMessages({
  ID_LENGTH: {
    'zh-CN': '应为 18 位，实际 {{length}} 位',
    en: 'Must have 18 characters, got {{length}}',
  },
  ID_FORMAT: { 'zh-CN': '应为 17 位数字加 1 位数字或 X', en: 'Must be 17 digits and a digit or X' },
  ID_CHECK_CHARACTER: {
    'zh-CN': '校验位不对（应为 {{expected}}），请核对号码',
    en: 'Wrong check character (expected {{expected}}); check the number',
  },
  ID_BIRTH_DATE: {
    'zh-CN': '号码中的出生日期 {{date}} 不存在',
    en: 'Impossible birth date {{date}}',
  },
  ID_REGION: { 'zh-CN': '地区码不能以 0 开头', en: 'The region code cannot start with 0' },
  ID_REGION_UNKNOWN: {
    'zh-CN': '地区码 {{region}} 不是有效的省级代码（GB/T 2260）',
    en: 'Region code {{region}} is not a valid province code (GB/T 2260)',
  },
  RETURN_PERMIT_FORMAT: {
    'zh-CN': '回乡证号码应为 H 或 M 加 8 位数字',
    en: 'A Home Return Permit number is H or M and 8 digits',
  },
  TAIWAN_PERMIT_FORMAT: {
    'zh-CN': '台胞证号码应为 8 位数字',
    en: 'A Taiwan Compatriot Permit number is 8 digits',
  },
  FOREIGNER_CARD_FORMAT: {
    'zh-CN': '永居证号码应为 9 开头的 18 位数字，或 3 位字母加 12 位数字',
    en: 'A permanent residence card number is 18 digits starting with 9, or 3 letters and 12 digits',
  },
  COUNTRY_FORMAT: {
    'zh-CN': '签发国家应为 3 位字母代码（如 USA）',
    en: 'The issuing country is a 3-letter code (such as USA)',
  },
  PASSPORT_FORMAT: {
    'zh-CN': '应为 5 到 17 位字母和数字',
    en: 'Must be 5 to 17 letters and digits',
  },
  PASSPORT_DIGITS: { 'zh-CN': '应含有数字', en: 'Must contain digits' },
  PHONE_DIGITS: { 'zh-CN': '只能包含数字', en: 'Must contain digits only' },
  PHONE_LENGTH: {
    'zh-CN': '手机号应为 11 位，实际 {{length}} 位',
    en: 'Must have 11 digits, got {{length}}',
  },
  PHONE_PREFIX: { 'zh-CN': '手机号应以 13–19 开头', en: 'Must start with 13–19' },
  PHONE_LANDLINE: {
    'zh-CN': '固定电话应为区号加 7–8 位号码',
    en: 'A landline is an area code and 7 or 8 digits',
  },
  PHONE_AREA_CODE: { 'zh-CN': '固定电话请加区号', en: 'A landline needs its area code' },
  PHONE_HK_MACAU: {
    'zh-CN': '香港、澳门号码应为 8 位',
    en: 'A Hong Kong or Macau number has 8 digits',
  },
  PHONE_TAIWAN: { 'zh-CN': '台湾号码应为 8 或 9 位', en: 'A Taiwan number has 8 or 9 digits' },
  PHONE_COUNTRY: {
    'zh-CN': '只支持 +86、+852、+853、+886 的号码',
    en: 'Only +86, +852, +853 and +886 numbers',
  },
  // A repair, not a refusal: an old 15-digit number was read as its 18-character form.
  REPAIR_ID_15_TO_18: {
    'zh-CN': '15 位旧号码已转换为 18 位',
    en: 'Old 15-digit number converted to 18',
  },
})
