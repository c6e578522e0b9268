import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { maskIdNumber, maskPhone } from '../core/pii/mask.js'
import type { Lang } from '../core/i18n/messages.js'
import type { ColumnMapping } from './imports.headers.js'
import { lostNumberText } from './imports.rules.js'
import type { RowReason } from './imports.schema.js'
import { describeReasons, importText } from './imports.text.js'

export interface ErrorFileRow {
  rowNo: number
  column: string
  reason: string
  code?: string | null
  /** Every reason as data; rows stored before reasons were have only `column` and `reason`. */
  reasons?: RowReason[] | null
  cells: unknown[]
}

/** Codes of rows stored before every reason was a code, in today's catalogue. */
const LEGACY_CODES: Record<string, string> = {
  NUL_BYTE: 'ROW_NUL_BYTE',
  ID_REGISTERED_ELSEWHERE: 'ID_REGISTERED_ELSEWHERE_DRY_RUN',
}

/** The column and reason of a row in the reader's language (the stored text for rows from before codes). */
function columnAndReason(
  lang: Lang,
  r: ErrorFileRow,
  headers: readonly string[],
): { column: string; reason: string } {
  if (r.reasons?.length) return describeReasons(lang, r.reasons, {}, headers)
  const legacy = r.code ? LEGACY_CODES[r.code] : undefined
  return { column: r.column, reason: legacy ? importText(lang, legacy) : r.reason }
}

/**
 * A cell as the error file writes it: a number the spreadsheet could not keep exactly stays the
 * text the user must fix (3.20102198808296E+17), which the next import refuses again unless fixed.
 */
const text = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)
      ? lostNumberText(v)
      : String(v)
/** 15 to 18 characters of digits (and a final X): an ID number wherever it was typed. */
const ID_LIKE = /(?<![\dXx])\d{14,17}[\dXx](?![\dXx])/g
/** An 11-digit mobile, with or without separators. */
const PHONE_LIKE = /(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g

/**
 * The error file as the importer gets it by default: the ID and phone columns masked like
 * everywhere else (320102********0039, 138****1234), and any other cell that holds an ID
 * number or a mobile masked too (it may sit in 备注 or a wrongly mapped column).
 */
export function maskRejectedRows<T extends ErrorFileRow>(rows: T[], mapping: ColumnMapping): T[] {
  return rows.map((r) => ({
    ...r,
    cells: r.cells.map((v, i) => {
      const s = text(v).trim()
      if (!s) return v
      if (i === mapping.idNumber) return maskIdNumber(s.replace(/^'/, ''))
      if (i === mapping.phone) return maskPhone(s.replace(/[\s-]/g, ''))
      if (typeof v !== 'string' && typeof v !== 'number') return v
      return s
        .replace(ID_LIKE, (m) => maskIdNumber(m))
        .replace(PHONE_LIKE, (m) => maskPhone(m.replace(/[\s-]/g, '')))
    }),
  }))
}

/** The three columns the error file adds after the file's own: row, column at fault, reason. */
export function rejectedFileColumns(lang: Lang): string[] {
  return [
    importText(lang, 'ERRORFILE_ROW'),
    importText(lang, 'ERRORFILE_COLUMN'),
    importText(lang, 'ERRORFILE_REASON'),
  ]
}

/** The error file's name: the roster's, then 未导入 (and 已脱敏), in the reader's language. */
export function rejectedFileName(lang: Lang, fileName: string, masked: boolean): string {
  const base = importText(lang, 'ERRORFILE_NAME', {
    name: fileName.replace(/\.(csv|xlsx|txt)$/i, ''),
  })
  return `${base}${masked ? '-' + importText(lang, 'ERRORFILE_MASKED') : ''}.xlsx`
}

/**
 * The rejected rows as an .xlsx the user fixes and imports again: the original columns, then
 * the column at fault and the reason, every cell as text so Excel cannot mangle ID numbers.
 */
export function rejectedRowsWorkbook(
  headers: string[],
  rows: ErrorFileRow[],
  lang: Lang = 'zh-CN',
): Readable {
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet(importText(lang, 'ERRORFILE_SHEET'))
  ws.columns = [
    ...headers.map((h) => ({
      header: h,
      width: Math.max(10, h.length * 2 + 4),
      style: { numFmt: '@' },
    })),
    ...rejectedFileColumns(lang).map((header, i) => ({ header, width: [8, 12, 60][i]! })),
  ]
  for (const r of rows) {
    // NUL and other control characters cannot go into the sheet's XML: shown as ␀ so the user finds them.
    const cells = headers.map((_, i) =>
      // eslint-disable-next-line no-control-regex
      text(r.cells[i]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '␀'),
    )
    const { column, reason } = columnAndReason(lang, r, headers)
    ws.addRow([...cells, r.rowNo, column, reason]).commit()
  }
  ws.commit()
  void wb.commit()
  return out
}
