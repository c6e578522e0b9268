import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, ROOT_PATH, type Actor } from '../core/auth/actor.js'
import { beginExport, type ExportAudit } from '../core/audit/export-audit.js'
import { blindIndex } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { getDivision } from '../core/tree/tree.service.js'
import { listResidents, type Reveal } from './registry.service.js'
import { findHousehold } from './registry.repo.js'
import { maskSearchTerm } from './registry.rules.js'
import type { ResidentListQuery } from './registry.schema.js'

const HEADERS = ['姓名', '住址', '与户主关系', '性别', '年龄', '出生日期', '证件号码', '联系电话', '人员类型', '标签', '工作单位', '备注']
const REL: Record<string, string> = { head: '户主', spouse: '配偶', child: '子女', parent: '父母', grandchild: '孙辈', grandparent: '祖辈', sibling: '兄弟姐妹', tenant: '租客', other: '其他' }
const RES: Record<string, string> = { registered: '户籍', permanent: '常住', floating: '流动', tenant: '租户' }

export type ExportFilter = Omit<ResidentListQuery, 'after' | 'limit'>

/** The deepest path that contains every one of `paths` ("/" when they share nothing). */
function commonPath(paths: string[]): string {
  if (paths.length === 0) return ROOT_PATH
  const parts = paths.map((p) => p.split('/').filter(Boolean))
  const out: string[] = []
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++) out.push(parts[0]![i]!)
  return out.length ? `/${out.join('/')}/` : ROOT_PATH
}

/**
 * Where an export's audit entries are filed: the household or division it is filtered to
 * (checked against the caller's scope first: elsewhere is a 403, audited), or else the
 * caller's own scope. Never a path the caller merely asked for.
 */
async function exportScopePath(db: Db, actor: Actor, filter: ExportFilter): Promise<string> {
  if (filter.householdId) {
    const h = await findHousehold(db, filter.householdId)
    if (!h) throw invalid('householdId', 'no such household')
    assertPathInScope(actor, { type: 'household', id: h.id, path: h.gridPath })
    return h.gridPath
  }
  if (filter.divisionId) return (await getDivision(db, actor, filter.divisionId)).path
  return commonPath(actor.scopePaths)
}

/** The filter as the audit log keeps it: no full ID number or phone, a blind index to correlate. */
export function auditableFilter(ring: Keyring, filter: ExportFilter): Record<string, unknown> {
  if (!filter.q) return { ...filter }
  const m = maskSearchTerm(filter.q)
  const normalised = filter.q.trim().toUpperCase()
  return { ...filter, q: m.masked, ...(m.kind ? { qIndex: blindIndex(ring, normalised) } : {}) }
}

export interface ResidentExport {
  stream: Readable
  audit: ExportAudit
  /** Rows written to the stream so far. */
  rowCount(): number
  /** Settles when the producer has stopped (finished, failed or the stream was closed). */
  done: Promise<void>
}

/**
 * Any filtered resident list as .xlsx, masked by default. Unmasked needs pii:reveal and a
 * reason. Scope is checked and the export's audit entry committed before this returns, so
 * the caller sends headers only after both; the outcome entry follows the reply's end.
 */
export async function exportResidents(db: Db, ring: Keyring, actor: Actor, filter: ExportFilter, opts: { reveal: Reveal[]; reason: string | undefined }): Promise<ResidentExport> {
  authorize(actor, 'registry:read')
  authorize(actor, 'data:export')
  if (opts.reveal.length) {
    authorize(actor, 'pii:reveal')
    if (!opts.reason || opts.reason.trim().length < 5) throw invalid('reason', 'an unmasked export needs a reason of at least 5 characters')
  }
  const scopePath = await exportScopePath(db, actor, filter)
  const audit = await beginExport(db, actor, {
    action: opts.reveal.length ? 'registry.export_unmasked' : 'registry.export',
    targetType: 'residents',
    scopePath,
    reason: opts.reason ?? null,
    filter: auditableFilter(ring, filter),
    columns: HEADERS,
    masked: opts.reveal.length === 0,
    detail: { revealed: opts.reveal },
  })
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('居民名单')
  ws.columns = HEADERS.map((h) => ({ header: h, width: h === '住址' || h === '证件号码' ? 22 : 12, style: { numFmt: '@' } }))
  let count = 0
  const done = (async () => {
    let after: string | undefined
    for (;;) {
      // A client that went away stops the export; the reply's close records the abort.
      if (out.destroyed) return
      const page = await listResidents(db, ring, actor, { ...filter, after, limit: 200 }, new Date(), opts.reveal)
      for (const r of page.items) {
        ws.addRow([r.name, r.householdLabel ?? '', r.relation ? REL[r.relation] ?? r.relation : '', r.sex === 'male' ? '男' : r.sex === 'female' ? '女' : '', r.age ?? '', r.birthDate ?? '', r.idNumber ?? '', r.phone ?? '', RES[r.residenceType] ?? r.residenceType, r.tags.join('、'), r.employer ?? '', r.notes ?? '']).commit()
      }
      count += page.items.length
      if (!page.next) break
      after = page.next
    }
    ws.commit()
    await wb.commit()
  })().catch(async (err: unknown) => {
    // Never a stream that hangs: end the reply and record why.
    await audit.abort('export failed', count).catch(() => {})
    out.destroy(err instanceof Error ? err : new Error('export failed'))
  })
  return { stream: out, audit, rowCount: () => count, done }
}
