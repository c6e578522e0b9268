import { defineMessages } from '../core/i18n/messages.js'

/** What an alert says, rendered in the reader's language from its code and params. */
export const alertsMessages = defineMessages({
  ALERT_POOL_POSITIVE: {
    'zh-CN': '混管阳性：{{people}} 人待单管复核',
    en: 'Pool positive: {{people}} people await a single-tube recheck',
  },
  ALERT_CONFIRMED_POSITIVE: {
    'zh-CN': '单管阳性：请立即启动快速处置',
    en: 'Single-tube positive: start the rapid response now',
  },
  ALERT_RESULT_CONFLICT: {
    'zh-CN': '检测结果冲突：管 {{tube}}',
    en: 'Conflicting results for tube {{tube}}',
  },
  ALERT_TEST_REFUSED: {
    'zh-CN':
      '拒绝检测：{{name}}（{{household}}）拒绝参加“{{round}}”核酸检测，请社区和派出所上门处置',
    en: 'Test refused: {{name}} ({{household}}) refused round "{{round}}"; the community and police to follow up',
  },
  ALERT_DOOR_OPENED: {
    'zh-CN': '居家隔离户开门：{{building}}栋{{unit}}单元{{room}}，{{time}}',
    en: 'Door opened at a home-isolated household: building {{building}}, unit {{unit}}, room {{room}}, {{time}}',
  },
  ALERT_NOT_FOUND: { 'zh-CN': '找不到该预警', en: 'Alert not found' },
})

export type AlertCode = Exclude<keyof typeof alertsMessages, 'ALERT_NOT_FOUND'>
