import { defineMessages } from '../core/i18n/messages.js'

/** Every code the checkpoints domain answers with, in zh-CN and English. */
export const checkpointsMessages = defineMessages({
  CHECKPOINT_NOT_FOUND: {
    'zh-CN': '卡口不存在或已撤销。',
    en: 'No such checkpoint (or it was retired).',
  },
  CHECKPOINT_NOT_COMMUNITY: {
    'zh-CN': '卡口须设在一个社区下。',
    en: 'A checkpoint belongs to a community.',
  },
  CHECKPOINT_STAFF_NOT_CHECKPOINT_ROLE: {
    'zh-CN': '值守人员须是卡口角色的账号。',
    en: 'Staff must be accounts with the checkpoint role.',
  },
  CHECKPOINT_REPORT_LINK_INVALID: {
    'zh-CN': '此报备二维码已失效，请扫描卡口现场张贴的最新二维码。',
    en: 'This report link no longer works; scan the poster at the gate.',
  },
  ARRIVAL_SELF_REPORT_OFF: {
    'zh-CN': '现行政策不接受提前报备，请到卡口现场登记。',
    en: 'The policy in force takes no reports ahead; register at the gate.',
  },
  ARRIVAL_NOT_FOUND: { 'zh-CN': '未找到该报备。', en: 'No such arrival report.' },
  ARRIVAL_DATE_OUT_OF_RANGE: {
    'zh-CN': '抵达日期须在近{{days}}天内或7天之内到达。',
    en: 'The arrival date must be within the last {{days}} days or the coming 7.',
  },
  ARRIVAL_ITINERARY_OUTSIDE_WINDOW: {
    'zh-CN': '行程日期须在抵达前{{days}}天内。',
    en: 'Itinerary dates must be within {{days}} days before the arrival.',
  },
  ARRIVAL_HOUSEHOLD_NOT_FOUND: {
    'zh-CN': '目的地住户不在本社区。',
    en: 'The destination household is not in this community.',
  },
  ARRIVAL_DESTINATION_NOT_COMMUNITY: {
    'zh-CN': '目的地须是一个社区。',
    en: 'The destination must be a community.',
  },
  ARRIVAL_NOT_CONFIRMED: {
    'zh-CN': '请先在卡口确认到达。',
    en: 'Confirm the arrival at the gate first.',
  },
  ARRIVAL_MEASURE_ALREADY_STARTED: {
    'zh-CN': '已为该人员启动管控措施。',
    en: 'A measure was already started for this arrival.',
  },
  ARRIVAL_NO_MEASURE: {
    'zh-CN': '按现行政策，该人员无需管控措施。',
    en: 'Under the policy in force this arrival needs no measure.',
  },
  ARRIVAL_NO_DESTINATION: {
    'zh-CN': '请先选择该人员居住的住户。',
    en: 'Choose the household the person will live in first.',
  },
  ARRIVAL_HANDED_OVER: {
    'zh-CN': '该人员居住在其他社区，已移交该社区启动管控。',
    en: 'The person lives in another community: that community starts the measure.',
  },
  ARRIVAL_REGISTERED_ELSEWHERE: {
    'zh-CN': '该人员登记在其他社区，请由其所在社区启动管控。',
    en: 'The person is registered in another community: the measure is started there.',
  },
  GATE_VISITORS_BANNED: {
    'zh-CN': '封控区禁止访客',
    en: 'No visitors while the area is in lockdown',
  },
  GATE_UNDER_MEASURE: {
    'zh-CN': '{{category}}管控期间不得外出',
    en: 'Under a measure ({{category}}): may not go out',
  },
  GATE_EXIT_CLOSED: {
    'zh-CN': '封控期间不发出门证，不得外出',
    en: 'No exit passes in this lockdown: nobody goes out',
  },
  GATE_PASS_MISSING: {
    'zh-CN': '该户今日未领出门证（每户每天 {{limit}} 张，由网格员发放）',
    en: 'The household has no exit pass today ({{limit}} a household a day, issued by the grid worker)',
  },
  GATE_PASS_USED_UP: {
    'zh-CN': '该户今日出门证已用完（每户每天 {{limit}} 张）',
    en: "The household's exit passes of today are used up ({{limit}} a household a day)",
  },
  GATE_PASS_OTHER_DAY: {
    'zh-CN': '此出门证不是今天的（{{month}}月{{date}}日）',
    en: 'This exit pass is not for today ({{month}}/{{date}})',
  },
  GATE_NO_NEGATIVE_EVER: {
    'zh-CN': '{{hours}}小时内无核酸阴性结果（无记录）',
    en: 'No negative test within {{hours}} hours (none on record)',
  },
  GATE_NO_RECENT_NEGATIVE: {
    'zh-CN': '{{hours}}小时内无核酸阴性结果（最近：{{month}}月{{date}}日）',
    en: 'No negative test within {{hours}} hours (last: {{month}}/{{date}})',
  },
  GATE_HOLDER_UNKNOWN: {
    'zh-CN': '出门证不能核验本人核酸，请扫本人居民码或身份证（{{hours}}小时内阴性）',
    en: 'A pass cannot show whose test it is: scan the person’s code or ID ({{hours}} h negative)',
  },
  GATE_SCAN_UNKNOWN: {
    'zh-CN': '未识别：不是本社区居民的居民码或证件，也不是出门证',
    en: 'Not a code or document of a resident here, nor an exit pass',
  },
  GATE_PASS_NOT_HERE: {
    'zh-CN': '此出门证不属于本卡口所在社区',
    en: 'This exit pass is of a household outside this checkpoint’s community',
  },
  GATE_NOT_STAFF: {
    'zh-CN': '您不是该卡口的值守人员',
    en: 'You are not on the staff of this checkpoint',
  },
  GATE_PERSON_OR_VISITOR: {
    'zh-CN': '请扫码或登记访客信息',
    en: 'Scan a code, or give the visitor’s details',
  },
  GATE_HOUSEHOLD_NOT_FOUND: { 'zh-CN': '未找到该住户。', en: 'No such household.' },
  GATE_CLIENT_ID_TAKEN: {
    'zh-CN': '此扫码记录编号已在其他卡口使用。',
    en: 'This scan id was logged at another checkpoint.',
  },
  GATE_NO_PASSES_UNDER_PROFILE: {
    'zh-CN': '现行政策不发放出门证。',
    en: 'The policy in force issues no exit passes.',
  },
  GATE_PASS_DAY_OUT_OF_RANGE: {
    'zh-CN': '出门证日期须为今天或之后7天内。',
    en: 'An exit pass is for today or one of the coming 7 days.',
  },
})
