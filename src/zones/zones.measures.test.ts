import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildResident,
  buildUser,
  type BuiltBuilding,
  type BuiltGrid,
  type BuiltResident,
} from '../../test/factories.js'
import type { TimelineOut } from '../measures/measures.schema.js'
import type { AreaDetailOut } from './zones.schema.js'

/**
 * What a risk area does to the people inside (issue 11 item 2), over HTTP on PGlite and on
 * PostgreSQL (TEST_DATABASE_URL), under v9: sealing a building puts everyone living in it under
 * 封控 (zone_sealed: stay home, services delivered), seen on their measures timeline; widening
 * and an overlapping area never double it; lowering ends it and starts 管控; lifting ends them;
 * the decisions' audit entries count them; people outside are untouched.
 */

let t: TestApp
let grid: BuiltGrid
let building: BuiltBuilding
let outsideBuilding: BuiltBuilding
let inside: BuiltResident[]
let outsider: BuiltResident
let lead: Client

async function draw(extents: unknown[], level = 'high'): Promise<AreaDetailOut> {
  const res = await lead.send('POST', '/api/zones/areas', {
    name: `测试区域${crypto.randomBytes(2).toString('hex')}`,
    level,
    reason: '出现阳性病例',
    extents,
  })
  expect(res.statusCode).toBe(201)
  return res.json() as AreaDetailOut
}

async function timeline(p: BuiltResident): Promise<TimelineOut['items']> {
  const res = await lead.get(`/api/residents/${p.id}/measures`)
  expect(res.statusCode).toBe(200)
  return (res.json() as TimelineOut).items
}

async function active(p: BuiltResident): Promise<string[]> {
  return (await timeline(p)).filter((m) => m.status === 'active').map((m) => m.category)
}

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  building = await buildBuilding(t, { gridId: grid.id, floors: [1, 4], roomsPerFloor: [1, 3] })
  outsideBuilding = await buildBuilding(t, {
    gridId: grid.id,
    floors: [1, 1],
    roomsPerFloor: [1, 1],
  })
  inside = []
  for (const h of building.households)
    for (let i = 0; i < 3; i++) inside.push(await buildResident(t, { householdId: h.id }))
  outsider = await buildResident(t, { householdId: outsideBuilding.households[0]!.id })
  const l = await buildUser(t, { role: 'community_lead', scope: [grid.community] })
  lead = await loginAs(t, l.username)
})
afterAll(async () => t?.close())

describe('the measures of the people inside', () => {
  let area: AreaDetailOut
  let second: AreaDetailOut

  it('sealing a building puts everyone living in it under 封控, and nobody outside', async () => {
    area = await draw([{ kind: 'building', id: building.id }])
    expect(area.peopleInside).toBe(inside.length)
    for (const p of inside) {
      const [m] = await timeline(p)
      expect(m).toMatchObject({
        category: 'zone_sealed',
        status: 'active',
        source: 'zone',
        endCondition: 'area_change',
        plannedEnd: null,
      })
      expect(m!.phases).toMatchObject([{ kind: 'stay_home', lastDay: null }])
    }
    expect(await active(outsider)).toEqual([])
    const [entry] = await rows<{ detail: { measuresStarted: number } }>(
      t.database.db,
      sql`select detail from audit_log where action = 'zones.create' and target_id = ${area.id}`,
    )
    expect(entry?.detail.measuresStarted).toBe(inside.length)
  })

  it('a sealed measure is not released by hand: its release check says it ends with the area, and a release is refused', async () => {
    const m = (await timeline(inside[0]!)).find((x) => x.status === 'active')!
    const checks = await lead.get(`/api/measures/${m.id}/release-checks`)
    expect(checks.statusCode).toBe(200)
    expect(checks.json()).toMatchObject({
      ok: false,
      problems: [{ code: 'MEASURE_RELEASE_AREA_CHANGE' }],
    })
    expect((checks.json() as { problems: unknown[] }).problems).toHaveLength(1)
    const res = await lead.send('POST', `/api/measures/${m.id}/release`, {})
    expect(res.statusCode).toBe(409)
    expect(JSON.stringify(res.json())).toContain('MEASURE_RELEASE_AREA_CHANGE')
    expect(await active(inside[0]!)).toEqual(['zone_sealed'])
  })

  it('the home indicators count the sealed apart (封控区人员), not among the people under a measure of their own', async () => {
    const res = await lead.get('/api/measures/indicators')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      people: 0,
      zone: { sealed: inside.length, controlled: 0, precaution: 0 },
      byCategory: [{ category: 'zone_sealed', people: inside.length }],
    })
  })

  it('widening over the same people and an overlapping area never double the measure', async () => {
    const res = await lead.send('POST', `/api/zones/areas/${area.id}/extents`, {
      reason: '扩大范围',
      extents: [
        { kind: 'floor', id: building.id, floor: 2 },
        { kind: 'household', id: outsideBuilding.households[0]!.id },
      ],
    })
    expect(res.statusCode).toBe(200)
    second = await draw([{ kind: 'household', id: building.households[0]!.id }])
    expect(second.peopleInside).toBe(3)
    for (const p of [...inside, outsider]) expect(await active(p)).toEqual(['zone_sealed'])
    const [n] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from measure where category = 'zone_sealed' and status = 'active'
          and resident_id = any(${sql.param([...inside, outsider].map((p) => p.id))}::uuid[])`,
    )
    expect(n!.n).toBe(inside.length + 1)
  })

  it('lowering ends 封控 and starts 管控 for everyone inside except the people also inside a sealed area, whose 封控 keeps running; lifting that area moves them to 管控; lifting the last ends it', async () => {
    const household0 = inside.slice(0, 3)
    const rest = [...inside.slice(3), outsider]
    const sealedBefore = new Map<string, string>()
    for (const p of household0)
      sealedBefore.set(p.id, (await timeline(p)).find((m) => m.status === 'active')!.id)
    let res = await lead.send('POST', `/api/zones/areas/${area.id}/level`, {
      level: 'medium',
      reason: '指挥部研判',
      overrideReason: '流调已闭环，指挥部决定提前降级',
    })
    expect(res.statusCode).toBe(200)
    for (const p of rest) {
      const items = await timeline(p)
      expect(items.filter((m) => m.status === 'active').map((m) => m.category)).toEqual([
        'zone_controlled',
      ])
      expect(items.find((m) => m.category === 'zone_sealed')).toMatchObject({
        status: 'ended',
        endReason: 'ZONE_LEVEL_CHANGED',
      })
    }
    // The second area (高风险, household 0) still seals them: the same 封控, not ended, not doubled.
    for (const p of household0) {
      const items = await timeline(p)
      expect(items.map((m) => [m.category, m.status])).toEqual([['zone_sealed', 'active']])
      expect(items[0]!.id).toBe(sealedBefore.get(p.id))
    }
    const [level] = await rows<{ detail: { measuresStarted: number; measuresEnded: number } }>(
      t.database.db,
      sql`select detail from audit_log where action = 'zones.level' and target_id = ${area.id}`,
    )
    expect(level?.detail).toMatchObject({
      measuresStarted: rest.length,
      measuresEnded: rest.length,
    })
    res = await lead.send('POST', `/api/zones/areas/${second.id}/lift`, {
      reason: '解除',
      overrideReason: '指挥部决定解除',
    })
    expect(res.statusCode).toBe(200)
    for (const p of household0) {
      const items = await timeline(p)
      expect(items.filter((m) => m.status === 'active').map((m) => m.category)).toEqual([
        'zone_controlled',
      ])
      expect(items.find((m) => m.category === 'zone_sealed')).toMatchObject({
        status: 'ended',
        endReason: 'ZONE_LIFTED',
      })
    }
    for (const p of rest) expect(await active(p)).toEqual(['zone_controlled'])
    res = await lead.send('POST', `/api/zones/areas/${area.id}/lift`, {
      reason: '解除',
      overrideReason: '指挥部决定解除',
    })
    expect(res.statusCode).toBe(200)
    for (const p of [...inside, outsider]) {
      const items = await timeline(p)
      expect(items.filter((m) => m.status === 'active')).toEqual([])
      expect(items.find((m) => m.category === 'zone_controlled')).toMatchObject({
        status: 'ended',
        endReason: 'ZONE_LIFTED',
      })
    }
  })

  it('a medium area drawn over sealed people adds no 管控 beside their 封控; lifting the sealed one leaves them under 管控', async () => {
    const high = await draw([{ kind: 'building', id: building.id }])
    const medium = await draw([{ kind: 'household', id: building.households[1]!.id }], 'medium')
    const mid = inside.slice(3, 6)
    for (const p of inside) expect(await active(p)).toEqual(['zone_sealed'])
    const res = await lead.send('POST', `/api/zones/areas/${high.id}/lift`, {
      reason: '解除',
      overrideReason: '指挥部决定解除',
    })
    expect(res.statusCode).toBe(200)
    for (const p of mid) expect(await active(p)).toEqual(['zone_controlled'])
    for (const p of [...inside.slice(0, 3), ...inside.slice(6)]) expect(await active(p)).toEqual([])
    await lead.send('POST', `/api/zones/areas/${medium.id}/lift`, {
      reason: '解除',
      overrideReason: '指挥部决定解除',
    })
    for (const p of mid) expect(await active(p)).toEqual([])
  })
})
