import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of rounds, sampling scans, tubes, resident codes, sampling sites and key groups: the
 * errors their services throw and the reasons a scan or a member line is refused. (Lab results
 * and the missed-test list: results.messages.ts.)
 */
export const testingMessages = defineMessages({
  // Rounds.
  ROUND_NOT_FOUND: { 'zh-CN': '找不到该检测轮次', en: 'No such testing round' },
  ROUND_POOL_SIZE_NOT_ALLOWED: {
    'zh-CN': '策略 {{profile}} 只允许每管 {{sizes}} 人',
    en: 'Profile {{profile}} allows {{sizes}} per tube',
  },
  ROUND_TIME_INVALID: {
    'zh-CN': '{{field}}应为 2000–2099 年间的真实日期和时间',
    en: '{{field}} must be a real date and time in 2000–2099',
  },
  ROUND_DEADLINE_BEFORE_START: {
    'zh-CN': '截止时间必须晚于开始时间',
    en: 'The deadline must be after the start',
  },
  ROUND_AREA_TOO_LONG: {
    'zh-CN': '区域全员检测须在 {{hours}} 小时内完成（策略 {{profile}}）',
    en: 'An area-wide round must finish within {{hours}} h (profile {{profile}})',
  },
  SCAN_SPECIMEN_TYPE_NOT_ALLOWED: {
    'zh-CN': '现行防控方案（{{profile}}）不采用此类样本，请改用咽拭子、鼻拭子或鼻咽拭子',
    en: 'The profile in force ({{profile}}) takes no such specimen; use a throat, nasal or nasopharyngeal swab',
  },
  ROUND_AREA_NOT_ALLOWED: {
    'zh-CN': '现行防控方案（{{profile}}）不按行政区域开展全员核酸检测，请改为重点人群或常态化检测',
    en: 'The profile in force ({{profile}}) runs no area-wide rounds; use a key-group or routine round',
  },
  ROUND_AREA_NEEDS_REASON: {
    'zh-CN':
      '现行防控方案（{{profile}}）原则上不按行政区域开展全员检测，开展时须填写原因（如传播链不清）',
    en: 'The profile in force ({{profile}}) runs area-wide rounds only with a reason (e.g. an unclear chain of transmission)',
  },
  ROUND_ZONE_POOL_SIZE: {
    'zh-CN': '该区域按防控方案（{{profile}}）应为 {{size}} 混 1，与所选混采数不符',
    en: 'The profile ({{profile}}) pools this zone {{size}} to a tube, not the size chosen',
  },
  ROUND_ZONE_HOUSEHOLD: {
    'zh-CN': '封控区按防控方案（{{profile}}）一户一管（每管不超过 {{size}} 人），不另选混采数',
    en: 'The profile ({{profile}}) samples a sealed zone one household a tube (at most {{size}}); no pool size to choose',
  },
  ROUND_DIVISION_UNKNOWN: {
    'zh-CN': '找不到所选区划',
    en: 'One of the chosen divisions does not exist',
  },
  ROUND_DIVISION_LEVEL: {
    'zh-CN': '{{name}}不是街道、社区或网格，检测轮次只能覆盖这三级',
    en: '{{name}} is not a street, community or grid; a round covers only those',
  },
  ROUND_NO_DIVISION: {
    'zh-CN': '请至少选择一个社区或网格',
    en: 'Choose at least one community or grid',
  },
  ROUND_PLACE_UNKNOWN: {
    'zh-CN': '找不到所选楼栋或单元，请刷新后重新选择',
    en: 'One of the chosen buildings or units does not exist; reload and choose again',
  },
  ROUND_PLACE_OUTSIDE: {
    'zh-CN': '{{name}}不在本轮检测范围内，请只选所选区划内的楼栋和单元',
    en: '{{name}} is outside the round’s divisions; choose buildings and units inside them',
  },
  ROUND_CURSOR_INVALID: {
    'zh-CN': '翻页位置无效，请从第一页重新查看',
    en: 'Not a cursor from this list; start again from the first page',
  },

  // Why a scan is refused (error.field says which part of the scan).
  SCAN_TIME_INVALID: { 'zh-CN': '扫码时间无效', en: 'The scan time is not a time' },
  SCAN_TIME_FUTURE: {
    'zh-CN': '扫码时间晚于当前时间，请检查设备时钟',
    en: "The scan time is later than now: check the device's clock",
  },
  SCAN_ROUND_CLOSED: { 'zh-CN': '本轮检测已结束，不能再采样', en: 'This round is closed' },
  SCAN_CODE_INCOMPLETE: {
    'zh-CN': '居民码不完整，请重新扫描',
    en: 'Not a complete resident code (scan it again)',
  },
  SCAN_NOT_A_PERSON: {
    'zh-CN': '既不是居民码也不是证件号码',
    en: 'Neither a resident code nor an ID number',
  },
  SCAN_CODE_UNKNOWN: { 'zh-CN': '居民码无效或已作废', en: 'Unknown or revoked code' },
  SCAN_PERSON_NOT_REGISTERED: {
    'zh-CN': '该证件号码不在人口库中，请先登记',
    en: 'This ID number is not in the registry; register the person first',
  },
  SCAN_NOT_A_TUBE: {
    'zh-CN': '不是试管条码（6–40 位字母、数字或横线），请重新扫描',
    en: 'Not a tube barcode (6–40 letters, digits or dashes); scan it again',
  },

  // Why a swab may not go into a tube.
  TUBE_OTHER_ROUND: { 'zh-CN': '该试管属于其他检测轮次', en: 'This tube belongs to another round' },
  TUBE_CLOSED: {
    'zh-CN': '该试管已封管（{{members}} 人），请换新管',
    en: 'This tube is closed ({{members}} swabs); take a new tube',
  },
  TUBE_FULL: {
    'zh-CN': '该试管已满（{{capacity}} 人），请换新管',
    en: 'This tube is full ({{capacity}}); take a new tube',
  },
  TUBE_RECHECK_ALONE: {
    'zh-CN': '复核人员须单独使用新管',
    en: 'A recheck is swabbed alone in a new tube',
  },
  TUBE_SINGLE_PERSON: {
    'zh-CN': '此人需单管采样，请换新管',
    en: 'This person is sampled in a single tube; take a new tube',
  },
  TUBE_OTHER_HOUSEHOLD: {
    'zh-CN': '该试管装的是另一户，请换新管',
    en: 'This tube holds another household; take a new tube',
  },
  TUBE_ZONE_POOL: {
    'zh-CN': '此人所在风险区须 {{capacity}} 人一管，请换新管',
    en: "This person's risk area pools at most {{capacity}} a tube; take a new tube",
  },
  TUBE_NOT_FOUND: { 'zh-CN': '本轮没有这支试管', en: 'No such tube in this round' },

  // Resident codes.
  CODE_NOT_ISSUED: {
    'zh-CN': '该居民尚未发放居民码',
    en: 'No code has been issued to this resident yet',
  },
  'AUDIT_testing.code_issue': { 'zh-CN': '发放居民码', en: 'Resident code issued' },
  HOUSEHOLD_NOT_FOUND: { 'zh-CN': '找不到该户', en: 'No such household' },

  // Sampling sites.
  SITE_NOT_FOUND: { 'zh-CN': '找不到该采样点', en: 'No such sampling site' },
  SITE_DIVISION_UNKNOWN: { 'zh-CN': '找不到所选区划', en: 'No such division' },
  SITE_TIME_FORMAT: {
    'zh-CN': '{{field}}应为 07:30 这样的时间',
    en: '{{field}} must be a time like 07:30',
  },
  SITE_CLOSES_BEFORE_OPENS: {
    'zh-CN': '结束时间必须晚于开始时间',
    en: 'Must be after the opening time',
  },
  SITE_USER_UNKNOWN: {
    'zh-CN': '没有名为 {{username}} 的有效账号',
    en: 'No active user {{username}}',
  },

  // Key groups (routine testing) and their member lines.
  KEY_GROUP_NOT_FOUND: { 'zh-CN': '找不到该重点人群', en: 'No such key group' },
  KEY_GROUP_FREQUENCY: {
    'zh-CN': '检测频次应为 {{options}} 之一（策略 {{profile}}）',
    en: 'One of {{options}} (profile {{profile}})',
  },
  KEY_GROUP_KIND: {
    'zh-CN': '重点岗位类别应为 {{options}} 之一（策略 {{profile}}）',
    en: 'A key-job kind of {{options}} (profile {{profile}})',
  },
  KEY_GROUP_DIVISION_UNKNOWN: { 'zh-CN': '找不到所选区划', en: 'No such division' },
  KEY_GROUP_MEMBER_NOT_FOUND: { 'zh-CN': '找不到该成员', en: 'No such member' },
  MEMBER_NOT_IN_MY_REGISTRY: {
    'zh-CN': '本辖区人口库中没有此人',
    en: 'Not in the registry of your area',
  },
  MEMBER_OUTSIDE_GROUP_AREA: {
    'zh-CN': '此人不住在该人群所属区域',
    en: 'Lives outside the group’s area',
  },

  // Field labels of the testing forms.
  FIELD_poolSize: { 'zh-CN': '每管人数', en: 'Swabs per tube' },
  FIELD_startsAt: { 'zh-CN': '开始时间', en: 'Start' },
  FIELD_deadline: { 'zh-CN': '截止时间', en: 'Deadline' },
  FIELD_divisionIds: { 'zh-CN': '检测范围', en: 'Round scope' },
  FIELD_buildingIds: { 'zh-CN': '楼栋', en: 'Buildings' },
  FIELD_unitIds: { 'zh-CN': '单元', en: 'Units' },
  FIELD_person: { 'zh-CN': '居民码或证件号码', en: 'Resident code or ID number' },
  FIELD_tube: { 'zh-CN': '试管条码', en: 'Tube barcode' },
  FIELD_scannedAt: { 'zh-CN': '扫码时间', en: 'Scan time' },
  FIELD_round: { 'zh-CN': '检测轮次', en: 'Round' },
  FIELD_opensAt: { 'zh-CN': '开始时间', en: 'Opens at' },
  FIELD_closesAt: { 'zh-CN': '结束时间', en: 'Closes at' },
  FIELD_frequency: { 'zh-CN': '检测频次', en: 'Frequency' },
  FIELD_residentId: { 'zh-CN': '居民', en: 'Resident' },
})
