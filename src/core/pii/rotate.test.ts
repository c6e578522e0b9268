import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { cloneTestDatabase } from '../../../test/helpers.js'
import { rows, type Database } from '../db/db.js'
import { systemActor } from '../auth/actor.js'
import { createUser } from '../auth/users.service.js'
import { blindIndexCandidates, decryptValue } from './crypto.js'
import { keyringFromMasters } from './keyring.js'
import { findEncryptedTables, reencryptAll } from './rotate.js'

let database: Database
const oldMaster = crypto.randomBytes(32)
const newMaster = crypto.randomBytes(32)
const oldRing = keyringFromMasters([oldMaster], 'test')
const newRing = keyringFromMasters([newMaster, oldMaster], 'test')

beforeAll(async () => {
  database = await cloneTestDatabase()
  for (let i = 0; i < 25; i++) {
    await createUser(database.db, oldRing, systemActor(), {
      username: `rot-${i}`,
      displayName: 'x',
      role: 'admin',
      scopeDivisionIds: [],
      password: 'Rotate-Me-Please-1',
      phone: `1380000${String(i).padStart(4, '0')}`,
    })
  }
})
afterAll(async () => database?.close())

describe('key rotation', () => {
  it('finds encrypted columns by their _enc names', async () => {
    const tables = await findEncryptedTables(database.db)
    expect(tables.find((t) => t.table === 'app_user')?.fields).toEqual([
      { name: 'phone', hasIndex: true },
      { name: 'totp_secret', hasIndex: false },
    ])
    // Each table is walked by its own key: a helper's and a proxy contact's phones are kept per
    // resident, not by an id; both are rotated.
    expect(tables.find((t) => t.table === 'resident_care')).toMatchObject({
      key: 'resident_id',
      fields: [
        { name: 'helper_phone', hasIndex: true },
        { name: 'proxy_phone', hasIndex: true },
      ],
    })
    expect(tables.find((t) => t.table === 'resident')?.key).toBe('id')
  })

  it('re-encrypts in batches, can resume, and keeps every value and lookup working', async () => {
    // First run stops after one batch ("interrupted"), a second run finishes.
    let batches = 0
    await expect(
      reencryptAll(database.db, newRing, {
        batchSize: 10,
        onProgress: () => {
          if (++batches === 1) throw new Error('interrupted')
        },
      }),
    ).rejects.toThrow('interrupted')
    const midway = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from app_user where phone_enc like ${newRing.current.id + '.%'}`,
    )
    expect(midway[0]!.n).toBe(10)
    await reencryptAll(database.db, newRing, { batchSize: 10 })
    const all = await rows<{ phone_enc: string; phone_bidx: string; username: string }>(
      database.db,
      sql`select username, phone_enc, phone_bidx from app_user where username like 'rot-%' order by username`,
    )
    expect(all.every((r) => r.phone_enc.startsWith(newRing.current.id + '.'))).toBe(true)
    const onlyNew = keyringFromMasters([newMaster], 'test')
    const r7 = all.find((r) => r.username === 'rot-7')!
    expect(decryptValue(onlyNew, r7.phone_enc)).toBe('13800000007')
    expect(blindIndexCandidates(onlyNew, '13800000007')).toContain(r7.phone_bidx)
  })
})
