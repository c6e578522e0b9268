import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the zones domain's permissions, audit actions and targets. */
export const zonesLabelMessages = defineMessages({
  'PERMISSION_zones:read': { 'zh-CN': '查看风险区', en: 'Read risk areas' },
  'PERMISSION_zones:manage': { 'zh-CN': '划定和调整风险区', en: 'Draw and change risk areas' },
  'PERMISSION_zones:override': {
    'zh-CN': '不满足条件时决定降级或解除',
    en: 'Lower or lift an area against failed checks',
  },
  'AUDIT_zones.create': { 'zh-CN': '划定风险区', en: 'Risk area drawn' },
  'AUDIT_zones.widen': { 'zh-CN': '扩大风险区', en: 'Risk area widened' },
  'AUDIT_zones.level': { 'zh-CN': '调整风险区等级', en: 'Risk area level changed' },
  'AUDIT_zones.lift': { 'zh-CN': '解除风险区', en: 'Risk area lifted' },
  TARGET_zone_area: { 'zh-CN': '风险区', en: 'Risk area' },
})
