import crypto from 'node:crypto'
import fs from 'node:fs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { addDays, deploymentZone, localDate } from '../core/clock.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import { buildBuilding, buildGrid, buildResident, buildUser } from '../../test/factories.js'
import { measure } from './measures.tables.js'
import { measuresSection, type MeasureCategory } from './measures.profile.js'
import { planMeasure } from './measures.rules.js'

/**
 * The door-sensor webhook (门磁) end to end: registration by a lead (secret once, kept
 * encrypted), signed posts from the device, refusals of forged, stale, foreign and replayed
 * posts, and the alert an opening raises when someone of the household is in home isolation.
 */

const v9 = measuresSection.parse(
  JSON.parse(
    fs.readFileSync(new URL('../policy/profiles/v9/measures.json', import.meta.url), 'utf8'),
  ),
)

let t: TestApp
let lead: Client
let worker: Client
let otherWorker: Client
let households: { id: string; label: string; room: string }[]
let buildingCode: string
let gridPath: string

const EVENTS = '/api/measures/doors/events'
const SENSORS = '/api/measures/doors/sensors'

/** What a device sends: the HMAC is computed here independently of the server's code. */
function signed(
  secret: string,
  body: Record<string, unknown>,
  opts: {
    at?: number
    raw?: string
    signature?: string
    sendRaw?: string
    sendTimestamp?: string
  } = {},
) {
  const payload = opts.raw ?? JSON.stringify(body)
  const ts = String(Math.floor((opts.at ?? Date.now()) / 1000))
  const mac = crypto.createHmac('sha256', secret).update(`${ts}.${payload}`).digest('hex')
  return t.app.inject({
    method: 'POST',
    url: EVENTS,
    headers: {
      'content-type': 'application/json',
      'x-wg-timestamp': opts.sendTimestamp ?? ts,
      'x-wg-signature': opts.signature ?? `sha256=${mac}`,
    },
    // What is sent may differ from what was signed (a forged post).
    payload: opts.sendRaw ?? payload,
  })
}

let seq = 0
const eventOf = (deviceId: string, householdId: string, event: 'open' | 'close' = 'open') => ({
  deviceId,
  householdId,
  event,
  at: new Date().toISOString(),
  eventId: `ev-${++seq}-${crypto.randomBytes(3).toString('hex')}`,
})

async function putUnder(category: MeasureCategory, residentId: string, householdId: string) {
  // Day 1 of the measure is today in the deployment's zone.
  const anchorDate = addDays(localDate(new Date()), -1)
  const r = planMeasure(v9, category, { anchorDate })
  if (!r.ok) throw new Error(category)
  await t.database.db.insert(measure).values({
    residentId,
    householdId,
    gridPath,
    category,
    anchorAt: new Date(),
    anchorDate,
    plannedEnd: r.plan.plannedEnd,
    profileName: 'v9',
    rules: v9.categories[category]!,
    plan: r.plan as unknown as Record<string, unknown>,
    startedBy: 'test',
  })
}

async function register(client: Client, deviceId: string, householdId: string) {
  const res = await client.send('POST', SENSORS, { deviceId, householdId })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; secret: string; deviceId: string }
}

const alertsOf = async (client: Client) =>
  (await client.get('/api/alerts?kind=measures.door_open')).json() as {
    items: { code: string; params: Record<string, string>; title: string; scopePath: string }[]
  }

beforeAll(async () => {
  t = await createTestApp()
  const grid = await buildGrid(t)
  gridPath = grid.path
  const building = await buildBuilding(t, {
    gridId: grid.id,
    floors: [1, 2],
    roomsPerFloor: [1, 2],
  })
  households = building.households
  buildingCode = building.code
  const elsewhere = await buildGrid(t)
  lead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
  )
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  otherWorker = await loginAs(
    t,
    (await buildUser(t, { role: 'grid_worker', scope: [elsewhere] })).username,
  )
})
afterAll(async () => t?.close())

describe('registering a door sensor', () => {
  it('gives the secret once, keeps it encrypted, lists the sensor without it, audited', async () => {
    const s = await register(lead, 'MC-REG-1', households[0]!.id)
    expect(s.secret).toMatch(/^wgdoor_[\w-]{40,}$/)
    const [stored] = await rows<{ secret_enc: string }>(
      t.database.db,
      sql`select secret_enc from door_sensor where id = ${s.id}`,
    )
    expect(stored!.secret_enc).not.toContain(s.secret.slice(7))
    const list = await lead.get(SENSORS)
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(s.secret)
    expect(list.json().items).toContainEqual(
      expect.objectContaining({
        id: s.id,
        deviceId: 'MC-REG-1',
        householdLabel: households[0]!.label,
        revokedAt: null,
      }),
    )
    const [a] = await rows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where target_id = ${s.id}`,
    )
    expect(a?.action).toBe('doors.register')
  })

  it('is refused to a grid worker, outside the scope, for a taken device and an unknown household', async () => {
    const h = households[1]!.id
    expect(
      (await worker.send('POST', SENSORS, { deviceId: 'MC-REG-2', householdId: h })).json().error
        .code,
    ).toBe('FORBIDDEN')
    const outsider = await loginAs(t, (await buildUser(t, { role: 'community_lead' })).username)
    const out = await outsider.send('POST', SENSORS, { deviceId: 'MC-REG-2', householdId: h })
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'OUT_OF_SCOPE'])
    const taken = await lead.send('POST', SENSORS, { deviceId: 'MC-REG-1', householdId: h })
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'DOOR_SENSOR_TAKEN'])
    const unknown = await lead.send('POST', SENSORS, {
      deviceId: 'MC-REG-3',
      householdId: crypto.randomUUID(),
    })
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([
      404,
      'DOOR_HOUSEHOLD_NOT_FOUND',
    ])
    const bad = await lead.send('POST', SENSORS, { deviceId: 'a b', householdId: h })
    expect(bad.statusCode).toBe(400)
  })

  it("another grid's worker does not see the sensor", async () => {
    const list = await otherWorker.get(SENSORS)
    expect(list.statusCode).toBe(200)
    expect(list.json().items).toEqual([])
  })
})

describe('the door-sensor webhook', () => {
  let isolated: { id: string; secret: string }
  let quiet: { id: string; secret: string }
  let centralized: { id: string; secret: string }
  const D1 = 'MC-HOME-1'

  beforeAll(async () => {
    const [h1, h2, h3] = [households[1]!, households[2]!, households[3]!]
    const zhang = await buildResident(t, { householdId: h1.id, name: '张隔离' })
    await putUnder('secondary_contact', zhang.id, h1.id) // v9: 7 d home isolation
    const li = await buildResident(t, { householdId: h3.id })
    await putUnder('close_contact', li.id, h3.id) // v9: centralized isolation first
    isolated = await register(lead, D1, h1.id)
    quiet = await register(lead, 'MC-QUIET', h2.id)
    centralized = await register(lead, 'MC-CENTRAL', h3.id)
  })

  it('an opening of a home-isolated household raises an alert for its grid naming building, unit and room', async () => {
    const body = eventOf(D1, households[1]!.id)
    const res = await signed(isolated.secret, body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ accepted: true, alerted: true })
    const mine = await alertsOf(worker)
    expect(mine.items).toHaveLength(1)
    const a = mine.items[0]!
    expect(a.code).toBe('ALERT_DOOR_OPENED')
    expect(a.params).toMatchObject({ building: buildingCode, unit: '1', room: households[1]!.room })
    // The time of the opening on the deployment's clock, never the process's zone.
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: deploymentZone(),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(body.at))
    expect(a.params.time).toBe(local)
    expect(a.title).toContain(`${buildingCode}栋1单元${households[1]!.room}`)
    // The alert names the place, never the person.
    expect(JSON.stringify(a)).not.toContain('张隔离')
    expect((await alertsOf(otherWorker)).items).toEqual([])
  })

  it('a closing, a household without a measure and a centralized isolation raise nothing', async () => {
    expect((await signed(isolated.secret, eventOf(D1, households[1]!.id, 'close'))).json()).toEqual(
      { accepted: true, alerted: false },
    )
    expect((await signed(quiet.secret, eventOf('MC-QUIET', households[2]!.id))).json()).toEqual({
      accepted: true,
      alerted: false,
    })
    expect(
      (await signed(centralized.secret, eventOf('MC-CENTRAL', households[3]!.id))).json(),
    ).toEqual({ accepted: true, alerted: false })
    expect((await alertsOf(worker)).items).toHaveLength(1)
  })

  it('refuses a replayed event id, and the replay raises no second alert', async () => {
    const body = eventOf(D1, households[1]!.id)
    expect((await signed(isolated.secret, body)).statusCode).toBe(200)
    const again = await signed(isolated.secret, body)
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'DOOR_EVENT_REPLAYED'])
    expect(again.json().error.params).toEqual({ eventId: body.eventId })
    expect((await alertsOf(worker)).items).toHaveLength(2)
  })

  it.each([
    [
      'a wrong signature',
      (b: Record<string, unknown>) =>
        signed(isolated.secret, b, { signature: 'sha256=' + '0'.repeat(64) }),
    ],
    ["another sensor's secret", (b: Record<string, unknown>) => signed(quiet.secret, b)],
    [
      'a body changed after signing',
      (b: Record<string, unknown>) =>
        signed(isolated.secret, b, { sendRaw: JSON.stringify({ ...b, event: 'close' }) }),
    ],
    [
      'no signature headers',
      (b: Record<string, unknown>) =>
        t.app.inject({
          method: 'POST',
          url: EVENTS,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(b),
        }),
    ],
    [
      'a timestamp moved after signing',
      (b: Record<string, unknown>) =>
        signed(isolated.secret, b, { sendTimestamp: String(Math.floor(Date.now() / 1000) + 1) }),
    ],
  ])('refuses a forged post: %s (401 DOOR_SIGNATURE_INVALID, nothing stored)', async (_, send) => {
    const body = eventOf(D1, households[1]!.id)
    const res = await send(body)
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'DOOR_SIGNATURE_INVALID'])
    const stored = await rows(
      t.database.db,
      sql`select 1 from door_event where event_id = ${body.eventId}`,
    )
    expect(stored).toEqual([])
  })

  it.each([
    ['6 minutes old', -6 * 60_000],
    ['6 minutes ahead', 6 * 60_000],
  ])('refuses a post signed %s (replay window ±5 min)', async (_, shift) => {
    const res = await signed(isolated.secret, eventOf(D1, households[1]!.id), {
      at: Date.now() + shift,
    })
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'DOOR_TIMESTAMP_OUT_OF_WINDOW'])
    expect(res.json().error.params).toEqual({ minutes: 5 })
  })

  it('accepts a post signed 4 minutes ago', async () => {
    const res = await signed(isolated.secret, eventOf(D1, households[1]!.id, 'close'), {
      at: Date.now() - 4 * 60_000,
    })
    expect(res.statusCode).toBe(200)
  })

  it('refuses an unknown device and a household that is not the sensor’s', async () => {
    const unknown = await signed(isolated.secret, eventOf('MC-NOBODY', households[1]!.id))
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([401, 'DOOR_SENSOR_UNKNOWN'])
    const foreign = await signed(isolated.secret, eventOf(D1, households[2]!.id))
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([
      400,
      'DOOR_HOUSEHOLD_MISMATCH',
    ])
  })

  it('refuses malformed bodies with 400, never 500', async () => {
    for (const raw of [
      '{',
      '[]',
      '{"deviceId":"MC-HOME-1"}',
      JSON.stringify({ ...eventOf(D1, households[1]!.id), event: 'ajar' }),
    ]) {
      const res = await signed(isolated.secret, {}, { raw })
      expect(res.statusCode, raw).toBe(400)
    }
  })

  it('a revoked sensor is an unknown device', async () => {
    const s = await register(lead, 'MC-REVOKE', households[2]!.id)
    expect((await signed(s.secret, eventOf('MC-REVOKE', households[2]!.id))).statusCode).toBe(200)
    expect((await worker.send('POST', `${SENSORS}/${s.id}/revoke`)).statusCode).toBe(403)
    expect((await lead.send('POST', `${SENSORS}/${s.id}/revoke`)).statusCode).toBe(204)
    expect((await lead.send('POST', `${SENSORS}/${s.id}/revoke`)).statusCode).toBe(204)
    const res = await signed(s.secret, eventOf('MC-REVOKE', households[2]!.id))
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'DOOR_SENSOR_UNKNOWN'])
  })
})

describe('the door-sensor screen', () => {
  it('lists the sensors of a household or a grid with their last event and whether someone is under a measure', async () => {
    const h1 = households[1]!.id
    const one = (await lead.get(`${SENSORS}?householdId=${h1}`)).json().items as {
      deviceId: string
      lastEvent: { event: string; alerted: boolean } | null
      underMeasure: boolean
    }[]
    expect(one.map((s) => s.deviceId)).toEqual(['MC-HOME-1'])
    expect(one[0]!.underMeasure).toBe(true)
    expect(one[0]!.lastEvent).toMatchObject({ event: expect.stringMatching(/^(open|close)$/) })
    const [grid] = await rows<{ id: string }>(
      t.database.db,
      sql`select id from division where path = ${gridPath}`,
    )
    const byGrid = (await worker.get(`${SENSORS}?divisionId=${grid!.id}`)).json().items as {
      deviceId: string
      underMeasure: boolean
      lastEvent: unknown
    }[]
    expect(byGrid.map((s) => s.deviceId)).toEqual(
      expect.arrayContaining(['MC-REG-1', 'MC-HOME-1', 'MC-QUIET']),
    )
    const reg = byGrid.find((s) => s.deviceId === 'MC-REG-1')!
    expect([reg.underMeasure, reg.lastEvent]).toEqual([false, null])
    // Another grid's worker asking for this grid is out of scope; for this household sees nothing.
    const out = await otherWorker.get(`${SENSORS}?divisionId=${grid!.id}`)
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'OUT_OF_SCOPE'])
    expect((await otherWorker.get(`${SENSORS}?householdId=${h1}`)).json().items).toEqual([])
  })

  it('lists the recent door events of households under a measure only, newest first, in scope', async () => {
    const res = await worker.get(`${EVENTS}?limit=200`)
    expect(res.statusCode, res.body).toBe(200)
    const items = res.json().items as {
      deviceId: string
      householdLabel: string
      event: string
      occurredAt: string
      alerted: boolean
    }[]
    expect(items.length).toBeGreaterThan(0)
    // The quiet household (no measure) posted an opening too: it is not listed.
    expect(new Set(items.map((e) => e.deviceId))).toEqual(new Set(['MC-HOME-1', 'MC-CENTRAL']))
    expect(items.some((e) => e.deviceId === 'MC-HOME-1' && e.event === 'open' && e.alerted)).toBe(
      true,
    )
    const times = items.map((e) => e.occurredAt)
    expect([...times].sort().reverse()).toEqual(times)
    expect(items[0]!.householdLabel).toMatch(/\d/)
    expect((await otherWorker.get(EVENTS)).json().items).toEqual([])
  })

  it("rotates a sensor's secret once shown, audited: the old secret's posts are refused, the new one's taken", async () => {
    const s = await register(lead, 'MC-ROTATE', households[0]!.id)
    expect((await worker.send('POST', `${SENSORS}/${s.id}/rotate`)).statusCode).toBe(403)
    const outsider = await loginAs(t, (await buildUser(t, { role: 'community_lead' })).username)
    const out = await outsider.send('POST', `${SENSORS}/${s.id}/rotate`)
    expect([out.statusCode, out.json().error.code]).toEqual([403, 'OUT_OF_SCOPE'])
    const res = await lead.send('POST', `${SENSORS}/${s.id}/rotate`)
    expect(res.statusCode, res.body).toBe(200)
    const rotated = res.json() as { id: string; secret: string; deviceId: string }
    expect(rotated).toMatchObject({ id: s.id, deviceId: 'MC-ROTATE' })
    expect(rotated.secret).toMatch(/^wgdoor_[\w-]{40,}$/)
    expect(rotated.secret).not.toBe(s.secret)
    const old = await signed(s.secret, eventOf('MC-ROTATE', households[0]!.id))
    expect([old.statusCode, old.json().error.code]).toEqual([401, 'DOOR_SIGNATURE_INVALID'])
    expect((await signed(rotated.secret, eventOf('MC-ROTATE', households[0]!.id))).statusCode).toBe(
      200,
    )
    expect((await lead.get(SENSORS)).body).not.toContain(rotated.secret)
    const actions = await rows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where target_id = ${s.id} and action like 'doors.%' order by id`,
    )
    expect(actions.map((a) => a.action)).toEqual(['doors.register', 'doors.rotate'])
    // A revoked sensor is registered again, not rotated.
    expect((await lead.send('POST', `${SENSORS}/${s.id}/revoke`)).statusCode).toBe(204)
    const gone = await lead.send('POST', `${SENSORS}/${s.id}/rotate`)
    expect([gone.statusCode, gone.json().error.code]).toEqual([409, 'DOOR_SENSOR_REVOKED'])
    const missing = await lead.send('POST', `${SENSORS}/${crypto.randomUUID()}/rotate`)
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'DOOR_SENSOR_NOT_FOUND'])
  })
})

describe('rate limit', () => {
  it('the webhook is limited per address like every public route', async () => {
    const small = await createTestApp({ publicRateLimitPerMinute: 3 })
    try {
      const codes: number[] = []
      for (let i = 0; i < 4; i++)
        codes.push(
          (
            await small.app.inject({
              method: 'POST',
              url: EVENTS,
              headers: { 'content-type': 'application/json' },
              payload: '{}',
            })
          ).statusCode,
        )
      expect(codes).toEqual([400, 400, 400, 429])
    } finally {
      await small.close()
    }
  })
})
