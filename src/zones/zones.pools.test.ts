import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import {
  buildSamplingPlace,
  openAreaRound,
  scanOf,
  uniqueCode,
  type SamplingPlace,
} from '../../test/sampling.js'

/**
 * The pool size of a round inside risk areas (issue 11 item 2, domain.md §5), over HTTP on PGlite
 * and on PostgreSQL (TEST_DATABASE_URL), under v9 (zonePoolSizes: sealed one tube per household,
 * controlled 10, precaution 20): in a round of 20, a sealed household's people share one tube of
 * their own that nobody else may join; a controlled household's person opens a tube of 10 and is
 * refused a tube of 20; people outside any area pool at the round's 20 as before.
 */

let t: TestApp
let p: SamplingPlace

type ScanResult = {
  status: string
  tube?: { capacity: number }
  error?: { code: string; params?: Record<string, number> }
}

async function scan(roundId: string, code: string, tube: string): Promise<ScanResult> {
  const res = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
    scans: [scanOf(code, tube)],
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { results: ScanResult[] }).results[0]!
}

async function draw(level: string, householdIds: string[]): Promise<string> {
  const res = await p.lead.send('POST', '/api/zones/areas', {
    name: uniqueCode('风险区'),
    level,
    reason: '出现阳性病例',
    extents: householdIds.map((id) => ({ kind: 'household', id })),
  })
  expect(res.statusCode, res.body).toBe(201)
  return (res.json() as { id: string }).id
}

let sealedArea: string

beforeAll(async () => {
  t = await createTestApp()
  // 6 households, two people each: people[i] and people[i + 6] share a home.
  p = await buildSamplingPlace(t, { gridName: '分区采样网格', count: 12 })
  sealedArea = await draw('high', [p.people[0]!.householdId, p.people[1]!.householdId])
  await draw('medium', [p.people[2]!.householdId])
})
afterAll(async () => t?.close())

describe('pool size by zone level', () => {
  it('a sealed household gets one tube of its own; nobody else joins it', async () => {
    const round = await openAreaRound(p, 20)
    const tube = uniqueCode('T')
    const first = await scan(round.id, p.codes[0]!, tube)
    expect(first).toMatchObject({ status: 'accepted', tube: { capacity: 20 } })
    expect(await scan(round.id, p.codes[6]!, tube)).toMatchObject({ status: 'accepted' })
    // The other sealed household, and a neighbour outside any area, take a new tube.
    for (const other of [p.codes[1]!, p.codes[3]!])
      expect(await scan(round.id, other, tube)).toMatchObject({
        status: 'rejected',
        error: { code: 'TUBE_OTHER_HOUSEHOLD' },
      })
  })

  it('a controlled household pools at 10 and is refused a pool of 20; outside, 20 as before', async () => {
    const round = await openAreaRound(p, 20)
    const controlled = uniqueCode('T')
    expect(await scan(round.id, p.codes[2]!, controlled)).toMatchObject({
      status: 'accepted',
      tube: { capacity: 10 },
    })
    const open = uniqueCode('T')
    expect(await scan(round.id, p.codes[3]!, open)).toMatchObject({
      status: 'accepted',
      tube: { capacity: 20 },
    })
    expect(await scan(round.id, p.codes[4]!, open)).toMatchObject({ status: 'accepted' })
    expect(await scan(round.id, p.codes[8]!, open)).toMatchObject({
      status: 'rejected',
      error: { code: 'TUBE_ZONE_POOL', params: { capacity: 10 } },
    })
  })
})

describe('发起本区域核酸', () => {
  it("opens a round of the area's buildings and units at one tube per household; its people pool by household", async () => {
    const res = await p.lead.send('POST', `/api/zones/areas/${sealedArea}/rounds`, {})
    expect(res.statusCode, res.body).toBe(201)
    const out = res.json() as { roundId: string; poolSize: number; householdPool: boolean }
    expect(out).toMatchObject({ poolSize: 20, householdPool: true, existing: false })
    const progress = await p.lead.get(`/api/rounds/${out.roundId}/progress`)
    expect(progress.statusCode).toBe(200)
    const body = (
      progress.json() as {
        round: { scope: { id: string }[]; buildings: unknown[]; units: unknown[] }
      }
    ).round
    expect(body.scope.map((s) => s.id)).toEqual([p.grid.id])
    // Narrowed to the area's households' building (or units), not the whole grid.
    expect(body.buildings.length + body.units.length).toBeGreaterThan(0)
    const tube = uniqueCode('T')
    expect(await scan(out.roundId, p.codes[1]!, tube)).toMatchObject({
      status: 'accepted',
      tube: { capacity: 20 },
    })
    expect(await scan(out.roundId, p.codes[0]!, tube)).toMatchObject({
      status: 'rejected',
      error: { code: 'TUBE_OTHER_HOUSEHOLD' },
    })
  })

  it('pressed again the same day, it answers the open round of the area instead of starting a second', async () => {
    const first = await p.lead.send('POST', `/api/zones/areas/${sealedArea}/rounds`, {})
    expect([200, 201]).toContain(first.statusCode)
    const a = first.json() as { roundId: string; existing: boolean }
    const again = await p.lead.send('POST', `/api/zones/areas/${sealedArea}/rounds`, {})
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ roundId: a.roundId, existing: true, householdPool: true })
    const [n] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from test_round where name = ${(again.json() as { name: string }).name}`,
    )
    expect(n!.n).toBe(1)
  })

  it('is refused for a lifted area and answers 404 for an unknown one', async () => {
    const id = await draw('high', [p.people[5]!.householdId])
    const lifted = await p.lead.send('POST', `/api/zones/areas/${id}/lift`, {
      reason: '解除',
      overrideReason: '指挥部决定解除',
    })
    expect(lifted.statusCode).toBe(200)
    const res = await p.lead.send('POST', `/api/zones/areas/${id}/rounds`, {})
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'ZONE_AREA_LIFTED' })
    const unknown = await p.lead.send(
      'POST',
      '/api/zones/areas/00000000-0000-4000-8000-000000000000/rounds',
      {},
    )
    expect(unknown.statusCode).toBe(404)
  })
})
