import { defineMessages } from '../core/i18n/messages.js'

/**
 * What the measures domain says: its refusals, the labels the print notices use (categories,
 * phases, symptoms) and the sentences of a notice, in zh-CN and English.
 */
export const measuresMessages = defineMessages({
  MEASURE_NOT_FOUND: { 'zh-CN': '找不到该管控措施', en: 'Measure not found' },
  MEASURE_RESIDENT_NOT_FOUND: { 'zh-CN': '找不到该居民', en: 'Resident not found' },
  MEASURE_RESIDENT_NO_HOUSEHOLD: {
    'zh-CN': '该居民没有登记住户，无法落实管控',
    en: 'This resident has no household on file; a measure needs one',
  },
  MEASURE_ALREADY_ACTIVE: {
    'zh-CN': '该居民已在同类管控中（{{category}}），不能重复管控',
    en: 'This resident is already under a measure of this kind ({{category}})',
  },
  MEASURE_NOT_ACTIVE: {
    'zh-CN': '该管控措施已结束，不能再操作',
    en: 'This measure has already ended',
  },
  MEASURE_ANCHOR_IN_FUTURE: {
    'zh-CN': '起算时间不能晚于现在',
    en: 'The anchor time cannot be in the future',
  },
  MEASURE_ANCHOR_TOO_OLD: {
    'zh-CN': '起算时间不能早于 {{days}} 天前',
    en: 'The anchor time cannot be more than {{days}} days ago',
  },
  MEASURE_FILL_UP_NOT_ALLOWED: {
    'zh-CN': '此类人员不适用“填平补齐”',
    en: 'Days already served do not count for this category',
  },
  MEASURE_TEMPERATURE_OUT_OF_RANGE: {
    'zh-CN': '体温须在 {{min}}–{{max}} ℃ 之间，请核对',
    en: 'The temperature must lie between {{min}} and {{max}} °C',
  },
  MEASURE_NOT_OWN_HOUSEHOLD: {
    'zh-CN': '只能为本户人员报告健康情况',
    en: 'You can report only for the people of your own household',
  },
  MEASURE_RELEASE_CHECKS_FAILED: {
    'zh-CN': '未通过解除核查（{{count}} 项），暂不能解除',
    en: 'The release checks failed ({{count}}); the measure cannot be released yet',
  },
  MEASURE_NOTICE_NOT_RELEASED: {
    'zh-CN': '该措施尚未解除，没有解除通知书',
    en: 'This measure has not been released; there is no release notice',
  },

  MEASURE_RELEASE_TEST_PENDING: {
    'zh-CN': '{{day}} 的检测结果尚未出具',
    en: 'The result of {{day}} is not back yet',
  },
  MEASURE_DIVISION_UNKNOWN: { 'zh-CN': '找不到该区域', en: 'No such area' },

  // Labels
  MEASURE_CATEGORY_close_contact: { 'zh-CN': '密切接触者', en: 'Close contact' },
  MEASURE_CATEGORY_secondary_contact: { 'zh-CN': '密接的密接', en: 'Secondary contact' },
  MEASURE_CATEGORY_inbound: { 'zh-CN': '入境人员', en: 'Inbound traveller' },
  MEASURE_CATEGORY_high_risk_area: {
    'zh-CN': '高风险区旅居人员',
    en: 'Stayed in a high-risk area',
  },
  MEASURE_CATEGORY_medium_risk_area: {
    'zh-CN': '中风险区旅居人员',
    en: 'Stayed in a medium-risk area',
  },
  MEASURE_CATEGORY_low_risk_area: { 'zh-CN': '低风险区来返人员', en: 'From a low-risk area' },
  MEASURE_CATEGORY_closed_loop_worker: {
    'zh-CN': '高风险岗位闭环人员',
    en: 'High-risk post worker (closed loop)',
  },
  MEASURE_CATEGORY_infected: { 'zh-CN': '感染者', en: 'Infected person' },
  MEASURE_CATEGORY_temporary_control: { 'zh-CN': '临时管控人员', en: 'Under temporary control' },
  MEASURE_PHASE_centralized_isolation: { 'zh-CN': '集中隔离', en: 'Centralized isolation' },
  MEASURE_PHASE_home_isolation: { 'zh-CN': '居家隔离', en: 'Home isolation' },
  MEASURE_PHASE_home_health_monitoring: { 'zh-CN': '居家健康监测', en: 'Home health monitoring' },
  MEASURE_PHASE_designated_facility: { 'zh-CN': '定点机构（方舱）', en: 'Designated facility' },
  MEASURE_PHASE_temporary_control: { 'zh-CN': '临时管控', en: 'Temporary control' },
  MEASURE_PHASE_test_only: { 'zh-CN': '按要求检测', en: 'Tests as required' },
  SYMPTOM_fever: { 'zh-CN': '发热', en: 'Fever' },
  SYMPTOM_cough: { 'zh-CN': '咳嗽', en: 'Cough' },
  SYMPTOM_sore_throat: { 'zh-CN': '咽痛', en: 'Sore throat' },
  SYMPTOM_fatigue: { 'zh-CN': '乏力', en: 'Fatigue' },
  SYMPTOM_loss_of_taste_smell: { 'zh-CN': '嗅（味）觉减退', en: 'Loss of taste or smell' },
  SYMPTOM_diarrhea: { 'zh-CN': '腹泻', en: 'Diarrhoea' },
  SYMPTOM_shortness_of_breath: { 'zh-CN': '呼吸困难', en: 'Shortness of breath' },
  SYMPTOM_muscle_pain: { 'zh-CN': '肌肉酸痛', en: 'Muscle pain' },
  SYMPTOM_runny_nose: { 'zh-CN': '流涕', en: 'Runny nose' },
  SYMPTOM_other: { 'zh-CN': '其他症状', en: 'Other symptoms' },

  // Notices
  NOTICE_TITLE_start: { 'zh-CN': '隔离管控告知书', en: 'Notice of health measure' },
  NOTICE_TITLE_release: { 'zh-CN': '解除隔离管控通知书', en: 'Notice of release' },
  NOTICE_DUTY_TEMPERATURE: {
    'zh-CN': '每天早晚各测量一次体温并如实报告',
    en: 'Take your temperature every morning and afternoon and report it',
  },
  NOTICE_DUTY_TESTS: {
    'zh-CN': '按时在检测日接受核酸检测：{{days}}',
    en: 'Be tested on each test day: {{days}}',
  },
  NOTICE_DUTY_STAY_HOME: {
    'zh-CN': '隔离期间不外出，不接受探访，门口放置的物品由社区统一配送',
    en: 'Do not go out or receive visitors while isolated; the community delivers what you need',
  },
  NOTICE_DUTY_MONITORING: {
    'zh-CN': '健康监测期间外出须戴口罩，不聚集，不乘坐公共交通工具，不进入密闭场所',
    en: 'While monitored: wear a mask outside, no gatherings, no public transport, no enclosed venues',
  },
  NOTICE_DUTY_SYMPTOMS: {
    'zh-CN': '出现发热、咳嗽等症状立即报告社区',
    en: 'Report fever, cough or other symptoms to the community at once',
  },
  NOTICE_DUTY_RELEASED: {
    'zh-CN': '经核查，自 {{date}} 起解除管控措施',
    en: 'Checked and released from the measure as of {{date}}',
  },
  NOTICE_OVERRIDE: {
    'zh-CN': '{{what}}：{{value}}，本地规定，国家为 {{national}}（{{reason}}）',
    en: '{{what}}: {{value}}, a local rule; national {{national}} ({{reason}})',
  },
  NOTICE_OVERRIDE_DAYS: { 'zh-CN': '天数', en: 'Days' },
  NOTICE_OVERRIDE_TEST_DAYS: { 'zh-CN': '检测日', en: 'Test days' },
  NOTICE_OVERRIDE_VALUE: { 'zh-CN': '规定值', en: 'Value' },
})
