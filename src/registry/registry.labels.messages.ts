import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the registry's (and the roster import's) audit actions and permissions. */
export const registryLabelMessages = defineMessages({
  'AUDIT_registry.export': {
    'zh-CN': '导出居民名单（开始）',
    en: 'Resident list export (started)',
  },
  'AUDIT_registry.export_unmasked': {
    'zh-CN': '导出不打码的居民名单（开始）',
    en: 'Unmasked resident list export (started)',
  },
  'AUDIT_registry.export_completed': {
    'zh-CN': '导出居民名单（完成）',
    en: 'Resident list export (completed)',
  },
  'AUDIT_registry.export_aborted': {
    'zh-CN': '导出居民名单（中断）',
    en: 'Resident list export (aborted)',
  },
  'AUDIT_registry.building_layout': { 'zh-CN': '生成楼栋单元户室', en: 'Building layout created' },
  'AUDIT_registry.import_batch': { 'zh-CN': '导入居民名单', en: 'Roster imported' },
  'AUDIT_registry.import_id_elsewhere': {
    'zh-CN': '导入时发现证件号已在别处登记',
    en: 'Import found an ID registered elsewhere',
  },
  'AUDIT_resident.created': { 'zh-CN': '登记居民', en: 'Resident registered' },
  'AUDIT_resident.updated': { 'zh-CN': '修改居民信息', en: 'Resident changed' },
  'AUDIT_resident.moved': { 'zh-CN': '居民变更住址', en: 'Resident moved' },
  'AUDIT_resident.moved_out': { 'zh-CN': '居民迁出', en: 'Resident moved out' },
  'AUDIT_resident.status': { 'zh-CN': '变更人员状态', en: 'Resident status changed' },
  'AUDIT_resident.tags': { 'zh-CN': '修改居民标签', en: 'Resident tags changed' },
  'AUDIT_household.occupancy': { 'zh-CN': '登记房屋居住状态', en: 'Household occupancy recorded' },
  'AUDIT_resident.presence': { 'zh-CN': '登记居民在家/外出', en: 'Resident presence recorded' },
  'AUDIT_resident.transfer_requested': {
    'zh-CN': '申请居民转入',
    en: 'Resident transfer requested',
  },
  'AUDIT_resident.transfer_confirmed': {
    'zh-CN': '确认居民转移',
    en: 'Resident transfer confirmed',
  },
  'AUDIT_resident.transfer_disputed': {
    'zh-CN': '对居民转移提出异议',
    en: 'Resident transfer disputed',
  },
  'AUDIT_imports.rejected_export': {
    'zh-CN': '导出导入错误行（开始）',
    en: 'Rejected rows export (started)',
  },
  'AUDIT_imports.rejected_export_unmasked': {
    'zh-CN': '导出不打码的导入错误行（开始）',
    en: 'Unmasked rejected rows export (started)',
  },
  'AUDIT_imports.export_completed': {
    'zh-CN': '导出导入错误行（完成）',
    en: 'Rejected rows export (completed)',
  },
  'AUDIT_imports.export_aborted': {
    'zh-CN': '导出导入错误行（中断）',
    en: 'Rejected rows export (aborted)',
  },

  'AUDIT_resident.walk_in': {
    'zh-CN': '采样点临时登记人员',
    en: 'Walk-in registered at a sampling desk',
  },
  'AUDIT_resident.provisional_confirmed': {
    'zh-CN': '临时登记人员确认为本户居民',
    en: 'Walk-in confirmed as a resident of a household',
  },
  'AUDIT_resident.provisional_merged': {
    'zh-CN': '临时登记人员合并到已登记居民',
    en: 'Walk-in merged into a registered resident',
  },
  'AUDIT_resident.passing_through': {
    'zh-CN': '临时登记人员标记为过往人员',
    en: 'Walk-in marked as passing through',
  },

  TARGET_resident: { 'zh-CN': '居民', en: 'Resident' },
  TARGET_residents: { 'zh-CN': '居民名单', en: 'Resident list' },
  TARGET_household: { 'zh-CN': '住户', en: 'Household' },
  TARGET_resident_transfer: { 'zh-CN': '居民转移', en: 'Resident transfer' },
  TARGET_import: { 'zh-CN': '导入任务', en: 'Import' },

  'PERMISSION_registry:read': { 'zh-CN': '查看居民', en: 'Read the registry' },
  'PERMISSION_registry:write': { 'zh-CN': '登记/修改居民', en: 'Register and change residents' },
  'PERMISSION_registry:provisional': {
    'zh-CN': '采样点临时登记人员',
    en: 'Register walk-ins at a sampling desk',
  },
})
