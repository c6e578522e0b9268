import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../core/audit/audit.service.js'
import { rows } from '../core/db/db.js'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import { buildIdNumber } from '../../test/factories.js'
import {
  buildLabToken,
  buildSamplingPlace,
  openAreaRound,
  postLabResults,
  swabTube,
  type SamplingPlace,
} from '../../test/sampling.js'

/*
 * Walk-ins under measures (issue 10 §4, domain.md §5, §12): a walk-in staying at an address outside
 * the registry's households who is in a positive pool is put under temporary control like every
 * member, with a recheck assigned to their grid's worker; merging a walk-in into the resident they
 * turn out to be moves their active measures and check-ins, and keeps one measure where both were
 * under the same kind.
 */
let t: TestApp
let labToken: string
let p: SamplingPlace

beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
  p = await buildSamplingPlace(t, {
    gridName: '临时人员网格',
    names: ['张伟', '王芳', '李娜', '刘洋'],
    workerName: '网格员小林',
  })
})
afterAll(async () => t?.close())

const walkIn = async (
  roundId: string,
  name: string,
): Promise<{ residentId: string; code: string }> => {
  const res = await p.sampler.send('POST', `/api/rounds/${roundId}/walk-ins`, {
    name,
    idNumber: buildIdNumber(),
    phone: '13900002222',
    gridId: p.grid.id,
    address: '幸福路8号临时租住',
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const activeControls = (residentId: string) =>
  rows<{ id: string; resident_id: string; household_id: string | null; grid_path: string }>(
    t.database.db,
    sql`select id, resident_id, household_id, grid_path from measure
        where resident_id = ${residentId} and category = 'temporary_control' and status = 'active'`,
  )

/** A round where these codes go into one pool that comes back positive. */
async function positivePool(codes: string[]): Promise<string> {
  const round = await openAreaRound(p)
  const tube = await swabTube(p, round.id, codes)
  const res = await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
  expect(res.statusCode, res.body).toBe(200)
  return round.id
}

describe('a walk-in with no household in a positive pool', () => {
  it('is put under temporary control like every member, and their recheck goes to their grid worker', async () => {
    const round = await openAreaRound(p)
    const w = await walkIn(round.id, '过路人甲')
    const tube = await swabTube(p, round.id, [p.codes[0]!, w.code])
    const res = await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
    expect(res.json()).toMatchObject({ controlled: 2, rechecksOrdered: 2 })
    const [m] = await activeControls(w.residentId)
    expect(m).toMatchObject({ household_id: null, grid_path: p.grid.path })
    // The sampling desk sees them controlled (single tube), and their resident page shows the measure.
    const measures = (await p.worker.get(`/api/residents/${w.residentId}/measures`)).json()
    expect(measures.items ?? measures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'temporary_control', householdId: null }),
      ]),
    )
    const orders = (await p.worker.get(`/api/rounds/${round.id}/rechecks`)).json().items
    const mine = orders.find((o: { residentId: string }) => o.residentId === w.residentId)
    expect(mine).toMatchObject({
      status: 'ordered',
      assignee: { id: p.workerId, name: '网格员小林' },
    })
  })
})

describe('merging a walk-in into a registered resident', () => {
  it('moves their active temporary control and its check-ins to the resident', async () => {
    const w = await walkIn((await openAreaRound(p)).id, '过路人乙')
    // Swab the walk-in alone in a pool of their own in a new round, positive.
    await positivePool([w.code])
    const [m] = await activeControls(w.residentId)
    expect(m).toBeDefined()
    const checkin = await p.worker.send('POST', `/api/measures/${m!.id}/checkins`, {
      temperature: 36.6,
    })
    expect(checkin.statusCode, checkin.body).toBeLessThan(300)
    const target = p.people[1]!
    const res = await p.worker.send('POST', `/api/provisional-residents/${w.residentId}/merge`, {
      residentId: target.id,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'merged',
      moved: { measures: 1, measuresMerged: 0, checkins: 1 },
    })
    expect(await activeControls(w.residentId)).toHaveLength(0)
    const [moved] = await activeControls(target.id)
    expect(moved).toMatchObject({
      id: m!.id,
      grid_path: p.grid.path,
      household_id: target.householdId,
    })
    const checkins = await rows<{ resident_id: string }>(
      t.database.db,
      sql`select resident_id from measure_checkin where measure_id = ${m!.id}`,
    )
    expect(checkins.map((c) => c.resident_id)).toEqual([target.id])
    // The resident's page shows the measure now.
    const theirs = (await p.worker.get(`/api/residents/${target.id}/measures`)).json()
    expect(JSON.stringify(theirs)).toContain(m!.id)
  })

  it('keeps one measure when the resident is already under the same kind, and says so', async () => {
    const round = await openAreaRound(p)
    const w = await walkIn(round.id, '过路人丙')
    const target = p.people[2]!
    const tube = await swabTube(p, round.id, [p.codes[2]!, w.code])
    await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
    const [own] = await activeControls(target.id)
    const [theirs] = await activeControls(w.residentId)
    expect(own && theirs).toBeTruthy()
    const res = await p.worker.send('POST', `/api/provisional-residents/${w.residentId}/merge`, {
      residentId: target.id,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().moved).toMatchObject({ measures: 0, measuresMerged: 1 })
    // One active temporary control: the resident's own (both open-ended); the walk-in's is cancelled as a duplicate.
    expect((await activeControls(target.id)).map((m) => m.id)).toEqual([own!.id])
    const [dropped] = await rows<{ status: string; end_reason: string }>(
      t.database.db,
      sql`select status, end_reason from measure where id = ${theirs!.id}`,
    )
    expect(dropped).toEqual({ status: 'cancelled', end_reason: 'MERGED_DUPLICATE' })
    const [entry] = await listAudit(t.database.db, {
      action: 'resident.provisional_merged',
      targetId: w.residentId,
      limit: 5,
    })
    expect(entry?.detail).toMatchObject({ moved: { measuresMerged: 1 } })
  })
})
