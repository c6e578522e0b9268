import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of the missed-test list's reasons that domain.md §5 added (the first six are in
 * results.messages.ts), what each leads to, the refusals of a reason the profile's parameters do
 * not allow, and the export's round/time header.
 */
export const missedMessages = defineMessages({
  MISSED_REASON_vaccinated: { 'zh-CN': '48 小时内接种疫苗', en: 'Vaccinated within 48 h' },
  MISSED_REASON_home_isolation: {
    'zh-CN': '居家隔离（上门采样）',
    en: 'Home isolation (swab at the door)',
  },
  MISSED_REASON_symptomatic: { 'zh-CN': '有症状（发热门诊）', en: 'Symptomatic (fever clinic)' },
  MISSED_REASON_refused: { 'zh-CN': '拒绝检测', en: 'Refused' },
  MISSED_REASON_moved_out: { 'zh-CN': '已迁出', en: 'Moved out' },
  MISSED_REASON_deceased: { 'zh-CN': '已故', en: 'Deceased' },

  MISSED_ACTION_excuse: { 'zh-CN': '不计入漏检', en: 'Not counted as missed' },
  MISSED_ACTION_door_to_door: {
    'zh-CN': '仍须检测：安排上门采样',
    en: 'Still to test: book a door-to-door swab',
  },
  MISSED_ACTION_fever_clinic: {
    'zh-CN': '仍须检测：引导至发热门诊',
    en: 'Still to test: send to the fever clinic',
  },
  MISSED_ACTION_escalate: {
    'zh-CN': '不予豁免：已上报处置',
    en: 'Not excused: reported for follow-up',
  },
  MISSED_ACTION_fix_registry: {
    'zh-CN': '请在居民台账中办理迁出或注销，不在名单中豁免',
    en: 'Fix the registry (move out or close the record); not excused here',
  },

  MISSED_INFANT_TOO_OLD: {
    'zh-CN': '只有不满 {{years}} 周岁的婴幼儿可按此原因登记（出生日期不详或已满 {{years}} 周岁）',
    en: 'Only children under {{years}} may be recorded so (no birth date, or {{years}} or older)',
  },
  MISSED_REASON_NEEDS_TIME: {
    'zh-CN': '该原因须填写时间（何时检测或接种）',
    en: 'This reason needs the time (when tested or vaccinated)',
  },
  MISSED_REASON_OUTSIDE_WINDOW: {
    'zh-CN': '须在 {{hours}} 小时以内，所填时间不符',
    en: 'Must lie within the last {{hours}} h; the time given does not',
  },
  MISSED_REASON_TIME_INVALID: { 'zh-CN': '时间格式不对', en: 'Not a time' },

  'AUDIT_testing.missed_reason': { 'zh-CN': '登记漏检原因', en: 'Missed-test reason recorded' },
  'AUDIT_testing.missed_reason_cleared': {
    'zh-CN': '撤销漏检原因',
    en: 'Missed-test reason taken back',
  },

  MISSED_EXPORT_TITLE: {
    'zh-CN': '{{round}} 漏检名单（导出时间 {{at}}，截止 {{deadline}}）',
    en: '{{round}}: missed tests (exported {{at}}, deadline {{deadline}})',
  },
  MISSED_EXPORT_EXCUSED_SHEET: { 'zh-CN': '已登记原因', en: 'Excused' },
  MISSED_EXPORT_COL_action: { 'zh-CN': '处理', en: 'Action' },
  MISSED_EXPORT_COL_recordedBy: { 'zh-CN': '登记人', en: 'Recorded by' },
  MISSED_EXPORT_COL_recordedAt: { 'zh-CN': '登记时间', en: 'Recorded at' },
})

export type MissedMessageCode = keyof typeof missedMessages
