import crypto from 'node:crypto'
import { and, desc, eq, gte, like, lt, lte, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../db/db.js'
import { auditLog } from './audit.tables.js'

export interface AuditEntryInput {
  actorId: string | null
  actorName: string
  action: string
  targetType?: string | null | undefined
  targetId?: string | null | undefined
  scopePath?: string | null | undefined
  ip?: string | null | undefined
  reason?: string | null | undefined
  detail?: Record<string, unknown> | null | undefined
}

export const GENESIS_HASH = '0'.repeat(64)

/** JSON with object keys sorted at every depth: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

interface HashedFields {
  at: Date
  actorId: string | null
  actorName: string
  action: string
  targetType: string | null
  targetId: string | null
  scopePath: string | null
  ip: string | null
  reason: string | null
  detail: Record<string, unknown> | null
}

export function entryHash(prevHash: string, e: HashedFields): string {
  // Only the named fields: a row read back also carries id, prev_hash and hash.
  const body = canonicalJson({
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    scopePath: e.scopePath,
    ip: e.ip,
    reason: e.reason,
    detail: e.detail,
  })
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}

/** A fixed key for the advisory lock that serialises appends to the chain. */
const AUDIT_LOCK_KEY = 7_310_551

/**
 * Appends one entry. Must run inside a transaction (`db` is a tx): the advisory lock is held
 * to commit, so concurrent writers (several app instances on PostgreSQL) chain one after another.
 */
export async function appendAudit(tx: Db, input: AuditEntryInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`)
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  const prevHash = last?.hash ?? GENESIS_HASH
  const fields: HashedFields = {
    at: new Date(),
    actorId: input.actorId,
    actorName: input.actorName,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    scopePath: input.scopePath ?? null,
    ip: input.ip ?? null,
    reason: input.reason ?? null,
    detail: input.detail ?? null,
  }
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: entryHash(prevHash, fields) })
}

/** Appends in a transaction of its own (for entries written outside a request's transaction). */
export async function recordAudit(db: Db, input: AuditEntryInput): Promise<void> {
  await db.transaction(async (tx) => appendAudit(tx, input))
}

export interface AuditProblem {
  id: number
  problem: 'hash_mismatch' | 'broken_link'
  detail: string
}

/** Walks the whole chain in id order; reports edited rows and removed rows (broken links). */
export async function verifyAuditChain(
  db: Db,
  opts: { batchSize?: number } = {},
): Promise<{ checked: number; problems: AuditProblem[] }> {
  const batchSize = opts.batchSize ?? 5000
  const problems: AuditProblem[] = []
  let prev = GENESIS_HASH
  let afterId = 0
  let checked = 0
  for (;;) {
    const batch = await db.select().from(auditLog).where(sql`${auditLog.id} > ${afterId}`).orderBy(auditLog.id).limit(batchSize)
    if (batch.length === 0) break
    for (const r of batch) {
      if (r.prevHash !== prev) {
        problems.push({ id: r.id, problem: 'broken_link', detail: `entry ${r.id} does not follow the entry before it (a row was removed or re-chained)` })
      }
      const expect = entryHash(r.prevHash, r)
      if (expect !== r.hash) {
        problems.push({ id: r.id, problem: 'hash_mismatch', detail: `entry ${r.id} (${r.action}) was changed after it was written` })
      }
      prev = r.hash
      afterId = r.id
      checked++
    }
  }
  return { checked, problems }
}

export interface AuditFilter {
  action?: string | undefined
  actorId?: string | undefined
  targetId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  /** Scope paths of the reader; entries with a scope path outside all of them are hidden. Undefined = all. */
  scopePaths?: string[] | undefined
  beforeId?: number | undefined
  limit: number
}

export type AuditRow = typeof auditLog.$inferSelect

/** Newest first, keyset paginated by id. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  const conds: SQL[] = []
  if (f.action) conds.push(like(auditLog.action, `${f.action.replace(/[%_\\]/g, '\\$&')}%`))
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId))
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId))
  if (f.from) conds.push(gte(auditLog.at, f.from))
  if (f.to) conds.push(lte(auditLog.at, f.to))
  if (f.beforeId) conds.push(lt(auditLog.id, f.beforeId))
  if (f.scopePaths) {
    const scoped = f.scopePaths.map((p) => like(auditLog.scopePath, `${p}%`))
    conds.push(scoped.length ? sql`(${sql.join(scoped, sql` or `)})` : sql`false`)
  }
  return db.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(f.limit)
}

type Labeler = (db: Db, ids: string[]) => Promise<Map<string, string>>
const labelers = new Map<string, Labeler>()

/**
 * Each module that writes audit entries about its records says how to name them (a user's
 * login name, a division's name), so the audit screen shows names without the log storing
 * copies of them.
 */
export function registerAuditTargetLabeler(targetType: string, labeler: Labeler): void {
  labelers.set(targetType, labeler)
}

export async function labelAuditTargets(db: Db, entries: AuditRow[]): Promise<Map<string, string>> {
  const byType = new Map<string, Set<string>>()
  for (const e of entries) {
    if (!e.targetType || !e.targetId || !labelers.has(e.targetType)) continue
    const set = byType.get(e.targetType) ?? new Set<string>()
    set.add(e.targetId)
    byType.set(e.targetType, set)
  }
  const out = new Map<string, string>()
  for (const [type, ids] of byType) {
    const names = await labelers.get(type)!(db, [...ids])
    for (const [id, name] of names) out.set(`${type}:${id}`, name)
  }
  return out
}

export async function countAudit(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`)
  return r?.n ?? 0
}
