import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { recordAudit } from '../audit/audit.service.js'
import type { Db } from '../db/db.js'
import { AppError, type ErrorCode } from '../errors.js'
import { databaseErrorOf, isQueryError, redactPii } from './log-redact.js'

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; field?: string }
}

/**
 * A failed query that reached the handler: a value the validation let through (the schema
 * should be tightened) or a lost race. A clean status and a fixed message; never the SQL, its
 * parameters or PostgreSQL's own text (which quotes values).
 */
function fromDatabaseError(err: unknown): AppError {
  const db = databaseErrorOf(err)
  const code = db?.code ?? ''
  const withField = (e: AppError): AppError => {
    if (db?.column) e.field = db.column
    return e
  }
  if (code === '23505') return new AppError(409, 'CONFLICT', 'This already exists')
  if (code === '23503') return new AppError(409, 'CONFLICT', 'This refers to something that does not exist or is still in use')
  if (code === '40001' || code === '40P01') return new AppError(409, 'CONFLICT', 'A concurrent change got in the way; try again')
  if (code.startsWith('22') || code === '23502' || code === '23514') {
    return withField(new AppError(400, 'VALIDATION', `${db?.column ?? 'request'}: a value is malformed or out of range`))
  }
  return new AppError(500, 'INTERNAL', 'Internal error')
}

function fieldOf(instancePath: string | undefined, context: string | undefined, params: unknown): string {
  const path = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  const keys = (params as { keys?: string[] } | undefined)?.keys
  if (keys?.length) return [path, keys.join(',')].filter(Boolean).join('.')
  return path || context || 'body'
}

/** Maps any failure to { error: { code, message, requestId } } and a fitting status. No stacks, no SQL. */
export function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0]
    const field = fieldOf(first?.instancePath, (err as { validationContext?: string }).validationContext, first?.params)
    const more = err.validation.length > 1 ? ` (and ${err.validation.length - 1} more)` : ''
    const out = new AppError(400, 'VALIDATION', `${field}: ${first?.message ?? 'invalid'}${more}`)
    out.field = field
    return out
  }
  if (isQueryError(err)) return fromDatabaseError(err)
  const fe = err as FastifyError
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'MALFORMED_JSON', 'body: not valid JSON')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'BODY_TOO_LARGE', 'body: too large')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'body: unsupported content type')
    case 'FST_ERR_VALIDATION':
      return new AppError(400, 'VALIDATION', redactPii(fe.message))
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return new AppError(400, 'MALFORMED_JSON', 'body: not valid JSON')
  if (fe.statusCode === 429) return new AppError(429, 'RATE_LIMITED', 'Too many requests; slow down')
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError(fe.statusCode, 'BAD_REQUEST', 'Bad request')
  return new AppError(500, 'INTERNAL', 'Internal error')
}

export function installErrorHandler(app: FastifyInstance, db: () => Db): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err)
    // The err serializer (log-redact.ts) keeps SQL text and parameters out of the log.
    if (appErr.status >= 500) request.log.error({ err }, 'request failed')
    else if (isQueryError(err)) request.log.warn({ err, code: appErr.code }, 'request rejected by the database')
    else request.log.info({ code: appErr.code, msg: appErr.message }, 'request rejected')
    if (appErr.audit) {
      try {
        await recordAudit(db(), appErr.audit)
      } catch (auditErr) {
        request.log.error({ err: auditErr }, 'could not write audit entry for a denied request')
      }
    }
    const body: ErrorBody = { error: { code: appErr.code, message: appErr.message, requestId: String(request.id), ...(appErr.field ? { field: appErr.field } : {}) } }
    return reply.status(appErr.status).headers(appErr.headers).send(body)
  })
}
