import { defineMessages } from '../core/i18n/messages.js'

/** Texts of the sampling desk's person look-up (personcheck.service). */
export const personCheckMessages = defineMessages({
  PERSON_CHECK_NOT_FOUND: {
    'zh-CN': '在您的范围内找不到此人（未登记、居民码已作废或不在您负责的区域）',
    en: 'No such person in your area (not registered, code revoked, or outside your area)',
  },
  'AUDIT_testing.person_check': {
    'zh-CN': '采样扫码查看管控状态',
    en: 'Control state seen at sampling',
  },
})
