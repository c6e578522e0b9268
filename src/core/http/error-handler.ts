import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { recordAudit } from '../audit/audit.service.js'
import type { Db } from '../db/db.js'
import { AppError, type ErrorCode } from '../errors.js'
import type { MessageParams } from '../i18n/messages.js'
import { databaseErrorOf, isQueryError } from './log-redact.js'
import { issueParams } from './validation-issue.js'

/**
 * What every failure answers. `code`, `field` and `params` are what clients render from the
 * catalogues (src/messages.ts); `message` is the English rendering, a fallback for curl.
 */
export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    requestId: string
    field?: string
    params?: MessageParams
  }
}

/**
 * A failed query that reached the handler: a value the validation let through (the schema
 * should be tightened) or a lost race. A clean status and a fixed message; never the SQL, its
 * parameters or PostgreSQL's own text (which quotes values).
 */
function fromDatabaseError(err: unknown): AppError {
  const db = databaseErrorOf(err)
  const code = db?.code ?? ''
  if (code === '23505') return new AppError(409, 'DB_DUPLICATE')
  if (code === '23503') return new AppError(409, 'DB_REFERENCE')
  if (code === '40001' || code === '40P01') return new AppError(409, 'DB_CONCURRENT')
  if (code.startsWith('22') || code === '23502' || code === '23514') {
    return new AppError(400, 'VALIDATION', undefined, {
      field: db?.column ?? undefined,
      params: { rule: 'MALFORMED' },
    })
  }
  return new AppError(500, 'INTERNAL')
}

function fieldOf(
  instancePath: string | undefined,
  context: string | undefined,
  params: unknown,
): string {
  const path = (instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  const keys = (params as { keys?: string[] } | undefined)?.keys
  if (keys?.length) return [path, keys.join(',')].filter(Boolean).join('.')
  return path || context || 'body'
}

/** Maps any failure to { error: { code, field, params, message, requestId } } and a fitting status. No stacks, no SQL. */
export function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0]
    const field = fieldOf(
      first?.instancePath,
      (err as { validationContext?: string }).validationContext,
      first?.params,
    )
    const params: Record<string, string | number> = {
      ...issueParams(
        first?.keyword,
        (first?.params ?? {}) as Record<string, unknown>,
        first?.message,
      ),
    }
    if (err.validation.length > 1) params.more = err.validation.length - 1
    return new AppError(400, 'VALIDATION', undefined, { field, params })
  }
  if (isQueryError(err)) return fromDatabaseError(err)
  const fe = err as FastifyError
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'MALFORMED_JSON', undefined, { field: 'body' })
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'BODY_TOO_LARGE', undefined, { field: 'body' })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', undefined, { field: 'body' })
    case 'FST_ERR_VALIDATION':
      // A non-zod validation failure; its text may quote the value, so only the rule is sent.
      return new AppError(400, 'VALIDATION', undefined, {
        field: (fe as { validationContext?: string }).validationContext ?? 'body',
        params: { rule: 'FORMAT' },
      })
  }
  if (err instanceof SyntaxError && fe.statusCode === 400)
    return new AppError(400, 'MALFORMED_JSON', undefined, { field: 'body' })
  if (fe.statusCode === 429) return new AppError(429, 'RATE_LIMITED')
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return new AppError(fe.statusCode, 'BAD_REQUEST')
  return new AppError(500, 'INTERNAL')
}

export function installErrorHandler(app: FastifyInstance, db: () => Db): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err)
    // The err serializer (log-redact.ts) keeps SQL text and parameters out of the log.
    if (appErr.status >= 500) request.log.error({ err }, 'request failed')
    else if (isQueryError(err))
      request.log.warn({ err, code: appErr.code }, 'request rejected by the database')
    else request.log.info({ code: appErr.code, msg: appErr.message }, 'request rejected')
    if (appErr.audit) {
      try {
        await recordAudit(db(), appErr.audit)
      } catch (auditErr) {
        request.log.error({ err: auditErr }, 'could not write audit entry for a denied request')
      }
    }
    const body: ErrorBody = {
      error: {
        code: appErr.code,
        message: appErr.message,
        requestId: String(request.id),
        ...(appErr.field ? { field: appErr.field } : {}),
        ...(appErr.params && Object.keys(appErr.params).length ? { params: appErr.params } : {}),
      },
    }
    return reply.status(appErr.status).headers(appErr.headers).send(body)
  })
}
