import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of the external risk-area list and itinerary classification (issue 11 items 3, 4): the
 * refusals of an entry or a list file, and each rejected row's reason (the field is named beside it).
 */
export const arrivalsMessages = defineMessages({
  EXTERNAL_AREA_NOT_FOUND: { 'zh-CN': '未找到该外地风险区', en: 'No such external risk area' },
  EXTERNAL_AREA_NAMES_MISSING: {
    'zh-CN': '请至少填写市、区县、街道或小区之一',
    en: 'Give at least the city, district, street or compound',
  },
  EXTERNAL_AREA_DATES_ORDER: {
    'zh-CN': '解除日期须晚于起始日期',
    en: 'The end day must be after the start day',
  },
  EXTERNAL_AREA_EXISTS: {
    'zh-CN': '同名的风险区已在列表中且仍有效',
    en: 'An area with these names is already on the list and in force',
  },
  EXTERNAL_FILE_COLUMNS_MISSING: {
    'zh-CN': '文件前 10 行中没有找到表头（需要“风险等级”列和“区县/街道/小区”中至少一列）',
    en: 'No header in the first 10 rows (a level column and a district, street or compound column are needed)',
  },
  EXTERNAL_FILE_TOO_MANY_ROWS: {
    'zh-CN': '文件超过 {{max}} 行，请拆分后导入',
    en: 'The file has more than {{max}} rows; split it',
  },
  EXTERNAL_ROW_NAMES_MISSING: {
    'zh-CN': '缺少地名（市、区县、街道或小区）',
    en: 'No place name (city, district, street or compound)',
  },
  EXTERNAL_ROW_LEVEL: {
    'zh-CN': '风险等级无法识别（应为 高/中/低 风险）',
    en: 'Unknown level (high, medium or low)',
  },
  EXTERNAL_ROW_DATE: {
    'zh-CN': '日期无法识别（如 2022-06-28）',
    en: 'Unreadable date (e.g. 2022-06-28)',
  },
  EXTERNAL_ROW_DATES_ORDER: {
    'zh-CN': '解除日期须晚于起始日期',
    en: 'The end day must be after the start day',
  },
  EXTERNAL_ROW_TOO_LONG: { 'zh-CN': '地名过长（最多 100 字）', en: 'Name too long (100 at most)' },
})
