import { z } from 'zod'
import type { ErrorBody } from './error-handler.js'

/**
 * The one error body of error-handler.ts, as a response schema. `error` is a loose object: a key
 * added to ErrorBody (params, …) is passed through by the serializer, never stripped, and the
 * check below fails to compile if ErrorBody and this schema drift apart.
 */
export const errorBody = z
  .object({
    error: z.looseObject({
      code: z
        .string()
        .describe(
          'A stable code with texts in zh-CN and English (src/messages.ts): VALIDATION, OUT_OF_SCOPE, ROUND_CLOSED, …',
        ),
      message: z
        .string()
        .describe(
          'The English text of code and params, a fallback for curl; screens render the code',
        ),
      requestId: z.string(),
      field: z.string().optional().describe('The request field at fault'),
      params: z
        .record(z.string(), z.union([z.string(), z.number()]))
        .optional()
        .describe(
          "What the code's text interpolates ({{max}}, {{seconds}}); VALIDATION carries its rule (REQUIRED, TOO_LONG, NOT_ONE_OF, …)",
        ),
    }),
  })
  .meta({ id: 'ErrorBody' })

// Compile-time: every body the error handler sends passes the schema.
const _sent: z.input<typeof errorBody> = {} as ErrorBody
void _sent

const descriptions = {
  400: 'A value is missing, malformed or breaks a rule (VALIDATION names error.field; MALFORMED_JSON, BAD_REQUEST)',
  401: 'Not logged in, the session expired, or the credentials are wrong (UNAUTHENTICATED, INVALID_CREDENTIALS, TOTP_REQUIRED)',
  403: 'Not allowed: a missing permission, a target outside your scope, a missing CSRF header, or a password to change first (FORBIDDEN, OUT_OF_SCOPE, CSRF, PASSWORD_CHANGE_REQUIRED)',
  404: 'No such object, or none you may see (NOT_FOUND)',
  409: 'The change conflicts with the current state or a concurrent change (CONFLICT)',
  429: 'Too many requests; the Retry-After header says when to try again (RATE_LIMITED, LOCKED_OUT)',
} as const

export type ErrorStatus = keyof typeof descriptions
type ErrorResponse = {
  description: string
  content: { 'application/json': { schema: typeof errorBody } }
}

/** The 4xx entries of a route's `response`: `response: { 200: out, ...errorResponses(400, 401, 403) }`. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, ErrorResponse> {
  const out = {} as Record<S, ErrorResponse>
  for (const s of statuses)
    out[s] = {
      description: descriptions[s],
      content: { 'application/json': { schema: errorBody } },
    }
  return out
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The 200 entry of a route that streams an .xlsx file (a stream is sent as is, never serialized). */
export function spreadsheetResponse(description: string): {
  description: string
  content: { [XLSX]: { schema: z.ZodAny } }
} {
  return {
    description,
    content: { [XLSX]: { schema: z.any().meta({ type: 'string', format: 'binary' }) } },
  }
}
