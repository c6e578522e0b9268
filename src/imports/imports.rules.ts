import type { RosterPerson } from '../registry/roster.service.js'
import { vocab, type ColumnMapping, type RosterField } from './imports.headers.js'

/** One cell as a reader gives it: xlsx cells keep their type, CSV cells are strings. */
export type Cell = string | number | boolean | Date | null | undefined

/** A registry roster person, still addressed by the cells of the sheet instead of a household. */
export interface RosterRow extends Omit<RosterPerson, 'place'> {
  grid: string | undefined
  building: string
  unit: string
  room: string
}

export interface Rejection {
  rowNo: number
  column: string
  reason: string
  /** A stable code for reasons the web app words itself (NUL_BYTE, ID_REGISTERED_ELSEWHERE, ...). */
  code?: string
}

/** NUL cannot be stored in a PostgreSQL text and is never typed on purpose: the row is refused. */
export const NUL_REASON = 'contains a NUL character (\\0); delete it and import the row again'

/** `cells` is the row with merged cells filled in: what the error file gives back to fix. */
export type ParsedRow = { ok: true; row: RosterRow; repairs: string[]; cells: Cell[] } | { ok: false; rejection: Rejection; cells: Cell[] } | { ok: 'empty' }

const LOST_DIGITS = 'Excel stored it as a number and lost digits; format the column as Text and enter it again'

function text(c: Cell): string {
  if (c === null || c === undefined) return ''
  if (c instanceof Date) return c.toISOString().slice(0, 10)
  return String(c).trim()
}

/** An identifier typed into a number cell: exact only when it fits in a double. */
function identifierCell(c: Cell, label: string, repairs: string[]): { value: string } | { reason: string } {
  if (typeof c === 'number') {
    if (!Number.isSafeInteger(c)) return { reason: LOST_DIGITS }
    repairs.push(`${label}: was stored as a number; read as text`)
    return { value: String(c) }
  }
  const s = text(c).replace(/^'/, '')
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(s)) return { reason: `${s}: ${LOST_DIGITS}` }
  return { value: s }
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** Birth dates as people and spreadsheets write them. */
export function normaliseDate(c: Cell, repairs: string[]): { value: string | undefined } | { reason: string } {
  if (c === null || c === undefined || c === '') return { value: undefined }
  if (c instanceof Date) return { value: c.toISOString().slice(0, 10) }
  if (typeof c === 'number') {
    if (c > 1 && c < 80_000 && Number.isInteger(c)) {
      repairs.push('birthDate: Excel date serial converted')
      return { value: new Date(EXCEL_EPOCH + c * 86_400_000).toISOString().slice(0, 10) }
    }
    if (c >= 18_800_101 && c <= 21_001_231) c = String(c)
    else return { reason: `${c} is not a date` }
  }
  const s = String(c).trim()
  const m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/) ?? s.match(/^(\d{4})(\d{2})(\d{2})$/)
  if (!m) return { reason: `${s} is not a date (use YYYY-MM-DD)` }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return { reason: `${s} does not exist` }
  return { value: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` }
}

/** "12栋", "12号楼", "12幢" → "12"; "1单元" → "1"; numbers as typed. */
export function normaliseAddressPart(c: Cell, kind: 'building' | 'unit' | 'room'): string {
  let s = text(c).replace(/\s+/g, '')
  if (typeof c === 'number') s = String(c)
  if (kind === 'building') s = s.replace(/(号楼|栋|幢|号|楼)$/, '')
  if (kind === 'unit') s = s.replace(/(单元|单|号)$/, '')
  if (kind === 'room') s = s.replace(/(室|号)$/, '')
  return s
}

export interface RowContext {
  /** Last non-empty building/unit seen: merged cells leave the rows below empty. */
  lastBuilding: string | undefined
  lastUnit: string | undefined
}

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
}

/**
 * Turns one spreadsheet row into a roster row, repairing what can be repaired without
 * guessing (and saying so) and rejecting the rest with the column and the reason.
 */
export function parseRosterRow(cells: Cell[], mapping: ColumnMapping, rowNo: number, ctx: RowContext, headers?: string[]): ParsedRow {
  if (cells.every((c) => text(c) === '')) return { ok: 'empty' }
  const get = (f: RosterField): Cell => (mapping[f] === undefined ? undefined : cells[mapping[f]!])
  const filled = [...cells]
  const reject = (f: RosterField, reason: string): ParsedRow => ({ ok: false, rejection: { rowNo, column: LABELS[f], reason }, cells: filled })
  const nul = cells.findIndex((c) => typeof c === 'string' && c.includes('\u0000'))
  if (nul >= 0) {
    const field = (Object.keys(mapping) as RosterField[]).find((f) => mapping[f] === nul)
    const column = field ? LABELS[field] : (headers?.[nul] ?? '') || `第${nul + 1}列`
    return { ok: false, rejection: { rowNo, column, reason: NUL_REASON, code: 'NUL_BYTE' }, cells: filled }
  }
  const repairs: string[] = []

  // Address first, so that merged cells are filled in for every row, rejected ones included.
  let building = normaliseAddressPart(get('building'), 'building')
  let unit = normaliseAddressPart(get('unit'), 'unit')
  const room = normaliseAddressPart(get('room'), 'room')
  if (!building && ctx.lastBuilding) {
    building = ctx.lastBuilding
    filled[mapping.building!] = building
    repairs.push(`building: empty, taken from the row above (merged cell) as ${building}`)
  }
  if (!unit && ctx.lastUnit && mapping.unit !== undefined) {
    unit = ctx.lastUnit
    filled[mapping.unit] = unit
    repairs.push(`unit: empty, taken from the row above (merged cell) as ${unit}`)
  }
  if (building) ctx.lastBuilding = building
  if (unit) ctx.lastUnit = unit

  const name = text(get('name')).replace(/\s+/g, '')
  if (!name) return reject('name', 'empty')
  if (name.length > 50) return reject('name', 'longer than 50 characters')

  const id = identifierCell(get('idNumber'), 'idNumber', repairs)
  if ('reason' in id) return reject('idNumber', id.reason)
  if (!id.value) return reject('idNumber', 'empty')

  let phone: string | undefined
  const phoneCell = get('phone')
  if (text(phoneCell) !== '') {
    const p = identifierCell(phoneCell, 'phone', repairs)
    if ('reason' in p) return reject('phone', p.reason)
    phone = p.value
  }

  let idType: string | undefined
  if (text(get('idType'))) {
    idType = vocab.idType(text(get('idType')))
    if (!idType) return reject('idType', `unknown document type "${text(get('idType'))}"`)
  }

  let sex: 'male' | 'female' | undefined
  if (text(get('sex'))) {
    sex = vocab.sex(text(get('sex')))
    if (!sex) return reject('sex', `"${text(get('sex'))}" is neither 男 nor 女`)
  }

  const birth = normaliseDate(get('birthDate'), repairs)
  if ('reason' in birth) return reject('birthDate', birth.reason)

  if (!building) return reject('building', 'empty')
  if (!unit) return reject('unit', 'empty')
  if (!room) return reject('room', 'empty')

  let relation: string | undefined
  if (text(get('relation'))) {
    relation = vocab.relation(text(get('relation')))
    if (!relation) return reject('relation', `unknown relation "${text(get('relation'))}"`)
  }
  let residenceType = 'registered'
  if (text(get('residenceType'))) {
    const r = vocab.residenceType(text(get('residenceType')))
    if (!r) return reject('residenceType', `unknown type "${text(get('residenceType'))}" (户籍/常住/流动/租户)`)
    residenceType = r
  }
  const tags: string[] = []
  for (const raw of text(get('tags')).split(/[,，、;；\s]+/).filter(Boolean)) {
    const tag = vocab.tag(raw)
    if (!tag) return reject('tags', `unknown tag "${raw}"`)
    if (!tags.includes(tag)) tags.push(tag)
  }
  const employer = text(get('employer')) || undefined
  const notes = text(get('notes')) || undefined
  if (employer && employer.length > 100) return reject('employer', 'longer than 100 characters')
  if (notes && notes.length > 1000) return reject('notes', 'longer than 1000 characters')

  return {
    ok: true,
    row: {
      rowNo,
      name,
      idType,
      idNumber: id.value,
      phone,
      sex,
      birthDate: birth.value,
      grid: text(get('grid')) || undefined,
      building,
      unit,
      room,
      relation,
      residenceType,
      employer,
      notes,
      tags,
    },
    repairs,
    cells: filled,
  }
}
