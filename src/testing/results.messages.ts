import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of lab results (the report's row reasons, the result file, conflicts, lab accounts) and
 * of the missed-test list (its reasons, its export's columns). The results report and the export
 * are written with these in the requester's language; the web app renders the same codes.
 */
export const resultsMessages = defineMessages({
  // Row reasons of a results report (each names the field of the row at fault).
  RESULT_WORD_UNKNOWN: {
    'zh-CN':
      '结果“{{value}}”无法识别，应为阴性（未检出）、阳性（检出）、异常（单基因阳性、灰区）或无效（样本不合格）',
    en: 'Result "{{value}}" is not negative (not detected), positive (detected), abnormal (single-gene positive, grey zone) or invalid (sample unqualified)',
  },
  RESULT_CT_INVALID: {
    'zh-CN': 'Ct 值“{{value}}”不是 0–50 之间的数字',
    en: 'Ct value "{{value}}" is not a number from 0 to 50',
  },
  RESULT_CONFLICT_STRICTER_HELD: {
    'zh-CN': '该管原为“{{held}}”，新结果“{{incoming}}”更严，已按从严处理，等待人工核实',
    en: 'This tube held "{{held}}"; the stricter "{{incoming}}" applies at once (the safer result) and waits for a person to confirm it',
  },
  RESULT_TUBE_UNKNOWN: { 'zh-CN': '没有这个管码', en: 'Unknown tube code' },
  RESULT_NOT_A_TUBE_CODE: { 'zh-CN': '不是有效的试管条码', en: 'Not a tube barcode' },
  RESULT_TIME_INVALID: {
    'zh-CN': '检测时间不是有效的日期时间（2000–2099 年）',
    en: 'The result time is not a real date and time in 2000–2099',
  },
  RESULT_CONFLICT_LESS_STRICT: {
    'zh-CN': '复检结果比现行结果宽松，以较严的结果为准，等待人工核实处理',
    en: 'A retest that is less strict than the result that holds waits for a person to resolve it (the safer result holds)',
  },
  RESULT_CONFLICT_NOT_RETEST: {
    'zh-CN': '该管已有不同的结果；如为复检，请标明“复检”后重新发送',
    en: 'This tube already has a different result; send it again marked as a retest to replace it',
  },

  // The result file as a whole, and the upload.
  RESULT_FILE_EMPTY: { 'zh-CN': '文件是空的', en: 'The file is empty' },
  RESULT_FILE_COLUMNS_MISSING: {
    'zh-CN': '文件中找不到“管码”和“结果”列（找到的列：{{found}}）',
    en: 'The file has no tube code and result columns (found: {{found}})',
  },
  RESULT_FILE_TOO_MANY_ROWS: {
    'zh-CN': '文件超过 {{max}} 行，请拆分后分批上传',
    en: 'The file has more than {{max}} rows; split it',
  },
  RESULT_UPLOAD_LAB_MISSING: {
    'zh-CN': '请填写结果来自哪家检测机构',
    en: 'Name the lab the file came from',
  },

  // Conflicts between two results of one tube.
  CONFLICT_NOT_FOUND: { 'zh-CN': '找不到这条结果冲突', en: 'Result conflict not found' },
  CONFLICT_ALREADY_RESOLVED: {
    'zh-CN': '这条结果冲突已经处理过了',
    en: 'This conflict was already resolved',
  },

  // Recheck orders and positive cases.
  RECHECK_NOT_FOUND: { 'zh-CN': '找不到这条复核任务', en: 'Recheck order not found' },
  RECHECK_ASSIGNEE_NOT_ELIGIBLE: {
    'zh-CN': '该用户的管辖范围不包括这户所在的网格，不能承担这条复核任务',
    en: 'This user’s scope does not cover the person’s grid, so they cannot take this recheck',
  },
  RECHECK_ALREADY_DONE: {
    'zh-CN': '这条复核已有结果，不能再改派',
    en: 'This recheck has its result already and cannot be reassigned',
  },
  CASE_NOT_FOUND: { 'zh-CN': '找不到这条阳性记录', en: 'Positive case not found' },
  CASE_DECISION_NOT_ALLOWED: {
    'zh-CN': '当前状态“{{status}}”不能改为“{{decision}}”',
    en: 'A case that is {{status}} cannot become {{decision}}',
  },
  ROUND_CLOSE_NEEDS_CONFIRM: {
    'zh-CN':
      '本轮还有 {{rechecks}} 条复核未完成、{{tubes}} 管未出结果；确认后仍可接收复核采样和结果',
    en: 'This round still has {{rechecks}} open rechecks and {{tubes}} tubes without a result; confirm to close it (rechecks and results are still taken afterwards)',
  },

  // Lab accounts and their tokens.
  LAB_TOKEN_REQUIRED: {
    'zh-CN': '需要检测机构的接口令牌（Authorization: Bearer wglab_…）',
    en: 'A lab token is required (Authorization: Bearer wglab_…)',
  },
  LAB_ACCOUNTS_WHOLE_DEPLOYMENT: {
    'zh-CN': '检测机构账号属于整个平台，请先把管辖范围切换回全部',
    en: 'Lab accounts are kept for the whole deployment: switch your scope back to all of it',
  },
  LAB_NAME_TAKEN: { 'zh-CN': '已有名为“{{name}}”的检测机构', en: 'A lab named {{name}} exists' },
  LAB_NOT_FOUND: { 'zh-CN': '找不到该检测机构账号', en: 'Lab account not found' },

  // The missed-test list.
  MISSED_CURSOR_INVALID: {
    'zh-CN': '翻页参数无效，请刷新名单',
    en: 'Not a cursor from this list; reload the list',
  },
  MISSED_REASON_UNKNOWN: {
    'zh-CN': '当前防控方案（{{profile}}）没有这个漏检原因',
    en: 'The active profile ({{profile}}) has no such missed-test reason',
  },
  MISSED_REASON_NEEDS_NOTE: {
    'zh-CN': '该原因需要填写说明（在何处检测、凭证）',
    en: 'This reason needs a note (where, and the proof)',
  },
  MISSED_RESIDENT_NOT_FOUND: { 'zh-CN': '找不到该居民', en: 'Resident not found' },
  MISSED_RESIDENT_OUTSIDE_ROUND: {
    'zh-CN': '该居民不在本轮检测范围内',
    en: 'This resident is not in the round’s scope',
  },
  MISSED_REASON_away: { 'zh-CN': '外出', en: 'Away' },
  MISSED_REASON_in_hospital: { 'zh-CN': '住院', en: 'In hospital' },
  MISSED_REASON_isolated: { 'zh-CN': '已隔离', en: 'Isolated' },
  MISSED_REASON_infant: { 'zh-CN': '婴幼儿', en: 'Infant' },
  MISSED_REASON_tested_elsewhere: { 'zh-CN': '已在外地检测', en: 'Tested elsewhere' },
  MISSED_REASON_door_to_door: { 'zh-CN': '预约上门采样', en: 'Door-to-door visit booked' },

  // The missed-test list export (.xlsx): sheet, file and column names.
  MISSED_EXPORT_SHEET: { 'zh-CN': '漏检名单', en: 'Missed tests' },
  MISSED_EXPORT_COL_grid: { 'zh-CN': '网格', en: 'Grid' },
  MISSED_EXPORT_COL_household: { 'zh-CN': '住址', en: 'Address' },
  MISSED_EXPORT_COL_name: { 'zh-CN': '姓名', en: 'Name' },
  MISSED_EXPORT_COL_age: { 'zh-CN': '年龄', en: 'Age' },
  MISSED_EXPORT_COL_phone: { 'zh-CN': '联系电话', en: 'Phone' },
  MISSED_EXPORT_COL_reason: { 'zh-CN': '原因', en: 'Reason' },
  MISSED_EXPORT_COL_found: { 'zh-CN': '情况（上门填写）', en: 'Found at the door (fill in)' },
  MISSED_EXPORT_COL_note: { 'zh-CN': '备注', en: 'Note' },

  // Fields these endpoints name.
  FIELD_tubeCode: { 'zh-CN': '管码', en: 'Tube code' },
  FIELD_result: { 'zh-CN': '检测结果', en: 'Result' },
  FIELD_resultedAt: { 'zh-CN': '检测时间', en: 'Result time' },
  FIELD_retest: { 'zh-CN': '复检', en: 'Retest' },
  FIELD_lab: { 'zh-CN': '检测机构', en: 'Lab' },
  FIELD_decision: { 'zh-CN': '处理方式', en: 'Decision' },
  FIELD_ctN: { 'zh-CN': 'N 基因 Ct 值', en: 'Ct (N gene)' },
  FIELD_ctOrf1ab: { 'zh-CN': 'ORF1ab 基因 Ct 值', en: 'Ct (ORF1ab gene)' },
  FIELD_assigneeId: { 'zh-CN': '负责人', en: 'Assignee' },
  FIELD_confirm: { 'zh-CN': '确认', en: 'Confirm' },
  FIELD_after: { 'zh-CN': '翻页参数', en: 'Page cursor' },
})

export type ResultsMessageCode = keyof typeof resultsMessages
