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
})
