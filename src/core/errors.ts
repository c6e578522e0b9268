import { coreMessages } from './core.messages.js'
import {
  installMessages,
  renderReason,
  type MessageCode,
  type MessageParams,
} from './i18n/messages.js'

// Core's own texts are always there (CLI, unit tests); src/messages.ts adds the domains'.
installMessages(coreMessages)

/**
 * A stable code the web app and the CLI render from the catalogues (src/messages.ts): the
 * generic ones below or any catalogue code (`ROUND_CLOSED`, `ID_CHECK_CHARACTER`).
 */
export type ErrorCode = MessageCode

/** The generic codes every client may branch on (status families of the error body). */
export type GenericErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION'
  | 'MALFORMED_JSON'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'TOTP_REQUIRED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CSRF'
  | 'FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LOCKED_OUT'
  | 'RATE_LIMITED'
  | 'NOT_READY'
  | 'INTERNAL'

/** An audit entry an error carries, written by the error handler after rollback. */
export interface PendingAudit {
  actorId: string | null
  actorName: string
  action: string
  targetType?: string
  targetId?: string
  scopePath?: string
  ip?: string | null
  reason?: string
  detail?: Record<string, unknown>
}

export interface AppErrorOptions {
  /** The request field at fault (`q`, `results.3.tubeCode`, a header name), sent as `error.field`. */
  field?: string | undefined
  /** What the text interpolates (`{{max}}`), sent as `error.params`. */
  params?: MessageParams | undefined
  headers?: Record<string, string> | undefined
}

const OPTION_KEYS = new Set(['field', 'params', 'headers'])
const isOptions = (o: object): o is AppErrorOptions =>
  Object.keys(o).every((k) => OPTION_KEYS.has(k))

/** A code, not an English sentence: `ROUND_CLOSED`, `VALIDATION`. */
export const isCode = (s: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(s)

/** The English text of a code, led by the raw field path for curl readers (`username: User name is required`). */
function englishMessage(code: string, opts: AppErrorOptions): string {
  const text = renderReason('en', { code, field: opts.field, params: opts.params }) ?? code
  return opts.field ? `${opts.field}: ${text}` : text
}

export class AppError extends Error {
  audit: PendingAudit | undefined
  /** The request field at fault (`q`, `results.3.tubeCode`, a header name), sent as `error.field`. */
  field: string | undefined
  /** The values the code's text interpolates, sent as `error.params`. */
  params: MessageParams | undefined
  readonly headers: Record<string, string>
  /**
   * `message` is the English fallback for curl and logs; omit it (undefined) to render it from
   * the catalogue. The old fourth argument (a headers record) is still accepted.
   */
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message?: string,
    options: AppErrorOptions | Record<string, string> = {},
  ) {
    const opts: AppErrorOptions = isOptions(options)
      ? options
      : { headers: options as Record<string, string> }
    super(message ?? englishMessage(code, opts))
    this.name = 'AppError'
    this.field = opts.field
    this.params = opts.params
    this.headers = opts.headers ?? {}
  }
}

/** The fields and params of a code-based error; the English message comes from the catalogue. */
const make = (
  status: number,
  code: string,
  field?: string,
  params?: MessageParams,
  headers?: Record<string, string>,
): AppError => new AppError(status, code as ErrorCode, undefined, { field, params, headers })

/**
 * 400 on a field: `invalid('idNumber', 'ID_CHECK_CHARACTER', { expected: '6' })`. Without a code it
 * is `VALIDATION` (`{{field}}`: 格式不正确); `invalid(field, 'VALIDATION', { rule: 'TOO_LONG', max })`
 * renders `VALIDATION_TOO_LONG`.
 */
export function invalid(field: string, code?: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English reason; pass a catalogue code and params instead. */
export function invalid(field: string, reason: string): AppError
export function invalid(
  field: string,
  codeOrReason: string = 'VALIDATION',
  params?: MessageParams,
): AppError {
  if (isCode(codeOrReason)) return make(400, codeOrReason, field, params)
  return new AppError(400, 'VALIDATION', `${field}: ${codeOrReason}`, { field })
}

function legacyAware(status: number, generic: GenericErrorCode) {
  return (codeOrMessage?: string, params?: MessageParams): AppError => {
    if (codeOrMessage === undefined) return make(status, generic, undefined, params)
    if (isCode(codeOrMessage)) return make(status, codeOrMessage, undefined, params)
    return new AppError(status, generic, codeOrMessage)
  }
}

/** 400 not tied to one field: `badRequest('TOTP_ALREADY_ON')`. */
export function badRequest(code: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English message; pass a catalogue code. */
export function badRequest(message: string): AppError
export function badRequest(code: string, params?: MessageParams): AppError {
  return legacyAware(400, 'BAD_REQUEST')(code, params)
}

/** 401: `unauthenticated()` (not logged in) or `unauthenticated('SESSION_EXPIRED')`. */
export function unauthenticated(code?: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English message; pass a catalogue code. */
export function unauthenticated(message: string): AppError
export function unauthenticated(code?: string, params?: MessageParams): AppError {
  return legacyAware(401, 'UNAUTHENTICATED')(code, params)
}

/** 403 for a missing permission: `forbidden()` or `forbidden('ROLE_NOT_ASSIGNABLE', { role })`. */
export function forbidden(code?: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English message; pass a catalogue code. */
export function forbidden(message: string): AppError
export function forbidden(code?: string, params?: MessageParams): AppError {
  return legacyAware(403, 'FORBIDDEN')(code, params)
}

/** 403 for a target outside the actor's scope (scope.ts `outOfScopeError` also audits it). */
export function outOfScope(code?: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English message; pass a catalogue code. */
export function outOfScope(message: string): AppError
export function outOfScope(code?: string, params?: MessageParams): AppError {
  return legacyAware(403, 'OUT_OF_SCOPE')(code, params)
}

/** 404: `notFound('USER_NOT_FOUND')`; `notFound()` is the generic 找不到. */
export function notFound(code?: ErrorCode, params?: MessageParams): AppError
/** @deprecated `notFound('Resident')` ("Resident not found"); pass a catalogue code. */
export function notFound(what: string): AppError
export function notFound(code?: string, params?: MessageParams): AppError {
  if (code !== undefined && !isCode(code))
    return new AppError(404, 'NOT_FOUND', `${code} not found`)
  return legacyAware(404, 'NOT_FOUND')(code, params)
}

/** 409: `conflict('USERNAME_TAKEN', { username })`. */
export function conflict(code: ErrorCode, params?: MessageParams): AppError
/** @deprecated An English message; pass a catalogue code. */
export function conflict(message: string): AppError
export function conflict(code: string, params?: MessageParams): AppError {
  return legacyAware(409, 'CONFLICT')(code, params)
}

/** 429 after too many failed logins; Retry-After and `{{seconds}}` say how long. */
export const lockedOut = (retryAfterSeconds: number): AppError =>
  make(
    429,
    'LOCKED_OUT',
    undefined,
    { seconds: retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  )
