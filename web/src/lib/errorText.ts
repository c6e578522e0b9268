/**
 * The words of a failed request, from the server's catalogues (src/messages.ts): pure, so the
 * screens (apiError.ts hooks) and the tests (test/web-api-error.test.ts) use the same code.
 */
import { installAllMessages } from '../../../src/messages.js'
import {
  renderReason,
  toLang,
  type Lang,
  type MessageParams,
} from '../../../src/core/i18n/messages.js'

// The server's catalogues are the web app's too: one text per code.
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

/** What ApiError (web/src/api.ts) carries; matched by shape so this module needs no browser code. */
interface Refusal extends Renderable {
  status: number
}

const isRefusal = (err: unknown): err is Refusal =>
  err instanceof Error &&
  typeof (err as Partial<Refusal>).status === 'number' &&
  typeof (err as Partial<Refusal>).code === 'string'

const langOf = (lang: Lang | string): Lang =>
  lang === 'zh-CN' || lang === 'en' ? lang : uiLang(lang)

/** The text of a code in the UI language, or undefined when the catalogue has none. */
export function reasonText(reason: Renderable, lang: Lang | string = 'zh-CN'): string | undefined {
  return renderReason(langOf(lang), reason)
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
  const l = langOf(lang)
  if (isRefusal(err))
    return (
      renderReason(l, { code: err.code, field: err.field, params: err.params }) ??
      statusText(err.status, l)
    )
  return statusText(0, l)
}
