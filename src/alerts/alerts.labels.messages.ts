import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the alerts' permissions and audit targets. */
export const alertsLabelMessages = defineMessages({
  'AUDIT_alert.acknowledge': { 'zh-CN': '确认预警', en: 'Alert acknowledged' },
  TARGET_alert: { 'zh-CN': '预警', en: 'Alert' },
  'PERMISSION_alerts:read': { 'zh-CN': '查看预警', en: 'Read alerts' },
  'PERMISSION_alerts:acknowledge': { 'zh-CN': '确认预警', en: 'Acknowledge alerts' },
})
