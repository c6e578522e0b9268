import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { pathInScope, type Actor } from '../core/auth/actor.js'
import { beginExport, type ExportAudit } from '../core/audit/export-audit.js'
import type { Keyring } from '../core/pii/keyring.js'
import { allMissed } from './missed.service.js'
import { visibleRound } from './testing.service.js'

const HEADERS = ['网格', '住址', '姓名', '年龄', '联系电话', '情况（上门填写）', '备注']

export interface MissedExport {
  stream: Readable
  audit: ExportAudit
  /** Rows written so far (read when the download finishes or stops). */
  rows: () => number
}

/**
 * The missed-test list of a round as .xlsx for the paper round at the door: by grid, in walking
 * order, phones masked, a blank column to write what was found. The `testing.missed_export`
 * entry (who, round, grid filter, columns) is committed before the caller sends any header; the
 * route records completion or abort when the download ends (core/audit/export-audit).
 */
export async function exportMissed(db: Db, ring: Keyring, actor: Actor, roundId: string, grid: string | undefined, gridNames: Map<string, string>): Promise<MissedExport> {
  authorize(actor, 'testing:missed')
  authorize(actor, 'data:export')
  await visibleRound(db, actor, roundId)
  const audit = await beginExport(db, actor, {
    action: 'testing.missed_export',
    targetType: 'test_round',
    targetId: roundId,
    // Filed under the caller's own scope: a grid filter naming somewhere else exports nothing and files nothing there.
    scopePath: grid && pathInScope(actor, grid) ? grid : (actor.scopePaths[0] ?? null),
    filter: { roundId, grid: grid ?? null },
    columns: HEADERS,
    masked: true,
  })
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('漏检名单')
  ws.columns = HEADERS.map((h) => ({ header: h, width: h === '住址' ? 24 : h.startsWith('情况') ? 28 : 12, style: { numFmt: '@' } }))
  let count = 0
  void (async () => {
    for await (const m of allMissed(db, ring, actor, roundId, grid)) {
      if (out.destroyed) return
      ws.addRow([gridNames.get(m.gridPath) ?? m.gridPath, m.household ?? '', m.name, m.age ?? '', m.phone ?? '', '', m.note ?? '']).commit()
      count++
    }
    ws.commit()
    await wb.commit()
  })().catch((err: unknown) => out.destroy(err as Error))
  return { stream: out, audit, rows: () => count }
}
