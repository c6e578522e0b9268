import crypto from 'node:crypto'
import type { AuditKey } from './audit.key.js'

export const GENESIS_HASH = '0'.repeat(64)

/** 0: plain SHA-256, the rows written before the chain was keyed; 1: HMAC-SHA256 with the audit key. */
export type ChainVersion = 0 | 1
export const CURRENT_CHAIN_VERSION: ChainVersion = 1

/** JSON with object keys sorted at every depth: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

export interface HashedFields {
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

function entryBody(e: HashedFields): string {
  // Only the named fields: a row read back also carries id, prev_hash, hash and chain_version.
  return canonicalJson({
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
}

/** The unkeyed hash of chain version 0: anyone can recompute it, so it only verifies old rows. */
export function legacyEntryHash(prevHash: string, e: HashedFields): string {
  return crypto
    .createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(entryBody(e))
    .digest('hex')
}

/** The hash of chain version 1: needs the audit key, which is not in the database. */
export function keyedEntryHash(key: AuditKey, prevHash: string, e: HashedFields): string {
  return crypto
    .createHmac('sha256', key.chainKey)
    .update(prevHash)
    .update('\n')
    .update(entryBody(e))
    .digest('hex')
}

export function entryHash(
  version: number,
  key: AuditKey,
  prevHash: string,
  e: HashedFields,
): string {
  return version === 0 ? legacyEntryHash(prevHash, e) : keyedEntryHash(key, prevHash, e)
}
