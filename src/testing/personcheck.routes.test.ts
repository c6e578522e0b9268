import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import { buildUser } from '../../test/factories.js'
import {
  buildLabToken,
  buildSamplingPlace,
  openAreaRound,
  postLabResults,
  swabTube,
  type SamplingPlace,
} from '../../test/sampling.js'

/**
 * The sampling desk's look-up before the tube (POST /rounds/:id/person-check): a member of a
 * positive pool shows as under temporary control with the recheck deadline, masked; a person of
 * another grid is not found; the look-up writes nothing but the audit of a control state seen.
 */
let t: TestApp
let labToken: string

beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
})
afterAll(async () => t?.close())

const place = (): Promise<SamplingPlace> =>
  buildSamplingPlace(t, {
    gridName: '核验网格',
    names: ['张伟', '王芳', '李娜'],
    floors: [1, 1],
    roomsPerFloor: [1, 3],
    scope: 'grid',
  })
const roundOf = async (p: SamplingPlace): Promise<string> => (await openAreaRound(p)).id

/** The place's people swabbed into one pool, and the lab's positive for it. */
async function positivePool(p: SamplingPlace, roundId: string): Promise<void> {
  const tube = await swabTube(p, roundId, p.codes)
  const lab = await postLabResults(t, labToken, [{ tubeCode: tube, result: 'positive' }])
  expect(lab.statusCode, lab.body).toBe(200)
}

const check = (c: Client, roundId: string, person: string) =>
  c.send('POST', `/api/rounds/${roundId}/person-check`, { person })

const audits = async (residentId: string): Promise<number> =>
  (
    await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'testing.person_check' and target_id = ${residentId}`,
    )
  )[0]!.n

describe('the sampling desk checks a scanned person before the tube', () => {
  it('answers a person under no control with their masked name, ID and home, and audits nothing', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const res = await check(p.sampler, roundId, p.codes[0]!)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.person.name).toBe('张*')
    expect(body.person.idNumber).toBe(
      p.people[0]!.idNumber.slice(0, 6) + '********' + p.people[0]!.idNumber.slice(-4),
    )
    expect(body.person.household).toBe(p.people[0]!.householdLabel)
    expect(body.control).toEqual({
      singleTube: false,
      temporaryControl: null,
      measures: [],
      underMeasure: false,
      pendingRecheck: false,
      positive: false,
    })
    expect(res.body).not.toContain(p.people[0]!.idNumber)
    expect(res.body).not.toContain(p.people[0]!.name)
    expect(await audits(p.people[0]!.id)).toBe(0)
    // A look-up is no swab.
    const swabs = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from specimen where resident_id = ${p.people[0]!.id}`,
    )
    expect(swabs[0]!.n).toBe(0)
  })

  it('shows a member of a positive pool as under temporary control with the recheck deadline, by code and by ID number, in the next round too, and audits each look', async () => {
    const p = await place()
    const first = await roundOf(p)
    await positivePool(p, first)
    const next = await roundOf(p)
    for (const person of [p.codes[1]!, p.people[1]!.idNumber]) {
      const res = await check(p.sampler, next, person)
      expect(res.statusCode, res.body).toBe(200)
      const { control } = res.json()
      expect(control.singleTube).toBe(true)
      expect(control.pendingRecheck).toBe(true)
      expect(control.positive).toBe(false)
      expect(control.temporaryControl.overdue).toBe(false)
      // Due within the profile's recheck hours (6 h by default), after now.
      const due = new Date(control.temporaryControl.deadline).getTime()
      expect(due).toBeGreaterThan(Date.now())
      expect(due).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000)
      expect(res.body).not.toContain(p.people[1]!.idNumber)
    }
    expect(await audits(p.people[1]!.id)).toBe(2)
  })

  it('names another measure’s category to a grid worker but only “under a measure” to a sampler, who may not read measures', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const started = await p.lead.send('POST', '/api/measures', {
      residentId: p.people[2]!.id,
      category: 'close_contact',
      anchorAt: new Date(Date.now() - 86_400_000).toISOString(),
    })
    expect(started.statusCode, started.body).toBe(201)
    const bySampler = (await check(p.sampler, roundId, p.codes[2]!)).json().control
    expect(bySampler).toMatchObject({ singleTube: true, underMeasure: true, measures: [] })
    expect(bySampler.temporaryControl).toBeNull()
    const worker = await loginAs(
      t,
      (await buildUser(t, { role: 'grid_worker', scope: [p.grid] })).username,
    )
    const byWorker = (await check(worker, roundId, p.codes[2]!)).json().control
    expect(byWorker).toMatchObject({
      singleTube: true,
      underMeasure: true,
      measures: ['close_contact'],
    })
  })

  it('finds a person by a 回乡证 or passport they carry, only in the sampler’s scope', async () => {
    const p = await place()
    const other = await place()
    const roundId = await roundOf(p)
    const who = p.people[1]!
    const add = (body: object) => p.worker.send('POST', `/api/residents/${who.id}/documents`, body)
    expect((await add({ type: 'hk_macau_travel_permit', number: 'H6543210901' })).statusCode).toBe(
      200,
    )
    expect((await add({ type: 'passport', country: 'GBR', number: 'K98765432' })).statusCode).toBe(
      200,
    )
    for (const scanned of ['h65432109', 'K98765432']) {
      const res = await check(p.sampler, roundId, scanned)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().person.household).toBe(who.householdLabel)
      expect(res.json().control.singleTube).toBe(false)
    }
    const elsewhere = await check(other.sampler, await roundOf(other), 'H65432109')
    expect(elsewhere.statusCode).toBe(404)
    // A number nobody carries is still noise, as before.
    expect((await check(p.sampler, roundId, 'H00000000')).json().error.code).toBe(
      'SCAN_NOT_A_PERSON',
    )
  })

  it('does not find a person of another grid for a sampler there, nor answer for a round it cannot see', async () => {
    const p = await place()
    const other = await place()
    const roundId = await roundOf(p)
    await positivePool(p, roundId)
    // The other grid's sampler, in a round it may sample (its own): my person is not found, by code or ID.
    const otherRound = await roundOf(other)
    for (const person of [p.codes[0]!, p.people[0]!.idNumber]) {
      const res = await check(other.sampler, otherRound, person)
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('PERSON_CHECK_NOT_FOUND')
      expect(res.body).not.toContain('张')
      expect(res.body).not.toContain(p.people[0]!.householdLabel)
    }
    // My round: not visible to it at all.
    const mine = await check(other.sampler, roundId, other.codes[0]!)
    expect([403, 404]).toContain(mine.statusCode)
    expect(mine.body).not.toContain('王')
    expect(await audits(p.people[0]!.id)).toBe(0)
  })

  it('refuses what is not a person, a broken ID number, and a revoked code, with the field', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const garbled = await check(p.sampler, roundId, 'T-20261201-0001')
    expect(garbled.statusCode).toBe(400)
    expect(garbled.json().error).toMatchObject({ field: 'person', code: 'SCAN_NOT_A_PERSON' })
    const id = p.people[0]!.idNumber
    const broken = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0')
    const bad = await check(p.sampler, roundId, broken)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('person')
    expect(bad.body).not.toContain(broken)
    const reissued = await p.lead.send('POST', `/api/residents/${p.people[0]!.id}/code/reissue`, {
      reason: '遗失补办',
    })
    expect(reissued.statusCode, reissued.body).toBeLessThan(300)
    expect((await check(p.sampler, roundId, p.codes[0]!)).statusCode).toBe(404)
  })
})
