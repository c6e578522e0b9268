import fs from 'node:fs'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { AppError, invalid } from '../core/errors.js'
import type { Cell } from './imports.rules.js'

export type Encoding = 'utf8' | 'gbk'

/**
 * Excel on Chinese Windows saves CSV as GBK. A file is UTF-8 when it has the BOM or its first
 * 64 KiB decode as strict UTF-8 (a GBK file with Chinese text practically never does).
 */
export function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8'
  try {
    // `stream: true`: a multi-byte character cut at the end of the sample is held back, not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return 'utf8'
  } catch {
    return 'gbk'
  }
}

export interface SheetRow {
  rowNo: number
  cells: Cell[]
}

export type RosterFormat = 'csv' | 'xlsx'

export function formatOf(fileName: string): RosterFormat {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv'
  if (lower.endsWith('.xlsx')) return 'xlsx'
  throw invalid('file', 'IMPORT_FILE_FORMAT', { name: fileName })
}

async function* csvRows(path: string): AsyncGenerator<SheetRow> {
  const fd = await fs.promises.open(path, 'r')
  const head = Buffer.alloc(64 * 1024)
  const { bytesRead } = await fd.read(head, 0, head.length, 0)
  await fd.close()
  const encoding = detectEncoding(head.subarray(0, bytesRead))
  const raw = fs.createReadStream(path)
  const source: NodeJS.ReadableStream =
    encoding === 'gbk' ? raw.pipe(iconv.decodeStream('gbk')) : raw
  const parser = source.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: false,
    }),
  )
  let rowNo = 0
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo++
    yield { rowNo, cells: record }
  }
}

function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date)
    return v
  if (typeof v === 'object') {
    const o = v as {
      richText?: { text: string }[]
      result?: unknown
      text?: unknown
      error?: unknown
    }
    if (o.richText) return o.richText.map((t) => t.text).join('')
    if ('result' in o) return cellValue(o.result)
    if (typeof o.text === 'string') return o.text
    if (o.error) return null
  }
  return String(v)
}

async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[]
      const cells: Cell[] = []
      for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]))
      yield { rowNo: row.number, cells }
    }
    break // the first sheet is the roster
  }
}

/** A file the parser gives up on is the uploader's to fix (400, field `file`), not a server error. */
function unreadable(format: RosterFormat, err: unknown): Error {
  if (err instanceof AppError || (err as NodeJS.ErrnoException).syscall) return err as Error
  if (format === 'csv') {
    const e = err as { code?: string; lines?: number }
    const line = typeof e.lines === 'number' ? e.lines : '?'
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') return invalid('file', 'IMPORT_CSV_QUOTE', { line })
    return invalid('file', 'IMPORT_CSV_UNREADABLE', { line })
  }
  return invalid('file', 'IMPORT_XLSX_UNREADABLE')
}

async function* guarded(
  format: RosterFormat,
  inner: AsyncGenerator<SheetRow>,
): AsyncGenerator<SheetRow> {
  try {
    yield* inner
  } catch (err) {
    throw unreadable(format, err)
  }
}

/** Every row of the first sheet, streamed: memory stays flat whatever the file size. */
export function readSheet(path: string, format: RosterFormat): AsyncGenerator<SheetRow> {
  return guarded(format, format === 'csv' ? csvRows(path) : xlsxRows(path))
}
