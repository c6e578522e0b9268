/**
 * Identifier rules of domain.md §3: GB 11643 resident ID numbers (and the permits that share
 * their format), passports and mobile numbers. Pure functions, no I/O and no Node APIs: the
 * web app's forms run this same module (web/src/lib/identifiers.ts) as you type.
 */
import type { identifierMessages } from './identifiers.messages.js'

export type IdDocumentType =
  'resident_id' | 'hk_macau_permit' | 'taiwan_permit' | 'foreigner_id' | 'passport' | 'other'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

/**
 * An identifier as typed anywhere (a form, a scanner, a search box, a spreadsheet): full-width
 * digits and letters made ASCII (NFKC: ４４０５２４ → 440524, Ｘ → X), and every space removed,
 * ideographic (U+3000), no-break and zero-width ones included.
 */
export function compactIdentifier(input: string): string {
  return input.normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '')
}

/** ISO 7064 MOD 11-2 check character over the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckCharacter: needs exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

export interface ParsedId {
  number: string
  documentType: IdDocumentType
  /** YYYY-MM-DD; undefined for the foreigner ID, whose digits 7–14 are not always a birth date. */
  birthDate: string | undefined
  sex: 'male' | 'female'
  /** True when the input was an old 15-digit number converted to 18. */
  converted: boolean
}

/** A code of identifiers.messages.ts: what the screens, exports and the CLI render. */
export type IdentifierCode = keyof typeof identifierMessages

/**
 * Why an identifier was refused, as data: a catalogue code, the field it is about and the
 * code's params (`{ code: 'ID_CHECK_CHARACTER', field: 'idNumber', params: { expected: '6' } }`).
 * The English `reason` stays for logs and older readers.
 */
export interface IdentifierProblem {
  ok: false
  reason: string
  code: IdentifierCode
  field: 'idNumber' | 'phone'
  params?: Record<string, string | number>
}

export type IdResult = { ok: true; value: ParsedId } | IdentifierProblem

function validDate(y: number, m: number, d: number, today: Date): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false
  return y >= 1880 && dt.getTime() <= today.getTime()
}

/** Converts an old 15-digit number (YYMMDD birth date, no check character) to 18 characters. */
export function convertId15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new Error('convertId15To18: needs exactly 15 digits')
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6)
  return first17 + idCheckCharacter(first17)
}

/**
 * Validates a resident ID number or a permit/foreigner ID of the same 18-character format.
 * Accepts lower-case x, full-width characters, spaces anywhere and old 15-digit numbers (converted).
 */
export function parseIdNumber(input: string, today: Date = new Date()): IdResult {
  let s = compactIdentifier(input).toUpperCase()
  let converted = false
  if (/^\d{15}$/.test(s)) {
    s = convertId15To18(s)
    converted = true
  }
  if (s.length !== 18)
    return {
      ok: false,
      reason: `must have 18 characters, got ${s.length}`,
      code: 'ID_LENGTH',
      field: 'idNumber',
      params: { length: s.length },
    }
  if (!/^\d{17}[\dX]$/.test(s))
    return {
      ok: false,
      reason: 'must be 17 digits and a digit or X',
      code: 'ID_FORMAT',
      field: 'idNumber',
    }
  const expected = idCheckCharacter(s.slice(0, 17))
  if (s[17] !== expected)
    return {
      ok: false,
      reason: `wrong check character (expected ${expected})`,
      code: 'ID_CHECK_CHARACTER',
      field: 'idNumber',
      params: { expected },
    }
  const sex = Number(s[16]) % 2 === 1 ? 'male' : 'female'
  if (s.startsWith('9')) {
    return {
      ok: true,
      value: { number: s, documentType: 'foreigner_id', birthDate: undefined, sex, converted },
    }
  }
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  if (!validDate(y, m, d, today))
    return {
      ok: false,
      reason: `impossible birth date ${s.slice(6, 14)}`,
      code: 'ID_BIRTH_DATE',
      field: 'idNumber',
      params: { date: s.slice(6, 14) },
    }
  if (s[0] === '0')
    return {
      ok: false,
      reason: 'region code cannot start with 0',
      code: 'ID_REGION',
      field: 'idNumber',
    }
  const prefix = s.slice(0, 6)
  const documentType: IdDocumentType =
    prefix === '810000' || prefix === '820000'
      ? 'hk_macau_permit'
      : prefix === '830000'
        ? 'taiwan_permit'
        : 'resident_id'
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
  return { ok: true, value: { number: s, documentType, birthDate, sex, converted } }
}

/** Passport and other travel documents: 5–17 letters and digits, at least one digit. */
export function parsePassport(input: string): { ok: true; value: string } | IdentifierProblem {
  const s = compactIdentifier(input).toUpperCase()
  if (!/^[A-Z0-9]{5,17}$/.test(s))
    return {
      ok: false,
      reason: 'must be 5 to 17 letters and digits',
      code: 'PASSPORT_FORMAT',
      field: 'idNumber',
    }
  if (!/\d/.test(s))
    return { ok: false, reason: 'must contain digits', code: 'PASSPORT_DIGITS', field: 'idNumber' }
  return { ok: true, value: s }
}

/**
 * Mainland mobile number: 11 digits `1[3-9]` + 9 digits. Spaces, dashes and a +86 / 0086
 * prefix are removed first.
 */
export function parseMobile(input: string): { ok: true; value: string } | IdentifierProblem {
  let s = compactIdentifier(input).replace(/[-()]/g, '')
  if (s.startsWith('+86')) s = s.slice(3)
  else if (s.startsWith('0086')) s = s.slice(4)
  if (!/^\d+$/.test(s))
    return { ok: false, reason: 'must contain digits only', code: 'PHONE_DIGITS', field: 'phone' }
  if (s.length !== 11)
    return {
      ok: false,
      reason: `must have 11 digits, got ${s.length}`,
      code: 'PHONE_LENGTH',
      field: 'phone',
      params: { length: s.length },
    }
  if (!/^1[3-9]\d{9}$/.test(s))
    return { ok: false, reason: 'must start with 13–19', code: 'PHONE_PREFIX', field: 'phone' }
  return { ok: true, value: s }
}
