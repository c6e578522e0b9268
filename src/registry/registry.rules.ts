import { pinyin } from 'pinyin-pro'
import type { MessageCode, MessageParams } from '../core/i18n/messages.js'
import {
  compactIdentifier,
  parseDocument,
  parsePhone,
  parseReturnPermit,
  parseForeignerCard,
  parsePassport,
  PROVINCE_CODES,
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
import type { BuildingKind, LifeStatus } from './registry.vocab.js'

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

const STREET_SUFFIX = /(路|街|巷|弄|胡同|村|屯)$/

/** What a building's code says it is: "3组" a villager group, "新村路" a street, else a block. */
export function buildingKindOf(code: string): BuildingKind {
  if (/组$/.test(code)) return 'villager_group'
  if (STREET_SUFFIX.test(code)) return 'street'
  return 'block'
}

/** A new building's name from its code: a block's "12栋", a group's or a street's code itself. */
export function buildingNameOf(code: string): string {
  return buildingKindOf(code) === 'block' ? `${code}栋` : code
}

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}

/** "三" → 3, "十二" → 12, "二十三" → 23, "一〇" → 10; undefined for anything else. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s)
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s)
  if (m) return (m[1] ? DIGITS[m[1]]! : 1) * 10 + (m[2] ? DIGITS[m[2]]! : 0)
  if (s.length > 0 && s.length <= 3 && [...s].every((c) => c in DIGITS))
    return Number([...s].map((c) => DIGITS[c]).join(''))
  return undefined
}

/**
 * A villager group's code as workers write it, made one form: "三", "三组", "第三村民小组",
 * "3", "3组" → "3组"; a named group keeps its name ("王家湾" / "王家湾组" → "王家湾组").
 * Undefined when nothing is left.
 */
export function villagerGroupCode(raw: string): string | undefined {
  const s = raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^第/, '')
    .replace(/(村民小组|村小组|小组|组)$/, '')
  if (!s) return undefined
  const n = chineseNumber(s)
  return `${n ?? s}组`
}

/**
 * A household's label and sort key. A block: "12栋1单元1201". A villager group or a street:
 * the house number, and the room of a self-built house let room by room: "3组18号",
 * "3组18号201室", "新村路7号".
 */
export function householdKeys(
  buildingCode: string,
  unitCode: string,
  room: string,
): { label: string; sortKey: string } {
  const houses = buildingKindOf(buildingCode) !== 'block'
  const house = /号$/.test(unitCode) ? unitCode : `${unitCode}号`
  return {
    label: houses
      ? `${buildingCode}${house}${room ? (/室$/.test(room) ? room : `${room}室`) : ''}`
      : `${buildingCode}栋${unitCode}单元${room}`,
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
  const r = parseDocument(type, input.idNumber, today)
  if (!r.ok) return idProblem(r)
  const converted = r.value.converted
  if (input.sex && r.value.sex && input.sex !== r.value.sex) {
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
    sex: r.value.sex ?? input.sex ?? null,
    birthDate: r.value.birthDate ?? input.birthDate ?? null,
    repairs: converted ? [{ code: 'REPAIR_ID_15_TO_18', field: 'idNumber' }] : [],
    repaired: converted ? ['idNumber: old 15-digit number converted to 18'] : [],
  }
}

export function normalisePhone(
  phone: string | null | undefined,
): { ok: true; value: string | null } | IdentifierProblem {
  if (phone === undefined || phone === null || phone.trim() === '') return { ok: true, value: null }
  const p = parsePhone(phone)
  return p.ok ? { ok: true, value: p.value } : p
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

/** A 回乡证, an old 永居证 or a passport number in a search box, normalised; undefined otherwise. */
function documentNumberOf(s: string): string | undefined {
  const u = s.toUpperCase()
  if (!/\d{4}/.test(u) || !/[A-Z]/.test(u)) return undefined
  for (const p of [parseReturnPermit(u), parseForeignerCard(u)]) if (p.ok) return p.value.number
  const passport = parsePassport(u)
  return passport.ok ? passport.value : undefined
}

export function searchTermOf(q: string): SearchTerm | undefined {
  if (!q.trim()) return undefined
  // Digits as typed on a phone's full-width keyboard or pasted with spaces are the same digits.
  const id = compactIdentifier(q)
  if (/^1[3-9]\d{9}$/.test(id)) return { kind: 'phone', value: id }
  if (/^\d{17}[\dXx]$/.test(id)) return { kind: 'idNumber', value: id.toUpperCase() }
  // 回乡证, the 15-character 永居证, a passport: a document number, found by its blind index.
  const doc = documentNumberOf(id)
  if (doc) return { kind: 'idNumber', value: doc }
  if (/^\d{4}$/.test(id)) return { kind: 'last4', value: id }
  if (/^\d{3}[Xx]$/.test(id)) return { kind: 'idLast4', value: id.toUpperCase() }
  const s = q.trim()
  if (/^[A-Za-z]+$/.test(s)) return { kind: 'pinyin', value: s.toLowerCase() }
  return { kind: 'name', value: s }
}

export { maskSearchTerm } from '../core/pii/mask.js'

/** A hukou region code (6 digits, checked by the schema) whose province part GB/T 2260 knows. */
export function checkRegionCode(code: string): FieldReason | null {
  return PROVINCE_CODES.has(code.slice(0, 2))
    ? null
    : { code: 'REGION_CODE_UNKNOWN', field: 'hukouRegion' }
}

/** The statuses a life-status change may start from: living here or one of the three set here. */
const CHANGEABLE_FROM: readonly string[] = ['active', 'deceased', 'away_long', 'hukou_only']

export type LifeStatusDecision =
  | { ok: true; statusOn: string | null; statusPlace: string | null }
  | { ok: false; kind: 'conflict'; code: MessageCode }
  | { ok: false; kind: 'invalid'; field: 'on' | 'place'; code: MessageCode }

/**
 * 死亡 / 长期外出 / 户在人不在 or back to living here, from the current status: the record
 * keeps its household in every case, so the undo restores it. A death needs its date, a
 * long-term absence where to; no date is after today (local date, YYYY-MM-DD).
 */
export function decideLifeStatus(
  current: { status: string; householdId: string | null },
  input: { status: LifeStatus; on?: string | undefined; place?: string | undefined },
  today: string,
): LifeStatusDecision {
  if (!CHANGEABLE_FROM.includes(current.status) || !current.householdId)
    return { ok: false, kind: 'conflict', code: 'RESIDENT_STATUS_NOT_CHANGEABLE' }
  if (input.status === 'active') {
    if (current.status === 'active')
      return { ok: false, kind: 'conflict', code: 'RESIDENT_STATUS_NOT_CHANGEABLE' }
    return { ok: true, statusOn: null, statusPlace: null }
  }
  if (input.status === 'deceased' && !input.on)
    return { ok: false, kind: 'invalid', field: 'on', code: 'STATUS_DATE_REQUIRED' }
  if (input.on && input.on > today)
    return { ok: false, kind: 'invalid', field: 'on', code: 'STATUS_DATE_FUTURE' }
  if (input.status === 'away_long' && !input.place)
    return { ok: false, kind: 'invalid', field: 'place', code: 'STATUS_PLACE_REQUIRED' }
  return {
    ok: true,
    statusOn: input.on ?? today,
    statusPlace: input.status === 'deceased' ? null : (input.place ?? null),
  }
}

/** 人户分离 as shown: 户在人不在 by status; 人在户不在 when a living resident's hukou is recorded elsewhere. */
export function separationOf(r: {
  status: string
  residenceType: string
  hukouAddress: string | null
}): 'hukou_elsewhere' | 'hukou_only' | null {
  if (r.status === 'hukou_only') return 'hukou_only'
  if (r.status === 'active' && r.hukouAddress && r.residenceType !== 'registered')
    return 'hukou_elsewhere'
  return null
}
