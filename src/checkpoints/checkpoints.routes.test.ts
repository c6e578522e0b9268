import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { addDays, localDate } from '../core/clock.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildGrid,
  buildHousehold,
  buildIdNumber,
  buildResident,
  buildUser,
  type BuiltGrid,
  type BuiltHousehold,
} from '../../test/factories.js'
import type { ArrivalOut, CheckpointOut } from './checkpoints.schema.js'

/**
 * The checkpoint flow over HTTP (issue 11 item 4), on PGlite and on PostgreSQL (TEST_DATABASE_URL),
 * under v9: a lead sets up a checkpoint and its poster; a person self-reports from the poster with
 * no login (an invalid ID or phone names the field; a second report the same day updates the
 * first; the answer is the same whether or not the person is registered); the desk scans the
 * reference, confirms, sees the proposed measure, and a grid worker starts it in the household;
 * an arrival living in another community is on that community's list and started there.
 */

let t: TestApp
let grid: BuiltGrid
let other: BuiltGrid
let home: BuiltHousehold
let lead: Client
let worker: Client
let gate: Client
let otherWorker: Client
let cp: CheckpointOut
let gateUserId: string

const today = (): string => localDate(new Date(), 'Asia/Shanghai')

const anon = (method: 'GET' | 'POST', url: string, body?: unknown, ip = '203.0.113.7') =>
  t.app.inject({
    method,
    url,
    remoteAddress: ip,
    ...(body === undefined ? {} : { payload: body as object }),
  })

const report = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: '王来访',
  idNumber: buildIdNumber(),
  phone: '13912345678',
  origin: 'high_risk_area',
  originArea: '某省某市某区',
  arrivalDate: today(),
  transport: '自驾',
  purpose: '探亲',
  destinationHouseholdId: home.id,
  itinerary: [{ place: '某市某区某街道', date: addDays(today(), -2) }],
  healthCode: 'green',
  ...over,
})

const tokenOf = (c: CheckpointOut): string => c.reportPath.split('/').pop()!

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  other = await buildGrid(t)
  home = await buildHousehold(t, { gridId: grid.id })
  const leadUser = await buildUser(t, { role: 'community_lead', scope: [grid.community] })
  const workerUser = await buildUser(t, { role: 'grid_worker', scope: [grid] })
  const gateUser = await buildUser(t, { role: 'checkpoint', scope: [grid.community] })
  const otherUser = await buildUser(t, { role: 'grid_worker', scope: [other] })
  gateUserId = gateUser.id
  lead = await loginAs(t, leadUser.username, leadUser.password)
  worker = await loginAs(t, workerUser.username, workerUser.password)
  gate = await loginAs(t, gateUser.username, gateUser.password)
  otherWorker = await loginAs(t, otherUser.username, otherUser.password)
  const res = await lead.send('POST', '/api/checkpoints', {
    communityId: grid.community.id,
    name: '东门卡口',
    location: '小区东门',
    hours: '全天',
    staff: [gateUserId],
  })
  expect(res.statusCode, res.body).toBe(201)
  cp = res.json()
}, 60_000)

afterAll(async () => t?.close())

describe('checkpoints', () => {
  it('a lead sets up a checkpoint with its staff; the poster opens the form without a login', async () => {
    expect(cp.staff.map((s) => s.id)).toEqual([gateUserId])
    expect(cp.communityName).toBe(grid.community.name)
    // The gate desk's own form asks for the profile's window (v9: 7 days), like the poster's.
    expect(cp.itineraryWindowDays).toBe(7)
    expect(tokenOf(cp).length).toBeGreaterThanOrEqual(32)
    const form = await anon('GET', `/api/public/report/${tokenOf(cp)}`)
    expect(form.statusCode, form.body).toBe(200)
    expect(form.json()).toMatchObject({ checkpointName: '东门卡口', itineraryWindowDays: 7 })
    const listed = await gate.get('/api/checkpoints')
    expect((listed.json() as { items: CheckpointOut[] }).items.map((c) => c.id)).toContain(cp.id)
    const elsewhere = await otherWorker.get('/api/checkpoints')
    expect((elsewhere.json() as { items: CheckpointOut[] }).items.map((c) => c.id)).not.toContain(
      cp.id,
    )
  })

  it('staff must have the checkpoint role; a grid is not a community', async () => {
    const noRole = await lead.send('POST', '/api/checkpoints', {
      communityId: grid.community.id,
      name: '西门',
      staff: [(await buildUser(t, { role: 'grid_worker', scope: [grid] })).id],
    })
    expect(noRole.statusCode).toBe(400)
    expect(noRole.json().error).toMatchObject({
      code: 'CHECKPOINT_STAFF_NOT_CHECKPOINT_ROLE',
      field: 'staff',
    })
    const onGrid = await lead.send('POST', '/api/checkpoints', { communityId: grid.id, name: 'x' })
    expect(onGrid.json().error).toMatchObject({ field: 'communityId' })
    const gateMay = await gate.send('POST', '/api/checkpoints', {
      communityId: grid.community.id,
      name: '北门',
    })
    expect(gateMay.statusCode).toBe(403)
  })

  it('rotating the poster retires the old link', async () => {
    const made = await lead.send('POST', '/api/checkpoints', {
      communityId: grid.community.id,
      name: '南门卡口',
    })
    const c: CheckpointOut = made.json()
    const rotated = await lead.send('POST', `/api/checkpoints/${c.id}/rotate-token`)
    expect(rotated.statusCode).toBe(200)
    const old = await anon('POST', `/api/public/report/${tokenOf(c)}`, report())
    expect(old.statusCode).toBe(404)
    expect(old.json().error.code).toBe('CHECKPOINT_REPORT_LINK_INVALID')
    const fresh = await anon('GET', `/api/public/report/${tokenOf(rotated.json())}`)
    expect(fresh.statusCode).toBe(200)
  })

  it('an invalid ID or phone names the field; an itinerary outside the window names its row', async () => {
    const badId = await anon('POST', `/api/public/report/${tokenOf(cp)}`, {
      ...report(),
      idNumber: '110101199003070000',
    })
    expect(badId.statusCode).toBe(400)
    expect(badId.json().error.field).toBe('idNumber')
    const badPhone = await anon('POST', `/api/public/report/${tokenOf(cp)}`, {
      ...report(),
      phone: '1234',
    })
    expect(badPhone.statusCode).toBe(400)
    expect(badPhone.json().error.field).toBe('phone')
    const old = await anon('POST', `/api/public/report/${tokenOf(cp)}`, {
      ...report(),
      itinerary: [
        { place: 'A', date: today() },
        { place: 'B', date: addDays(today(), -20) },
      ],
    })
    expect(old.statusCode).toBe(400)
    expect(old.json().error).toMatchObject({
      code: 'ARRIVAL_ITINERARY_OUTSIDE_WINDOW',
      field: 'itinerary.1.date',
      params: { days: 7 },
    })
  })

  it('the answer is the same for a registered resident and a stranger', async () => {
    const resident = await buildResident(t, { gridId: grid.id })
    const a = await anon('POST', `/api/public/report/${tokenOf(cp)}`, {
      ...report({ idNumber: resident.idNumber, name: resident.name }),
    })
    const b = await anon('POST', `/api/public/report/${tokenOf(cp)}`, report())
    expect(a.statusCode).toBe(200)
    expect(b.statusCode).toBe(200)
    expect(Object.keys(a.json()).sort()).toEqual(Object.keys(b.json()).sort())
    expect(a.json().reference).toMatch(/^[A-Z2-9]{8}$/)
    expect(b.json().reference).toMatch(/^[A-Z2-9]{8}$/)
    expect(a.headers['content-length']).toBe(b.headers['content-length'])
    for (const body of [a.body, b.body]) {
      expect(body).not.toContain(resident.idNumber)
      expect(body).not.toContain(resident.name)
    }
  })

  it('a second report of the same person and day updates the first, with the same reference', async () => {
    const idNumber = buildIdNumber()
    const first = await anon('POST', `/api/public/report/${tokenOf(cp)}`, report({ idNumber }))
    const second = await anon(
      'POST',
      `/api/public/report/${tokenOf(cp)}`,
      report({ idNumber, purpose: '返乡', healthCode: 'yellow' }),
    )
    expect(second.json().reference).toBe(first.json().reference)
    const found = await gate.get(`/api/checkpoints/${cp.id}/arrivals/${first.json().reference}`)
    expect(found.statusCode, found.body).toBe(200)
    const a: ArrivalOut = found.json()
    expect(a).toMatchObject({ purpose: '返乡', healthCode: 'yellow', channel: 'self' })
    // Sealed at rest, masked in the answer.
    expect(a.idNumber).not.toBe(idNumber)
    expect(a.idNumber.endsWith(idNumber.slice(-4))).toBe(true)
    expect(a.phone).toBe('139****5678')
    const stored = await rows<{ n: number; plain: number }>(
      t.database.db,
      sql`select count(*)::int as n, count(*) filter (where id_enc like ${'%' + idNumber + '%'})::int as plain
          from arrival where reference = ${a.reference}`,
    )
    expect(stored[0]).toEqual({ n: 1, plain: 0 })
  })

  it('self-report → the desk scans and confirms → the proposed measure starts in the household', async () => {
    const idNumber = buildIdNumber()
    const filed = await anon(
      'POST',
      `/api/public/report/${tokenOf(cp)}`,
      report({
        idNumber,
        itinerary: [{ place: '火星市某区', date: addDays(today(), -1) }],
      }),
    )
    const scanned = await gate.get(
      `/api/checkpoints/${cp.id}/arrivals/${(filed.json().reference as string).toLowerCase()}`,
    )
    expect(scanned.statusCode, scanned.body).toBe(200)
    const confirmed = await gate.send('POST', `/api/arrivals/${scanned.json().id}/confirm`, {})
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    const c: ArrivalOut = confirmed.json()
    // v9: stayed in a high-risk area → the high_risk_area measure; the place nobody knows is flagged.
    expect(c).toMatchObject({ status: 'confirmed', category: 'high_risk_area', measureId: null })
    expect(c.unmatchedPlaces).toEqual(['火星市某区'])
    // The gate's staff do not start measures (that registers the person); the grid worker does.
    const byGate = await gate.send('POST', `/api/arrivals/${c.id}/measure`)
    expect(byGate.statusCode).toBe(403)
    const waiting = await worker.get('/api/arrivals?withoutMeasure=true')
    expect((waiting.json() as { items: ArrivalOut[] }).items.map((x) => x.id)).toContain(c.id)
    const started = await worker.send('POST', `/api/arrivals/${c.id}/measure`)
    expect(started.statusCode, started.body).toBe(200)
    const s: ArrivalOut = started.json()
    expect(s.measureId).not.toBeNull()
    const m = await worker.get(`/api/measures/${s.measureId}`)
    expect(m.statusCode, m.body).toBe(200)
    expect(m.json()).toMatchObject({
      category: 'high_risk_area',
      source: 'arrival',
      householdId: home.id,
      status: 'active',
    })
    const again = await worker.send('POST', `/api/arrivals/${c.id}/measure`)
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('ARRIVAL_MEASURE_ALREADY_STARTED')
    const after = await worker.get('/api/arrivals?withoutMeasure=true')
    expect((after.json() as { items: ArrivalOut[] }).items.map((x) => x.id)).not.toContain(c.id)
  })

  it('a person without a phone is registered at the gate; a low-risk origin needs no measure', async () => {
    const res = await gate.send(
      'POST',
      `/api/checkpoints/${cp.id}/arrivals`,
      report({ phone: undefined, origin: 'low_risk_area', itinerary: [] }),
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ channel: 'gate', phone: null })
    const confirmed = await gate.send('POST', `/api/arrivals/${res.json().id}/confirm`, {})
    expect(confirmed.json()).toMatchObject({ category: null })
    const start = await worker.send('POST', `/api/arrivals/${res.json().id}/measure`)
    expect(start.statusCode).toBe(409)
    expect(start.json().error.code).toBe('ARRIVAL_NO_MEASURE')
  })

  it('a stay in an area of the external list makes the class, whatever was declared; an unknown place is flagged', async () => {
    const commandUser = await buildUser(t, { role: 'command', scope: [grid.community] })
    const command = await loginAs(t, commandUser.username, commandUser.password)
    const entered = await command.send('POST', '/api/arrivals/external-areas', {
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      level: 'high',
      validFrom: addDays(today(), -5),
    })
    expect(entered.statusCode, entered.body).toBe(201)
    const res = await gate.send(
      'POST',
      `/api/checkpoints/${cp.id}/arrivals`,
      report({
        origin: 'low_risk_area',
        itinerary: [
          { place: '上海市浦东新区', date: addDays(today(), -2) },
          { place: '火星市某区', date: addDays(today(), -1) },
        ],
      }),
    )
    expect(res.statusCode, res.body).toBe(200)
    const confirmed = await gate.send('POST', `/api/arrivals/${res.json().id}/confirm`, {})
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    // v9: declared low risk, but the itinerary stayed in a listed high-risk district.
    expect(confirmed.json()).toMatchObject({ category: 'high_risk_area' })
    expect(confirmed.json().unmatchedPlaces).toEqual(['火星市某区'])
  })

  it('an arrival who lives in another community is handed over: that community starts the measure', async () => {
    const filed = await gate.send(
      'POST',
      `/api/checkpoints/${cp.id}/arrivals`,
      report({ origin: 'overseas', destinationHouseholdId: undefined }),
    )
    const away = await buildHousehold(t, { gridId: other.id })
    const confirmed = await gate.send('POST', `/api/arrivals/${filed.json().id}/confirm`, {
      destinationHouseholdId: away.id,
    })
    expect(confirmed.json()).toMatchObject({ category: 'inbound', handover: true })
    const here = await worker.send('POST', `/api/arrivals/${filed.json().id}/measure`)
    expect(here.statusCode).toBe(403)
    const theirs = await otherWorker.get('/api/arrivals?withoutMeasure=true')
    const seen = (theirs.json() as { items: ArrivalOut[] }).items.find(
      (x) => x.id === filed.json().id,
    )
    expect(seen).toBeDefined()
    const started = await otherWorker.send('POST', `/api/arrivals/${filed.json().id}/measure`)
    expect(started.statusCode, started.body).toBe(200)
    const m = await otherWorker.get(`/api/measures/${started.json().measureId}`)
    expect(m.json()).toMatchObject({ category: 'inbound', householdId: away.id })
  })

  it('the arrivals list is by origin and masked; another community sees none of ours', async () => {
    const high = await lead.get('/api/arrivals?origin=high_risk_area')
    const items = (high.json() as { items: ArrivalOut[] }).items
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((a) => a.origin === 'high_risk_area')).toBe(true)
    expect(items.every((a) => a.idNumber.includes('*'))).toBe(true)
    const theirs = await otherWorker.get('/api/arrivals?origin=high_risk_area')
    expect((theirs.json() as { items: ArrivalOut[] }).items).toEqual([])
  })
})
