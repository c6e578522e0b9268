import { defineMessages } from '../core/i18n/messages.js'

export const policyMessages = defineMessages({
  POLICY_PROFILE_INVALID: {
    'zh-CN': '策略配置 {{profile}} 中 {{section}}.{{path}} 的设置有误，请管理员检查该配置',
    en: 'The setting {{section}}.{{path}} of policy profile {{profile}} is not valid; an admin should check the profile',
  },
  POLICY_NONE_IN_FORCE: {
    'zh-CN': '当前没有生效的防控策略配置，请管理员启用一个',
    en: 'No policy profile is in force; an admin should activate one',
  },
  POLICY_PROFILE_NOT_FOUND: {
    'zh-CN': '没有名为 {{profile}} 的防控策略配置',
    en: 'There is no policy profile named {{profile}}',
  },
  POLICY_EFFECTIVE_IN_PAST: {
    'zh-CN': '生效日期 {{date}} 已过，只能从今天或以后生效',
    en: 'The effective date {{date}} has passed; a profile takes effect today or later',
  },
  POLICY_ALREADY_IN_FORCE: {
    'zh-CN': '策略配置 {{profile}} 届时已在执行，无需切换',
    en: 'Policy profile {{profile}} is already in force then',
  },
  POLICY_SECTION_UNKNOWN: {
    'zh-CN': '策略配置 {{profile}} 没有“{{section}}”这一部分',
    en: 'Policy profile {{profile}} has no section "{{section}}"',
  },
  POLICY_OVERRIDE_PATH_UNKNOWN: {
    'zh-CN': '“{{section}}”中没有 {{path}} 这一项，请核对路径',
    en: 'Section "{{section}}" has no setting {{path}}; check the path',
  },
  POLICY_OVERRIDE_EXISTS: {
    'zh-CN': '{{path}} 已有本地规定（第 {{id}} 条），请先撤回',
    en: '{{path}} already has a local override (no. {{id}}); withdraw it first',
  },
  POLICY_OVERRIDE_INVALID: {
    'zh-CN': '按此本地规定，“{{section}}”中 {{path}} 的设置将不合规定，请修改取值',
    en: 'With this override the setting {{path}} of section "{{section}}" would not be valid; change the value',
  },
  POLICY_OVERRIDE_SAME: {
    'zh-CN': '{{path}} 的取值与国家规定相同，无需本地规定',
    en: 'The value of {{path}} is the national one; no override is needed',
  },
  POLICY_OVERRIDE_BELOW_FLOOR: {
    'zh-CN': '{{path}} 的取值比国家规定（{{national}}）宽松，须勾选“低于国家标准”并说明理由',
    en: 'The value of {{path}} is looser than the national one ({{national}}); tick "below the national floor" and give a reason',
  },
  POLICY_OVERRIDE_STRICTER: {
    'zh-CN':
      '{{path}} 的取值比国家规定（{{national}}）更严，{{profile}} 禁止层层加码，须勾选“严于国家规定”并说明理由',
    en: 'The value of {{path}} is stricter than the national one ({{national}}); {{profile}} forbids adding local restrictions, so tick "stricter than national" and give a reason',
  },
  POLICY_OVERRIDE_NOT_FOUND: {
    'zh-CN': '没有第 {{id}} 条本地规定',
    en: 'There is no local override no. {{id}}',
  },
  POLICY_OVERRIDE_WITHDRAWN: {
    'zh-CN': '第 {{id}} 条本地规定已撤回',
    en: 'Local override no. {{id}} was withdrawn already',
  },
  // The `weiguang policy` commands.
  POLICY_CLI_DESC: {
    'zh-CN': '防控策略配置：查看、切换、比较',
    en: 'Policy profiles: show, activate, diff',
  },
  POLICY_CLI_DESC_SHOW: {
    'zh-CN': '查看生效的配置及切换记录',
    en: 'Show the profile in force and its history',
  },
  POLICY_CLI_DESC_ACTIVATE: {
    'zh-CN': '自某日起启用一个配置（记入审计日志）',
    en: 'Put a profile in force from a day (audited)',
  },
  POLICY_CLI_DESC_DIFF: { 'zh-CN': '列出两个配置的不同之处', en: 'List where two profiles differ' },
  POLICY_CLI_OPT_FROM: {
    'zh-CN': '生效日期 YYYY-MM-DD（部署时区 0 点起；默认立即）',
    en: 'effective day YYYY-MM-DD (from 00:00 in the deployment zone; default now)',
  },
  POLICY_CLI_OPT_REASON: { 'zh-CN': '切换理由', en: 'why it is switched' },
  POLICY_CLI_IN_FORCE: {
    'zh-CN':
      '生效配置：{{profile}}（{{title}}），自 {{since}} 起；版本 {{hash}}；本地规定 {{overrides}} 条',
    en: 'In force: {{profile}} ({{title}}) since {{since}}; version {{hash}}; {{overrides}} local overrides',
  },
  POLICY_CLI_NEXT: {
    'zh-CN': '已定：{{profile}} 自 {{from}} 起生效',
    en: 'Decided: {{profile}} in force from {{from}}',
  },
  POLICY_CLI_HISTORY: { 'zh-CN': '切换记录：', en: 'Activations:' },
  POLICY_CLI_ACTIVATION: {
    'zh-CN': '  {{from}} 起执行 {{profile}}，{{by}} 切换，理由：{{reason}}',
    en: '  {{from}}  {{profile}}  {{by}}: {{reason}}',
  },
  POLICY_CLI_ACTIVATED: {
    'zh-CN': '已启用 {{profile}}，自 {{from}} 起生效',
    en: 'Activated {{profile}}, in force from {{from}}',
  },
  POLICY_CLI_DIFF_NONE: { 'zh-CN': '{{a}} 与 {{b}} 相同', en: '{{a}} and {{b}} are the same' },
  POLICY_CLI_DIFF_COUNT: {
    'zh-CN': '{{a}} 与 {{b}} 有 {{count}} 处不同',
    en: '{{a}} and {{b}} differ in {{count}} places',
  },
  FIELD_effectiveFrom: { 'zh-CN': '生效日期', en: 'Effective date' },
  FIELD_profile: { 'zh-CN': '策略配置', en: 'Profile' },
  FIELD_section: { 'zh-CN': '配置部分', en: 'Section' },
  FIELD_path: { 'zh-CN': '设置项路径', en: 'Setting path' },
  FIELD_value: { 'zh-CN': '取值', en: 'Value' },
  FIELD_belowFloor: { 'zh-CN': '低于国家标准', en: 'Below the national floor' },
  FIELD_stricter: { 'zh-CN': '严于国家规定', en: 'Stricter than national' },
})
