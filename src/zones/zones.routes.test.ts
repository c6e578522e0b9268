import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { addDays, localDate, startOfLocalDay } from '../core/clock.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildResident,
  buildRound,
  buildUser,
  type BuiltBuilding,
  type BuiltGrid,
  type BuiltResident,
} from '../../test/factories.js'
import type { AreaDetailOut, AreaPage } from './zones.schema.js'

/**
 * Risk areas over HTTP (issue 11 item 1), on PGlite and on PostgreSQL (TEST_DATABASE_URL), under
 * v9 (a new deployment's profile): draw an area of buildings, floors or households, refused at a
 * unit v9 does not draw; its countdown from the cases and rounds of the people inside; lowering
 * refused until the checks pass or a lead decides with a reason; lifting; widening; the list of
 * my scope in pages; and nothing of another community's areas.
 */

let t: TestApp
let grid: BuiltGrid
let other: BuiltGrid
let building: BuiltBuilding
let inside: BuiltResident[]
let lead: Client
let leadName: string
let worker: Client
let outsiderLead: Client
let outsiderWorker: Client

const zone = 'Asia/Shanghai'
const today = (): string => localDate(new Date(), zone)
/** 10:00 local on the day n days from today. */
const localAt = (n: number, hour = 10): string =>
  new Date(startOfLocalDay(addDays(today(), n), zone).getTime() + hour * 3_600_000).toISOString()

/** Everyone in `people` swabbed on day n (from today) in one area-wide round, with this result. */
async function round(
  people: BuiltResident[],
  n: number,
  state: 'negative' | 'pending' | 'confirmed_positive' = 'negative',
  kind: 'area' | 'routine' = 'area',
): Promise<string> {
  const r = await buildRound(t, { divisionIds: [grid.community.id], kind })
  const at = localAt(n)
  for (const p of people) {
    const tubeId = crypto.randomUUID()
    await t.database.db.execute(
      sql`insert into tube (id, code, round_id, kind, capacity, members, status, opened_at, opened_by)
          values (${tubeId}, ${'Z' + crypto.randomBytes(5).toString('hex')}, ${r.id}, 'single', 1, 1, 'closed', ${at}, 'test')`,
    )
    await t.database.db.execute(
      sql`insert into specimen (id, client_id, round_id, tube_id, resident_id, grid_path, sampler_name, scanned_at, state)
          values (${crypto.randomUUID()}, ${crypto.randomUUID()}, ${r.id}, ${tubeId}, ${p.id}, ${grid.path}, 'test', ${at}, ${state})`,
    )
  }
  return r.id
}

/** A single-tube positive of a person, confirmed on day n (from today). */
async function positive(p: BuiltResident, n: number): Promise<string> {
  const id = crypto.randomUUID()
  await t.database.db.execute(
    sql`insert into positive_case (id, resident_id, round_id, specimen_id, tube_code, grid_path, status, confirmed_at)
        values (${id}, ${p.id}, ${crypto.randomUUID()}, ${crypto.randomUUID()}, ${'P' + crypto.randomBytes(4).toString('hex')}, ${grid.path}, 'confirmed', ${localAt(n, 9)})`,
  )
  return id
}

async function draw(
  client: Client,
  body: Record<string, unknown>,
): Promise<{ status: number; area: AreaDetailOut; body: { error?: Record<string, unknown> } }> {
  const res = await client.send('POST', '/api/zones/areas', {
    name: `测试区域${crypto.randomBytes(2).toString('hex')}`,
    level: 'high',
    reason: '出现阳性病例',
    ...body,
  })
  return { status: res.statusCode, area: res.json() as AreaDetailOut, body: res.json() }
}

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  other = await buildGrid(t)
  building = await buildBuilding(t, { gridId: grid.id, floors: [1, 3], roomsPerFloor: [1, 2] })
  inside = []
  for (const h of building.households.slice(0, 3))
    inside.push(await buildResident(t, { householdId: h.id }))
  const l = await buildUser(t, { role: 'community_lead', scope: [grid.community] })
  leadName = l.username
  lead = await loginAs(t, l.username)
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  outsiderLead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [other.community] })).username,
  )
  outsiderWorker = await loginAs(
    t,
    (await buildUser(t, { role: 'grid_worker', scope: [other] })).username,
  )
})
afterAll(async () => t?.close())

describe('drawing an area', () => {
  it('draws a building as a high-risk area under v9: who lives inside, day 0 of 7, audited', async () => {
    const caseId = await positive(inside[0]!, 0)
    const { status, area } = await draw(lead, {
      caseId,
      extents: [{ kind: 'building', id: building.id }],
    })
    expect(status).toBe(201)
    expect(area).toMatchObject({
      level: 'high',
      levelName: 'ZONE_RISK_high',
      status: 'active',
      caseId,
      profileName: 'v9',
      peopleInside: 3,
      casesInside: 1,
      extents: [{ kind: 'building', refId: building.id, path: grid.path }],
      countdown: {
        cleanDays: 0,
        next: 'medium',
        requiredDays: 7,
        daysLeft: 7,
        eligibleOn: addDays(today(), 7),
        roundDay: 7,
        eligible: false,
      },
    })
    expect(area.history.map((e) => e.kind)).toEqual(['created'])
    const audit = await rows<{ actor_name: string; scope_path: string }>(
      t.database.db,
      sql`select actor_name, scope_path from audit_log where action = 'zones.create' and target_id = ${area.id}`,
    )
    expect(audit).toEqual([{ actor_name: leadName, scope_path: grid.path }])
  })

  it('refuses a unit v9 does not draw at (an urban community), a floor without its number, and an unknown part, by field', async () => {
    let r = await draw(lead, { extents: [{ kind: 'community', id: grid.community.id }] })
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({
      code: 'ZONE_UNIT_NOT_ALLOWED',
      field: 'extents.0.kind',
      params: { profile: 'v9' },
    })
    r = await draw(lead, {
      extents: [
        { kind: 'household', id: building.households[0]!.id },
        { kind: 'floor', id: building.id },
      ],
    })
    expect(r.body.error).toMatchObject({ code: 'ZONE_FLOOR_REQUIRED', field: 'extents.1.floor' })
    r = await draw(lead, { extents: [{ kind: 'floor', id: building.id, floor: 9 }] })
    expect(r.body.error).toMatchObject({ code: 'ZONE_FLOOR_NOT_FOUND', field: 'extents.0.floor' })
    r = await draw(lead, { extents: [{ kind: 'unit', id: crypto.randomUUID() }] })
    expect(r.body.error).toMatchObject({ code: 'ZONE_EXTENT_NOT_FOUND', field: 'extents.0.id' })
    r = await draw(lead, {
      level: 'high',
      caseId: crypto.randomUUID(),
      extents: [{ kind: 'grid', id: grid.id }],
    })
    expect(r.body.error).toMatchObject({ code: 'ZONE_CASE_NOT_FOUND', field: 'caseId' })
  })

  it('is not for a grid worker, nor over another community', async () => {
    expect((await draw(worker, { extents: [{ kind: 'grid', id: grid.id }] })).status).toBe(403)
    const r = await draw(outsiderLead, { extents: [{ kind: 'building', id: building.id }] })
    expect(r.status).toBe(403)
    expect(r.body.error).toMatchObject({ code: 'OUT_OF_SCOPE' })
  })
})

describe('the countdown and the decisions', () => {
  it('refuses lowering before the checks pass; a lead may decide against them with a reason', async () => {
    const { area } = await draw(lead, { extents: [{ kind: 'floor', id: building.id, floor: 1 }] })
    expect(area.peopleInside).toBe(2)
    let res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'medium',
      reason: '想降级',
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({
      code: 'ZONE_LOWER_CHECKS_FAILED',
      field: 'overrideReason',
      params: { failed: 2 },
    })
    res = await worker.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'medium',
      reason: '想降级',
      overrideReason: '指挥部决定',
    })
    expect(res.statusCode).toBe(403)
    res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'medium',
      reason: '指挥部研判',
      overrideReason: '流调已闭环，指挥部决定提前降级',
    })
    expect(res.statusCode).toBe(200)
    const after = res.json() as AreaDetailOut
    expect(after).toMatchObject({ level: 'medium', levelName: 'ZONE_RISK_medium' })
    // Lowered from high: 3 more clean days, no round (v9).
    expect(after.countdown).toMatchObject({ next: 'low', requiredDays: 3, roundDay: null })
    expect(after.history[0]).toMatchObject({
      kind: 'level',
      fromLevel: 'high',
      toLevel: 'medium',
      overrideReason: '流调已闭环，指挥部决定提前降级',
      actorName: leadName,
    })
    const audit = await rows<{ reason: string }>(
      t.database.db,
      sql`select reason from audit_log where action = 'zones.level' and target_id = ${area.id}`,
    )
    expect(audit).toEqual([{ reason: '指挥部研判' }])
  })

  it('after 7 clean days and a negative round on day 7 the area may be lowered; a new case inside restarts the clock', async () => {
    const b = await buildBuilding(t, { gridId: grid.id })
    const people = [
      await buildResident(t, { householdId: b.households[0]!.id }),
      await buildResident(t, { householdId: b.households[1]!.id }),
    ]
    const { area } = await draw(lead, {
      startedAt: localAt(-8),
      extents: [{ kind: 'building', id: b.id }],
    })
    expect(area.countdown).toMatchObject({
      cleanDays: 8,
      eligible: false,
      roundDate: addDays(today(), -1),
      checks: [
        { code: 'ZONE_CHECK_CLEAN_DAYS', ok: true },
        { code: 'ZONE_CHECK_NEGATIVE_ROUND', ok: false },
      ],
    })
    const roundId = await round(people, -1)
    let page = (await worker.get(`/api/zones/areas/${area.id}`)).json() as AreaDetailOut
    expect(page.countdown).toMatchObject({ eligible: true, roundId })
    expect(page.rounds).toMatchObject([{ roundId, sampled: 2, negative: 2, positive: 0 }])
    // Computed on demand: reading wrote nothing.
    expect(page.history.map((e) => e.kind)).toEqual(['created'])

    await positive(people[1]!, 0)
    page = (await worker.get(`/api/zones/areas/${area.id}`)).json() as AreaDetailOut
    expect(page.countdown).toMatchObject({
      clockFrom: today(),
      cleanDays: 0,
      daysLeft: 7,
      eligible: false,
    })
    expect(page.casesInside).toBe(1)
    const res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'medium',
      reason: '满 7 天',
    })
    expect(res.statusCode).toBe(409)
  })

  it('lowers without an override once eligible, and lifts an area at v9 low by decision', async () => {
    const b = await buildBuilding(t, { gridId: grid.id })
    const people = [await buildResident(t, { householdId: b.households[0]!.id })]
    const { area } = await draw(lead, {
      level: 'medium',
      startedAt: localAt(-7),
      extents: [{ kind: 'household', id: b.households[0]!.id }],
    })
    // An area that started as medium: 7 clean days and a round on day 7 (today).
    expect(area.countdown).toMatchObject({ next: 'low', requiredDays: 7, roundDay: 7 })
    await round(people, 0)
    let res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'low',
      reason: '满足降级条件',
    })
    expect(res.statusCode).toBe(200)
    expect((res.json() as AreaDetailOut).history[0]).toMatchObject({ overrideReason: null })
    res = await lead.send('POST', `/api/zones/areas/${area.id}/lift`, { reason: '恢复常态' })
    expect(res.statusCode).toBe(200)
    const lifted = res.json() as AreaDetailOut
    expect(lifted).toMatchObject({ status: 'lifted', countdown: null })
    expect(lifted.history.map((e) => e.kind)).toEqual(['lifted', 'level', 'created'])
    res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'high',
      reason: '再次升级',
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('ZONE_AREA_LIFTED')
  })

  it('counts a routine round that swabbed everyone inside on day 7, as 发起本区域核酸 opens one', async () => {
    const b = await buildBuilding(t, { gridId: grid.id })
    const people = [await buildResident(t, { householdId: b.households[0]!.id })]
    const { area } = await draw(lead, {
      level: 'medium',
      startedAt: localAt(-7),
      extents: [{ kind: 'household', id: b.households[0]!.id }],
    })
    expect(area.countdown).toMatchObject({ eligible: false, roundDay: 7 })
    const roundId = await round(people, 0, 'negative', 'routine')
    const page = (await worker.get(`/api/zones/areas/${area.id}`)).json() as AreaDetailOut
    expect(page.countdown).toMatchObject({ eligible: true, roundId })
  })

  it('says when an area covers people of an active area of another level, on both areas; the same level is no overlap', async () => {
    const b = await buildBuilding(t, { gridId: grid.id })
    await buildResident(t, { householdId: b.households[0]!.id })
    await buildResident(t, { householdId: b.households[1]!.id })
    const whole = (
      await draw(lead, { name: '整栋高风险', extents: [{ kind: 'building', id: b.id }] })
    ).area
    expect(whole.overlaps).toEqual([])
    const part = (
      await draw(lead, {
        name: '一户中风险',
        level: 'medium',
        extents: [{ kind: 'household', id: b.households[0]!.id }],
      })
    ).area
    expect(part.overlaps).toEqual([
      { id: whole.id, name: '整栋高风险', level: 'high', levelName: 'ZONE_RISK_high', people: 1 },
    ])
    const again = (await worker.get(`/api/zones/areas/${whole.id}`)).json() as AreaDetailOut
    expect(again.overlaps).toMatchObject([{ id: part.id, level: 'medium', people: 1 }])
    const same = (
      await draw(lead, {
        name: '一户高风险',
        extents: [{ kind: 'household', id: b.households[1]!.id }],
      })
    ).area
    expect(same.overlaps).toEqual([])
  })

  it('raises at once, and refuses lifting a high area in one step under v9', async () => {
    const { area } = await draw(lead, {
      level: 'low',
      extents: [{ kind: 'household', id: building.households[3]!.id }],
    })
    let res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'high',
      reason: '新增病例',
    })
    expect(res.statusCode).toBe(200)
    expect((res.json() as AreaDetailOut).countdown).toMatchObject({ next: 'medium', daysLeft: 7 })
    res = await lead.send('POST', `/api/zones/areas/${area.id}/lift`, { reason: '直接解除' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('ZONE_LIFT_CHECKS_FAILED')
  })
})

describe('widening and listing', () => {
  it('widens an area by more parts, each kept once, in its history', async () => {
    const { area } = await draw(lead, {
      extents: [{ kind: 'household', id: building.households[0]!.id }],
    })
    const res = await lead.send('POST', `/api/zones/areas/${area.id}/extents`, {
      reason: '密接在同楼层',
      extents: [
        { kind: 'household', id: building.households[0]!.id },
        { kind: 'household', id: building.households[1]!.id },
      ],
    })
    expect(res.statusCode).toBe(200)
    const wide = res.json() as AreaDetailOut
    expect(wide.extents).toHaveLength(2)
    expect(wide.peopleInside).toBe(2)
    expect(wide.history[0]).toMatchObject({ kind: 'widened', reason: '密接在同楼层' })
    const far = await buildBuilding(t, { gridId: other.id })
    const escape = await lead.send('POST', `/api/zones/areas/${area.id}/extents`, {
      reason: '越界',
      extents: [{ kind: 'building', id: far.id }],
    })
    expect(escape.statusCode).toBe(403)
  })

  it('lists the areas of my scope newest first in pages, and nothing of another community', async () => {
    const first = (await worker.get('/api/zones/areas?limit=2')).json() as AreaPage
    expect(first.items).toHaveLength(2)
    expect(first.next).not.toBeNull()
    // The newest is the widened high-risk area, counting down toward medium.
    expect(first.items[0]!.countdown).toMatchObject({ next: 'medium', cleanDays: 0 })
    const second = (
      await worker.get(`/api/zones/areas?limit=2&after=${first.next}`)
    ).json() as AreaPage
    expect(second.items.length).toBeGreaterThan(0)
    const ids = [...first.items, ...second.items].map((a) => a.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(first.items[0]!.id > second.items[0]!.id).toBe(true)

    expect(((await outsiderWorker.get('/api/zones/areas')).json() as AreaPage).items).toEqual([])
    const someId = first.items[0]!.id
    const res = await outsiderWorker.get(`/api/zones/areas/${someId}`)
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('ZONE_AREA_NOT_FOUND')
  })

  it('says what v9 calls its levels and which units it draws at', async () => {
    const s = (await worker.get('/api/zones/settings')).json()
    expect(s).toMatchObject({ profile: 'v9', levelNames: 'risk' })
    expect(s.levels.map((l: { name: string }) => l.name)).toEqual([
      'ZONE_RISK_high',
      'ZONE_RISK_medium',
      'ZONE_RISK_low',
    ])
    expect(s.units).toContain('building')
    expect(s.units).not.toContain('community')
  })
})
