import { defineMessages } from '../core/i18n/messages.js'

/** Texts of the documents a person carries (documents.service). */
export const documentMessages = defineMessages({
  DOCUMENT_NEEDS_COUNTRY: {
    'zh-CN': '护照需填写签发国家（3 位字母代码，如 USA）',
    en: 'A passport needs its issuing country (a 3-letter code such as USA)',
  },
  DOCUMENT_ELSEWHERE: {
    'zh-CN': '该证件已登记在另一位居民名下，请核对号码',
    en: 'This document is recorded for another resident; check the number',
  },
  'AUDIT_resident.document_added': { 'zh-CN': '登记居民证件', en: 'Resident document recorded' },
})
