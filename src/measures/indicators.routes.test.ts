import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildResident,
  buildUser,
  type BuiltGrid,
} from '../../test/factories.js'

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
  const admin = await loginAs(t, (await buildUser(t, { role: 'admin' })).username)
  labToken = (
    await admin.send('POST', '/api/labs', {
      name: `社区检测点-${crypto.randomBytes(2).toString('hex')}`,
    })
  ).json().token
})
afterAll(async () => t?.close())

const unique = (prefix: string): string =>
  `${prefix}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`

interface Place {
  grid: BuiltGrid
  lead: Client
  worker: Client
  sampler: Client
  people: string[]
  codes: string[]
}

async function place(count: number): Promise<Place> {
  const grid = await buildGrid(t, { name: '复核时钟网格' })
  const building = await buildBuilding(t, {
    gridId: grid.id,
    floors: [1, 2],
    roomsPerFloor: [1, 2],
  })
  const people: string[] = []
  for (let i = 0; i < count; i++)
    people.push(
      (
        await buildResident(t, {
          householdId: building.households[i % building.households.length]!.id,
        })
      ).id,
    )
  const lead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
  )
  const codes: string[] = []
  for (const p of people)
    codes.push((await lead.send('POST', `/api/residents/${p}/code`)).json().token)
  return {
    grid,
    lead,
    worker: await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username),
    sampler: await loginAs(
      t,
      (await buildUser(t, { role: 'sampler', scope: [grid.community] })).username,
    ),
    people,
    codes,
  }
}

/** A round of the grid, one pool of everyone, closed and resulted positive by the lab. */
async function poolPositive(p: Place): Promise<void> {
  const round = await p.lead.send('POST', '/api/rounds', {
    name: unique('全员核酸'),
    kind: 'area',
    divisionIds: [p.grid.id],
    deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
    poolSize: 10,
  })
  expect(round.statusCode, round.body).toBe(201)
  const roundId = round.json().id as string
  const tube = unique('T')
  const scans = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
    scans: p.codes.map((c) => ({
      clientId: crypto.randomUUID(),
      person: c,
      tube,
      scannedAt: new Date().toISOString(),
    })),
  })
  expect(scans.statusCode, scans.body).toBe(200)
  await p.sampler.send('POST', `/api/rounds/${roundId}/tubes/${tube}/close`)
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${labToken}` },
    payload: { results: [{ tubeCode: tube, result: '阳性' }] },
  })
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
    await setDeadline(p.people[0]!, new Date(now - 15 * 60_000)) // overdue
    await setDeadline(p.people[1]!, soon) // due in 30 minutes
    await setDeadline(p.people[2]!, new Date(now + 90 * 60_000)) // due in 90 minutes
    await setDeadline(p.people[3]!, new Date(now + 5 * 3_600_000)) // later today

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
      sql`update recheck_order set status = 'sampled', sampled_at = now() where resident_id = ${p.people[0]!}`,
    )
    expect((await indicators(p.worker)).recheck).toMatchObject({ open: 3, overdue: 0, dueSoon: 2 })
  })
})
