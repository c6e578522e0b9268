import i18n from './i18n'

/** The server's error body: a stable code with its field and params, and an English fallback message. */
export interface ErrorBody {
  code: string
  field?: string
  params?: Record<string, string | number>
  message: string
  requestId?: string
}

/** Typed client for the Weiguang API: same-origin cookies, the CSRF header on writes, one error type. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly field?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message)
  }

  /** From a response's status and its parsed body (any shape). */
  static from(status: number, statusText: string, data: unknown): ApiError {
    const err = (data as { error?: Partial<ErrorBody> } | undefined)?.error
    return new ApiError(
      status,
      err?.code ?? 'HTTP_' + status,
      err?.message ?? statusText,
      err?.requestId,
      err?.field,
      err?.params,
    )
  }
}

/**
 * The UI language for the server (reasons in a report, the sheets of an export, the English
 * fallback of an error): the one the user picked, not the browser's.
 */
export function uiLanguageHeader(): Record<string, string> {
  return { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' }
}

function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)wg_csrf=([^;]+)/)
  return m ? decodeURIComponent(m[1]!) : ''
}

async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...uiLanguageHeader(), ...headers },
  }
  if (method !== 'GET') (init.headers as Record<string, string>)['x-csrf-token'] = csrfToken()
  if (body !== undefined) {
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch(url, init)
  const text = await res.text()
  const data = text ? (JSON.parse(text) as unknown) : undefined
  if (!res.ok) throw ApiError.from(res.status, res.statusText, data)
  return data as T
}

/** A multipart upload (files), with the same CSRF header and error type as every other call. */
async function postForm<T>(url: string, form: FormData): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken(), accept: 'application/json', ...uiLanguageHeader() },
  })
  const text = await res.text()
  const data = text ? (JSON.parse(text) as unknown) : undefined
  if (!res.ok) throw ApiError.from(res.status, res.statusText, data)
  return data as T
}

export const api = {
  get: <T>(url: string, headers?: Record<string, string>): Promise<T> =>
    request<T>('GET', url, undefined, headers),
  postForm,
  delete: <T>(url: string): Promise<T> => request<T>('DELETE', url),
  post: <T>(url: string, body?: unknown): Promise<T> => request<T>('POST', url, body),
  put: <T>(url: string, body?: unknown): Promise<T> => request<T>('PUT', url, body),
  patch: <T>(url: string, body?: unknown): Promise<T> => request<T>('PATCH', url, body),
}

/** A query string from defined values (`?a=1&b=x`, or '' when there is none). */
export function query(
  params: Readonly<Record<string, string | number | boolean | null | undefined>>,
): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** One page of a keyset list: `next` is the cursor of the following page, null on the last. */
export interface Page<T, K = string> {
  items: T[]
  next: K | null
}

// The core types, inferred from the server's schemas in core/api.ts; kept here under their old
// names for the pages that import them from '../api'.
export { ROLES } from '../../src/core/auth/roles.js'
export type { AuditEntry, Division, Me, Role, ScopeNode, User } from './core/api'
