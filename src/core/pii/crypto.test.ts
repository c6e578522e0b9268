import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  blindIndex,
  blindIndexCandidates,
  decryptValue,
  encryptValue,
  keyIdOf,
  sealField,
} from './crypto.js'
import { addKeyToFile, keyringFromMasters, loadKeyring, pruneKeyFile } from './keyring.js'
import { maskIdNumber, maskPhone } from './mask.js'

describe('masking', () => {
  it('keeps the first six and last four of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
  })
  it('masks a mobile as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234')
  })
  it('masks short documents to their last four', () => {
    expect(maskIdNumber('E12345678')).toBe('*****5678')
  })
})

describe('encryption and blind index', () => {
  const ring = keyringFromMasters([crypto.randomBytes(32)], 'test')

  it('round-trips and never stores the plaintext', () => {
    const stored = encryptValue(ring, '11010519491231002X')
    expect(stored).not.toContain('11010519491231002X')
    expect(stored.startsWith(ring.current.id + '.')).toBe(true)
    expect(decryptValue(ring, stored)).toBe('11010519491231002X')
  })

  it('uses a fresh IV: the same value encrypts differently each time', () => {
    expect(encryptValue(ring, '13800138000')).not.toBe(encryptValue(ring, '13800138000'))
  })

  it('detects a tampered ciphertext', () => {
    const stored = encryptValue(ring, '13800138000')
    const raw = Buffer.from(stored.split('.')[1]!, 'base64url')
    raw[14] = raw[14]! ^ 1
    expect(() => decryptValue(ring, `${ring.current.id}.${raw.toString('base64url')}`)).toThrow()
  })

  it('gives equal values equal blind indexes, and different keys different ones', () => {
    expect(blindIndex(ring, '13800138000')).toBe(blindIndex(ring, '13800138000'))
    expect(blindIndex(ring, '13800138000')).not.toBe(blindIndex(ring, '13800138001'))
    const other = keyringFromMasters([crypto.randomBytes(32)], 'test')
    expect(blindIndex(other, '13800138000')).not.toBe(blindIndex(ring, '13800138000'))
  })

  it('seals a field with ciphertext, index and last four', () => {
    const s = sealField(ring, '13800138000')
    expect(s.last4).toBe('8000')
    expect(s.bidx).toBe(blindIndex(ring, '13800138000'))
  })

  it('decrypts old values and looks up under every key after a new key is added', () => {
    const oldMaster = crypto.randomBytes(32)
    const older = keyringFromMasters([oldMaster], 'test')
    const stored = encryptValue(older, 'secret')
    const onlyNew = keyringFromMasters([crypto.randomBytes(32)], 'test')
    expect(() => decryptValue(onlyNew, stored)).toThrow(/not in the keyring/)
    const both = keyringFromMasters([crypto.randomBytes(32), oldMaster], 'test')
    expect(decryptValue(both, stored)).toBe('secret')
    expect(keyIdOf(encryptValue(both, 'x'))).toBe(both.current.id)
    expect(blindIndexCandidates(both, 'v')).toContain(blindIndex(older, 'v'))
  })
})

describe('key file', () => {
  it('is created with mode 0600 on first start and reused after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-keys-'))
    const a = loadKeyring({ secretKey: undefined, oldSecretKeys: [], dataDir: dir })
    const file = path.join(dir, 'secret-keys.json')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(loadKeyring({ secretKey: undefined, oldSecretKeys: [], dataDir: dir }).current.id).toBe(
      a.current.id,
    )
    const b = addKeyToFile(dir)
    expect(b.keys.map((k) => k.id)).toEqual([b.current.id, a.current.id])
    expect(pruneKeyFile(dir).keys.map((k) => k.id)).toEqual([b.current.id])
    fs.rmSync(dir, { recursive: true })
  })

  it('takes WEIGUANG_SECRET_KEY and rejects a key of the wrong size', () => {
    const hex = crypto.randomBytes(32).toString('hex')
    const ring = loadKeyring({ secretKey: hex, oldSecretKeys: [], dataDir: '/nonexistent' })
    expect(ring.source).toBe('env')
    expect(() => loadKeyring({ secretKey: 'abcd', oldSecretKeys: [], dataDir: '/x' })).toThrow(
      /32 bytes/,
    )
  })
})
