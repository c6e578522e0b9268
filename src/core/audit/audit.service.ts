import { inTransaction, type Db, type Tx } from '../db/db.js'
import type { Actor } from '../auth/actor.js'
import { isWholeDeployment, pathOverlapsScope } from '../scope/scope.js'
import {
  CURRENT_CHAIN_VERSION,
  GENESIS_HASH,
  keyedEntryHash,
  type HashedFields,
} from './audit.chain.js'
import { activeAuditKey } from './audit.key.js'
import { insertAuditEntry, lockChainHead, type AuditRow } from './audit.repo.js'

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
export { countAudit, listAudit, type AuditFilter, type AuditRow } from './audit.repo.js'

/**
 * Appends one entry. Runs inside a transaction (a Tx from inTransaction): the advisory lock is
 * held to commit, so concurrent writers (several app instances on PostgreSQL) chain one after
 * another. Entries about what a user did go through audit() below; this is for system entries.
 */
export async function appendAudit(tx: Tx, input: AuditEntryInput): Promise<void> {
  const prevHash = (await lockChainHead(tx)) ?? GENESIS_HASH
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
  await insertAuditEntry(tx, { ...fields, prevHash, hash, chainVersion: CURRENT_CHAIN_VERSION })
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
  extra?: {
    reason?: string | null | undefined
    detail?: Record<string, unknown> | null | undefined
  },
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
export async function labelAuditTargets(
  db: Db,
  entries: AuditRow[],
  reader: Actor,
): Promise<Map<string, string>> {
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
      if (isWholeDeployment(reader) || name.paths.some((p) => pathOverlapsScope(reader, p)))
        out.set(`${type}:${id}`, name.label)
    }
  }
  return out
}
