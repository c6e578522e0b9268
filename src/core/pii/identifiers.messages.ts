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
  // A repair, not a refusal: an old 15-digit number was read as its 18-character form.
  REPAIR_ID_15_TO_18: {
    'zh-CN': '15 位旧号码已转换为 18 位',
    en: 'Old 15-digit number converted to 18',
  },
})
