import { interpolate, renderMessage, type Lang, type MessageParams } from '../core/i18n/messages.js'
import type { ColumnMapping } from './imports.headers.js'
import { identifierMessages } from '../core/pii/identifiers.messages.js'
import { importsMessages } from './imports.messages.js'
import { columnOf } from './imports.rules.js'
import type { Rejection, RowReason } from './imports.schema.js'

/**
 * The words of an import in one language: reasons and repairs from their codes, with the
 * file's own column headers. Pure: the report, the error file and the CLI use the same.
 */

const CATALOGUE: Record<string, { 'zh-CN': string; en: string }> = {
  ...identifierMessages,
  ...importsMessages,
}

/** A code's text; the import's own codes and the identifier checks' first (there without src/messages.ts installed), then every other. */
export function importText(lang: Lang, code: string, params?: MessageParams): string {
  const own = CATALOGUE[code]
  return own ? interpolate(own[lang], params) : renderMessage(lang, code, params)
}

/** Legacy reason codes of rows stored before every reason was a code. */
const LEGACY: Record<string, string> = { NUL_BYTE: 'ROW_NUL_BYTE' }

/** The reasons with the column each one names, and all of them as one text (columns named when there are several). */
export function describeReasons(
  lang: Lang,
  reasons: RowReason[],
  mapping: ColumnMapping,
  headers: readonly string[],
): { column: string; reason: string; reasons: RowReason[] } {
  const withColumns = reasons.map((r) => ({
    ...r,
    column: r.column ?? columnOf(r.field, mapping, headers),
  }))
  const columns = [...new Set(withColumns.map((r) => r.column))]
  const colon = lang === 'en' ? ': ' : '：'
  const texts = withColumns.map(
    (r) =>
      (columns.length > 1 ? r.column + colon : '') +
      importText(lang, LEGACY[r.code] ?? r.code, r.params),
  )
  return {
    column: columns.join('、'),
    reason: texts.join(importText(lang, 'REASON_SEPARATOR')),
    reasons: withColumns,
  }
}

export function toRejection(
  lang: Lang,
  rowNo: number,
  reasons: RowReason[],
  mapping: ColumnMapping,
  headers: readonly string[],
): Rejection {
  const d = describeReasons(lang, reasons, mapping, headers)
  return {
    rowNo,
    column: d.column,
    code: d.reasons[0]?.code ?? 'VALIDATION',
    reason: d.reason,
    reasons: d.reasons,
  }
}

export function repairedRowOf(
  lang: Lang,
  rowNo: number,
  repairs: RowReason[],
  mapping: ColumnMapping,
  headers: readonly string[],
): { rowNo: number; notes: string[]; repairs: RowReason[] } {
  const withColumns = repairs.map((r) => ({ ...r, column: columnOf(r.field, mapping, headers) }))
  const colon = lang === 'en' ? ': ' : '：'
  return {
    rowNo,
    notes: withColumns.map((r) => r.column + colon + importText(lang, r.code, r.params)),
    repairs: withColumns,
  }
}
