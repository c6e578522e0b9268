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

export type LabColumn = keyof typeof COLUMNS

/** Where each column is in a row of cell texts (-1: absent). */
export type LabColumns = Record<LabColumn, number>

export interface LabResultRow {
  rowNo: number
  tubeCode: string
  result: string
  retest: boolean
  resultedAt?: string
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
  return {
    rowNo,
    tubeCode,
    result,
    retest: YES.has(at(columns.retest).toLowerCase()),
    resultedAt: resultedAt ? localTime(resultedAt) : undefined,
  }
}
