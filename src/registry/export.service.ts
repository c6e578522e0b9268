import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import type { Actor } from '../core/auth/actor.js'
import type { Lang } from '../core/i18n/messages.js'
import { requireAccess } from '../core/scope/access.js'
import { ROOT_PATH } from '../core/scope/scope.js'
import { beginExport, type ExportAudit } from '../core/audit/export-audit.js'
import { blindIndex } from '../core/pii/crypto.js'
import { compactIdentifier } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { getDivision } from '../core/tree/tree.service.js'
import { listResidents, type Reveal } from './registry.service.js'
import { findHousehold } from './registry.repo.js'
import { maskSearchTerm } from './registry.rules.js'
import type { ExportFilter } from './registry.schema.js'
import {
  EXPORT_COLUMNS,
  exportHeaders,
  exportRow,
  registryText,
  type ExportColumn,
} from './export.text.js'

export type { ExportFilter }

/** The shortest reason an unmasked export is given with. */
const REASON_MIN = 5
const WIDE = new Set<ExportColumn>(['address', 'idNumber'])

/** The deepest path that contains every one of `paths` ("/" when they share nothing). */
function commonPath(paths: string[]): string {
  if (paths.length === 0) return ROOT_PATH
  const parts = paths.map((p) => p.split('/').filter(Boolean))
  const out: string[] = []
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++)
    out.push(parts[0]![i]!)
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
    if (!h) throw invalid('householdId', 'HOUSEHOLD_NOT_FOUND')
    requireAccess(actor, 'registry:read', { type: 'household', id: h.id, path: h.gridPath })
    return h.gridPath
  }
  if (filter.divisionId) return (await getDivision(db, actor, filter.divisionId)).path
  return commonPath(actor.scopePaths)
}

/**
 * The filter with a blind index of an identifier search beside it, so the audit log can correlate
 * searches for one person without keeping the number. beginExport masks `q` itself (once, for
 * every domain's export), so this leaves it as typed.
 */
export function auditableFilter(ring: Keyring, filter: ExportFilter): Record<string, unknown> {
  if (!filter.q) return { ...filter }
  const m = maskSearchTerm(filter.q)
  const normalised = compactIdentifier(filter.q).toUpperCase()
  return { ...filter, ...(m.kind ? { qIndex: blindIndex(ring, normalised) } : {}) }
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
 * Any filtered resident list as .xlsx, masked by default, written in `lang` (headers, and the
 * labels of relations, residence types and tags, never their codes). Unmasked needs
 * pii:reveal and a reason. Scope is checked and the export's audit entry committed before
 * this returns, so the caller sends headers only after both; the outcome entry follows the
 * reply's end.
 */
export async function exportResidents(
  db: Db,
  ring: Keyring,
  actor: Actor,
  filter: ExportFilter,
  opts: { reveal: readonly Reveal[]; reason: string | undefined; lang?: Lang },
): Promise<ResidentExport> {
  requireAccess(actor, 'registry:read')
  requireAccess(actor, 'data:export')
  const lang = opts.lang ?? 'zh-CN'
  if (opts.reveal.length) {
    requireAccess(actor, 'pii:reveal')
    if (!opts.reason || opts.reason.trim().length < REASON_MIN)
      throw invalid('reason', 'EXPORT_REASON_REQUIRED', { min: REASON_MIN })
  }
  const headers = exportHeaders(lang)
  const scopePath = await exportScopePath(db, actor, filter)
  const audit = await beginExport(db, actor, {
    action: opts.reveal.length ? 'registry.export_unmasked' : 'registry.export',
    targetType: 'residents',
    scopePath,
    reason: opts.reason ?? null,
    filter: auditableFilter(ring, filter),
    columns: headers,
    masked: opts.reveal.length === 0,
    detail: { revealed: opts.reveal },
  })
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet(registryText(lang, 'EXPORT_SHEET'))
  ws.columns = headers.map((header, i) => ({
    header,
    width: WIDE.has(EXPORT_COLUMNS[i]!) ? 22 : 12,
    style: { numFmt: '@' },
  }))
  let count = 0
  const done = (async () => {
    let after: string | undefined
    for (;;) {
      // A client that went away stops the export; the reply's close records the abort.
      if (out.destroyed) return
      const page = await listResidents(
        db,
        ring,
        actor,
        { ...filter, after, limit: 200 },
        new Date(),
        opts.reveal,
      )
      for (const r of page.items) ws.addRow(exportRow(lang, r)).commit()
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
