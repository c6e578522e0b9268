/**
 * Identifier rules of domain.md §3: GB 11643 resident ID numbers (and the permits that share
 * their format), passports and mobile numbers. Pure functions, no I/O and no Node APIs: the
 * web app's forms run this same module (web/src/lib/identifiers.ts) as you type.
 */
import type { identifierMessages } from './identifiers.messages.js'

/**
 * hk_macau_permit / taiwan_permit: the residence permits (居住证, 18 characters, 810000 /
 * 820000 / 830000); hk_macau_travel_permit: 回乡证 (港澳居民来往内地通行证, H/M + 8 digits);
 * taiwan_travel_permit: 台胞证 (台湾居民来往大陆通行证, 8 digits); foreigner_id: 永居证, the
 * 2023 18-digit one starting with 9 or the older 15-character one (3 letters + 12 digits).
 */
export type IdDocumentType =
  | 'resident_id'
  | 'hk_macau_permit'
  | 'taiwan_permit'
  | 'foreigner_id'
  | 'hk_macau_travel_permit'
  | 'taiwan_travel_permit'
  | 'passport'
  | 'other'

/**
 * GB/T 2260 province-level codes (the first two digits of every county code), the level this
 * module checks: a compact list that never changes when counties are merged or renamed, so an
 * old ID number of an abolished county stays valid. 71 / 81 / 82 / 83: Taiwan, Hong Kong, Macau,
 * and the Taiwan residence permit.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
])

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
  /** YYYY-MM-DD; undefined when the document carries none (回乡证, 台胞证, the 15-character 永居证). */
  birthDate: string | undefined
  /** Undefined when the document says nothing about it. */
  sex: 'male' | 'female' | undefined
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
  if (s.startsWith('9')) {
    // The 2023 永居证: 9, the accepting province, a 3-digit country code, then the birth date.
    const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`
    if (!PROVINCE_CODES.has(s.slice(1, 3)))
      return {
        ok: false,
        reason: `unknown province code ${s.slice(1, 3)}`,
        code: 'ID_REGION_UNKNOWN',
        field: 'idNumber',
        params: { region: s.slice(1, 3) },
      }
    return {
      ok: true,
      value: { number: s, documentType: 'foreigner_id', birthDate, sex, converted },
    }
  }
  if (s[0] === '0')
    return {
      ok: false,
      reason: 'region code cannot start with 0',
      code: 'ID_REGION',
      field: 'idNumber',
    }
  if (!PROVINCE_CODES.has(s.slice(0, 2)))
    return {
      ok: false,
      reason: `unknown province code ${s.slice(0, 2)}`,
      code: 'ID_REGION_UNKNOWN',
      field: 'idNumber',
      params: { region: s.slice(0, 2) },
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

type DocResult = { ok: true; value: ParsedId } | IdentifierProblem

function plain(number: string, documentType: IdDocumentType): DocResult {
  return {
    ok: true,
    value: { number, documentType, birthDate: undefined, sex: undefined, converted: false },
  }
}

/**
 * 回乡证 (港澳居民来往内地通行证): H (Hong Kong) or M (Macau) and 8 digits; a 2-digit issue
 * count printed after it (换证次数) is accepted and dropped, so the same card is one number
 * whichever way it was copied.
 */
export function parseReturnPermit(input: string): DocResult {
  const s = compactIdentifier(input).toUpperCase()
  const m = /^([HM]\d{8})(\d{2})?$/.exec(s)
  if (!m)
    return {
      ok: false,
      reason: 'must be H or M and 8 digits',
      code: 'RETURN_PERMIT_FORMAT',
      field: 'idNumber',
    }
  return plain(m[1]!, 'hk_macau_travel_permit')
}

/** 台胞证 (台湾居民来往大陆通行证): 8 digits. */
export function parseTaiwanTravelPermit(input: string): DocResult {
  const s = compactIdentifier(input)
  if (!/^\d{8}$/.test(s))
    return {
      ok: false,
      reason: 'must be 8 digits',
      code: 'TAIWAN_PERMIT_FORMAT',
      field: 'idNumber',
    }
  return plain(s, 'taiwan_travel_permit')
}

/**
 * 外国人永久居留身份证: the 2023 card (18 digits starting with 9, MOD 11-2 check, birth date in
 * digits 7–14) or the older 15-character card (3 letters of the country, 12 digits).
 */
export function parseForeignerCard(input: string, today: Date = new Date()): DocResult {
  const s = compactIdentifier(input).toUpperCase()
  if (/^[A-Z]{3}\d{12}$/.test(s)) return plain(s, 'foreigner_id')
  if (s.length === 18 && !s.startsWith('9'))
    return {
      ok: false,
      reason: 'an 18-digit card starts with 9',
      code: 'FOREIGNER_CARD_FORMAT',
      field: 'idNumber',
    }
  if (s.length !== 18)
    return {
      ok: false,
      reason: 'must be 18 digits starting with 9, or 3 letters and 12 digits',
      code: 'FOREIGNER_CARD_FORMAT',
      field: 'idNumber',
    }
  return parseIdNumber(s, today)
}

/** A passport's issuing country as its machine-readable zone writes it: ISO 3166-1 alpha-3 (CHN, USA, DEU). */
export function parseCountry(input: string): { ok: true; value: string } | IdentifierProblem {
  const s = compactIdentifier(input).toUpperCase()
  if (!/^[A-Z]{3}$/.test(s))
    return {
      ok: false,
      reason: 'must be a 3-letter country code',
      code: 'COUNTRY_FORMAT',
      field: 'idNumber',
    }
  return { ok: true, value: s }
}

/**
 * Any document number under its type: the one entry point of registration, document lists,
 * roster imports and the sampling desk's person check.
 */
export function parseDocument(
  type: IdDocumentType,
  input: string,
  today: Date = new Date(),
): DocResult {
  switch (type) {
    case 'passport':
    case 'other': {
      const p = parsePassport(input)
      return p.ok ? plain(p.value, type) : p
    }
    case 'hk_macau_travel_permit':
      return parseReturnPermit(input)
    case 'taiwan_travel_permit':
      return parseTaiwanTravelPermit(input)
    case 'foreigner_id':
      return parseForeignerCard(input, today)
    default:
      return parseIdNumber(input, today)
  }
}

export type PhoneKind = 'mobile' | 'landline' | 'hong_kong' | 'macau' | 'taiwan'

export type PhoneResult = { ok: true; value: string; kind: PhoneKind } | IdentifierProblem

function phoneProblem(code: IdentifierCode, reason: string): IdentifierProblem {
  return { ok: false, reason, code, field: 'phone' }
}

/**
 * Any phone a resident gives: a mainland mobile (11 digits, as parseMobile), a landline (区号 +
 * 7–8 digits, an extension after 转 / ext / # / a second dash) or a Hong Kong (+852, 8 digits),
 * Macau (+853, 8 digits) or Taiwan (+886, 9 digits, trunk 0 dropped) number. Normalised:
 * `13800138000`, `010-12345678`, `0755-2345678-123`, `+85291234567`.
 */
export function parsePhone(input: string): PhoneResult {
  let c = compactIdentifier(input)
  let ext: string | undefined
  const e = /^(.*?)(?:转|分机|ext\.?|x|#)(\d{1,6})$/i.exec(c)
  if (e) {
    c = e[1]!
    ext = e[2]
  } else {
    const d = /^(\(?0\d{2,3}\)?-?\d{7,8})-(\d{1,6})$/.exec(c)
    if (d) {
      c = d[1]!
      ext = d[2]
    }
  }
  let s = c.replace(/[-()（）.]/g, '')
  const intl = (cc: string): string | undefined =>
    s.startsWith('+' + cc)
      ? s.slice(1 + cc.length)
      : s.startsWith('00' + cc)
        ? s.slice(2 + cc.length)
        : undefined
  const hk = intl('852')
  const mo = hk === undefined ? intl('853') : undefined
  const tw = hk === undefined && mo === undefined ? intl('886') : undefined
  if (hk !== undefined || mo !== undefined || tw !== undefined) {
    if (ext) return phoneProblem('PHONE_DIGITS', 'must contain digits only')
    if (hk !== undefined)
      return /^[2-9]\d{7}$/.test(hk)
        ? { ok: true, value: '+852' + hk, kind: 'hong_kong' }
        : phoneProblem('PHONE_HK_MACAU', 'a Hong Kong number has 8 digits')
    if (mo !== undefined)
      return /^[2-9]\d{7}$/.test(mo)
        ? { ok: true, value: '+853' + mo, kind: 'macau' }
        : phoneProblem('PHONE_HK_MACAU', 'a Macau number has 8 digits')
    const t = tw!.replace(/^0/, '')
    return /^[2-9]\d{7,8}$/.test(t)
      ? { ok: true, value: '+886' + t, kind: 'taiwan' }
      : phoneProblem('PHONE_TAIWAN', 'a Taiwan number has 8 or 9 digits')
  }
  const cn = intl('86')
  // +86 10 62345678 is Beijing's 010; +86 138… is a mobile (11 digits from 1).
  if (cn !== undefined) s = /^1\d{10}$/.test(cn) ? cn : '0' + cn.replace(/^0/, '')
  else if (s.startsWith('+'))
    return phoneProblem('PHONE_COUNTRY', 'only +86, +852, +853 and +886 numbers')
  if (!/^\d+$/.test(s)) return phoneProblem('PHONE_DIGITS', 'must contain digits only')
  if (s.startsWith('0')) {
    const areaLen = /^0[12]/.test(s) ? 3 : 4
    const area = s.slice(0, areaLen)
    const local = s.slice(areaLen)
    if (!/^[2-9]\d{6,7}$/.test(local))
      return phoneProblem('PHONE_LANDLINE', 'a landline is an area code and 7 or 8 digits')
    return { ok: true, value: `${area}-${local}${ext ? `-${ext}` : ''}`, kind: 'landline' }
  }
  if (ext) return phoneProblem('PHONE_DIGITS', 'must contain digits only')
  if (/^[2-9]\d{6,7}$/.test(s))
    return phoneProblem('PHONE_AREA_CODE', 'a landline needs its area code')
  const m = parseMobile(s)
  return m.ok ? { ok: true, value: m.value, kind: 'mobile' } : m
}

/** The last four digits of a normalised phone, the extension left out (what a masked answer and a tail search show). */
export function phoneLast4(normalised: string): string {
  return normalised
    .replace(/^(0\d{2,3}-\d{7,8})-\d+$/, '$1')
    .replace(/\D/g, '')
    .slice(-4)
}
