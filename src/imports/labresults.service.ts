import { AppError } from '../core/errors.js'
import type { MessageParams } from '../core/i18n/messages.js'
import { readSheet, formatOf, type SheetRow } from './imports.read.js'
import { normaliseHeader } from './imports.headers.js'

/**
 * A lab's result file (.csv in UTF-8 or GBK, or .xlsx): one row per tube. Columns are found by
 * name in Chinese or English; a file without a tube or a result column is refused as a whole,
 * naming what is missing and what was found.
 */
const COLUMNS = {
  tubeCode: ['管码', '试管编码', '试管条码', '采样管编码', '样本编码', '条码', 'tube', 'tubecode', 'tube code', 'barcode', 'specimen'],
  result: ['结果', '检测结果', '核酸结果', 'result', 'outcome'],
  retest: ['复检', '复测', '重测', 'retest', 'rerun'],
  resultedAt: ['检测时间', '报告时间', '出结果时间', 'resultedat', 'resulted at', 'reported at', 'time'],
} as const

export type LabColumn = keyof typeof COLUMNS

export interface LabResultRow {
  rowNo: number
  tubeCode: string
  result: string
  retest: boolean
  resultedAt?: string
}

/** A result file refused as a whole (400 on `file`, with a catalogue code of testing/results.messages.ts). */
export class LabFileError extends AppError {
  constructor(code: 'RESULT_FILE_EMPTY' | 'RESULT_FILE_COLUMNS_MISSING' | 'RESULT_FILE_TOO_MANY_ROWS', params?: MessageParams) {
    super(400, code, undefined, { field: 'file', params })
  }
}

/** The most rows one file may carry (the service reads a file whole, in one transaction). */
export const MAX_RESULT_ROWS = 500_000

const YES = new Set(['是', 'y', 'yes', 'true', '1', '复检'])

/** Lab files write local (Beijing) time without a zone: "2026-11-29 14:05", or "2026/11/29 14:05". */
function localTime(s: string): string {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(s)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}+08:00` : s
}

function text(c: unknown): string {
  if (c instanceof Date) return c.toISOString()
  return c === null || c === undefined ? '' : String(c).trim()
}

export async function* readLabResults(path: string, fileName: string): AsyncGenerator<LabResultRow> {
  const rows = readSheet(path, formatOf(fileName))[Symbol.asyncIterator]()
  // The header is the first row naming a tube and a result column; labs often put a title above it.
  const columnsOf = (row: SheetRow): Record<LabColumn, number> => {
    const names = row.cells.map((c) => normaliseHeader(text(c)))
    const index = {} as Record<LabColumn, number>
    for (const [col, synonyms] of Object.entries(COLUMNS) as [LabColumn, readonly string[]][]) {
      index[col] = names.findIndex((n) => synonyms.some((s) => normaliseHeader(s) === n))
    }
    return index
  }
  let first: SheetRow | undefined
  let index: Record<LabColumn, number> | undefined
  for (let r = await rows.next(), seen = 0; !r.done && seen < 10; r = await rows.next()) {
    if (!r.value.cells.some((c) => text(c) !== '')) continue
    seen++
    first ??= r.value
    const found = columnsOf(r.value)
    if (found.tubeCode >= 0 && found.result >= 0) {
      index = found
      break
    }
  }
  if (!first) throw new LabFileError('RESULT_FILE_EMPTY')
  if (!index) throw new LabFileError('RESULT_FILE_COLUMNS_MISSING', { found: first.cells.map(text).filter(Boolean).join(', ').slice(0, 300) || '—' })
  for (let r = await rows.next(); !r.done; r = await rows.next()) {
    const cells = r.value.cells
    const tubeCode = text(cells[index.tubeCode])
    const result = text(cells[index.result])
    if (!tubeCode && !result) continue
    yield {
      rowNo: r.value.rowNo,
      tubeCode,
      result,
      retest: index.retest >= 0 && YES.has(text(cells[index.retest]).toLowerCase()),
      resultedAt: index.resultedAt >= 0 && text(cells[index.resultedAt]) ? localTime(text(cells[index.resultedAt])) : undefined,
    }
  }
}

/** A whole result file, at most MAX_RESULT_ROWS rows. */
export async function readLabResultFile(path: string, fileName: string): Promise<LabResultRow[]> {
  const out: LabResultRow[] = []
  for await (const r of readLabResults(path, fileName)) {
    out.push(r)
    if (out.length > MAX_RESULT_ROWS) throw new LabFileError('RESULT_FILE_TOO_MANY_ROWS', { max: MAX_RESULT_ROWS })
  }
  return out
}
