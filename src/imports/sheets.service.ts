import { formatOf, readSheet } from './imports.read.js'
import { normaliseHeader } from './imports.headers.js'
import { cellText } from './imports.rules.js'

/**
 * The spreadsheet readers for other domains' imports (the external risk-area list, …): a .csv in
 * UTF-8 or GBK or a streamed .xlsx, row by row with its row number, each cell as trimmed text
 * (a date cell as YYYY-MM-DD). A file of another format is refused on `file`.
 */
export async function* readSheetRows(
  path: string,
  fileName: string,
): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  for await (const r of readSheet(path, formatOf(fileName)))
    yield { rowNo: r.rowNo, cells: r.cells.map(cellText) }
}

export { normaliseHeader }
