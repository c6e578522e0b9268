import crypto from 'node:crypto'
import type { Keyring } from './keyring.js'

/**
 * Encrypted value format: `<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>`. The key id prefix lets
 * rotation find rows still under an old key with one indexed-free LIKE scan, and lets any
 * instance decrypt values written under any key it still holds.
 */
// IVs come from a pool refilled 1,365 at a time: one randomBytes call per value was a tenth of
// a bulk import's CPU. Each IV is still 12 fresh random bytes, never reused.
const ivPool = Buffer.alloc(16_380)
let ivOffset = ivPool.length
function nextIv(): Buffer {
  if (ivOffset + 12 > ivPool.length) {
    crypto.randomFillSync(ivPool)
    ivOffset = 0
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + 12))
  ivOffset += 12
  return iv
}

export function encryptValue(ring: Keyring, plaintext: string): string {
  const iv = nextIv()
  const cipher = crypto.createCipheriv('aes-256-gcm', ring.current.encKey, iv)
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return `${ring.current.id}.${Buffer.concat([iv, ct, tag]).toString('base64url')}`
}

export function decryptValue(ring: Keyring, stored: string): string {
  const dot = stored.indexOf('.')
  const keyId = stored.slice(0, dot)
  const key = ring.keys.find((k) => k.id === keyId)
  if (dot < 0 || !key) throw new Error(`cannot decrypt: key ${keyId || '?'} is not in the keyring`)
  const raw = Buffer.from(stored.slice(dot + 1), 'base64url')
  const decipher = crypto.createDecipheriv('aes-256-gcm', key.encKey, raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(raw.length - 16))
  return Buffer.concat([
    decipher.update(raw.subarray(12, raw.length - 16)),
    decipher.final(),
  ]).toString('utf8')
}

/** Key id of a stored ciphertext. */
export function keyIdOf(stored: string): string {
  return stored.slice(0, stored.indexOf('.'))
}

function hmac(key: Buffer, value: string): string {
  return crypto.createHmac('sha256', key).update(value, 'utf8').digest('base64url').slice(0, 22)
}

/** Blind index of a normalised value under the current key (stored with the row). */
export function blindIndex(ring: Keyring, normalised: string): string {
  return hmac(ring.current.indexKey, normalised)
}

/** Every index the value may be stored under while a rotation is unfinished (for lookups). */
export function blindIndexCandidates(ring: Keyring, normalised: string): string[] {
  return ring.keys.map((k) => hmac(k.indexKey, normalised))
}

export interface SealedField {
  enc: string
  bidx: string
  last4: string
}

/** Everything a table stores for one identifier: ciphertext, blind index, last four. */
export function sealField(ring: Keyring, normalised: string): SealedField {
  return {
    enc: encryptValue(ring, normalised),
    bidx: blindIndex(ring, normalised),
    last4: normalised.slice(-4),
  }
}
