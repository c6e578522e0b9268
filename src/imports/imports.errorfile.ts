import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'

/**
 * The rejected rows as an .xlsx the user fixes and imports again: the original columns, then
 * the column at fault and the reason, every cell as text so Excel cannot mangle ID numbers.
 */
export function rejectedRowsWorkbook(headers: string[], rows: { rowNo: number; column: string; reason: string; cells: unknown[] }[]): Readable {
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('未导入的行')
  ws.columns = [...headers.map((h) => ({ header: h, width: Math.max(10, h.length * 2 + 4), style: { numFmt: '@' } })), { header: '原行号', width: 8 }, { header: '错误列', width: 12 }, { header: '原因', width: 60 }]
  for (const r of rows) {
    const cells = headers.map((_, i) => {
      const v = r.cells[i]
      return v === null || v === undefined ? '' : String(v)
    })
    ws.addRow([...cells, r.rowNo, r.column, r.reason]).commit()
  }
  ws.commit()
  void wb.commit()
  return out
}
