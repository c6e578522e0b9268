import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Keys for personal data at rest. Each master key (32 bytes) derives an AES-256-GCM key and an
 * HMAC key for blind indexes. The first key is current: it encrypts and indexes new values;
 * older keys still decrypt, and lookups try every key's index until `weiguang keys rotate` has
 * re-encrypted every row.
 */
export interface PiiKey {
  id: string
  encKey: Buffer
  indexKey: Buffer
}

export interface Keyring {
  readonly keys: readonly PiiKey[]
  readonly current: PiiKey
  /** Where the keys came from: a key file path, or "env". */
  readonly source: string
}

const KEY_FILE = 'secret-keys.json'

function deriveKey(master: Buffer): PiiKey {
  if (master.length !== 32)
    throw new Error(`a PII master key must be 32 bytes, got ${master.length}`)
  const hkdf = (info: string): Buffer =>
    Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32))
  const id = 'k' + crypto.createHash('sha256').update(master).digest('hex').slice(0, 8)
  return { id, encKey: hkdf('weiguang-pii-encryption'), indexKey: hkdf('weiguang-pii-blind-index') }
}

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseMasterKey(text: string, name: string): Buffer {
  const t = text.trim()
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (buf.length !== 32) throw new Error(`${name}: must be 32 bytes as 64 hex characters or base64`)
  return buf
}

export function keyringFromMasters(masters: Buffer[], source: string): Keyring {
  if (masters.length === 0) throw new Error('keyring needs at least one key')
  const keys = masters.map(deriveKey)
  return { keys, current: keys[0]!, source }
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE)
}

function readKeyFile(file: string): Buffer[] {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: unknown }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error(`${file}: no keys`)
  return parsed.keys.map((k, i) => parseMasterKey(String(k), `${file} key ${i}`))
}

function writeKeyFile(file: string, masters: Buffer[]): void {
  const tmp = `${file}.tmp-${process.pid}`
  fs.writeFileSync(
    tmp,
    JSON.stringify({ keys: masters.map((m) => m.toString('base64')) }, null, 2) + '\n',
    { mode: 0o600 },
  )
  fs.renameSync(tmp, file)
  fs.chmodSync(file, 0o600)
}

export interface KeySettings {
  secretKey: string | undefined
  oldSecretKeys: string[]
  dataDir: string
}

/**
 * WEIGUANG_SECRET_KEY (+ WEIGUANG_OLD_SECRET_KEYS) when set; otherwise a key file in the data
 * directory, created with mode 0600 on first start.
 */
export function loadKeyring(settings: KeySettings): Keyring {
  if (settings.secretKey) {
    const masters = [
      parseMasterKey(settings.secretKey, 'WEIGUANG_SECRET_KEY'),
      ...settings.oldSecretKeys.map((k, i) => parseMasterKey(k, `WEIGUANG_OLD_SECRET_KEYS[${i}]`)),
    ]
    return keyringFromMasters(masters, 'env')
  }
  const file = keyFilePath(settings.dataDir)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(settings.dataDir, { recursive: true })
    writeKeyFile(file, [crypto.randomBytes(32)])
  }
  return keyringFromMasters(readKeyFile(file), file)
}

/** Adds a new current key to the key file (rotation step one); returns the new keyring. */
export function addKeyToFile(dataDir: string): Keyring {
  const file = keyFilePath(dataDir)
  const masters = [crypto.randomBytes(32), ...readKeyFile(file)]
  writeKeyFile(file, masters)
  return keyringFromMasters(masters, file)
}

/** Keeps only the current key in the key file (after every row was re-encrypted). */
export function pruneKeyFile(dataDir: string): Keyring {
  const file = keyFilePath(dataDir)
  const masters = readKeyFile(file).slice(0, 1)
  writeKeyFile(file, masters)
  return keyringFromMasters(masters, file)
}
