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
  ALERT_POOL_POSITIVE_CONTROL: {
    'zh-CN':
      '混管阳性（管 {{tube}}）：{{people}} 人已临时管控，请于 {{deadline}} 前上门单管复核（负责人：{{assignee}}）：{{names}}',
    en: 'Pool positive (tube {{tube}}): {{people}} people under temporary control; single-tube recheck at home by {{deadline}} (assigned to {{assignee}}): {{names}}',
  },
  ALERT_RESWAB: {
    'zh-CN':
      '样本无效（管 {{tube}}）：{{people}} 人需重新采样，请于 {{deadline}} 前完成（负责人：{{assignee}}）：{{names}}',
    en: 'Invalid sample (tube {{tube}}): {{people}} people must be swabbed again by {{deadline}} (assigned to {{assignee}}): {{names}}',
  },
  ALERT_SCREENING_POSITIVE: {
    'zh-CN':
      '单管初筛阳性：{{name}}（{{household}}），管 {{tube}}；请于 {{due}} 前网络直报，并立即启动快速处置',
    en: 'Single-tube screening positive: {{name}} ({{household}}), tube {{tube}}; report online by {{due}} and start the rapid response now',
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
  ALERT_POOL_POSITIVE_GROUP: {
    'zh-CN':
      '混管阳性 {{tubes}} 管（{{tubeList}}）：{{people}} 人已临时管控，请于 {{deadline}} 前上门单管复核（负责人：{{assignee}}）。名单：{{names}}',
    en: 'Pool positive in {{tubes}} tubes ({{tubeList}}): {{people}} people under temporary control; single-tube recheck at home by {{deadline}} (assigned to {{assignee}}). People: {{names}}',
  },
  ALERT_RESWAB_GROUP: {
    'zh-CN':
      '样本无效 {{tubes}} 管（{{tubeList}}）：{{people}} 人需重新采样，请于 {{deadline}} 前完成（负责人：{{assignee}}）。名单：{{names}}',
    en: 'Invalid samples in {{tubes}} tubes ({{tubeList}}): {{people}} people must be swabbed again by {{deadline}} (assigned to {{assignee}}). People: {{names}}',
  },
  ALERT_SCREENING_POSITIVE_GROUP: {
    'zh-CN': '单管初筛阳性 {{people}} 人：{{names}}；请于 {{due}} 前网络直报，并立即启动快速处置',
    en: 'Single-tube screening positives, {{people}} people: {{names}}; report online by {{due}} and start the rapid response now',
  },
  ALERT_TUBES_OVERDUE: {
    'zh-CN':
      '检测超时：“{{round}}” {{place}} {{tubes}} 管超过出结果时限仍无结果，最多已超时 {{hours}} 小时：{{tubeList}}',
    en: 'Results overdue: round "{{round}}", {{place}}: {{tubes}} tubes past their turnaround target without a result, up to {{hours}} h late: {{tubeList}}',
  },
  ALERT_RECHECKS_OVERDUE: {
    'zh-CN':
      '复核采样超时：“{{round}}” {{place}} {{people}} 人超过单管复核采样时限仍未采样，最多已超时 {{hours}} 小时（负责人：{{assignee}}）：{{names}}',
    en: 'Rechecks overdue: round "{{round}}", {{place}}: {{people}} people not swabbed for their single-tube recheck by the deadline, up to {{hours}} h late (assigned to {{assignee}}): {{names}}',
  },
  ALERT_NOT_FOUND: { 'zh-CN': '找不到该预警', en: 'Alert not found' },
})

export type AlertCode = Exclude<keyof typeof alertsMessages, 'ALERT_NOT_FOUND'>
