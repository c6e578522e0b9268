import { pinyin } from 'pinyin-pro'
import type { MessageCode, MessageParams } from '../core/i18n/messages.js'
import {
  compactIdentifier,
  parseIdNumber,
  parseMobile,
  parsePassport,
  type IdDocumentType,
  type IdentifierProblem,
} from '../core/pii/identifiers.js'

/** Pure registry rules: names for search, addresses, identity checks. No I/O. */

export {
  KNOWN_TAGS,
  RELATIONS,
  RESIDENCE_TYPES,
  TAG_PATTERN,
  type Relation,
  type ResidenceType,
} from './registry.vocab.js'

export interface NameKeys {
  pinyin: string
  initials: string
}

/** "张三" → { pinyin: "zhangsan", initials: "zs" }; surnames read as surnames (单 = shan). Latin names lower-cased. */
export function nameKeys(name: string): NameKeys {
  const clean = name.replace(/\s+/g, '')
  const syllables = pinyin(clean, {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
    v: true,
  })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean)
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') }
}

/** Zero-padded so that "2" sorts before "12" and "1201" after "301". */
function pad(s: string): string {
  return s.replace(/\d+/g, (d) => d.padStart(6, '0'))
}

export function householdKeys(
  buildingCode: string,
  unitCode: string,
  room: string,
): { label: string; sortKey: string } {
  return {
    label: `${buildingCode}栋${unitCode}单元${room}`,
    sortKey: `${pad(buildingCode)}|${pad(unitCode)}|${pad(room)}`,
  }
}

export type IdentityInput = {
  idType?: IdDocumentType | undefined
  idNumber: string
  sex?: 'male' | 'female' | undefined
  birthDate?: string | undefined
}

/** A reason as data: a catalogue code, the field it is about and the code's params. */
export interface FieldReason {
  code: MessageCode
  field: string
  params?: MessageParams
}

/** Why an identity was refused; `reason` is the English text, for logs and older readers. */
export interface IdentityProblem extends FieldReason {
  ok: false
  field: 'idNumber' | 'sex' | 'birthDate'
  reason: string
}

export type Identity =
  | {
      ok: true
      idType: IdDocumentType
      idNumber: string
      sex: 'male' | 'female' | null
      birthDate: string | null
      /** What was repaired, as codes (`REPAIR_ID_15_TO_18` on idNumber). */
      repairs: FieldReason[]
      /** @deprecated The same in English; read `repairs`. */
      repaired: string[]
    }
  | IdentityProblem

function idProblem(p: IdentifierProblem): IdentityProblem {
  return {
    ok: false,
    code: p.code,
    field: 'idNumber',
    ...(p.params ? { params: p.params } : {}),
    reason: p.reason,
  }
}

/**
 * Validates a document number and reconciles sex and birth date with it: what the ID number
 * says wins when nothing was entered; a contradiction is an error naming the field.
 */
export function checkIdentity(input: IdentityInput, today = new Date()): Identity {
  const type = input.idType ?? 'resident_id'
  if (type === 'passport' || type === 'other') {
    const p = parsePassport(input.idNumber)
    if (!p.ok) return idProblem(p)
    return {
      ok: true,
      idType: type,
      idNumber: p.value,
      sex: input.sex ?? null,
      birthDate: input.birthDate ?? null,
      repairs: [],
      repaired: [],
    }
  }
  const r = parseIdNumber(input.idNumber, today)
  if (!r.ok) return idProblem(r)
  const converted = r.value.converted
  if (input.sex && input.sex !== r.value.sex) {
    return {
      ok: false,
      code: r.value.sex === 'male' ? 'ID_SAYS_MALE' : 'ID_SAYS_FEMALE',
      field: 'sex',
      reason: `the ID number says ${r.value.sex}`,
    }
  }
  if (input.birthDate && r.value.birthDate && input.birthDate !== r.value.birthDate) {
    return {
      ok: false,
      code: 'ID_SAYS_BIRTH_DATE',
      field: 'birthDate',
      params: { expected: r.value.birthDate },
      reason: `the ID number says ${r.value.birthDate}`,
    }
  }
  return {
    ok: true,
    idType: r.value.documentType,
    idNumber: r.value.number,
    sex: r.value.sex,
    birthDate: r.value.birthDate ?? input.birthDate ?? null,
    repairs: converted ? [{ code: 'REPAIR_ID_15_TO_18', field: 'idNumber' }] : [],
    repaired: converted ? ['idNumber: old 15-digit number converted to 18'] : [],
  }
}

export function normalisePhone(
  phone: string | null | undefined,
): { ok: true; value: string | null } | IdentifierProblem {
  if (phone === undefined || phone === null || phone.trim() === '') return { ok: true, value: null }
  return parseMobile(phone)
}

/** Whole years between a birth date (YYYY-MM-DD) and today. */
export function ageOn(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number]
  let age = today.getUTCFullYear() - y
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d))
    age--
  return age
}

/** Birth-date bounds (inclusive) for an age band [minAge, maxAge]. */
export function birthBoundsForAges(
  minAge: number | undefined,
  maxAge: number | undefined,
  today: Date,
): { from?: string; to?: string } {
  const iso = (dt: Date): string => dt.toISOString().slice(0, 10)
  const shift = (years: number, days = 0): Date => {
    const dt = new Date(
      Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate()),
    )
    dt.setUTCDate(dt.getUTCDate() + days)
    return dt
  }
  const out: { from?: string; to?: string } = {}
  if (minAge !== undefined) out.to = iso(shift(minAge))
  if (maxAge !== undefined) out.from = iso(shift(maxAge + 1, 1))
  return out
}

export interface PersonFields {
  name: string
  namePinyin: string
  nameInitials: string
  idType: string
  sex: 'male' | 'female' | null
  birthDate: string | null
  relation: string | null
  residenceType: string
  employer: string | null
  notes: string | null
}

/** The resident columns a registration sets, the same for one form and for a roster row. */
export function personFields(
  p: {
    name: string
    relation?: string | undefined
    residenceType: string
    employer?: string | undefined
    notes?: string | undefined
  },
  identity: { idType: string; sex: 'male' | 'female' | null; birthDate: string | null },
  keys: NameKeys = nameKeys(p.name),
): PersonFields {
  return {
    name: p.name,
    namePinyin: keys.pinyin,
    nameInitials: keys.initials,
    idType: identity.idType,
    sex: identity.sex,
    birthDate: identity.birthDate,
    relation: p.relation ?? null,
    residenceType: p.residenceType,
    employer: p.employer ?? null,
    notes: p.notes ?? null,
  }
}

/** What a search box string means: a full phone or ID number, a phone or ID tail, pinyin initials or syllables, or part of a name. */
export type SearchTerm =
  | { kind: 'phone'; value: string }
  | { kind: 'idNumber'; value: string }
  | { kind: 'last4'; value: string }
  | { kind: 'idLast4'; value: string }
  | { kind: 'pinyin'; value: string }
  | { kind: 'name'; value: string }

export function searchTermOf(q: string): SearchTerm | undefined {
  if (!q.trim()) return undefined
  // Digits as typed on a phone's full-width keyboard or pasted with spaces are the same digits.
  const id = compactIdentifier(q)
  if (/^1[3-9]\d{9}$/.test(id)) return { kind: 'phone', value: id }
  if (/^\d{17}[\dXx]$/.test(id)) return { kind: 'idNumber', value: id.toUpperCase() }
  if (/^\d{4}$/.test(id)) return { kind: 'last4', value: id }
  if (/^\d{3}[Xx]$/.test(id)) return { kind: 'idLast4', value: id.toUpperCase() }
  const s = q.trim()
  if (/^[A-Za-z]+$/.test(s)) return { kind: 'pinyin', value: s.toLowerCase() }
  return { kind: 'name', value: s }
}

export { maskSearchTerm } from '../core/pii/mask.js'
