import { normaliseNames, type AreaNames, type RiskLevel } from './itinerary.rules.js'

/**
 * Pure rules of the external risk-area list: which column of a file is which (the usual
 * 省/市/区/街道/小区 headers, in Chinese or English), how a row reads (a level in words, a date in
 * the ways spreadsheets write it), what a row lacks (each reason names its field), and the key
 * that makes a re-import update an entry instead of adding it again.
 */

export const EXTERNAL_COLUMNS = [
  'province',
  'city',
  'district',
  'street',
  'place',
  'level',
  'validFrom',
  'validTo',
  'source',
] as const
export type ExternalColumn = (typeof EXTERNAL_COLUMNS)[number]

const SYNONYMS: Record<ExternalColumn, readonly string[]> = {
  province: ['省', '省份', '省（区、市）', '省区市', 'province'],
  city: ['市', '城市', '地市', '地级市', '市（州）', 'city'],
  district: ['区', '县', '区县', '县区', '区（县）', '县（区）', '区/县', 'district', 'county'],
  street: [
    '街道',
    '乡镇',
    '街镇',
    '街道（乡镇）',
    '镇街',
    '街道/乡镇',
    'street',
    'town',
    'township',
  ],
  place: [
    '小区',
    '村',
    '小区（村）',
    '小区/村',
    '村（小区）',
    '风险区域',
    '区域',
    '区域名称',
    '风险地区',
    '场所',
    '地址',
    '具体地址',
    'place',
    'area',
    'compound',
    'address',
  ],
  level: ['风险等级', '等级', '级别', '风险级别', 'level', 'risklevel', 'risk'],
  validFrom: [
    '起始日期',
    '开始日期',
    '起始时间',
    '开始时间',
    '生效日期',
    '划定时间',
    '划定日期',
    '公布日期',
    'validfrom',
    'from',
    'start',
  ],
  validTo: [
    '解除日期',
    '解除时间',
    '结束日期',
    '结束时间',
    '截止日期',
    '有效期至',
    'validto',
    'to',
    'end',
  ],
  source: ['来源', '发布机构', '发布单位', '信息来源', 'source'],
}

/** Lower-cased, without spaces, marks, brackets (not their contents: 区（县） stays 区县). */
function headerKey(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/[\s*＊:：_\-./、()（）]/g, '')
    .toLowerCase()
}
const LOOKUP = new Map<string, ExternalColumn>()
for (const [col, names] of Object.entries(SYNONYMS) as [ExternalColumn, string[]][])
  for (const n of names) LOOKUP.set(headerKey(n), col)

export type ExternalColumns = Partial<Record<ExternalColumn, number>>

/** The columns a header row names (the first cell naming a column wins). */
export function externalColumnsOf(cells: readonly string[]): ExternalColumns {
  const out: ExternalColumns = {}
  cells.forEach((c, i) => {
    const col = LOOKUP.get(headerKey(c))
    if (col && out[col] === undefined) out[col] = i
  })
  return out
}

/** A header row names a level and at least one place name. */
export function isExternalHeader(c: ExternalColumns): boolean {
  return (
    c.level !== undefined &&
    (c.district !== undefined || c.street !== undefined || c.place !== undefined)
  )
}

const LEVEL_WORDS: Record<string, RiskLevel> = {
  高: 'high',
  高风险: 'high',
  高风险区: 'high',
  高风险地区: 'high',
  封控区: 'high',
  high: 'high',
  中: 'medium',
  中风险: 'medium',
  中风险区: 'medium',
  中风险地区: 'medium',
  管控区: 'medium',
  medium: 'medium',
  低: 'low',
  低风险: 'low',
  低风险区: 'low',
  低风险地区: 'low',
  防范区: 'low',
  low: 'low',
}

export function levelOf(text: string): RiskLevel | null {
  return LEVEL_WORDS[text.normalize('NFKC').replace(/\s/g, '').toLowerCase()] ?? null
}

const pad = (n: number) => String(n).padStart(2, '0')
function realDay(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCMonth() !== m - 1) return null
  return `${y}-${pad(m)}-${pad(d)}`
}

/**
 * A day as spreadsheets write it: 2022-06-28, 2022/6/28, 2022.6.28, 2022年6月28日, 20220628, an
 * Excel serial (44740), or a time after the day (2022-06-28 10:00, which keeps the day).
 */
export function dayOf(text: string): string | null {
  const s = text.normalize('NFKC').trim()
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(s)
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]))
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) return realDay(Number(m[1]), Number(m[2]), Number(m[3]))
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const t = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(s)) * 86_400_000)
    return realDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
  }
  return null
}

export interface ExternalRowValues extends Required<{
  [K in 'province' | 'city' | 'district' | 'street' | 'place']: string
}> {
  level: RiskLevel
  validFrom: string
  validTo: string | null
  source: string
}

export interface ExternalRowReason {
  field: ExternalColumn
  code:
    | 'EXTERNAL_ROW_NAMES_MISSING'
    | 'EXTERNAL_ROW_LEVEL'
    | 'EXTERNAL_ROW_DATE'
    | 'EXTERNAL_ROW_DATES_ORDER'
    | 'EXTERNAL_ROW_TOO_LONG'
}

export const NAME_MAX = 100

/**
 * One row of a list file: its values, or what is wrong with it (every reason, each naming its
 * field). A row without a from-day counts from `today` (the list says what is in force now).
 */
export function parseExternalRow(
  cells: readonly string[],
  cols: ExternalColumns,
  today: string,
): { ok: true; value: ExternalRowValues } | { ok: false; reasons: ExternalRowReason[] } {
  const get = (c: ExternalColumn) => (cols[c] === undefined ? '' : (cells[cols[c]] ?? '').trim())
  const reasons: ExternalRowReason[] = []
  const names = {
    province: get('province'),
    city: get('city'),
    district: get('district'),
    street: get('street'),
    place: get('place'),
  }
  for (const [f, v] of Object.entries(names) as [ExternalColumn, string][])
    if (v.length > NAME_MAX) reasons.push({ field: f, code: 'EXTERNAL_ROW_TOO_LONG' })
  if (!names.district && !names.street && !names.place && !names.city)
    reasons.push({ field: 'place', code: 'EXTERNAL_ROW_NAMES_MISSING' })
  const level = levelOf(get('level'))
  if (!level) reasons.push({ field: 'level', code: 'EXTERNAL_ROW_LEVEL' })
  const fromText = get('validFrom')
  const validFrom = fromText ? dayOf(fromText) : today
  if (!validFrom) reasons.push({ field: 'validFrom', code: 'EXTERNAL_ROW_DATE' })
  const toText = get('validTo')
  const validTo = toText ? dayOf(toText) : null
  if (toText && !validTo) reasons.push({ field: 'validTo', code: 'EXTERNAL_ROW_DATE' })
  if (validFrom && validTo && validTo <= validFrom)
    reasons.push({ field: 'validTo', code: 'EXTERNAL_ROW_DATES_ORDER' })
  const source = get('source').slice(0, 200)
  if (reasons.length || !level || !validFrom) return { ok: false, reasons }
  return { ok: true, value: { ...names, level, validFrom, validTo, source } }
}

/** The key of an entry's names: the same area however it is written (南京 / 南京市 / 全角). */
export function nameKeyOf(n: AreaNames): string {
  const k = normaliseNames(n)
  return [k.province, k.city, k.district, k.street, k.place].join('|')
}

/** in force / ended / not yet, on a local day (validTo exclusive). */
export type ExternalStatus = 'active' | 'ended' | 'upcoming'
export function statusOn(
  e: { validFrom: string; validTo: string | null },
  today: string,
): ExternalStatus {
  if (e.validTo !== null && e.validTo <= today) return 'ended'
  if (e.validFrom > today) return 'upcoming'
  return 'active'
}
