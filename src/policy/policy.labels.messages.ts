import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the policy permissions, audit actions and targets. */
export const policyLabelMessages = defineMessages({
  'PERMISSION_policy:read': { 'zh-CN': '查看防控策略配置', en: 'Read policy profiles' },
  'PERMISSION_policy:manage': {
    'zh-CN': '切换防控策略配置、管理本地规定',
    en: 'Switch policy profiles and manage local overrides',
  },
  'AUDIT_policy.activate': { 'zh-CN': '切换防控策略配置', en: 'Policy profile activated' },
  'AUDIT_policy.sync': { 'zh-CN': '更新内置策略配置', en: 'Bundled policy profile updated' },
  'AUDIT_policy.override_add': { 'zh-CN': '新增本地规定', en: 'Local override added' },
  'AUDIT_policy.override_withdraw': { 'zh-CN': '撤回本地规定', en: 'Local override withdrawn' },
  TARGET_policy_profile: { 'zh-CN': '防控策略配置', en: 'Policy profile' },
  TARGET_policy_override: { 'zh-CN': '本地规定', en: 'Local override' },
})
