import { normaliseHeader } from './imports.headers.js'

/**
 * Pure rules of a lab's result file: which column is which (by name, in Chinese or English),
 * which row is the header, and how a row's cells read.
 */
const COLUMNS = {
  tubeCode: [
    '管码',
    '试管编码',
    '试管条码',
    '采样管编码',
    '样本编码',
    '条码',
    'tube',
    'tubecode',
    'tube code',
    'barcode',
    'specimen',
  ],
  result: ['结果', '检测结果', '核酸结果', 'result', 'outcome'],
  retest: ['复检', '复测', '重测', 'retest', 'rerun'],
  resultedAt: [
    '检测时间',
    '报告时间',
    '出结果时间',
    'resultedat',
    'resulted at',
    'reported at',
    'time',
  ],
} as const

/** The Ct columns: one per gene the release check reads (domain.md §5, §7). */
export type CtColumn = 'ctN' | 'ctOrf1ab'

export type LabColumn = keyof typeof COLUMNS | CtColumn

/** Where each column is in a row of cell texts (-1: absent). */
export type LabColumns = Record<LabColumn, number>

/** Words around a gene's name in a Ct header: "N基因Ct值", "ORF1ab Ct", "Ct(N)", "CT value N gene". */
const CT_NOISE = /ct|值|value|基因|gene|target|靶标|[\s()（）[\]【】_\-.:：*＊/]/g
const CT_GENES: Record<string, CtColumn> = {
  n: 'ctN',
  ngene: 'ctN',
  orf1ab: 'ctOrf1ab',
  orf1a: 'ctOrf1ab',
  orf: 'ctOrf1ab',
  orf1: 'ctOrf1ab',
}

/**
 * Which gene's Ct a header names, or undefined. Unlike the other columns, the gene may sit in
 * brackets ("Ct(N)"), so brackets are kept as text here; a header without "Ct" is never a Ct column.
 */
export function ctColumnOf(header: string): CtColumn | undefined {
  const h = header.toLowerCase()
  if (!h.includes('ct')) return undefined
  return CT_GENES[h.replace(CT_NOISE, '')]
}

export interface LabResultRow {
  rowNo: number
  tubeCode: string
  result: string
  retest: boolean
  resultedAt?: string
  /** The cell texts of the Ct columns, when the file has them ('' for an empty cell). */
  ctN?: string
  ctOrf1ab?: string
}

/** A cell as text: dates as ISO, empty cells as ''. */
export function cellText(c: unknown): string {
  if (c instanceof Date) return c.toISOString()
  return c === null || c === undefined ? '' : String(c).trim()
}

export function labColumnsOf(cells: readonly string[]): LabColumns {
  const names = cells.map(normaliseHeader)
  const index = {} as LabColumns
  for (const [col, synonyms] of Object.entries(COLUMNS) as [LabColumn, readonly string[]][]) {
    index[col] = names.findIndex((n) => synonyms.some((s) => normaliseHeader(s) === n))
  }
  index.ctN = cells.findIndex((c) => ctColumnOf(c) === 'ctN')
  index.ctOrf1ab = cells.findIndex((c) => ctColumnOf(c) === 'ctOrf1ab')
  return index
}

/** Whether a row is the header: it names a tube and a result column (labs often put a title above it). */
export function isHeader(columns: LabColumns): boolean {
  return columns.tubeCode >= 0 && columns.result >= 0
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '复检'])

/** Lab files write local (Beijing) time without a zone: "2026-11-29 14:05", or "2026/11/29 14:05". */
export function localTime(s: string): string {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(s)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}+08:00` : s
}

/** One data row read through the header's columns, or undefined for a row with neither tube nor result. */
export function labRowOf(
  rowNo: number,
  cells: readonly string[],
  columns: LabColumns,
): LabResultRow | undefined {
  const at = (i: number): string => (i >= 0 ? (cells[i] ?? '') : '')
  const tubeCode = at(columns.tubeCode)
  const result = at(columns.result)
  if (!tubeCode && !result) return undefined
  const resultedAt = at(columns.resultedAt)
  const row: LabResultRow = {
    rowNo,
    tubeCode,
    result,
    retest: YES.has(at(columns.retest).toLowerCase()),
    resultedAt: resultedAt ? localTime(resultedAt) : undefined,
  }
  // An empty Ct cell is no value (a negative often has none); other text is judged by the results rules.
  const ctN = at(columns.ctN)
  const ctOrf1ab = at(columns.ctOrf1ab)
  if (ctN) row.ctN = ctN
  if (ctOrf1ab) row.ctOrf1ab = ctOrf1ab
  return row
}
