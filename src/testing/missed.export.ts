import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { pathInScope } from '../core/scope/scope.js'
import { beginExport, type ExportAudit } from '../core/audit/export-audit.js'
import { renderMessage, type Lang } from '../core/i18n/messages.js'
import type { Keyring } from '../core/pii/keyring.js'
import { allMissed } from './missed.service.js'
import type { MissedItem } from './missed.schema.js'
import type { ResultsMessageCode } from './results.messages.js'
import { visibleRound } from './testing.service.js'

/** The sheet's columns, in order, with their widths; headers come from the catalogue (MISSED_EXPORT_COL_<key>). */
const COLUMNS = [
  { key: 'grid', width: 12 },
  { key: 'household', width: 24 },
  { key: 'name', width: 12 },
  { key: 'age', width: 8 },
  { key: 'phone', width: 14 },
  { key: 'reason', width: 14 },
  { key: 'found', width: 28 },
  { key: 'note', width: 16 },
] as const

/** The column headers of the export in a language (also what its audit entry lists). */
export function missedExportHeaders(lang: Lang): string[] {
  return COLUMNS.map((c) =>
    renderMessage(lang, `MISSED_EXPORT_COL_${c.key}` satisfies ResultsMessageCode),
  )
}

/** The file name of a round's export, in the requester's language. */
export function missedExportFileName(lang: Lang, roundName: string): string {
  return `${roundName}-${renderMessage(lang, 'MISSED_EXPORT_SHEET')}.xlsx`
}

function missedRow(m: MissedItem, lang: Lang, gridNames: Map<string, string>): (string | number)[] {
  const reason = m.reason
    ? renderMessage(lang, `MISSED_REASON_${m.reason}` satisfies ResultsMessageCode)
    : ''
  return [
    gridNames.get(m.gridPath) ?? m.gridPath,
    m.household ?? '',
    m.name,
    m.age ?? '',
    m.phone ?? '',
    reason,
    '',
    m.note ?? '',
  ]
}

export interface MissedExport {
  stream: Readable
  audit: ExportAudit
  /** Rows written so far (read when the download finishes or stops). */
  rows: () => number
}

/**
 * The missed-test list of a round as .xlsx for the paper round at the door, in the requester's
 * language: by grid, in walking order, phones masked, a blank column to write what was found.
 * The `testing.missed_export` entry (who, round, grid filter, columns) is committed before the
 * caller sends any header; the route records completion or abort when the download ends
 * (core/audit/export-audit).
 */
export async function exportMissed(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  grid: string | undefined,
  gridNames: Map<string, string>,
  lang: Lang = 'zh-CN',
): Promise<MissedExport> {
  requireAccess(actor, 'testing:missed')
  requireAccess(actor, 'data:export')
  await visibleRound(db, actor, roundId)
  const headers = missedExportHeaders(lang)
  const audit = await beginExport(db, actor, {
    action: 'testing.missed_export',
    targetType: 'test_round',
    targetId: roundId,
    // Filed under the caller's own scope: a grid filter naming somewhere else exports nothing and files nothing there.
    scopePath: grid && pathInScope(actor, grid) ? grid : (actor.scopePaths[0] ?? null),
    filter: { roundId, grid: grid ?? null },
    columns: headers,
    masked: true,
    detail: { lang },
  })
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet(renderMessage(lang, 'MISSED_EXPORT_SHEET'))
  ws.columns = COLUMNS.map((c, i) => ({
    header: headers[i],
    width: c.width,
    style: { numFmt: '@' },
  }))
  let count = 0
  void (async () => {
    for await (const m of allMissed(db, ring, actor, roundId, grid)) {
      if (out.destroyed) return
      ws.addRow(missedRow(m, lang, gridNames)).commit()
      count++
    }
    ws.commit()
    await wb.commit()
  })().catch((err: unknown) => out.destroy(err as Error))
  return { stream: out, audit, rows: () => count }
}
