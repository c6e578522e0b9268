/**
 * The server's identifier rules (src/core/pii/identifiers.ts, a pure module), run by the forms
 * as you type: one copy of the GB 11643 check, the same codes and params the server answers
 * with, rendered from the same catalogue (reasonText in ./apiError).
 */
import {
  parseDocument,
  parsePhone,
  type IdDocumentType,
  type IdentifierProblem,
} from '../../../src/core/pii/identifiers.js'

export type { IdDocumentType, IdentifierProblem }

/**
 * Why a document number would be refused under its type (a resident ID unless told:
 * `{ code: 'ID_CHECK_CHARACTER', field: 'idNumber', params: { expected: '6' } }`), or null.
 */
export function idProblem(
  value: string,
  today: Date = new Date(),
  type: IdDocumentType = 'resident_id',
): IdentifierProblem | null {
  const r = parseDocument(type, value, today)
  return r.ok ? null : r
}

/** Why a phone (mobile, landline, +852 / +853 / +886) would be refused, or null (an empty field is no problem: the phone is optional). */
export function phoneProblem(value: string): IdentifierProblem | null {
  if (value.trim() === '') return null
  const r = parsePhone(value)
  return r.ok ? null : r
}
