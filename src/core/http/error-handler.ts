import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { recordAudit } from '../audit/audit.service.js'
import type { Db } from '../db/db.js'
import { AppError, type ErrorCode } from '../errors.js'

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string }
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
    return new AppError(400, 'VALIDATION', `${field}: ${first?.message ?? 'invalid'}${more}`)
  }
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
      return new AppError(400, 'VALIDATION', fe.message)
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return new AppError(400, 'MALFORMED_JSON', 'body: not valid JSON')
  if (fe.statusCode === 429) return new AppError(429, 'RATE_LIMITED', 'Too many requests; slow down')
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError(fe.statusCode, 'BAD_REQUEST', 'Bad request')
  return new AppError(500, 'INTERNAL', 'Internal error')
}

export function installErrorHandler(app: FastifyInstance, db: () => Db): void {
  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err)
    if (appErr.status >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code: appErr.code, msg: appErr.message }, 'request rejected')
    if (appErr.audit) {
      try {
        await recordAudit(db(), appErr.audit)
      } catch (auditErr) {
        request.log.error({ err: auditErr }, 'could not write audit entry for a denied request')
      }
    }
    const body: ErrorBody = { error: { code: appErr.code, message: appErr.message, requestId: String(request.id) } }
    return reply.status(appErr.status).headers(appErr.headers).send(body)
  })
}
