import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of the zones domain (risk areas, domain.md §6): what the levels are called (by risk under
 * v9, by measure under opt20 and new10), the parts an area is made of, the checks of a lowering
 * or lifting, the history's events and the refusals.
 */
export const zonesMessages = defineMessages({
  ZONE_RISK_high: { 'zh-CN': '高风险区', en: 'High-risk area' },
  ZONE_RISK_medium: { 'zh-CN': '中风险区', en: 'Medium-risk area' },
  ZONE_RISK_low: { 'zh-CN': '低风险区', en: 'Low-risk area' },
  ZONE_MEASURE_sealed: { 'zh-CN': '封控区', en: 'Sealed area' },
  ZONE_MEASURE_controlled: { 'zh-CN': '管控区', en: 'Controlled area' },
  ZONE_MEASURE_precaution: { 'zh-CN': '防范区', en: 'Precaution area' },
  ZONE_LIFTED: { 'zh-CN': '已解除', en: 'Lifted' },

  ZONE_UNIT_household: { 'zh-CN': '户', en: 'Household' },
  ZONE_UNIT_floor: { 'zh-CN': '楼层', en: 'Floor' },
  ZONE_UNIT_unit: { 'zh-CN': '单元', en: 'Unit' },
  ZONE_UNIT_building: { 'zh-CN': '楼栋', en: 'Building' },
  ZONE_UNIT_compound: { 'zh-CN': '小区', en: 'Compound' },
  ZONE_UNIT_village: { 'zh-CN': '村', en: 'Village' },
  ZONE_UNIT_grid: { 'zh-CN': '网格', en: 'Grid' },
  ZONE_UNIT_community: { 'zh-CN': '社区', en: 'Community' },
  ZONE_UNIT_street: { 'zh-CN': '街道', en: 'Street' },
  ZONE_EXTENT_FLOOR: { 'zh-CN': '{{label}} {{floor}} 层', en: '{{label}}, floor {{floor}}' },

  ZONE_CHECK_CLEAN_DAYS: {
    'zh-CN': '连续 {{required}} 天无新增感染（现为 {{days}} 天，{{date}} 满）',
    en: '{{required}} consecutive days without a new infection (now {{days}}; reached on {{date}})',
  },
  ZONE_CHECK_NEGATIVE_ROUND: {
    'zh-CN': '第 {{day}} 天（{{date}}）区域全员核酸检测阴性',
    en: 'A negative area-wide round on day {{day}} ({{date}})',
  },
  ZONE_CHECK_ROUND_POSITIVE: {
    'zh-CN': '第 {{day}} 天（{{date}}）的全员核酸检测有阳性',
    en: 'The round of day {{day}} ({{date}}) has a positive',
  },
  ZONE_CHECK_ROUND_PENDING: {
    'zh-CN': '第 {{day}} 天（{{date}}）的全员核酸检测尚有 {{missing}} 人未出阴性结果',
    en: 'The round of day {{day}} ({{date}}): {{missing}} people have no negative result yet',
  },
  ZONE_CHECK_NO_RULE: {
    'zh-CN': '现行防控方案没有从此等级直接调整到该等级的规定',
    en: 'The policy profile in force has no rule for this change of level',
  },

  ZONE_EVENT_created: { 'zh-CN': '划定', en: 'Drawn' },
  ZONE_EVENT_level: { 'zh-CN': '调整等级', en: 'Level changed' },
  ZONE_EVENT_widened: { 'zh-CN': '扩大范围', en: 'Widened' },
  ZONE_EVENT_lifted: { 'zh-CN': '解除', en: 'Lifted' },

  ZONE_AREA_NOT_FOUND: { 'zh-CN': '找不到该风险区', en: 'Risk area not found' },
  ZONE_AREA_LIFTED: { 'zh-CN': '该风险区已解除，不能再调整', en: 'This area is lifted already' },
  ZONE_EXTENT_NOT_FOUND: {
    'zh-CN': '找不到所选的户、楼栋、单元、网格或社区',
    en: 'No such household, building, unit, grid or community',
  },
  ZONE_UNIT_NOT_ALLOWED: {
    'zh-CN': '现行防控方案（{{profile}}）不按这一单位划定风险区',
    en: 'The profile in force ({{profile}}) does not draw areas at this unit',
  },
  ZONE_FLOOR_REQUIRED: {
    'zh-CN': '按楼层划定时须填写楼层',
    en: 'A floor needs its floor number',
  },
  ZONE_FLOOR_NOT_FOUND: {
    'zh-CN': '该楼栋没有第 {{floor}} 层的住户',
    en: 'The building has no households on floor {{floor}}',
  },
  ZONE_FLOOR_ONLY: {
    'zh-CN': '只有按楼层划定时才填写楼层',
    en: 'Only a floor takes a floor number',
  },
  ZONE_LEVEL_NOT_IN_PROFILE: {
    'zh-CN': '现行防控方案（{{profile}}）没有这一风险等级',
    en: 'The profile in force ({{profile}}) has no such level',
  },
  ZONE_LEVEL_SAME: { 'zh-CN': '已是该等级', en: 'The area is at this level already' },
  ZONE_CASE_NOT_FOUND: { 'zh-CN': '找不到该阳性病例', en: 'No such positive case' },
  ZONE_LOWER_CHECKS_FAILED: {
    'zh-CN': '尚不满足降级条件（{{failed}} 项未满足，见倒计时）；确需降级须由负责人填写决定理由',
    en: 'The conditions to lower the area are not met ({{failed}} failed; see the countdown); a lead may decide with a reason',
  },
  ZONE_LIFT_CHECKS_FAILED: {
    'zh-CN': '尚不满足解除条件（{{failed}} 项未满足，见倒计时）；确需解除须由负责人填写决定理由',
    en: 'The conditions to lift the area are not met ({{failed}} failed; see the countdown); a lead may decide with a reason',
  },

  FIELD_extents: { 'zh-CN': '范围', en: 'Parts' },
  FIELD_overrideReason: { 'zh-CN': '决定理由', en: 'Reason for deciding' },
  FIELD_caseId: { 'zh-CN': '阳性病例', en: 'Positive case' },
  FIELD_floor: { 'zh-CN': '楼层', en: 'Floor' },
  FIELD_startedAt: { 'zh-CN': '开始时间', en: 'Start' },

  // The screens (web/src/zones): the areas board, an area's page and the forms.
  ZONE_UI_TITLE: { 'zh-CN': '风险区', en: 'Risk areas' },
  ZONE_UI_DRAW: { 'zh-CN': '划定风险区', en: 'Draw an area' },
  ZONE_UI_ACTIVE: { 'zh-CN': '管控中', en: 'In force' },
  ZONE_UI_LIFTED_LIST: { 'zh-CN': '已解除', en: 'Lifted' },
  ZONE_UI_EMPTY: { 'zh-CN': '范围内暂无风险区', en: 'No risk areas in your scope' },
  ZONE_UI_DAY: { 'zh-CN': '无新增第 {{n}} 天', en: 'Day {{n}} without a new case' },
  ZONE_UI_DAYS_LEFT: { 'zh-CN': '还需 {{n}} 天', en: '{{n}} days to go' },
  ZONE_UI_ELIGIBLE_LOWER: { 'zh-CN': '已满足降级条件', en: 'May be lowered' },
  ZONE_UI_ELIGIBLE_LIFT: { 'zh-CN': '已满足解除条件', en: 'May be lifted' },
  ZONE_UI_PARTS_COUNT: { 'zh-CN': '{{n}} 处', en: '{{n}} parts' },
  ZONE_UI_PEOPLE_INSIDE: { 'zh-CN': '区内居民', en: 'People inside' },
  ZONE_UI_PEOPLE_N: { 'zh-CN': '{{n}} 人', en: '{{n}}' },
  ZONE_UI_CASES: { 'zh-CN': '本等级以来新增阳性', en: 'New positives at this level' },
  ZONE_UI_STARTED: { 'zh-CN': '开始时间', en: 'Started' },
  ZONE_UI_LEVEL_SINCE: { 'zh-CN': '本等级起', en: 'At this level since' },
  ZONE_UI_REASON: { 'zh-CN': '原因', en: 'Reason' },
  ZONE_UI_PARTS: { 'zh-CN': '范围', en: 'Parts' },
  ZONE_UI_COUNTDOWN: { 'zh-CN': '解封倒计时', en: 'Countdown' },
  ZONE_UI_CLOCK_FROM: {
    'zh-CN': '自 {{date}} 起算，连续 {{n}} 天无新增',
    en: 'Counted from {{date}}: {{n}} days without a new case',
  },
  ZONE_UI_ELIGIBLE_ON: { 'zh-CN': '最早 {{date}} 可调整', en: 'At the earliest on {{date}}' },
  ZONE_UI_NEXT: { 'zh-CN': '下一步：{{name}}', en: 'Next step: {{name}}' },
  ZONE_UI_NO_STEP: {
    'zh-CN': '现行方案未规定此等级的降级条件',
    en: 'The profile in force sets no step down from this level',
  },
  ZONE_UI_ROUNDS: { 'zh-CN': '区内核酸检测', en: 'Rounds inside' },
  ZONE_UI_ROUND_ROW: {
    'zh-CN': '{{date}} {{name}}：检测 {{sampled}} 人，阴性 {{negative}}，阳性 {{positive}}',
    en: '{{date}} {{name}}: {{sampled}} sampled, {{negative}} negative, {{positive}} positive',
  },
  ZONE_UI_NO_ROUNDS: { 'zh-CN': '本等级以来区内尚无全员检测', en: 'No area-wide round inside yet' },
  ZONE_UI_HISTORY: { 'zh-CN': '变更记录', en: 'History' },
  ZONE_UI_EVENT_BY: { 'zh-CN': '{{actor}} · {{time}}', en: '{{actor}} · {{time}}' },
  ZONE_UI_OVERRIDDEN: { 'zh-CN': '负责人决定：{{reason}}', en: 'Decided by a lead: {{reason}}' },
  ZONE_UI_OVERLAPS: {
    'zh-CN': '与其他不同等级的风险区范围重叠，请核实区内人员按哪一等级管理',
    en: 'Overlaps areas of another level: check which level the people inside live under',
  },
  ZONE_UI_OVERLAP_ROW: {
    'zh-CN': '{{name}}（{{level}}），重叠 {{n}} 人',
    en: '{{name}} ({{level}}), {{n}} people in both',
  },
  ZONE_UI_LOWER: { 'zh-CN': '降级', en: 'Lower' },
  ZONE_UI_START_ROUND: { 'zh-CN': '发起本区域核酸', en: 'Start a round of this area' },
  ZONE_UI_ROUND_STARTED: {
    'zh-CN': '已发起：{{name}}',
    en: 'Round started: {{name}}',
  },
  ZONE_UI_ROUND_EXISTS: {
    'zh-CN': '今天本区域的核酸已发起，未重复发起，已为您打开：{{name}}',
    en: "Today's round of this area is already open (not started twice): {{name}}",
  },
  ZONE_UI_POOL_HOUSEHOLD: { 'zh-CN': '封控区 单户一管', en: 'Sealed area: one tube per household' },
  ZONE_UI_POOL_SINGLE: { 'zh-CN': '单人单管', en: 'One person per tube' },
  ZONE_UI_POOL_SIZE: { 'zh-CN': '{{n}} 合 1 混采', en: '{{n}} swabs per tube' },
  ZONE_UI_HOME_NONE: { 'zh-CN': '辖区内暂无风险区', en: 'No active risk area in my scope' },
  ZONE_UI_HOME_ELIGIBLE: {
    'zh-CN': '{{n}} 个可降级或解除',
    en: '{{n}} may be lowered or lifted',
  },
  ZONE_UI_RAISE: { 'zh-CN': '升级', en: 'Raise' },
  ZONE_UI_LIFT: { 'zh-CN': '解除', en: 'Lift' },
  ZONE_UI_WIDEN: { 'zh-CN': '扩大范围', en: 'Widen' },
  ZONE_UI_TO_LEVEL: { 'zh-CN': '调整为', en: 'Change to' },
  ZONE_UI_REASON_LABEL: { 'zh-CN': '理由', en: 'Reason' },
  ZONE_UI_OVERRIDE_LABEL: {
    'zh-CN': '条件未满足，负责人决定理由',
    en: 'Conditions not met: a lead’s reason for deciding',
  },
  ZONE_UI_SUBMIT: { 'zh-CN': '确定', en: 'Confirm' },
  ZONE_UI_CANCEL: { 'zh-CN': '取消', en: 'Cancel' },
  ZONE_UI_DONE: { 'zh-CN': '已保存', en: 'Saved' },
  ZONE_UI_NAME: { 'zh-CN': '名称', en: 'Name' },
  ZONE_UI_LEVEL: { 'zh-CN': '等级', en: 'Level' },
  ZONE_UI_PART_KIND: { 'zh-CN': '划定单位', en: 'Drawn by' },
  ZONE_UI_DIVISION: { 'zh-CN': '网格或社区', en: 'Grid or community' },
  ZONE_UI_BUILDING: { 'zh-CN': '楼栋', en: 'Building' },
  ZONE_UI_UNIT: { 'zh-CN': '单元', en: 'Unit' },
  ZONE_UI_FLOOR: { 'zh-CN': '楼层', en: 'Floor' },
  ZONE_UI_HOUSEHOLD: { 'zh-CN': '户', en: 'Household' },
  ZONE_UI_ADD_PART: { 'zh-CN': '加入范围', en: 'Add' },
  ZONE_UI_NO_PARTS: { 'zh-CN': '尚未选择范围', en: 'No parts chosen yet' },
  ZONE_UI_BACK: { 'zh-CN': '返回风险区', en: 'Back to risk areas' },
})
