import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { cloneTestDatabase } from '../../../test/helpers.js'
import type { Database } from '../db/db.js'
import { canonicalJson, recordAudit, verifyAuditChain } from './audit.service.js'
import { takeCheckpoint, type AuditCheckpoint } from './audit.head.js'
import { activeAuditKey } from './audit.key.js'

let database: Database
let checkpoints: AuditCheckpoint[]

beforeAll(async () => {
  database = await cloneTestDatabase()
  for (let i = 0; i < 20; i++) {
    await recordAudit(database.db, {
      actorId: null,
      actorName: 'tester',
      action: i % 2 ? 'pii.reveal' : 'user.create',
      targetType: 'user',
      targetId: `u${i}`,
      scopePath: '/320102/',
      detail: { z: i, a: { nested: [1, 'two'] } },
    })
  }
  checkpoints = [await takeCheckpoint(database.db, activeAuditKey())]
})
afterAll(async () => database?.close())

describe('audit hash chain', () => {
  it('sorts keys at every depth so jsonb’s reordering does not break hashes', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}',
    )
  })

  it('verifies an untouched chain', async () => {
    const r = await verifyAuditChain(database.db, { batchSize: 7, checkpoints })
    expect(r.checked).toBe(20)
    expect(r.problems).toEqual([])
  })

  it('refuses UPDATE and DELETE in the database itself', async () => {
    await expect(
      database.db.execute(sql`update audit_log set actor_name = 'x' where id = 3`),
    ).rejects.toThrow()
    await expect(database.db.execute(sql`delete from audit_log where id = 3`)).rejects.toThrow()
  })

  it('finds an edited row and a deleted row when someone gets past the trigger', async () => {
    await database.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`)
    await database.db.execute(sql`update audit_log set target_id = 'someone-else' where id = 5`)
    await database.db.execute(sql`delete from audit_log where id = 12`)
    await database.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`)
    const r = await verifyAuditChain(database.db, { batchSize: 7, checkpoints })
    expect(r.problems).toEqual([
      expect.objectContaining({ id: 5, problem: 'hash_mismatch' }),
      expect.objectContaining({ id: 13, problem: 'broken_link' }),
      expect.objectContaining({ id: 20, problem: 'checkpoint_count_mismatch' }),
    ])
  })
})
