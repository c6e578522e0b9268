/**
 * The server's identifier rules (src/core/pii/identifiers.ts, a pure module), run by the forms
 * as you type: one copy of the GB 11643 check, the same codes and params the server answers
 * with, rendered from the same catalogue (reasonText in ./apiError).
 */
import {
  parseIdNumber,
  parseMobile,
  type IdentifierProblem,
} from '../../../src/core/pii/identifiers.js'

export type { IdentifierProblem }

/** Why an ID number would be refused (`{ code: 'ID_CHECK_CHARACTER', field: 'idNumber', params: { expected: '6' } }`), or null. */
export function idProblem(value: string, today: Date = new Date()): IdentifierProblem | null {
  const r = parseIdNumber(value, today)
  return r.ok ? null : r
}

/** Why a mobile number would be refused, or null (an empty field is no problem: the phone is optional). */
export function phoneProblem(value: string): IdentifierProblem | null {
  if (value.trim() === '') return null
  const r = parseMobile(value)
  return r.ok ? null : r
}
