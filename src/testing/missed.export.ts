import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import type { Keyring } from '../core/pii/keyring.js'
import { allMissed } from './missed.service.js'

const HEADERS = ['网格', '住址', '姓名', '年龄', '联系电话', '情况（上门填写）', '备注']

/**
 * The missed-test list of a round as .xlsx for the paper round at the door: by grid, in walking
 * order, phones masked, a blank column to write what was found. The export is audited.
 */
export function exportMissed(db: Db, ring: Keyring, actor: Actor, roundId: string, grid: string | undefined, gridNames: Map<string, string>): { stream: Readable; rows: Promise<number> } {
  authorize(actor, 'testing:missed')
  authorize(actor, 'data:export')
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('漏检名单')
  ws.columns = HEADERS.map((h) => ({ header: h, width: h === '住址' ? 24 : h.startsWith('情况') ? 28 : 12, style: { numFmt: '@' } }))
  const rows = (async () => {
    let count = 0
    for await (const m of allMissed(db, ring, actor, roundId, grid)) {
      ws.addRow([gridNames.get(m.gridPath) ?? m.gridPath, m.household ?? '', m.name, m.age ?? '', m.phone ?? '', '', m.note ?? '']).commit()
      count++
    }
    ws.commit()
    await wb.commit()
    await db.transaction((tx) =>
      appendAudit(tx, { actorId: actor.userId, actorName: actor.username, action: 'testing.missed_export', targetType: 'test_round', targetId: roundId, scopePath: grid ?? actor.scopePaths[0] ?? null, ip: actor.ip, detail: { rows: count } }),
    )
    return count
  })()
  rows.catch((err: unknown) => out.destroy(err as Error))
  return { stream: out, rows }
}
