import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api'
import { installAllMessages } from '../../../src/messages'
import { renderReason, toLang, type Lang, type MessageParams } from '../../../src/core/i18n/messages'

// The server's catalogues (src/messages.ts) are the web app's too: one text per code.
installAllMessages()

/** The UI language as a catalogue language (`en-US` → en; anything else Chinese). */
export function uiLang(language: string | undefined): Lang {
  return toLang(language) ?? 'zh-CN'
}

/** A code with its field and params (an ApiError, or a row-level reason from a report). */
export interface Renderable {
  code: string
  field?: string | undefined
  params?: MessageParams | undefined
}

/** The text of a code in the UI language, or undefined when the catalogue has none. */
export function reasonText(reason: Renderable, lang: Lang | string = 'zh-CN'): string | undefined {
  return renderReason(typeof lang === 'string' ? uiLang(lang) : lang, reason)
}

/** The generic text of a status (HTTP_403 …), by family when the exact status has none. */
function statusText(status: number, lang: Lang): string {
  const exact = renderReason(lang, { code: `HTTP_${status}` })
  if (exact) return exact
  const family = status >= 500 ? 'HTTP_500' : status === 0 ? 'HTTP_0' : 'HTTP_400'
  return renderReason(lang, { code: family }) ?? ''
}

/**
 * What a screen says about a failed request, in the UI language: the catalogue text of the
 * error's code with its field label and params, else a generic text for its status (never the
 * server's English message nor a raw code). A non-API failure (network down) is HTTP_0.
 */
export function errorText(err: unknown, lang: Lang | string = 'zh-CN'): string {
  const l = typeof lang === 'string' ? uiLang(lang) : lang
  if (err instanceof ApiError) {
    return renderReason(l, { code: err.code, field: err.field, params: err.params }) ?? statusText(err.status, l)
  }
  return statusText(0, l)
}

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
  return useCallback((code: string, params?: MessageParams) => renderReason(lang, { code, params }), [lang])
}
