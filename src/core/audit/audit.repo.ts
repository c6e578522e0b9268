import { and, desc, eq, gte, inArray, like, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { rows, type Db, type Tx } from '../db/db.js'
import { likePrefix, pathsCondition } from '../scope/scope.js'
import { auditLog } from './audit.tables.js'

export type AuditRow = typeof auditLog.$inferSelect
export type AuditInsert = typeof auditLog.$inferInsert

/** A fixed key for the advisory lock that serialises appends to the chain. */
const AUDIT_LOCK_KEY = 7_310_551

/**
 * Takes the chain's lock until the transaction ends and returns the newest entry's hash (null
 * on an empty log): concurrent writers (several app instances on PostgreSQL) chain one after another.
 */
export async function lockChainHead(tx: Tx): Promise<string | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`)
  const [last] = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1)
  return last?.hash ?? null
}

export async function insertAuditEntry(tx: Tx, values: AuditInsert): Promise<void> {
  await tx.insert(auditLog).values(values)
}

export interface AuditFilter {
  /** A code prefix (`auth.`), matched literally. */
  action?: string | undefined
  /** Actions the typed words name (audit.actions.ts); an entry matching these or the prefix is kept. */
  actions?: readonly string[] | undefined
  actorId?: string | undefined
  targetId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  /** Scope paths of the reader; entries with a scope path outside all of them are hidden. Undefined = all. */
  scopePaths?: string[] | undefined
  beforeId?: number | undefined
  limit: number
}

/** Newest first, keyset paginated by id. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  const conds: SQL[] = []
  if (f.action && f.actions?.length)
    conds.push(
      or(inArray(auditLog.action, [...f.actions]), like(auditLog.action, likePrefix(f.action)))!,
    )
  else if (f.action) conds.push(like(auditLog.action, likePrefix(f.action)))
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId))
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId))
  if (f.from) conds.push(gte(auditLog.at, f.from))
  if (f.to) conds.push(lte(auditLog.at, f.to))
  if (f.beforeId) conds.push(lt(auditLog.id, f.beforeId))
  if (f.scopePaths) conds.push(pathsCondition(auditLog.scopePath, f.scopePaths))
  return db
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(f.limit)
}

export async function countAudit(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`)
  return r?.n ?? 0
}
