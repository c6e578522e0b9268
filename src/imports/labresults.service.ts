import { AppError } from '../core/errors.js'
import type { MessageParams } from '../core/i18n/messages.js'
import { readSheet, formatOf } from './imports.read.js'
import {
  cellText,
  isHeader,
  labColumnsOf,
  labRowOf,
  type LabColumns,
  type LabResultRow,
} from './labresults.rules.js'

/**
 * A lab's result file (.csv in UTF-8 or GBK, or .xlsx): one row per tube. Columns are found by
 * name in Chinese or English (labresults.rules); a file without a tube or a result column is
 * refused as a whole, naming what was found.
 */

export type { LabColumn, LabResultRow } from './labresults.rules.js'

/** A result file refused as a whole (400 on `file`, with a catalogue code of testing/results.messages.ts). */
export class LabFileError extends AppError {
  constructor(
    code: 'RESULT_FILE_EMPTY' | 'RESULT_FILE_COLUMNS_MISSING' | 'RESULT_FILE_TOO_MANY_ROWS',
    params?: MessageParams,
  ) {
    super(400, code, undefined, { field: 'file', params })
  }
}

/** The most rows one file may carry (the service reads a file whole, in one transaction). */
export const MAX_RESULT_ROWS = 500_000

export async function* readLabResults(
  path: string,
  fileName: string,
): AsyncGenerator<LabResultRow> {
  const rows = readSheet(path, formatOf(fileName))[Symbol.asyncIterator]()
  // The header is the first of the first ten non-empty rows that names a tube and a result column.
  let first: string[] | undefined
  let columns: LabColumns | undefined
  for (let r = await rows.next(), seen = 0; !r.done && seen < 10; r = await rows.next()) {
    const cells = r.value.cells.map(cellText)
    if (!cells.some((c) => c !== '')) continue
    seen++
    first ??= cells
    const found = labColumnsOf(cells)
    if (isHeader(found)) {
      columns = found
      break
    }
  }
  if (!first) throw new LabFileError('RESULT_FILE_EMPTY')
  if (!columns)
    throw new LabFileError('RESULT_FILE_COLUMNS_MISSING', {
      found: first.filter(Boolean).join(', ').slice(0, 300) || '—',
    })
  for (let r = await rows.next(); !r.done; r = await rows.next()) {
    const row = labRowOf(r.value.rowNo, r.value.cells.map(cellText), columns)
    if (row) yield row
  }
}

/** A whole result file, at most MAX_RESULT_ROWS rows. */
export async function readLabResultFile(path: string, fileName: string): Promise<LabResultRow[]> {
  const out: LabResultRow[] = []
  for await (const r of readLabResults(path, fileName)) {
    out.push(r)
    if (out.length > MAX_RESULT_ROWS)
      throw new LabFileError('RESULT_FILE_TOO_MANY_ROWS', { max: MAX_RESULT_ROWS })
  }
  return out
}
