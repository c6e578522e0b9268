import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inTransaction, rows } from '../core/db/db.js'
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

async function roundWithTubes(name: string, prefix: string, n: number): Promise<string> {
  const db = t.database.db
  const round = await inTransaction(db, (tx) =>
    createRound(tx, systemActor(), {
      name,
      kind: 'area',
      divisionIds: [chain.community.id],
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  )
  await db.execute(sql`insert into tube (code, round_id, kind, capacity, members, status, opened_at, opened_by, closed_at)
    select ${prefix} || lpad(k::text, 6, '0'), ${round.id}, 'pooled', 10, 0, 'closed', now(), 'test', now() from generate_series(1, ${n}::int) k`)
  return round.id
}

describe('a large lab file', () => {
  it('takes 15,000 tubes in one request (more rows than a statement may have parameters)', async () => {
    const roundId = await roundWithTubes('big', 'BIG-', 15_000)
    const results = Array.from({ length: 15_000 }, (_, i) => ({
      tubeCode: `BIG-${String(i + 1).padStart(6, '0')}`,
      result: 'negative',
    }))
    const report = await inTransaction(t.database.db, (tx) => ingestResults(tx, 'big-lab', results))
    expect(report).toMatchObject({ rows: 15_000, applied: 15_000, rejected: 0 })
    const [n] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from tube_result r join tube t on t.id = r.tube_id where t.round_id = ${roundId} and r.outcome = 'applied'`,
    )
    expect(n!.n).toBe(15_000)
  })
})

describe('the rows of one file', () => {
  it('judges a later row against an earlier row of the same file, and writes the reasons in the language asked for', async () => {
    await roundWithTubes('rows', 'ROW-', 2)
    const report = await inTransaction(t.database.db, (tx) =>
      ingestResults(
        tx,
        'row-lab',
        [
          { tubeCode: 'ROW-000001', result: '阴性' },
          { tubeCode: 'ROW-000001', result: '阴性' },
          { tubeCode: 'ROW-000001', result: '阳性' },
          { tubeCode: 'ROW-000002', result: 'maybe' },
        ],
        { lang: 'en' },
      ),
    )
    // The positive after the negative holds at once (从严) and still waits for a person.
    expect(report).toMatchObject({ rows: 4, applied: 2, duplicates: 1, conflicts: 1, rejected: 1 })
    expect(report.problems).toEqual([
      {
        rowNo: 3,
        tubeCode: 'ROW-000001',
        outcome: 'conflict',
        code: 'RESULT_CONFLICT_STRICTER_HELD',
        field: 'result',
        params: { held: 'negative', incoming: 'positive' },
        reason: expect.stringContaining('stricter'),
      },
      {
        rowNo: 4,
        tubeCode: 'ROW-000002',
        outcome: 'rejected',
        code: 'RESULT_WORD_UNKNOWN',
        field: 'result',
        params: { value: 'maybe' },
        reason: expect.stringContaining('Result "maybe" is not negative'),
      },
    ])
    const [alert] = await rows<{ code: string; params: Record<string, string> }>(
      t.database.db,
      sql`select code, params from alert where kind = 'testing.result_conflict' and params->>'tube' = 'ROW-000001'`,
    )
    expect(alert).toEqual({ code: 'ALERT_RESULT_CONFLICT', params: { tube: 'ROW-000001' } })
  })
})
