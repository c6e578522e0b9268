import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cloneTestDatabase } from '../../../test/helpers.js'
import { inTransaction, type Database } from '../db/db.js'
import { systemActor, type Actor } from '../auth/actor.js'
import { audit, listAudit, verifyAuditChain } from './audit.service.js'
import { takeCheckpoint } from './audit.head.js'
import { activeAuditKey } from './audit.key.js'

let database: Database
const lead: Actor = {
  ...systemActor(),
  userId: '0190a0a0-0000-7000-8000-000000000001',
  username: 'lead-audit',
  role: 'community_lead',
  scopePaths: ['/910001/910001001/'],
  ip: '10.1.2.3',
}

beforeAll(async () => {
  database = await cloneTestDatabase()
})
afterAll(async () => database?.close())

describe('audit(tx, actor, …)', () => {
  it('records who did it from the actor, what, on which target and where, in the chain', async () => {
    await inTransaction(database.db, (tx) =>
      audit(
        tx,
        lead,
        'user.update',
        { type: 'user', id: 'u-1', path: '/910001/910001001/910001001001/' },
        { detail: { role: 'grid_worker' } },
      ),
    )
    const [entry] = await listAudit(database.db, {
      action: 'user.update',
      actorId: lead.userId!,
      limit: 5,
    })
    expect(entry).toMatchObject({
      actorId: lead.userId,
      actorName: 'lead-audit',
      ip: '10.1.2.3',
      action: 'user.update',
      targetType: 'user',
      targetId: 'u-1',
      scopePath: '/910001/910001001/910001001001/',
      reason: null,
      detail: { role: 'grid_worker' },
    })
    const checkpoints = [await takeCheckpoint(database.db, activeAuditKey())]
    expect((await verifyAuditChain(database.db, { checkpoints })).problems).toEqual([])
  })

  it('under break-glass every entry carries the reason unless one is given', async () => {
    const urgent = {
      ...lead,
      scopePaths: ['/'],
      breakGlassReason: '密接追踪紧急协查，见指挥部通知',
    }
    await inTransaction(database.db, async (tx) => {
      await audit(tx, urgent, 'pii.reveal', { type: 'resident', id: 'r-bg', path: '/910002/' })
      await audit(
        tx,
        urgent,
        'registry.export',
        { type: 'division', id: 'd-bg' },
        { reason: '导出名单给街道' },
      )
    })
    const byTarget = async (id: string): Promise<unknown> =>
      (await listAudit(database.db, { targetId: id, limit: 1 }))[0]?.reason
    expect(await byTarget('r-bg')).toBe('密接追踪紧急协查，见指挥部通知')
    expect(await byTarget('d-bg')).toBe('导出名单给街道')
  })

  it('leaves no entry when the transaction it was written in rolls back', async () => {
    await expect(
      inTransaction(database.db, async (tx) => {
        await audit(tx, lead, 'user.create', { type: 'user', id: 'u-rolled-back' })
        throw new Error('refused later in the same request')
      }),
    ).rejects.toThrow('refused later')
    expect(await listAudit(database.db, { targetId: 'u-rolled-back', limit: 5 })).toEqual([])
  })

  it('is only callable with a transaction, never the bare database (a compile error)', () => {
    // @ts-expect-error the database is not a Tx: open one with inTransaction
    const _bare = (): Promise<void> => audit(database.db, lead, 'user.update')
    expect(typeof _bare).toBe('function')
  })
})

describe('listAudit filters', () => {
  it('matches an action prefix literally: "pii%" and "pii_reveal" find nothing, "pii." finds reveals', async () => {
    await inTransaction(database.db, (tx) =>
      audit(tx, lead, 'pii.reveal', { type: 'user', id: 'u-like', path: '/910001/910001001/' }),
    )
    expect(await listAudit(database.db, { action: 'pii%', limit: 5 })).toEqual([])
    expect(await listAudit(database.db, { action: 'pii_reveal', limit: 5 })).toEqual([])
    expect(
      (await listAudit(database.db, { action: 'pii.', limit: 50 })).map((e) => e.targetId),
    ).toContain('u-like')
  })

  it('shows a scoped reader the entries of their part of the tree only', async () => {
    const seen = await listAudit(database.db, { scopePaths: ['/910001/910001001/'], limit: 50 })
    expect(seen.map((e) => e.targetId)).toEqual(expect.arrayContaining(['u-1', 'u-like']))
    expect(seen.map((e) => e.targetId)).not.toContain('r-bg')
    expect(await listAudit(database.db, { scopePaths: [], limit: 5 })).toEqual([])
  })
})
