import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
import type { InsidePage, VulnerablePage } from './zones.inside.schema.js'

/**
 * Who is inside a risk area (居住人员) and the vulnerable among them (重点人群), on PGlite and on
 * PostgreSQL: an area over a building in each of two grids of a community; the lead sees both in
 * walking order page by page, a grid worker only their grid's part, phones masked, measures and
 * tags beside each; the vulnerable with their helper and hospital, those without one flagged.
 */
let t: TestApp
let grid: BuiltGrid
let grid2: BuiltGrid
let a: BuiltBuilding
let b: BuiltBuilding
let inA: BuiltResident[]
let inB: BuiltResident[]
let late: BuiltResident
let areaId: string
let lead: Client
let worker: Client
let outsider: Client

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  grid2 = await buildGrid(t, { communityId: grid.community.id })
  a = await buildBuilding(t, { gridId: grid.id, floors: [1, 3], roomsPerFloor: [1, 2] })
  b = await buildBuilding(t, { gridId: grid2.id })
  inA = []
  for (const [i, h] of a.households.slice(0, 4).entries())
    inA.push(
      await buildResident(t, {
        householdId: h.id,
        phone: `1391234${String(1000 + i)}`,
        tags: i === 0 ? ['dialysis'] : i === 1 ? ['living_alone', 'key_job'] : [],
        name: i === 2 ? '张透析' : undefined,
      }),
    )
  inB = [await buildResident(t, { householdId: b.households[0]!.id, tags: ['pregnancy'] })]
  lead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
  )
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  outsider = await loginAs(t, (await buildUser(t, { role: 'community_lead' })).username)
  const res = await lead.send('POST', '/api/zones/areas', {
    name: `测试区域${crypto.randomBytes(2).toString('hex')}`,
    level: 'high',
    reason: '出现阳性病例',
    extents: [
      { kind: 'building', id: a.id },
      { kind: 'building', id: b.id },
    ],
  })
  expect(res.statusCode).toBe(201)
  areaId = res.json().id
  // Moved in after the area was drawn: inside, but under no measure yet.
  late = await buildResident(t, { householdId: a.households[4]!.id })
})
afterAll(async () => t?.close())

const residents = async (c: Client, q = ''): Promise<InsidePage> => {
  const r = await c.get(`/api/zones/areas/${areaId}/residents${q}`)
  expect(r.statusCode).toBe(200)
  return r.json() as InsidePage
}
const vulnerable = async (c: Client, q = ''): Promise<VulnerablePage> => {
  const r = await c.get(`/api/zones/areas/${areaId}/vulnerable${q}`)
  expect(r.statusCode).toBe(200)
  return r.json() as VulnerablePage
}

describe('who is inside an area', () => {
  it('the lead pages through everyone inside in walking order, phones masked, with measures and tags', async () => {
    const seen: InsidePage['items'] = []
    let next: string | null = null
    let pages = 0
    do {
      const p: InsidePage = await residents(lead, `?limit=2${next ? `&after=${next}` : ''}`)
      seen.push(...p.items)
      next = p.next
      pages++
    } while (next && pages < 10)
    expect(pages).toBe(3)
    const ids = seen.map((p) => p.id)
    expect(new Set(ids).size).toBe(6)
    expect(ids.sort()).toEqual([...inA, ...inB, late].map((r) => r.id).sort())
    const first = seen.find((p) => p.id === inA[0]!.id)!
    expect(first).toMatchObject({
      phone: '139****1000',
      building: expect.any(String),
      room: expect.any(String),
      tags: ['dialysis'],
    })
    expect(first.measures.length).toBeGreaterThan(0)
    expect(first.measures[0]).toMatchObject({ category: expect.any(String) })
    expect(JSON.stringify(seen)).not.toContain('13912341000')
  })

  it('filters by under a measure or not, and searches by name', async () => {
    const not = await residents(lead, '?underMeasure=no')
    expect(not.items.map((p) => p.id)).toEqual([late.id])
    const under = await residents(lead, '?underMeasure=yes')
    expect(under.items).toHaveLength(5)
    const found = await residents(lead, `?q=${encodeURIComponent('张透析')}`)
    expect(found.items.map((p) => p.id)).toEqual([inA[2]!.id])
  })

  it("a grid worker sees only their grid's part; another community's lead learns nothing", async () => {
    const mine = await residents(worker)
    expect(mine.items.map((p) => p.id).sort()).toEqual([...inA, late].map((r) => r.id).sort())
    expect((await outsider.get(`/api/zones/areas/${areaId}/residents`)).statusCode).toBe(404)
    expect((await outsider.get(`/api/zones/areas/${areaId}/vulnerable`)).statusCode).toBe(404)
  })

  it('shows who to call instead (代联系人) for someone without a phone, masked; not for someone with one', async () => {
    const proxy = { proxyName: '周女儿', proxyRelation: '女儿', proxyPhone: '13600002222' }
    const none = { helperName: null, hospital: null, needs: null }
    for (const r of [inB[0]!, inA[1]!])
      expect(
        (await lead.send('PUT', `/api/residents/${r.id}/care`, { ...none, ...proxy })).statusCode,
      ).toBe(200)
    const seen = (await residents(lead)).items
    expect(seen.find((p) => p.id === inB[0]!.id)).toMatchObject({
      phone: null,
      proxy: { name: '周女儿', relation: '女儿', phone: '136****2222' },
    })
    expect(seen.find((p) => p.id === inA[1]!.id)).toMatchObject({
      phone: '139****1001',
      proxy: null,
    })
    expect(JSON.stringify(seen)).not.toContain('13600002222')
  })

  it('refuses a forged cursor naming the field', async () => {
    const r = await lead.get(`/api/zones/areas/${areaId}/residents?after=bm90LWEtY3Vyc29y`)
    expect(r.statusCode).toBe(400)
    expect(r.json().error.field).toBe('after')
  })
})

describe('the vulnerable inside (重点人群)', () => {
  it('lists those with a vulnerable tag, each without a helper flagged until one is named', async () => {
    const before = await vulnerable(lead)
    expect(before.items.map((p) => p.id).sort()).toEqual(
      [inA[0]!, inA[1]!, inB[0]!].map((r) => r.id).sort(),
    )
    expect(before).toMatchObject({ vulnerable: 3, withoutHelper: 3 })
    expect(before.tags).toContain('dialysis')
    expect(before.items.find((p) => p.id === inA[1]!.id)!.vulnerableTags).toEqual(['living_alone'])
    const put = await worker.send('PUT', `/api/residents/${inA[0]!.id}/care`, {
      helperName: '王包保',
      helperPhone: '13700001234',
      hospital: '市第一人民医院',
      needs: '每周一三五透析',
    })
    expect(put.statusCode).toBe(200)
    const after = await vulnerable(lead)
    expect(after).toMatchObject({ vulnerable: 3, withoutHelper: 2 })
    expect(after.items.find((p) => p.id === inA[0]!.id)).toMatchObject({
      helperName: '王包保',
      helperPhone: '137****1234',
      hospital: '市第一人民医院',
      needs: '每周一三五透析',
    })
    expect(JSON.stringify(after)).not.toContain('13700001234')
    const missing = await vulnerable(lead, '?withoutHelper=yes')
    expect(missing.items.map((p) => p.id).sort()).toEqual(
      [inA[1]!, inB[0]!].map((r) => r.id).sort(),
    )
  })

  it("a grid worker's list and counts are their grid's part only", async () => {
    const mine = await vulnerable(worker)
    expect(mine.items.map((p) => p.id).sort()).toEqual([inA[0]!, inA[1]!].map((r) => r.id).sort())
    expect(mine).toMatchObject({ vulnerable: 2, withoutHelper: 1 })
  })
})
