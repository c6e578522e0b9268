import type { z } from 'zod'
import { AppError } from '../errors.js'
import type { MessageParams } from '../i18n/messages.js'

/** What a zod issue says beside its code (fastify-type-provider-zod hands the same as `params`). */
type IssueDetails = Record<string, unknown>

const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : String(v ?? ''))

/**
 * A zod issue as a rule a person understands (`VALIDATION_<rule>` in core.messages.ts) and its
 * params: required, too long (max), not a date, not one of (options), …
 */
export function issueParams(
  code: string | undefined,
  details: IssueDetails,
  message = '',
): MessageParams {
  const origin = details.origin
  switch (code) {
    case 'invalid_type':
      // zod 4 leaves the input out of an issue; its message names what it received.
      if (/received (undefined|null)\b/.test(message)) return { rule: 'REQUIRED' }
      if (details.expected === 'number' || details.expected === 'int') return { rule: 'NOT_NUMBER' }
      if (details.expected === 'date') return { rule: 'NOT_DATE' }
      return { rule: 'WRONG_TYPE' }
    case 'too_big': {
      const max = Number(details.maximum)
      if (origin === 'string') return { rule: 'TOO_LONG', max }
      if (origin === 'array' || origin === 'set') return { rule: 'TOO_MANY', max }
      if (origin === 'date') return { rule: 'NOT_DATE' }
      return { rule: 'TOO_BIG', max }
    }
    case 'too_small': {
      const min = Number(details.minimum)
      if (origin === 'string') return min <= 1 ? { rule: 'REQUIRED' } : { rule: 'TOO_SHORT', min }
      if (origin === 'array' || origin === 'set') return { rule: 'TOO_FEW', min }
      if (origin === 'date') return { rule: 'NOT_DATE' }
      return { rule: 'TOO_SMALL', min }
    }
    case 'invalid_format': {
      const f = String(details.format ?? '')
      if (f === 'date') return { rule: 'NOT_DATE' }
      if (f === 'datetime' || f === 'time') return { rule: 'NOT_TIME' }
      if (f === 'uuid' || f === 'guid' || f === 'cuid' || f === 'ulid') return { rule: 'NOT_ID' }
      if (f === 'email') return { rule: 'NOT_EMAIL' }
      return { rule: 'FORMAT' }
    }
    case 'invalid_value':
    case 'invalid_enum_value':
      return { rule: 'NOT_ONE_OF', options: list(details.values ?? details.options) }
    case 'unrecognized_keys':
      return { rule: 'UNKNOWN_KEYS', keys: list(details.keys) }
    case 'not_multiple_of':
      return details.divisor === 1 ? { rule: 'NOT_INTEGER' } : { rule: 'FORMAT' }
    default:
      return { rule: 'FORMAT' }
  }
}

/** A dotted field path (`results.3.tubeCode`) from a zod issue path. */
export const fieldPath = (path: readonly PropertyKey[]): string => path.map(String).join('.')

/**
 * The first issue of a failed zod parse as a VALIDATION error with field and params; `prefix`
 * names the outer field (`mapping`) when the parsed value came inside another one.
 */
export function validationError(error: z.ZodError, prefix?: string): AppError {
  const first = error.issues[0]
  const {
    path = [],
    code,
    message,
    ...details
  } = first ?? { path: [], code: 'custom', message: '' }
  const field = [prefix, fieldPath(path)].filter(Boolean).join('.') || 'body'
  const params: Record<string, string | number> = { ...issueParams(code, details, message) }
  if (error.issues.length > 1) params.more = error.issues.length - 1
  return new AppError(400, 'VALIDATION', undefined, { field, params })
}
