import { and, desc, eq, gte, inArray, like, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { inTransaction, rows, type Db, type Tx } from '../db/db.js'
import type { Actor } from '../auth/actor.js'
import { isWholeDeployment, likePrefix, pathsCondition, pathOverlapsScope } from '../scope/scope.js'
import { CURRENT_CHAIN_VERSION, GENESIS_HASH, keyedEntryHash, type HashedFields } from './audit.chain.js'
import { activeAuditKey } from './audit.key.js'
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

export { canonicalJson, GENESIS_HASH } from './audit.chain.js'
export { verifyAuditChain, type AuditProblem, type AuditVerifyResult } from './audit.verify.js'

/** A fixed key for the advisory lock that serialises appends to the chain. */
const AUDIT_LOCK_KEY = 7_310_551

/**
 * Appends one entry. Runs inside a transaction (a Tx from inTransaction): the advisory lock is
 * held to commit, so concurrent writers (several app instances on PostgreSQL) chain one after
 * another. Entries about what a user did go through audit() below; this is for system entries.
 */
export async function appendAudit(tx: Tx, input: AuditEntryInput): Promise<void>
/**
 * @deprecated Pass the Tx that inTransaction (core/db/db.ts) hands out, and prefer audit() for
 * what an actor did. This overload keeps the domains compiling while they switch.
 */
export async function appendAudit(tx: Db, input: AuditEntryInput): Promise<void>
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
  const hash = keyedEntryHash(activeAuditKey(), prevHash, fields)
  await tx.insert(auditLog).values({ ...fields, prevHash, hash, chainVersion: CURRENT_CHAIN_VERSION })
}

/** What an audit entry is about: its type and id, and where it lies in the tree when it does. */
export interface AuditTarget {
  type: string
  id: string
  path?: string | null | undefined
}

/**
 * Records what an actor did: who (id, login name, address) comes from the actor, so no caller
 * copies it. The reason defaults to the actor's break-glass reason, so every entry written
 * under break-glass says why.
 */
export async function audit(
  tx: Tx,
  actor: Actor,
  action: string,
  target?: AuditTarget,
  extra?: { reason?: string | null | undefined; detail?: Record<string, unknown> | null | undefined },
): Promise<void> {
  await appendAudit(tx, {
    actorId: actor.userId,
    actorName: actor.username,
    ip: actor.ip,
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    scopePath: target?.path ?? null,
    reason: extra?.reason ?? actor.breakGlassReason ?? null,
    detail: extra?.detail ?? null,
  })
}

/** Appends in a transaction of its own (for entries written outside a request's transaction). */
export async function recordAudit(db: Db, input: AuditEntryInput): Promise<void> {
  await inTransaction(db, (tx) => appendAudit(tx, input))
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

export type AuditRow = typeof auditLog.$inferSelect

/** Newest first, keyset paginated by id. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  const conds: SQL[] = []
  if (f.action && f.actions?.length) conds.push(or(inArray(auditLog.action, [...f.actions]), like(auditLog.action, likePrefix(f.action)))!)
  else if (f.action) conds.push(like(auditLog.action, likePrefix(f.action)))
  if (f.actorId) conds.push(eq(auditLog.actorId, f.actorId))
  if (f.targetId) conds.push(eq(auditLog.targetId, f.targetId))
  if (f.from) conds.push(gte(auditLog.at, f.from))
  if (f.to) conds.push(lte(auditLog.at, f.to))
  if (f.beforeId) conds.push(lt(auditLog.id, f.beforeId))
  if (f.scopePaths) conds.push(pathsCondition(auditLog.scopePath, f.scopePaths))
  return db.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(f.limit)
}

/** A target's readable name and where it lies in the tree (the nodes a user is bound to, a resident's grid). */
export interface AuditTargetLabel {
  label: string
  paths: string[]
}
type Labeler = (db: Db, ids: string[]) => Promise<Map<string, AuditTargetLabel>>
const labelers = new Map<string, Labeler>()

/**
 * Each module that writes audit entries about its records says how to name them (a user's
 * login name, a division's name), so the audit screen shows names without the log storing
 * copies of them.
 */
export function registerAuditTargetLabeler(targetType: string, labeler: Labeler): void {
  labelers.set(targetType, labeler)
}

/**
 * Names for the entries' targets. A scoped reader gets a name only for targets that lie in (or
 * hold) their part of the tree: an entry about another community's resident (an out-of-scope
 * attempt, a transfer) shows no name from there.
 */
export async function labelAuditTargets(db: Db, entries: AuditRow[], reader: Actor): Promise<Map<string, string>> {
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
    for (const [id, name] of names) {
      if (isWholeDeployment(reader) || name.paths.some((p) => pathOverlapsScope(reader, p))) out.set(`${type}:${id}`, name.label)
    }
  }
  return out
}

export async function countAudit(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`)
  return r?.n ?? 0
}
