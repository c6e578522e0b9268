import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { maskIdNumber, maskPhone } from '../core/pii/mask.js'
import type { ColumnMapping } from './imports.headers.js'

export interface ErrorFileRow {
  rowNo: number
  column: string
  reason: string
  code?: string | null
  cells: unknown[]
}

/** Chinese wording of coded reasons (the file is read in Chinese). */
const REASONS: Record<string, string> = {
  NUL_BYTE: '含有空字符（\\0），请删除后重新导入',
  ID_REGISTERED_ELSEWHERE: '该证件号码已在您的管辖范围之外登记，迁入需由其登记所在社区确认（正式导入时提交迁入申请）',
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
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
      return s.replace(ID_LIKE, (m) => maskIdNumber(m)).replace(PHONE_LIKE, (m) => maskPhone(m.replace(/[\s-]/g, '')))
    }),
  }))
}

/**
 * The rejected rows as an .xlsx the user fixes and imports again: the original columns, then
 * the column at fault and the reason, every cell as text so Excel cannot mangle ID numbers.
 */
export function rejectedRowsWorkbook(headers: string[], rows: ErrorFileRow[]): Readable {
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('未导入的行')
  ws.columns = [...headers.map((h) => ({ header: h, width: Math.max(10, h.length * 2 + 4), style: { numFmt: '@' } })), { header: '原行号', width: 8 }, { header: '错误列', width: 12 }, { header: '原因', width: 60 }]
  for (const r of rows) {
    // NUL and other control characters cannot go into the sheet's XML: shown as ␀ so the user finds them.
    // eslint-disable-next-line no-control-regex
    const cells = headers.map((_, i) => text(r.cells[i]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '␀'))
    ws.addRow([...cells, r.rowNo, r.column, (r.code && REASONS[r.code]) || r.reason]).commit()
  }
  ws.commit()
  void wb.commit()
  return out
}
