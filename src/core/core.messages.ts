import { defineMessages } from './i18n/messages.js'
import { identifierMessages } from './pii/identifiers.messages.js'
import { auditMessages } from './audit/audit.messages.js'

/** Texts of every code core throws, the generic per-status fallbacks and the fields core validates. */
export const coreErrorMessages = defineMessages({
  // Generic codes (every status family).
  BAD_REQUEST: { 'zh-CN': '请求有误', en: 'Bad request' },
  VALIDATION: { 'zh-CN': '{{field}}填写有误', en: '{{field}} is not valid' },
  MALFORMED_JSON: { 'zh-CN': '请求内容不是有效的 JSON', en: 'The body is not valid JSON' },
  BODY_TOO_LARGE: {
    'zh-CN': '内容太大，超过了上传限制',
    en: 'The request is larger than the upload limit',
  },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { 'zh-CN': '尚未登录，请先登录', en: 'Not logged in' },
  INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', en: 'Wrong user name or password' },
  TOTP_REQUIRED: {
    'zh-CN': '请输入身份验证器中的 6 位动态码',
    en: 'Enter the 6-digit code from your authenticator app',
  },
  PASSWORD_CHANGE_REQUIRED: {
    'zh-CN': '请先修改密码再继续',
    en: 'Change your password before going on',
  },
  CSRF: {
    'zh-CN': '页面已过期，请刷新后重试',
    en: 'The page is out of date; reload it and try again',
  },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { 'zh-CN': '该对象不在您的管辖范围内', en: 'This is outside your scope' },
  NOT_FOUND: { 'zh-CN': '找不到该内容，可能已被删除', en: 'Not found' },
  CONFLICT: {
    'zh-CN': '与当前数据冲突，请刷新后重试',
    en: 'This conflicts with the current data; reload and try again',
  },
  LOCKED_OUT: {
    'zh-CN': '登录失败次数过多，账号已暂时锁定，请 {{seconds}} 秒后再试',
    en: 'Too many failed logins; try again in {{seconds}} s',
  },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  RATE_LIMITED_RETRY: {
    'zh-CN': '请求过于频繁，请 {{seconds}} 秒后再试',
    en: 'Too many requests; try again in {{seconds}} s',
  },
  NOT_READY: { 'zh-CN': '服务尚未就绪，请稍后再试', en: 'The service is not ready yet' },
  INTERNAL: { 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal error' },

  // Per-status fallbacks a client shows for a code it has no text for (web ApiError `HTTP_<status>`).
  HTTP_0: {
    'zh-CN': '网络连接失败，请检查网络后重试',
    en: 'Could not reach the server; check the network and try again',
  },
  HTTP_400: {
    'zh-CN': '提交的内容有误，请检查后重试',
    en: 'Something in the request is not valid',
  },
  HTTP_401: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended; log in again' },
  HTTP_403: { 'zh-CN': '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  HTTP_404: { 'zh-CN': '找不到该内容，可能已被删除', en: 'Not found' },
  HTTP_409: {
    'zh-CN': '与当前数据冲突，请刷新后重试',
    en: 'This conflicts with the current data; reload and try again',
  },
  HTTP_413: { 'zh-CN': '内容太大，超过了上传限制', en: 'Too large' },
  HTTP_429: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  HTTP_500: { 'zh-CN': '服务器出错了，请稍后再试', en: 'Server error; try again later' },
  HTTP_503: {
    'zh-CN': '服务暂不可用，请稍后再试',
    en: 'The service is unavailable; try again later',
  },

  // Validation rules (zod issues and hand checks): invalid(field, 'VALIDATION', { rule, … }).
  FIELD: { 'zh-CN': '此项', en: 'This value' },
  VALIDATION_REQUIRED: { 'zh-CN': '{{field}}不能为空', en: '{{field}} is required' },
  VALIDATION_TOO_LONG: {
    'zh-CN': '{{field}}最多 {{max}} 个字符',
    en: '{{field}} has at most {{max}} characters',
  },
  VALIDATION_TOO_SHORT: {
    'zh-CN': '{{field}}至少 {{min}} 个字符',
    en: '{{field}} needs at least {{min}} characters',
  },
  VALIDATION_TOO_MANY: {
    'zh-CN': '{{field}}最多 {{max}} 项',
    en: '{{field}} has at most {{max}} items',
  },
  VALIDATION_TOO_FEW: {
    'zh-CN': '{{field}}至少选 {{min}} 项',
    en: '{{field}} needs at least {{min}} items',
  },
  VALIDATION_TOO_BIG: {
    'zh-CN': '{{field}}不能大于 {{max}}',
    en: '{{field}} must be at most {{max}}',
  },
  VALIDATION_TOO_SMALL: {
    'zh-CN': '{{field}}不能小于 {{min}}',
    en: '{{field}} must be at least {{min}}',
  },
  VALIDATION_NOT_DATE: { 'zh-CN': '{{field}}不是有效的日期', en: '{{field}} is not a valid date' },
  VALIDATION_NOT_TIME: {
    'zh-CN': '{{field}}不是有效的日期时间',
    en: '{{field}} is not a valid date and time',
  },
  VALIDATION_NOT_ID: { 'zh-CN': '{{field}}不是有效的编号', en: '{{field}} is not a valid id' },
  VALIDATION_NOT_EMAIL: {
    'zh-CN': '{{field}}不是有效的邮箱地址',
    en: '{{field}} is not a valid e-mail address',
  },
  VALIDATION_NOT_ONE_OF: {
    'zh-CN': '{{field}}只能是：{{options}}',
    en: '{{field}} must be one of: {{options}}',
  },
  VALIDATION_NOT_NUMBER: { 'zh-CN': '{{field}}必须是数字', en: '{{field}} must be a number' },
  VALIDATION_NOT_INTEGER: {
    'zh-CN': '{{field}}必须是整数',
    en: '{{field}} must be a whole number',
  },
  VALIDATION_WRONG_TYPE: { 'zh-CN': '{{field}}的类型不对', en: '{{field}} has the wrong type' },
  VALIDATION_FORMAT: {
    'zh-CN': '{{field}}格式不正确',
    en: '{{field}} is not in the expected format',
  },
  VALIDATION_UNKNOWN_KEYS: { 'zh-CN': '不认识的字段：{{keys}}', en: 'Unknown fields: {{keys}}' },
  VALIDATION_NUL: {
    'zh-CN': '{{field}}含有不可见的空字符（\\0），请删除后重试',
    en: '{{field}} must not contain NUL characters (\\0)',
  },
  VALIDATION_MALFORMED: {
    'zh-CN': '{{field}}的值格式不对或超出范围',
    en: '{{field}}: a value is malformed or out of range',
  },
  VALIDATION_MORE: { 'zh-CN': '（另有 {{count}} 处问题）', en: ' (and {{count}} more)' },

  // Database refusals the handler maps (never PostgreSQL's own text).
  DB_DUPLICATE: { 'zh-CN': '该记录已存在', en: 'This already exists' },
  DB_REFERENCE: {
    'zh-CN': '引用的记录不存在或仍在使用中',
    en: 'This refers to something that does not exist or is still in use',
  },
  DB_CONCURRENT: {
    'zh-CN': '有人同时修改了数据，请重试',
    en: 'A concurrent change got in the way; try again',
  },

  // Auth: login, session, CSRF, password, second factor, scope switch, break-glass.
  SESSION_EXPIRED: { 'zh-CN': '登录已过期，请重新登录', en: 'Session expired; log in again' },
  PASSWORD_TOO_SHORT: {
    'zh-CN': '密码至少 {{min}} 个字符',
    en: 'The password needs at least {{min}} characters',
  },
  PASSWORD_TOO_LONG: {
    'zh-CN': '密码最多 {{max}} 个字符',
    en: 'The password has at most {{max}} characters',
  },
  PASSWORD_CONTAINS_USERNAME: {
    'zh-CN': '密码不能包含用户名',
    en: 'The password must not contain the user name',
  },
  PASSWORD_TOO_REPETITIVE: {
    'zh-CN': '密码重复字符太多，请换一个',
    en: 'The password is too repetitive',
  },
  PASSWORD_NOT_CURRENT: { 'zh-CN': '当前密码不正确', en: 'This is not your current password' },
  PASSWORD_UNCHANGED: {
    'zh-CN': '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  TOTP_NOT_OFFERED: {
    'zh-CN': '仅管理员和指挥部账号可开启两步验证',
    en: 'A second factor is offered to admin and command accounts',
  },
  TOTP_ALREADY_ON: {
    'zh-CN': '两步验证已开启，请先关闭',
    en: 'The second factor is already on; turn it off first',
  },
  TOTP_SETUP_FIRST: {
    'zh-CN': '请先开始两步验证的设置',
    en: 'Start the second-factor setup first',
  },
  TOTP_CODE_WRONG: {
    'zh-CN': '动态码不正确，请检查手机时间',
    en: 'The code does not match; check the time on your phone',
  },
  BREAK_GLASS_NOT_ALLOWED: {
    'zh-CN': '您的角色不能越权访问管辖范围以外的数据',
    en: 'Your role may not act outside its scope',
  },
  BREAK_GLASS_REASON_SHORT: {
    'zh-CN': '紧急访问理由至少 {{min}} 个字',
    en: 'Give a reason of at least {{min}} characters',
  },
  BREAK_GLASS_MALFORMED: {
    'zh-CN': '紧急访问理由编码有误',
    en: 'The reason has malformed percent-encoding',
  },

  // Users.
  ROLE_NOT_ASSIGNABLE: {
    'zh-CN': '您不能授予“{{role}}”角色',
    en: 'You may not give the role {{role}}',
  },
  USER_NOT_FOUND: { 'zh-CN': '找不到该用户', en: 'User not found' },
  USER_SCOPE_REQUIRED: {
    'zh-CN': '请至少选择一个该用户负责的区域',
    en: 'Pick at least one node of the tree this user works in',
  },
  USER_ADMIN_WHOLE_ONLY: {
    'zh-CN': '只有全域管理员才能创建全域管理员',
    en: 'A deployment-wide admin can only be created by one',
  },
  USERNAME_TAKEN: {
    'zh-CN': '用户名 {{username}} 已被使用',
    en: 'The user name {{username}} is taken',
  },
  USER_CANNOT_DISABLE_SELF: {
    'zh-CN': '不能停用自己的账号',
    en: 'You cannot disable your own account',
  },
  PHONE_INVALID: { 'zh-CN': '手机号码格式不正确', en: 'Not a valid phone number' },

  // Tree.
  DIVISION_NOT_FOUND: { 'zh-CN': '找不到该区划', en: 'No such division' },
  DIVISION_CODE_GRID: {
    'zh-CN': '网格编码只能用字母、数字和“-”（1–40 位）',
    en: 'Grid codes use letters, digits and "-" (1–40)',
  },
  DIVISION_CODE_DIGITS: {
    'zh-CN': '{{level}}编码应为 {{digits}} 位数字',
    en: 'A {{level}} code has {{digits}} digits',
  },
  DIVISION_CODE_PREFIX: {
    'zh-CN': '编码必须以上级编码 {{parentCode}} 开头',
    en: "The code must start with the parent's code {{parentCode}}",
  },
  DIVISION_CODE_TAKEN: {
    'zh-CN': '编码 {{code}} 已被使用',
    en: 'The code {{code}} is already used',
  },
  DISTRICT_HAS_NO_PARENT: { 'zh-CN': '区县没有上级', en: 'A district has no parent' },
  DISTRICT_WHOLE_ONLY: {
    'zh-CN': '只有全域管理员可以添加区县',
    en: 'Only a deployment-wide administrator adds districts',
  },
  DIVISION_NEEDS_PARENT: { 'zh-CN': '{{level}}需要选择上级', en: 'A {{level}} needs a parent' },
  DIVISION_WRONG_PARENT: {
    'zh-CN': '{{level}}应隶属于{{expectedLevel}}，而不是{{actualLevel}}',
    en: 'A {{level}} belongs under a {{expectedLevel}}, not a {{actualLevel}}',
  },

  // Audit.
  AUDIT_VERIFY_WHOLE_ONLY: {
    'zh-CN': '只有全域账号可以校验整条审计链',
    en: 'Only a deployment-wide reader can verify the whole chain',
  },
  CURSOR_INVALID: {
    'zh-CN': '翻页位置无效，请从第一页重新开始',
    en: 'Not a cursor from this list',
  },

  // Uploads.
  UPLOAD_NO_NAME: { 'zh-CN': '文件没有名字', en: 'The file has no name' },
  UPLOAD_BAD_NAME: {
    'zh-CN': '文件名不可用，请改名（字母、数字、中文）后重新上传',
    en: 'The file name is not usable; rename the file (letters, digits, 中文) and upload again',
  },
  UPLOAD_ONE_FILE: { 'zh-CN': '每次只能上传一个文件', en: 'Send one file per upload' },
  UPLOAD_TOO_MANY_FIELDS: { 'zh-CN': '表单字段太多', en: 'Too many form fields' },
  UPLOAD_NOT_MULTIPART: {
    'zh-CN': '请以文件上传表单（multipart/form-data）提交',
    en: 'Send the file as multipart/form-data',
  },
  UPLOAD_TOO_LARGE: {
    'zh-CN': '文件太大，超过了上传限制',
    en: 'The file is larger than the upload limit',
  },

  // Operations endpoints.
  METRICS_NOT_SERVED: {
    'zh-CN': '此地址不提供监控指标',
    en: 'Metrics are not served on this address (set WEIGUANG_METRICS_TOKEN or WEIGUANG_METRICS_LISTEN)',
  },
  METRICS_TOKEN_REQUIRED: {
    'zh-CN': '需要监控令牌',
    en: 'The metrics token is required (Authorization: Bearer …)',
  },
})

/** Words of core's vocabularies a param may name (`{ level: 'street' }` renders 街道/乡镇). */
export const coreVocabularyMessages = defineMessages({
  LEVEL_district: { 'zh-CN': '区县', en: 'district' },
  LEVEL_street: { 'zh-CN': '街道/乡镇', en: 'street' },
  LEVEL_community: { 'zh-CN': '社区/村', en: 'community' },
  LEVEL_grid: { 'zh-CN': '网格', en: 'grid' },
  ROLE_admin: { 'zh-CN': '系统管理员', en: 'System admin' },
  ROLE_command: { 'zh-CN': '区/街道指挥部', en: 'District/street command' },
  ROLE_community_lead: { 'zh-CN': '社区书记/主任', en: 'Community lead' },
  ROLE_grid_worker: { 'zh-CN': '网格员', en: 'Grid worker' },
  ROLE_building_head: { 'zh-CN': '楼栋长/志愿者', en: 'Building head / volunteer' },
  ROLE_checkpoint: { 'zh-CN': '卡口值守', en: 'Checkpoint staff' },
  ROLE_sampler: { 'zh-CN': '采样员/扫码员', en: 'Sampler / scanner' },
  ROLE_doctor: { 'zh-CN': '社区医生', en: 'Community doctor' },
  ROLE_resident: { 'zh-CN': '居民', en: 'Resident' },
})

/** Labels of the request fields core validates (`FIELD_<name>`), shown in place of `{{field}}`. */
export const coreFieldMessages = defineMessages({
  FIELD_username: { 'zh-CN': '用户名', en: 'User name' },
  FIELD_password: { 'zh-CN': '密码', en: 'Password' },
  FIELD_currentPassword: { 'zh-CN': '当前密码', en: 'Current password' },
  FIELD_newPassword: { 'zh-CN': '新密码', en: 'New password' },
  FIELD_totp: { 'zh-CN': '动态码', en: 'Authenticator code' },
  FIELD_code: { 'zh-CN': '编码', en: 'Code' },
  FIELD_displayName: { 'zh-CN': '姓名', en: 'Name' },
  FIELD_name: { 'zh-CN': '名称', en: 'Name' },
  FIELD_phone: { 'zh-CN': '手机号码', en: 'Phone' },
  FIELD_role: { 'zh-CN': '角色', en: 'Role' },
  FIELD_disabled: { 'zh-CN': '停用', en: 'Disabled' },
  FIELD_scopeDivisionIds: { 'zh-CN': '管辖范围', en: 'Scope' },
  FIELD_divisionId: { 'zh-CN': '区划', en: 'Division' },
  FIELD_parentId: { 'zh-CN': '上级区划', en: 'Parent division' },
  FIELD_level: { 'zh-CN': '层级', en: 'Level' },
  FIELD_q: { 'zh-CN': '搜索词', en: 'Search' },
  FIELD_after: { 'zh-CN': '翻页位置', en: 'Page position' },
  FIELD_limit: { 'zh-CN': '每页条数', en: 'Page size' },
  FIELD_from: { 'zh-CN': '开始时间', en: 'From' },
  FIELD_to: { 'zh-CN': '结束时间', en: 'To' },
  FIELD_action: { 'zh-CN': '操作', en: 'Action' },
  FIELD_actorId: { 'zh-CN': '操作人', en: 'Actor' },
  FIELD_targetId: { 'zh-CN': '操作对象', en: 'Target' },
  FIELD_before: { 'zh-CN': '翻页位置', en: 'Page position' },
  FIELD_reveal: { 'zh-CN': '显示完整信息', en: 'Reveal' },
  FIELD_authorization: { 'zh-CN': '访问令牌', en: 'Authorization' },
  FIELD_reason: { 'zh-CN': '理由', en: 'Reason' },
  FIELD_file: { 'zh-CN': '文件', en: 'File' },
  FIELD_body: { 'zh-CN': '请求内容', en: 'Request body' },
  FIELD_id: { 'zh-CN': '编号', en: 'Id' },
  FIELD_lang: { 'zh-CN': '语言', en: 'Language' },
  'FIELD_x-break-glass-reason': { 'zh-CN': '紧急访问理由', en: 'Break-glass reason' },
  'FIELD_x-csrf-token': { 'zh-CN': '安全令牌', en: 'CSRF token' },
})

/** Every catalogue of core, composed by src/messages.ts. */
export const coreMessages = {
  ...coreErrorMessages,
  ...coreVocabularyMessages,
  ...coreFieldMessages,
  ...identifierMessages,
  ...auditMessages,
}
