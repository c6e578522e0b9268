import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import { buildChain, createTestApp, type Chain, type TestApp } from '../../test/helpers.js'
import { createRound } from './testing.service.js'
import { ingestResults } from './results.service.js'

let t: TestApp
let chain: Chain
beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
})
afterAll(async () => t?.close())

describe('a large lab file', () => {
  it('takes 15,000 tubes in one request (more rows than a statement may have parameters)', async () => {
    const db = t.database.db
    const round = await db.transaction((tx) => createRound(tx, systemActor(), { name: 'big', kind: 'area', divisionIds: [chain.community.id], deadline: new Date(Date.now() + 3_600_000).toISOString() }))
    await db.execute(sql`insert into tube (code, round_id, kind, capacity, members, status, opened_at, opened_by, closed_at)
      select 'BIG-' || lpad(k::text, 6, '0'), ${round.id}, 'pooled', 10, 0, 'closed', now(), 'test', now() from generate_series(1, 15000) k`)
    const results = Array.from({ length: 15_000 }, (_, i) => ({ tubeCode: `BIG-${String(i + 1).padStart(6, '0')}`, result: 'negative' }))
    const report = await db.transaction((tx) => ingestResults(tx, 'big-lab', results))
    expect(report).toMatchObject({ rows: 15_000, applied: 15_000, rejected: 0 })
    const [n] = await rows<{ n: number }>(db, sql`select count(*)::int as n from tube_result r join tube t on t.id = r.tube_id where t.round_id = ${round.id} and r.outcome = 'applied'`)
    expect(n!.n).toBe(15_000)
  })
})
