import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { renderReason, type MessageParams } from '../../../src/core/i18n/messages.js'
import { errorText, uiLang } from './errorText.js'

export { errorText, reasonText, uiLang, type Renderable } from './errorText.js'

/**
 * `const apiError = useApiError()`; `message.error(apiError(err))`: errorText in the current UI
 * language, re-rendered when the user switches language.
 */
export function useApiError(): (err: unknown) => string {
  const { i18n } = useTranslation()
  const lang = uiLang(i18n.language)
  return useCallback((err: unknown) => errorText(err, lang), [lang])
}

/**
 * `const text = useMessageText()`; `text('AUDIT_auth.login') ?? fallback`: a catalogue entry in
 * the UI language (readable names of audit actions and permissions), undefined when it has none.
 */
export function useMessageText(): (code: string, params?: MessageParams) => string | undefined {
  const { i18n } = useTranslation()
  const lang = uiLang(i18n.language)
  return useCallback(
    (code: string, params?: MessageParams) => renderReason(lang, { code, params }),
    [lang],
  )
}
