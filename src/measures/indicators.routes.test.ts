import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import { buildGrid, buildUser } from '../../test/factories.js'
import {
  buildLabToken,
  buildSamplingPlace,
  openAreaRound,
  postLabResults,
  swabTube,
  type SamplingPlace,
} from '../../test/sampling.js'

/**
 * The home page's recheck clocks (临时管控): the people a pooled positive put under temporary
 * control, how many of their door-to-door rechecks are overdue or due within the next hours, and
 * the nearest deadline, counted under the reader's scope in SQL (another grid's worker counts
 * nobody; a swabbed recheck has met its clock).
 */
let t: TestApp
let labToken: string

beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
})
afterAll(async () => t?.close())

const place = (count: number): Promise<SamplingPlace> =>
  buildSamplingPlace(t, { gridName: '复核时钟网格', count, roomsPerFloor: [1, 2] })

/** A round of the grid, one pool of everyone, closed and resulted positive by the lab. */
async function poolPositive(p: SamplingPlace): Promise<void> {
  const round = await openAreaRound(p)
  const tube = await swabTube(p, round.id, p.codes)
  const res = await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
  expect(res.json()).toMatchObject({ controlled: p.people.length })
}

const setDeadline = (residentId: string, at: Date) =>
  rows(
    t.database.db,
    sql`update recheck_order set deadline = ${at.toISOString()}::timestamptz where resident_id = ${residentId}`,
  )

interface Clocks {
  temporaryControl: number
  recheck: {
    open: number
    overdue: number
    dueSoon: number
    dueSoonHours: number
    nextDeadline: string | null
  }
}
const indicators = async (c: Client, divisionId?: string): Promise<Clocks> => {
  const res = await c.get(
    `/api/measures/indicators${divisionId ? `?divisionId=${divisionId}` : ''}`,
  )
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Clocks
}

describe('the recheck clocks on the home page', () => {
  it('count the temporarily controlled whose recheck is overdue, due within the next hours, and the nearest deadline', async () => {
    const p = await place(4)
    const before = await indicators(p.worker)
    expect(before).toMatchObject({
      temporaryControl: 0,
      recheck: { open: 0, overdue: 0, dueSoon: 0, dueSoonHours: 2, nextDeadline: null },
    })
    await poolPositive(p)
    const now = Date.now()
    const soon = new Date(now + 30 * 60_000)
    await setDeadline(p.people[0]!.id, new Date(now - 15 * 60_000)) // overdue
    await setDeadline(p.people[1]!.id, soon) // due in 30 minutes
    await setDeadline(p.people[2]!.id, new Date(now + 90 * 60_000)) // due in 90 minutes
    await setDeadline(p.people[3]!.id, new Date(now + 5 * 3_600_000)) // later today

    const mine = await indicators(p.worker)
    expect(mine.temporaryControl).toBe(4)
    expect(mine.recheck).toMatchObject({ open: 4, overdue: 1, dueSoon: 2, dueSoonHours: 2 })
    expect(mine.recheck.nextDeadline).toBe(soon.toISOString())
    // The lead sees the same through the grid of their community.
    expect((await indicators(p.lead, p.grid.id)).recheck).toEqual(mine.recheck)

    // Another grid's worker counts none of them.
    const elsewhere = await buildGrid(t)
    const other = await loginAs(
      t,
      (await buildUser(t, { role: 'grid_worker', scope: [elsewhere] })).username,
    )
    expect(await indicators(other)).toMatchObject({
      temporaryControl: 0,
      recheck: { open: 0, overdue: 0, dueSoon: 0, nextDeadline: null },
    })
    const out = await other.get(`/api/measures/indicators?divisionId=${p.grid.id}`)
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'OUT_OF_SCOPE'])

    // A swabbed recheck has met its clock: the overdue person, swabbed at the door.
    await rows(
      t.database.db,
      sql`update recheck_order set status = 'sampled', sampled_at = now() where resident_id = ${p.people[0]!.id}`,
    )
    expect((await indicators(p.worker)).recheck).toMatchObject({ open: 3, overdue: 0, dueSoon: 2 })
  })
})
