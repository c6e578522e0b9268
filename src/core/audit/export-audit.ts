import crypto from 'node:crypto'
import type { Actor } from '../auth/actor.js'
import type { Db } from '../db/db.js'
import { maskSearchTerm } from '../pii/mask.js'
import { recordAudit } from './audit.service.js'

/**
 * Every export is audited before its first byte: the "started" entry (who, filter, reason,
 * columns, masked or not) is committed in a transaction of its own before the caller sends
 * any header, so a client that stops reading early still leaves a trace. The outcome follows
 * as a second entry, `<domain>.export_completed` or `<domain>.export_aborted`, with the row
 * count and the same `exportId`.
 */

export interface ExportStart {
  /** The started entry's action, e.g. `registry.export_unmasked`; its domain prefix names the outcome entries. */
  action: string
  targetType: string
  targetId?: string | null
  /** The caller's own scope, or the part of it actually exported; never a path the caller asked for elsewhere. */
  scopePath: string | null
  reason?: string | null
  /** What is filtered (masked: no full ID numbers or phones here), the columns, and whether they are unmasked. */
  filter: Record<string, unknown>
  columns: string[]
  masked: boolean
  detail?: Record<string, unknown>
}

export interface ExportAudit {
  readonly exportId: string
  /** Records `<domain>.export_completed` once; later calls (and abort) do nothing. */
  complete(rows: number): Promise<void>
  /** Records `<domain>.export_aborted` once; later calls (and complete) do nothing. */
  abort(reason: string, rows?: number): Promise<void>
}

/**
 * The filter as the audit log keeps it: a search term (`q`) masked like every identifier, so an
 * export searched by a full ID number or mobile never writes that number into the log, whichever
 * domain's export it is. (A domain may add a blind index beside it to correlate searches.)
 */
export function auditableSearch(filter: Record<string, unknown>): Record<string, unknown> {
  return typeof filter.q === 'string' ? { ...filter, q: maskSearchTerm(filter.q).masked } : filter
}

export async function beginExport(db: Db, actor: Actor, start: ExportStart): Promise<ExportAudit> {
  const exportId = crypto.randomUUID()
  const base = {
    actorId: actor.userId,
    actorName: actor.username,
    targetType: start.targetType,
    targetId: start.targetId ?? null,
    scopePath: start.scopePath,
    ip: actor.ip,
  }
  await recordAudit(db, {
    ...base,
    action: start.action,
    reason: start.reason ?? null,
    detail: {
      ...start.detail,
      exportId,
      filter: auditableSearch(start.filter),
      columns: start.columns,
      masked: start.masked,
    },
  })
  const domain = start.action.split('.')[0]!
  let settled = false
  const finish = async (
    outcome: 'completed' | 'aborted',
    detail: Record<string, unknown>,
  ): Promise<void> => {
    if (settled) return
    settled = true
    await recordAudit(db, {
      ...base,
      action: `${domain}.export_${outcome}`,
      detail: { exportId, masked: start.masked, ...detail },
    })
  }
  return {
    exportId,
    complete: (rows) => finish('completed', { rows }),
    abort: (reason, rows) => finish('aborted', { reason, ...(rows === undefined ? {} : { rows }) }),
  }
}

/** The part of a Node/Fastify reply the tracker needs: its raw response. */
export interface RawReply {
  raw: { once(event: 'finish' | 'close', cb: () => void): unknown; writableFinished: boolean }
}

/**
 * Hooks an export's outcome to the reply: `finish` (the last byte was handed to the client)
 * records completion, a `close` before that (the client went away, or the producer failed)
 * records an abort. `rows()` is read at that moment. Failures to write the outcome go to `onError`.
 */
export function trackExport(
  reply: RawReply,
  audit: ExportAudit,
  rows: () => number,
  onError: (err: unknown) => void = () => {},
): void {
  reply.raw.once('finish', () => void audit.complete(rows()).catch(onError))
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished)
      void audit.abort('client closed the connection before the end', rows()).catch(onError)
  })
}
