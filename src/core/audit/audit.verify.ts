import { sql } from 'drizzle-orm'
import type { Db } from '../db/db.js'
import { entryHash, GENESIS_HASH } from './audit.chain.js'
import { checkpointSignatureValid, type AuditCheckpoint } from './audit.head.js'
import { activeAuditKey, type AuditKey } from './audit.key.js'
import { auditLog } from './audit.tables.js'

export type AuditProblemKind =
  /** The row's content no longer gives its hash: edited, or re-hashed without the key. */
  | 'hash_mismatch'
  /** The row does not follow the one before it: rows removed or re-chained. */
  | 'broken_link'
  /** An unkeyed (version 0) hash where only keyed ones may be: rewritten by someone without the key. */
  | 'unkeyed_entry'
  /** A checkpoint whose signature is not the audit key's. */
  | 'checkpoint_forged'
  /** The entry a checkpoint names as the head is gone: the newest entries were removed. */
  | 'checkpoint_entry_missing'
  /** The entry a checkpoint names holds another hash than the one signed: the log was re-chained. */
  | 'checkpoint_hash_mismatch'
  /** Another number of entries leads to the checkpoint's head than were signed. */
  | 'checkpoint_count_mismatch'
  /** Nothing outside the table to compare the head with: removing the newest entries would go unseen. */
  | 'no_checkpoint'

export interface AuditProblem {
  /** The entry concerned; for checkpoint problems the checkpoint's last id. */
  id: number
  problem: AuditProblemKind
  detail: string
}

export interface AuditVerifyResult {
  checked: number
  problems: AuditProblem[]
  /** The head as the table holds it now. */
  head: { lastId: number; count: number; hash: string }
  checkpoints: { given: number; valid: number; latest: AuditCheckpoint | null }
}

export interface AuditVerifyOptions {
  batchSize?: number
  key?: AuditKey
  /** Signed heads from the head file and the operator's copies; each one is checked. */
  checkpoints?: AuditCheckpoint[]
}

/**
 * Walks the whole chain in id order and compares it with every checkpoint given: finds edited
 * rows, removed rows (in the middle, at the end, all of them), a chain recomputed without the
 * key, and rows appended after a removal.
 */
export async function verifyAuditChain(
  db: Db,
  opts: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const batchSize = opts.batchSize ?? 5000
  const key = opts.key ?? activeAuditKey()
  const problems: AuditProblem[] = []
  const given = opts.checkpoints ?? []
  const valid: AuditCheckpoint[] = []
  for (const c of given) {
    if (checkpointSignatureValid(key, c)) valid.push(c)
    else
      problems.push({
        id: c.lastId,
        problem: 'checkpoint_forged',
        detail: `the checkpoint of ${c.at} (entry ${c.lastId}) is not signed by this deployment's audit key ${key.id}`,
      })
  }
  if (valid.length === 0) {
    problems.push({
      id: 0,
      problem: 'no_checkpoint',
      detail:
        'no signed checkpoint to compare the head with: removal of the newest entries cannot be ruled out',
    })
  }
  const legacyUpTo = valid.reduce((m, c) => Math.min(m, c.legacyUpTo), Number.POSITIVE_INFINITY)
  const pending = new Map<number, AuditCheckpoint[]>()
  for (const c of valid) {
    if (c.lastId === 0) continue
    pending.set(c.lastId, [...(pending.get(c.lastId) ?? []), c])
  }

  let prev = GENESIS_HASH
  let afterId = 0
  let checked = 0
  let keyedSeen = false
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} > ${afterId}`)
      .orderBy(auditLog.id)
      .limit(batchSize)
    if (batch.length === 0) break
    for (const r of batch) {
      checked++
      if (r.prevHash !== prev) {
        problems.push({
          id: r.id,
          problem: 'broken_link',
          detail: `entry ${r.id} does not follow the entry before it (a row was removed or re-chained)`,
        })
      }
      if (r.chainVersion === 0 && (keyedSeen || r.id > legacyUpTo)) {
        problems.push({
          id: r.id,
          problem: 'unkeyed_entry',
          detail: `entry ${r.id} carries an unkeyed hash where the chain is keyed (rewritten without the audit key)`,
        })
      }
      if (r.chainVersion !== 0) keyedSeen = true
      if (entryHash(r.chainVersion, key, r.prevHash, r) !== r.hash) {
        problems.push({
          id: r.id,
          problem: 'hash_mismatch',
          detail: `entry ${r.id} (${r.action}) was changed after it was written`,
        })
      }
      for (const c of pending.get(r.id) ?? []) {
        if (c.head !== r.hash) {
          problems.push({
            id: r.id,
            problem: 'checkpoint_hash_mismatch',
            detail: `entry ${r.id} is not the entry signed as the head at ${c.at} (the log was re-chained)`,
          })
        }
        if (c.count !== checked) {
          problems.push({
            id: r.id,
            problem: 'checkpoint_count_mismatch',
            detail: `${checked} entries lead to entry ${r.id}, ${c.count} were signed at ${c.at} (entries were removed or added)`,
          })
        }
      }
      pending.delete(r.id)
      prev = r.hash
      afterId = r.id
    }
  }
  for (const [id, cs] of [...pending].sort((a, b) => a[0] - b[0])) {
    const c = cs[0]!
    problems.push({
      id,
      problem: 'checkpoint_entry_missing',
      detail: `entry ${id}, signed as the head at ${c.at} with ${c.count} entries, is gone (the newest entries were removed)`,
    })
  }
  const latest = valid.reduce<AuditCheckpoint | null>(
    (best, c) =>
      !best || c.lastId > best.lastId || (c.lastId === best.lastId && c.at > best.at) ? c : best,
    null,
  )
  return {
    checked,
    problems,
    head: { lastId: afterId, count: checked, hash: prev },
    checkpoints: { given: given.length, valid: valid.length, latest },
  }
}
