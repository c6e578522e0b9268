import { defineMessages } from '../core/i18n/messages.js'

export const policyMessages = defineMessages({
  POLICY_PROFILE_INVALID: {
    'zh-CN': '策略配置 {{profile}} 中 {{section}}.{{path}} 的设置有误，请管理员检查该配置',
    en: 'The setting {{section}}.{{path}} of policy profile {{profile}} is not valid; an admin should check the profile',
  },
})
