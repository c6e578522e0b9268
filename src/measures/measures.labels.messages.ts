import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the measures' permissions, audit actions and audit targets. */
export const measuresLabelMessages = defineMessages({
  'AUDIT_measure.start': { 'zh-CN': '启动管控措施', en: 'Measure started' },
  'AUDIT_measure.release': { 'zh-CN': '解除管控措施', en: 'Measure released' },
  'AUDIT_measure.cancel': { 'zh-CN': '撤销管控措施（误录）', en: 'Measure cancelled (mistake)' },
  TARGET_measure: { 'zh-CN': '管控措施', en: 'Measure' },
  'PERMISSION_measures:read': {
    'zh-CN': '查看管控措施、看板和告知书',
    en: 'Read measures, boards and notices',
  },
  'PERMISSION_measures:start': { 'zh-CN': '启动管控措施', en: 'Start measures' },
  'PERMISSION_measures:checkin': { 'zh-CN': '登记健康打卡', en: 'Record check-ins' },
  'PERMISSION_measures:release': {
    'zh-CN': '解除或撤销管控措施',
    en: 'Release or cancel measures',
  },
  'PERMISSION_measures:self': {
    'zh-CN': '查看本户管控并自行打卡',
    en: "See and check in my household's measures",
  },
})
