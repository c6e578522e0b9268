export type ErrorCode =
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

export class AppError extends Error {
  audit: PendingAudit | undefined
  /** The request field at fault (`q`, `results.3.tubeCode`, a header name), sent as `error.field`. */
  field: string | undefined
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const invalid = (field: string, reason: string): AppError => {
  const err = new AppError(400, 'VALIDATION', `${field}: ${reason}`)
  err.field = field
  return err
}
export const badRequest = (message: string): AppError => new AppError(400, 'BAD_REQUEST', message)
export const unauthenticated = (message = 'Not logged in'): AppError => new AppError(401, 'UNAUTHENTICATED', message)
export const forbidden = (message = 'Not allowed'): AppError => new AppError(403, 'FORBIDDEN', message)
export const outOfScope = (message = 'Outside your scope'): AppError => new AppError(403, 'OUT_OF_SCOPE', message)
export const notFound = (what: string): AppError => new AppError(404, 'NOT_FOUND', `${what} not found`)
export const conflict = (message: string): AppError => new AppError(409, 'CONFLICT', message)
export const lockedOut = (retryAfterSeconds: number): AppError =>
  new AppError(429, 'LOCKED_OUT', `Too many failed logins; try again in ${retryAfterSeconds} s`, {
    'retry-after': String(retryAfterSeconds),
  })
