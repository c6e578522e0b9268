import type { RosterPerson } from '../registry/roster.service.js'
import { recogniseHeaders, vocab, type ColumnMapping, type RosterField } from './imports.headers.js'
import type { RowReason } from './imports.schema.js'
import { buildingKindOf, villagerGroupCode } from '../registry/roster.service.js'

/**
 * The pure steps of reading a roster: which row is the header, and how one sheet row becomes a
 * roster row: merged cells filled down, identifiers repaired without guessing (and each repair
 * reported), every problem of the row reported with its field, a code and params.
 */

/** One cell as a reader gives it: xlsx cells keep their type, CSV cells are strings. */
export type Cell = string | number | boolean | Date | null | undefined

/** A registry roster person, still addressed by the cells of the sheet instead of a household. */
export interface RosterRow extends Omit<RosterPerson, 'place'> {
  grid: string | undefined
  building: string
  unit: string
  room: string
}

/**
 * `cells` is the row with merged cells filled in: what the error file gives back to fix.
 * A row with reasons still carries what could be read, so the later checks (place, ID) report
 * their problems too; a field that had a problem is listed in `bad`.
 */
export type ParsedRow =
  | { ok: 'empty' }
  | {
      ok: boolean
      row: RosterRow
      reasons: RowReason[]
      repairs: RowReason[]
      cells: Cell[]
      bad: Set<RosterField>
    }

export interface RowContext {
  /** Last non-empty building/unit seen: merged cells leave the rows below empty. */
  lastBuilding: string | undefined
  lastUnit: string | undefined
  /** The building column is a 村民小组 or 街巷 one (HeaderGuess.houses): its cells are groups or streets. */
  houses?: 'villager_group' | 'street' | undefined
}

/** The column labels used when a file has no header for a field (and in messages). */
export const LABELS: Record<RosterField, string> = {
  name: '姓名',
  idNumber: '身份证号',
  idType: '证件类型',
  phone: '联系电话',
  sex: '性别',
  birthDate: '出生日期',
  grid: '网格',
  building: '楼栋',
  unit: '单元',
  room: '房号',
  relation: '户主关系',
  residenceType: '人员类型',
  employer: '工作单位',
  notes: '备注',
  tags: '标签',
  hukouAddress: '户籍地',
  lifeStatus: '人员状态',
  statusPlace: '去向',
  representative: '户代表',
  occupancy: '房屋状态',
}

/** The file's own header of a field (证件号码, 门牌号), or its usual label when the file has none. */
export function columnOf(
  field: string,
  mapping: ColumnMapping,
  headers: readonly string[] | undefined,
): string {
  // `#3`: a column no field is mapped to (a NUL in an unmapped column).
  const nth = /^#(\d+)$/.exec(field)
  const i = nth ? Number(nth[1]) - 1 : mapping[field as RosterField]
  const own = i === undefined ? undefined : headers?.[i]?.trim()
  return own || LABELS[field as RosterField] || (nth ? `#${nth[1]}` : field)
}

export function headerSignature(headers: readonly string[]): string {
  return headers.map((h) => h.trim()).join('\u0001')
}

/** The header row is the one of the first ten that names the most roster columns (titles sit above it); -1 if none. */
export function pickHeaderRow(rows: readonly { cells: Cell[] }[]): number {
  let best = -1
  let bestScore = 0
  rows.slice(0, 10).forEach((r, i) => {
    const score = Object.keys(recogniseHeaders(r.cells.map((c) => String(c ?? ''))).mapping).length
    if (score > bestScore) {
      best = i
      bestScore = score
    }
  })
  return best
}

export function cellText(c: Cell): string {
  if (c === null || c === undefined) return ''
  if (c instanceof Date) return c.toISOString().slice(0, 10)
  return String(c).trim()
}

const reason = (
  field: string,
  code: string,
  params?: Record<string, string | number>,
): RowReason => ({ code, field, ...(params ? { params } : {}) })

/**
 * A number too long for a spreadsheet to keep exactly, as Excel shows it: 15 significant digits
 * in scientific form (320102198808295761 → 3.20102198808296E+17). Never the plausible-looking
 * 320102198808296000 that String() gives: that would pass for an ID number on the next import.
 */
export function lostNumberText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n)
  const [mantissa, exponent] = n.toPrecision(15).toUpperCase().split('E')
  if (exponent === undefined) return mantissa!
  return `${mantissa!.replace(/\.?0+$/, '')}E${exponent.startsWith('-') ? '' : '+'}${exponent.replace(/^\+/, '')}`
}

/**
 * An identifier (ID number, phone) as typed: a number cell is exact only when it fits in a
 * double; full-width characters, spaces and dashes, a lowercase x and a +86 are repaired, and
 * each repair is reported. What is left is checked by the registry's rules.
 */
export function readIdentifier(
  c: Cell,
  field: 'idNumber' | 'phone',
): { value: string; repairs: RowReason[] } | { reason: RowReason } {
  const repairs: RowReason[] = []
  if (typeof c === 'number') {
    if (!Number.isSafeInteger(c))
      return { reason: reason(field, 'ROW_LOST_DIGITS', { value: lostNumberText(c) }) }
    return { value: String(c), repairs: [reason(field, 'REPAIR_NUMBER_AS_TEXT')] }
  }
  let s = cellText(c).replace(/^'/, '')
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(s))
    return { reason: reason(field, 'ROW_LOST_DIGITS', { value: s }) }
  const nfkc = s.normalize('NFKC')
  if (nfkc !== s) {
    repairs.push(reason(field, 'REPAIR_FULL_WIDTH'))
    s = nfkc
  }
  if (field === 'phone') {
    const prefix = /^(\+86|0086)/.exec(s.replace(/[\s\-()]/g, ''))?.[1]
    if (prefix) {
      repairs.push(reason(field, 'REPAIR_COUNTRY_CODE', { prefix }))
      s = s.replace(/[\s\-()]/g, '').slice(prefix.length)
    }
  }
  const compact = s.replace(/[\s\-()]/g, '')
  if (compact !== s) {
    repairs.push(reason(field, 'REPAIR_SPACES_REMOVED'))
    s = compact
  }
  if (field === 'idNumber' && /^\d{17}x$/.test(s)) {
    repairs.push(reason(field, 'REPAIR_LOWERCASE_X'))
    s = s.toUpperCase()
  }
  return { value: s, repairs }
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** Birth dates as people and spreadsheets write them. */
export function normaliseDate(
  c: Cell,
): { value: string | undefined; repair?: RowReason } | { reason: RowReason } {
  if (c === null || c === undefined || c === '') return { value: undefined }
  if (c instanceof Date) return { value: c.toISOString().slice(0, 10) }
  if (typeof c === 'number') {
    if (c > 1 && c < 80_000 && Number.isInteger(c)) {
      const value = new Date(EXCEL_EPOCH + c * 86_400_000).toISOString().slice(0, 10)
      return { value, repair: reason('birthDate', 'REPAIR_EXCEL_DATE', { value }) }
    }
    if (c >= 18_800_101 && c <= 21_001_231) c = String(c)
    else return { reason: reason('birthDate', 'ROW_NOT_A_DATE', { value: String(c) }) }
  }
  const s = String(c).trim().normalize('NFKC')
  const m =
    s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/) ??
    s.match(/^(\d{4})(\d{2})(\d{2})$/)
  if (!m) return { reason: reason('birthDate', 'ROW_NOT_A_DATE', { value: s }) }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d)
    return { reason: reason('birthDate', 'ROW_DATE_DOES_NOT_EXIST', { value: s }) }
  return { value: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` }
}

/** "12栋", "12号楼", "12幢" → "12"; "1单元" → "1"; numbers as typed; full-width digits as digits. */
export function normaliseAddressPart(c: Cell, kind: 'building' | 'unit' | 'room'): string {
  let s = cellText(c).normalize('NFKC').replace(/\s+/g, '')
  if (typeof c === 'number') s = String(c)
  if (kind === 'building') s = s.replace(/(号楼|栋|幢|号|楼)$/, '')
  if (kind === 'unit') s = s.replace(/(单元|单|号)$/, '')
  if (kind === 'room') s = s.replace(/(室|号)$/, '')
  return s
}

/** The first column that holds a NUL character (never typed on purpose; PostgreSQL cannot store it). */
export function nulColumn(cells: Cell[]): number {
  return cells.findIndex((c) => typeof c === 'string' && c.includes('\u0000'))
}

/** Step 1: the address, with building and unit filled down from the row above (merged cells). */
export function readAddress(
  get: (f: RosterField) => Cell,
  mapping: ColumnMapping,
  ctx: RowContext,
  filled: Cell[],
): { building: string; unit: string; room: string; repairs: RowReason[] } {
  const repairs: RowReason[] = []
  let building = normaliseAddressPart(get('building'), 'building')
  // "三组", "第三村民小组", or "3" in a 村民小组 column: one code, "3组".
  if (building && (ctx.houses === 'villager_group' || /组$/.test(building)))
    building = villagerGroupCode(building) ?? building
  let unit = normaliseAddressPart(get('unit'), 'unit')
  const room = normaliseAddressPart(get('room'), 'room')
  if (!building && ctx.lastBuilding) {
    building = ctx.lastBuilding
    filled[mapping.building!] = building
    repairs.push(reason('building', 'REPAIR_MERGED_CELL', { value: building }))
  }
  if (!unit && ctx.lastUnit && mapping.unit !== undefined) {
    unit = ctx.lastUnit
    filled[mapping.unit] = unit
    repairs.push(reason('unit', 'REPAIR_MERGED_CELL', { value: unit }))
  }
  if (building) ctx.lastBuilding = building
  if (unit) ctx.lastUnit = unit
  return { building, unit, room, repairs }
}

/** A word from a closed list (证件类型, 性别, 户主关系, 人员类型): undefined when empty, a reason when unknown. */
function readChoice<T extends string>(
  raw: string,
  field: RosterField,
  lookup: (s: string) => T | undefined,
  code: string,
): { value: T | undefined } | { reason: RowReason } {
  if (!raw) return { value: undefined }
  const value = lookup(raw)
  return value ? { value } : { reason: reason(field, code, { value: raw }) }
}

/** Step 2: the tags, each one from the vocabulary; every unknown tag is a reason. */
export function readTags(raw: string): { tags: string[]; reasons: RowReason[] } {
  const tags: string[] = []
  const reasons: RowReason[] = []
  for (const word of raw.split(/[,，、;；\s]+/).filter(Boolean)) {
    const tag = vocab.tag(word)
    if (!tag) reasons.push(reason('tags', 'ROW_UNKNOWN_TAG', { value: word }))
    else if (!tags.includes(tag)) tags.push(tag)
  }
  return { tags, reasons }
}

const MAX_LENGTH: Partial<Record<RosterField, number>> = {
  name: 50,
  employer: 100,
  notes: 1000,
  hukouAddress: 200,
  statusPlace: 200,
}

/**
 * Step 3: the household and status facts a grid worker's roster carries (户籍地, 人员状态 with
 * 去向, 户代表, 房屋状态). What needs more than a cell is refused with where to do it: 死亡
 * (its date) and 集体户 (its kind and name) on the resident's and the household's pages.
 */
export function readFacts(
  get: (f: RosterField) => Cell,
  fail: (r: RowReason) => void,
): Pick<RosterRow, 'hukouAddress' | 'lifeStatus' | 'statusPlace' | 'representative' | 'occupancy'> {
  const cell = (f: RosterField): string => cellText(get(f))
  const hukouAddress = cell('hukouAddress') || undefined
  const statusPlace = cell('statusPlace') || undefined
  const choose = <T extends string>(
    f: RosterField,
    look: (s: string) => T | undefined,
    code: string,
  ) => readChoice(cell(f), f, look, code)
  const status = choose('lifeStatus', vocab.lifeStatus, 'ROW_UNKNOWN_STATUS')
  let lifeStatus: RosterRow['lifeStatus']
  if ('reason' in status) fail(status.reason)
  else if (status.value === 'deceased') fail(reason('lifeStatus', 'ROW_STATUS_DECEASED_ON_PAGE'))
  else if (status.value === 'away_long' && !statusPlace)
    fail(reason('statusPlace', 'ROW_STATUS_PLACE_REQUIRED'))
  else lifeStatus = status.value as RosterRow['lifeStatus']
  const occupied = choose('occupancy', vocab.occupancy, 'ROW_UNKNOWN_OCCUPANCY')
  let occupancy: RosterRow['occupancy']
  if ('reason' in occupied) fail(occupied.reason)
  else if (occupied.value === 'collective')
    fail(reason('occupancy', 'ROW_OCCUPANCY_COLLECTIVE_ON_PAGE'))
  else occupancy = occupied.value as RosterRow['occupancy']
  const rep = cell('representative')
  const representative = rep ? vocab.yesNo(rep) : undefined
  if (rep && representative === undefined)
    fail(reason('representative', 'ROW_UNKNOWN_YES_NO', { value: rep }))
  return {
    hukouAddress,
    lifeStatus,
    statusPlace: lifeStatus && lifeStatus !== 'active' ? statusPlace : undefined,
    representative,
    occupancy,
  }
}

/**
 * Turns one spreadsheet row into a roster row, repairing what can be repaired without
 * guessing (and saying so) and collecting every problem with its field and reason.
 */
export function parseRosterRow(
  cells: Cell[],
  mapping: ColumnMapping,
  rowNo: number,
  ctx: RowContext,
): ParsedRow {
  if (cells.every((c) => cellText(c) === '')) return { ok: 'empty' }
  const get = (f: RosterField): Cell => (mapping[f] === undefined ? undefined : cells[mapping[f]!])
  const filled = [...cells]
  const reasons: RowReason[] = []
  const bad = new Set<RosterField>()
  const fail = (r: RowReason): void => {
    reasons.push(r)
    bad.add(r.field as RosterField)
  }

  // The address first, so that merged cells are filled in for every row, rejected ones included.
  const address = readAddress(get, mapping, ctx, filled)
  const repairs = [...address.repairs]

  const nul = nulColumn(cells)
  if (nul >= 0) {
    // A NUL is never typed on purpose: the row is refused whatever else it holds.
    const field = (Object.keys(mapping) as RosterField[]).find((f) => mapping[f] === nul)
    fail({ code: 'ROW_NUL_BYTE', field: field ?? `#${nul + 1}` })
  }

  const name = cellText(get('name')).replace(/\s+/g, '')
  if (!name) fail(reason('name', 'ROW_EMPTY'))

  let idNumber = ''
  const id = readIdentifier(get('idNumber'), 'idNumber')
  if ('reason' in id) fail(id.reason)
  else if (!id.value) fail(reason('idNumber', 'ROW_EMPTY'))
  else {
    idNumber = id.value
    repairs.push(...id.repairs)
  }

  let phone: string | undefined
  if (cellText(get('phone')) !== '') {
    const p = readIdentifier(get('phone'), 'phone')
    if ('reason' in p) fail(p.reason)
    else {
      phone = p.value
      repairs.push(...p.repairs)
    }
  }

  const idType = readChoice(cellText(get('idType')), 'idType', vocab.idType, 'ROW_UNKNOWN_ID_TYPE')
  if ('reason' in idType) fail(idType.reason)
  const sex = readChoice(cellText(get('sex')), 'sex', vocab.sex, 'ROW_UNKNOWN_SEX')
  if ('reason' in sex) fail(sex.reason)
  const birth = normaliseDate(get('birthDate'))
  if ('reason' in birth) fail(birth.reason)
  else if (birth.repair) repairs.push(birth.repair)

  if (!address.building) fail(reason('building', 'ROW_EMPTY'))
  if (!address.unit) fail(reason('unit', 'ROW_EMPTY'))
  // A house of a villager group or a street without rooms is one household.
  if (!address.room && buildingKindOf(address.building) === 'block')
    fail(reason('room', 'ROW_EMPTY'))

  const relation = readChoice(
    cellText(get('relation')),
    'relation',
    vocab.relation,
    'ROW_UNKNOWN_RELATION',
  )
  if ('reason' in relation) fail(relation.reason)
  const residenceType = readChoice(
    cellText(get('residenceType')),
    'residenceType',
    vocab.residenceType,
    'ROW_UNKNOWN_RESIDENCE_TYPE',
  )
  if ('reason' in residenceType) fail(residenceType.reason)
  const tags = readTags(cellText(get('tags')))
  for (const r of tags.reasons) fail(r)

  const employer = cellText(get('employer')) || undefined
  const notes = cellText(get('notes')) || undefined
  const facts = readFacts(get, fail)
  for (const [field, value] of [
    ['name', name],
    ['employer', employer],
    ['notes', notes],
    ['hukouAddress', facts.hukouAddress],
    ['statusPlace', facts.statusPlace],
  ] as const) {
    const max = MAX_LENGTH[field]!
    if (value && value.length > max) fail(reason(field, 'ROW_TOO_LONG', { max }))
  }

  const value = <T>(r: { value: T } | { reason: RowReason }): T | undefined =>
    'value' in r ? r.value : undefined
  return {
    ok: reasons.length === 0,
    row: {
      rowNo,
      name,
      idType: value(idType),
      idNumber,
      phone,
      sex: value(sex),
      birthDate: value(birth),
      grid: cellText(get('grid')) || undefined,
      building: address.building,
      unit: address.unit,
      room: address.room,
      relation: value(relation),
      residenceType: value(residenceType) ?? 'registered',
      employer,
      notes,
      tags: tags.tags,
      ...facts,
    },
    reasons,
    repairs,
    cells: filled,
    bad,
  }
}

/** Where the CLI writes the rejected rows: where it was told, else beside the input, and never for a dry run it was not told to. */
export function errorFilePath(
  input: string,
  opts: { dryRun: boolean; errors?: string | undefined },
): string | undefined {
  if (opts.errors) return opts.errors
  if (opts.dryRun) return undefined
  return input.replace(/\.(csv|xlsx|txt)$/i, '') + '.rejected.xlsx'
}
