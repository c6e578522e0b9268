import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of testing's audit actions and permissions. */
export const testingLabelMessages = defineMessages({
  'AUDIT_testing.round_open': { 'zh-CN': '开启检测轮次', en: 'Testing round opened' },
  'AUDIT_testing.round_close': { 'zh-CN': '结束检测轮次', en: 'Testing round closed' },
  'AUDIT_testing.site_create': { 'zh-CN': '新增采样点', en: 'Sampling site added' },
  'AUDIT_testing.lab_create': { 'zh-CN': '新增检测机构', en: 'Lab added' },
  'AUDIT_testing.lab_revoke': { 'zh-CN': '停用检测机构令牌', en: 'Lab token revoked' },
  'AUDIT_testing.key_group_create': { 'zh-CN': '新建重点人群', en: 'Key group created' },
  'AUDIT_testing.code_revoke': { 'zh-CN': '作废居民码', en: 'Resident code revoked' },
  'AUDIT_testing.results': { 'zh-CN': '接收检测结果', en: 'Results received' },
  'AUDIT_testing.results_upload': { 'zh-CN': '上传检测结果文件', en: 'Result file uploaded' },
  'AUDIT_testing.conflict_resolve': { 'zh-CN': '处理检测结果冲突', en: 'Result conflict resolved' },
  'AUDIT_testing.recheck_reassign': { 'zh-CN': '改派单管复核任务', en: 'Recheck order reassigned' },
  'AUDIT_testing.case_decide': { 'zh-CN': '处理初筛阳性', en: 'Screening positive decided' },
  'AUDIT_testing.scan_outside_scope': {
    'zh-CN': '采样人员范围外扫码',
    en: 'Scan outside the sampler’s scope',
  },
  'AUDIT_testing.missed_export': {
    'zh-CN': '导出漏检名单（开始）',
    en: 'Missed-test list export (started)',
  },
  'AUDIT_testing.export_completed': {
    'zh-CN': '导出漏检名单（完成）',
    en: 'Missed-test list export (completed)',
  },
  'AUDIT_testing.export_aborted': {
    'zh-CN': '导出漏检名单（中断）',
    en: 'Missed-test list export (aborted)',
  },

  TARGET_round: { 'zh-CN': '检测轮次', en: 'Testing round' },
  TARGET_lab: { 'zh-CN': '检测机构', en: 'Lab' },
  TARGET_key_group: { 'zh-CN': '重点人群', en: 'Key group' },
  TARGET_sampling_site: { 'zh-CN': '采样点', en: 'Sampling site' },
  TARGET_tube: { 'zh-CN': '试管', en: 'Tube' },
  TARGET_recheck_order: { 'zh-CN': '单管复核任务', en: 'Recheck order' },
  TARGET_positive_case: { 'zh-CN': '初筛阳性', en: 'Screening positive' },

  'PERMISSION_testing:read': {
    'zh-CN': '查看检测轮次与进度',
    en: 'Read testing rounds and progress',
  },
  'PERMISSION_testing:manage': {
    'zh-CN': '管理检测轮次、采样点和重点人群',
    en: 'Manage rounds, sites and key groups',
  },
  'PERMISSION_testing:labs': { 'zh-CN': '管理检测机构账号', en: 'Manage lab accounts' },
  'PERMISSION_testing:sample': { 'zh-CN': '采样扫码', en: 'Scan samples' },
  'PERMISSION_testing:results': { 'zh-CN': '上传检测结果', en: 'Upload results' },
  'PERMISSION_testing:missed': {
    'zh-CN': '登记漏检原因、导出漏检名单',
    en: 'Record missed tests and export the list',
  },
  'PERMISSION_testing:codes': {
    'zh-CN': '签发、打印和作废居民码',
    en: 'Issue, print and revoke resident codes',
  },
})
