import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../../test/helpers.js'
import { recordAudit } from './audit.service.js'

let t: TestApp
let a: Chain
let b: Chain
let lead: Client

beforeAll(async () => {
  t = await createTestApp()
  a = await buildChain(t)
  b = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [a.community])).username)
})
afterAll(async () => t?.close())

describe('audit screen of a scoped reader', () => {
  it('names targets in the reader’s part of the tree and no target from elsewhere, even on an entry filed under their part', async () => {
    const ownWorker = await buildUser(t, 'grid_worker', [a.grid])
    const otherWorker = await buildUser(t, 'grid_worker', [b.grid])
    const marker = `test.label_${Date.now()}`
    for (const target of [
      { targetType: 'user', targetId: ownWorker.id },
      { targetType: 'user', targetId: otherWorker.id },
      { targetType: 'division', targetId: a.grid2.id },
      { targetType: 'division', targetId: b.community.id },
    ]) {
      await recordAudit(t.database.db, {
        actorId: null,
        actorName: 'test',
        action: marker,
        scopePath: a.community.path,
        ...target,
      })
    }
    const res = await lead.get(`/api/audit?action=${marker}`)
    expect(res.statusCode).toBe(200)
    const label = (id: string): string | null =>
      res.json().items.find((e: { targetId: string }) => e.targetId === id).targetLabel
    expect(label(ownWorker.id)).toContain(ownWorker.username)
    expect(label(a.grid2.id)).toBe(`${a.grid2.name} (${a.grid2.code})`)
    expect(label(otherWorker.id)).toBeNull()
    expect(label(b.community.id)).toBeNull()
    expect(res.body).not.toContain(otherWorker.username)
    expect(res.body).not.toContain(b.community.code)
  })
})
