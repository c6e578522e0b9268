import { defineMessages } from '../i18n/messages.js'

/**
 * Readable names of the audit actions core writes (`AUDIT_<action>`) and of core's permissions
 * (`PERMISSION_<name>`). The audit screen shows them, and the action filter finds entries by
 * the words a user types in either language (audit.actions.ts). `TARGET_<type>` names what an
 * entry is about when its target has no readable name.
 */
export const auditMessages = defineMessages({
  'AUDIT_auth.login': { 'zh-CN': '登录', en: 'Logged in' },
  'AUDIT_auth.login_failed': { 'zh-CN': '登录失败', en: 'Login failed' },
  'AUDIT_auth.locked_out': {
    'zh-CN': '登录失败过多，账号锁定',
    en: 'Account locked after failed logins',
  },
  'AUDIT_auth.logout': { 'zh-CN': '退出登录', en: 'Logged out' },
  'AUDIT_auth.logout_everywhere': { 'zh-CN': '退出所有设备的登录', en: 'Logged out everywhere' },
  'AUDIT_auth.password_changed': { 'zh-CN': '修改密码', en: 'Password changed' },
  'AUDIT_auth.scope_switch_refused': { 'zh-CN': '切换管辖范围被拒', en: 'Scope switch refused' },
  'AUDIT_auth.totp_enabled': { 'zh-CN': '开启两步验证', en: 'Second factor turned on' },
  'AUDIT_auth.totp_disabled': { 'zh-CN': '关闭两步验证', en: 'Second factor turned off' },
  'AUDIT_user.create': { 'zh-CN': '新建用户', en: 'User created' },
  'AUDIT_user.update': { 'zh-CN': '修改用户', en: 'User changed' },
  'AUDIT_user.reset_password': { 'zh-CN': '重置用户密码', en: 'Password reset' },
  'AUDIT_user.bootstrap_admin': { 'zh-CN': '创建初始管理员', en: 'First administrator created' },
  'AUDIT_tree.create': { 'zh-CN': '新增区划', en: 'Division added' },
  'AUDIT_pii.reveal': { 'zh-CN': '查看完整敏感信息', en: 'Personal data revealed' },
  'AUDIT_scope.break_glass': { 'zh-CN': '紧急越权访问', en: 'Break-glass access' },
  'AUDIT_access.out_of_scope': { 'zh-CN': '越界访问被拒', en: 'Access outside scope refused' },
  'AUDIT_keys.rotate': { 'zh-CN': '轮换加密密钥', en: 'Encryption keys rotated' },

  // What an entry is about (`TARGET_<type>`), shown when the target has no readable name.
  TARGET_user: { 'zh-CN': '用户', en: 'User' },
  TARGET_division: { 'zh-CN': '区划', en: 'Division' },
  TARGET_request: { 'zh-CN': '请求', en: 'Request' },

  'PERMISSION_users:read': { 'zh-CN': '查看用户', en: 'Read users' },
  'PERMISSION_users:manage': { 'zh-CN': '管理用户', en: 'Manage users' },
  'PERMISSION_audit:read': { 'zh-CN': '查看审计日志', en: 'Read the audit log' },
  'PERMISSION_tree:read': { 'zh-CN': '查看区划', en: 'Read the division tree' },
  'PERMISSION_tree:manage': { 'zh-CN': '管理区划', en: 'Manage the division tree' },
  'PERMISSION_pii:reveal': { 'zh-CN': '查看完整敏感信息', en: 'Reveal personal data' },
  'PERMISSION_scope:break_glass': { 'zh-CN': '紧急越权访问', en: 'Break-glass access' },
  'PERMISSION_data:export': { 'zh-CN': '导出数据', en: 'Export data' },
})
