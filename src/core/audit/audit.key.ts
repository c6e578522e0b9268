import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseMasterKey } from '../pii/keyring.js'

/**
 * The audit key keys the hash chain (HMAC) and signs the head checkpoints. It is never in the
 * database: whoever can write to the database but not read this key cannot recompute the chain
 * or forge a checkpoint. It is separate from the PII keys because those rotate and are pruned;
 * the audit key must verify every entry ever written, so it is kept for the life of the log.
 */
export interface AuditKey {
  /** A short fingerprint, printed in checkpoints so a checkpoint names the key that signed it. */
  readonly id: string
  readonly chainKey: Buffer
  readonly signKey: Buffer
  /** "env", the key file path, or "ephemeral" (in-process tests only). */
  readonly source: string
}

const KEY_FILE = 'audit-key.json'

export function auditKeyFromMaster(master: Buffer, source: string): AuditKey {
  if (master.length !== 32) throw new Error(`an audit key must be 32 bytes, got ${master.length}`)
  const hkdf = (info: string): Buffer =>
    Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32))
  const id = 'a' + crypto.createHash('sha256').update(master).digest('hex').slice(0, 8)
  return {
    id,
    chainKey: hkdf('weiguang-audit-chain'),
    signKey: hkdf('weiguang-audit-checkpoint'),
    source,
  }
}

export function auditKeyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE)
}

/**
 * WEIGUANG_AUDIT_KEY (64 hex characters or base64 of 32 bytes) when set; otherwise
 * `audit-key.json` in the data directory, created with mode 0600 on first start.
 */
export function loadAuditKey(settings: {
  auditKey: string | undefined
  dataDir: string
}): AuditKey {
  if (settings.auditKey)
    return auditKeyFromMaster(parseMasterKey(settings.auditKey, 'WEIGUANG_AUDIT_KEY'), 'env')
  const file = auditKeyFilePath(settings.dataDir)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(settings.dataDir, { recursive: true })
    const tmp = `${file}.tmp-${process.pid}`
    fs.writeFileSync(
      tmp,
      JSON.stringify({ key: crypto.randomBytes(32).toString('base64') }) + '\n',
      { mode: 0o600 },
    )
    // link, not rename: two processes starting at once must not replace each other's key.
    try {
      fs.linkSync(tmp, file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      fs.rmSync(tmp, { force: true })
    }
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown }
  return auditKeyFromMaster(parseMasterKey(String(parsed.key ?? ''), file), file)
}

let active: AuditKey | undefined

/**
 * The process's audit key. openPlatform sets it before anything is written; appendAudit is
 * called from every domain with only a transaction, so the key is process state rather than a
 * parameter threaded through every service. An in-process test app that never calls
 * openPlatform gets a random key that lives as long as the process.
 */
export function useAuditKey(key: AuditKey): void {
  active = key
}

export function activeAuditKey(): AuditKey {
  active ??= auditKeyFromMaster(crypto.randomBytes(32), 'ephemeral')
  return active
}
