import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../core/audit/audit.service.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { buildIdNumber } from '../../test/factories.js'

let t: TestApp
let chain: Chain
let lead: Client
let worker: Client
let neighbour: Client
let volunteer: Client

async function households(
  c: Client,
  gridId: string,
  building: string,
): Promise<{ id: string; label: string }[]> {
  await c.send('POST', '/api/buildings/layout', {
    gridId,
    building,
    units: [1, 1],
    floors: [1, 3],
    roomsPerFloor: [1, 2],
  })
  const b = (await c.get(`/api/grids/${gridId}/buildings`))
    .json()
    .items.find((x: { code: string }) => x.code === building)
  const u = (await c.get(`/api/buildings/${b.id}/units`)).json().items[0]
  return (await c.get(`/api/units/${u.id}/households`)).json().items
}

let g1: { id: string; label: string }[]
let g2: { id: string; label: string }[]
const zhang = buildIdNumber({ birth: '19850615', sex: 'male' })

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  neighbour = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid2])).username)
  volunteer = await loginAs(t, (await buildUser(t, 'building_head', [chain.grid])).username)
  g1 = await households(lead, chain.grid.id, '12')
  g2 = await households(lead, chain.grid2.id, '3')
  const reg = (c: Client, body: object) =>
    c.send('POST', '/api/residents', { residenceType: 'registered', ...body })
  expect(
    (
      await reg(worker, {
        householdId: g1[0]!.id,
        name: '张三',
        idNumber: zhang,
        phone: '13812345678',
        relation: 'head',
        tags: ['chronic_disease'],
      })
    ).statusCode,
  ).toBe(200)
  await reg(worker, {
    householdId: g1[0]!.id,
    name: '李四',
    idNumber: buildIdNumber({ birth: '19400101', sex: 'female' }),
    relation: 'parent',
    tags: ['living_alone'],
  })
  await reg(worker, {
    householdId: g1[1]!.id,
    name: '王五',
    idNumber: buildIdNumber({ birth: '20200303', sex: 'male' }),
    residenceType: 'tenant',
  })
  await reg(neighbour, {
    householdId: g2[0]!.id,
    name: '赵六',
    idNumber: buildIdNumber({ birth: '19900909', sex: 'male' }),
    phone: '13912345678',
  })
  await reg(neighbour, {
    householdId: g2[0]!.id,
    name: '张珊',
    idNumber: buildIdNumber({ birth: '19920909', sex: 'female' }),
  })
})
afterAll(async () => t?.close())

const names = (res: { json(): { items: { name: string }[] } }): string[] =>
  res
    .json()
    .items.map((r) => r.name)
    .sort()

describe('building layout', () => {
  it('creates units × floors × rooms once, and a second run creates nothing', async () => {
    const again = await lead.send('POST', '/api/buildings/layout', {
      gridId: chain.grid.id,
      building: '12',
      units: [1, 1],
      floors: [1, 3],
      roomsPerFloor: [1, 2],
    })
    expect(again.json()).toMatchObject({ households: 6, created: 0 })
    expect(g1.map((h) => h.label)).toEqual([
      '12栋1单元101',
      '12栋1单元102',
      '12栋1单元201',
      '12栋1单元202',
      '12栋1单元301',
      '12栋1单元302',
    ])
  })
  it('refuses a grid worker building in the neighbouring grid', async () => {
    const res = await worker.send('POST', '/api/buildings/layout', {
      gridId: chain.grid2.id,
      building: '9',
      units: [1, 1],
      floors: [1, 1],
      roomsPerFloor: [1, 1],
    })
    expect(res.statusCode).toBe(403)
  })
})

describe('resident list and search', () => {
  it('shows a grid worker only their grid, masked', async () => {
    const res = await worker.get('/api/residents')
    expect(names(res)).toEqual(['李四', '张三', '王五'].sort())
    const z = res.json().items.find((r: { name: string }) => r.name === '张三')
    expect(z).toMatchObject({
      phone: '138****5678',
      idNumber: `320102********${zhang.slice(-4)}`,
      sex: 'male',
      birthDate: '1985-06-15',
      householdLabel: '12栋1单元101',
      tags: ['chronic_disease'],
    })
  })

  it('finds by pinyin initials, full pinyin and Chinese, within scope only', async () => {
    expect(names(await worker.get('/api/residents?q=zs'))).toEqual(['张三'])
    expect(names(await lead.get('/api/residents?q=zs'))).toEqual(['张三', '张珊'].sort())
    expect(names(await worker.get('/api/residents?q=zhang'))).toEqual(['张三'])
    expect(names(await worker.get(`/api/residents?q=${encodeURIComponent('王')}`))).toEqual([
      '王五',
    ])
  })

  it('finds by phone tail, full phone and ID tail, never across the grid line', async () => {
    expect(names(await worker.get('/api/residents?q=5678'))).toEqual(['张三'])
    expect(names(await lead.get('/api/residents?q=5678'))).toEqual(['张三', '赵六'].sort())
    expect(names(await worker.get('/api/residents?q=13912345678'))).toEqual([])
    expect(names(await neighbour.get('/api/residents?q=13912345678'))).toEqual(['赵六'])
    expect(names(await worker.get(`/api/residents?q=${zhang}`))).toEqual(['张三'])
  })

  it('filters by tag, age band and residence type', async () => {
    expect(names(await worker.get('/api/residents?tag=living_alone'))).toEqual(['李四'])
    expect(names(await worker.get('/api/residents?minAge=80'))).toEqual(['李四'])
    expect(names(await worker.get('/api/residents?minAge=18&maxAge=79'))).toEqual(['张三'])
    expect(names(await worker.get('/api/residents?residenceType=tenant'))).toEqual(['王五'])
  })

  it('pages with a keyset cursor in walking order', async () => {
    const first = await lead.get('/api/residents?limit=2')
    const second = await lead.get(`/api/residents?limit=2&after=${first.json().next}`)
    const third = await lead.get(`/api/residents?limit=2&after=${second.json().next}`)
    const all = [...first.json().items, ...second.json().items, ...third.json().items].map(
      (r: { name: string }) => r.name,
    )
    expect(new Set(all).size).toBe(5)
    expect(third.json().next).toBeNull()
    expect((await lead.get('/api/residents?after=garbage')).json().error).toMatchObject({
      code: 'CURSOR_INVALID',
      field: 'after',
    })
  })

  it('answers 400 naming the cursor for forged keyset cursors, never 500 (issue 8, finding 11)', async () => {
    const forged = [
      Buffer.from('[1,2,3]').toString('base64url'),
      Buffer.from('["/a/","b","not-a-uuid"]').toString('base64url'),
      Buffer.from('["/a/\\u0000","b","00000000-0000-0000-0000-000000000000"]').toString(
        'base64url',
      ),
      Buffer.from('[{"x":1},"b","00000000-0000-0000-0000-000000000000"]').toString('base64url'),
      Buffer.from('"just a string"').toString('base64url'),
    ]
    for (const after of forged) {
      const res = await lead.get(`/api/residents?after=${after}`)
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({ code: 'CURSOR_INVALID', field: 'after' })
    }
  })

  it('answers 400 naming the field for impossible or extreme birth dates (issue 8, finding 11)', async () => {
    for (const birthDate of [
      '2026-02-31',
      '0000-00-00',
      '275760-09-13',
      '-271821-04-20',
      '1850-01-01',
    ]) {
      const res = await worker.send('POST', '/api/residents', {
        householdId: g1[4]!.id,
        name: 'Passport Holder',
        idType: 'passport',
        idNumber: 'E12345678',
        birthDate,
        residenceType: 'floating',
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.field).toBe('birthDate')
    }
    const id = (await worker.get('/api/residents?q=zs')).json().items[0].id
    const patch = await worker.send('PATCH', `/api/residents/${id}`, { birthDate: '2026-02-31' })
    expect(patch.statusCode).toBe(400)
    expect(patch.json().error.field).toBe('birthDate')
  })

  it('answers 403 (and audits) for a resident of the neighbouring grid', async () => {
    const id = (await neighbour.get('/api/residents')).json().items[0].id
    expect((await worker.get(`/api/residents/${id}`)).statusCode).toBe(403)
    const [entry] = await listAudit(t.database.db, {
      action: 'access.out_of_scope',
      targetId: id,
      limit: 1,
    })
    expect(entry?.targetType).toBe('resident')
  })
})

describe('registration rules', () => {
  it('rejects a wrong check character and a sex that contradicts the ID as codes naming the field, with params', async () => {
    const bad = zhang.slice(0, 17) + (zhang[17] === '1' ? '2' : '1')
    const r1 = await worker.send('POST', '/api/residents', {
      householdId: g1[2]!.id,
      name: 'x',
      idNumber: bad,
      residenceType: 'registered',
    })
    expect(r1.statusCode).toBe(400)
    expect(r1.json().error).toMatchObject({
      code: 'ID_CHECK_CHARACTER',
      field: 'idNumber',
      params: { expected: zhang[17] },
    })
    const r2 = await worker.send('POST', '/api/residents', {
      householdId: g1[2]!.id,
      name: 'x',
      idNumber: buildIdNumber({ birth: '19700101', sex: 'male' }),
      sex: 'female',
      residenceType: 'registered',
    })
    expect(r2.json().error).toMatchObject({ code: 'ID_SAYS_MALE', field: 'sex' })
    const r3 = await worker.send('POST', '/api/residents', {
      householdId: g1[2]!.id,
      name: 'x',
      idNumber: buildIdNumber({ birth: '19700101', sex: 'male' }),
      phone: '1381234',
      residenceType: 'registered',
    })
    expect(r3.json().error).toMatchObject({
      code: 'PHONE_LENGTH',
      field: 'phone',
      params: { length: 7 },
    })
    // The English message is only the curl fallback, rendered from the same catalogue.
    expect(r3.json().error.message).toContain('Must have 11 digits, got 7')
  })

  it('reports an old 15-digit number as a repair code, and refusals of moves and lookups as codes', async () => {
    const reg = await worker.send('POST', '/api/residents', {
      householdId: g1[2]!.id,
      name: '老号码',
      idNumber: '320102491231002',
      residenceType: 'registered',
    })
    expect(reg.json()).toMatchObject({
      outcome: 'created',
      repaired: [{ code: 'REPAIR_ID_15_TO_18', field: 'idNumber' }],
    })
    const rid = reg.json().resident.id
    const again = await worker.send('POST', `/api/residents/${rid}/move`, {
      householdId: g1[2]!.id,
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('RESIDENT_ALREADY_LIVES_THERE')
    const nowhere = await worker.send('POST', `/api/residents/${rid}/move`, {
      householdId: '00000000-0000-4000-8000-000000000000',
    })
    expect(nowhere.json().error).toMatchObject({
      code: 'HOUSEHOLD_NOT_FOUND',
      field: 'householdId',
    })
    const missing = await worker.get('/api/residents/00000000-0000-4000-8000-000000000000')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('RESIDENT_NOT_FOUND')
    expect(
      (await worker.send('POST', `/api/residents/${rid}/move-out`, { reason: '搬离本市' }))
        .statusCode,
    ).toBe(200)
    const twice = await worker.send('POST', `/api/residents/${rid}/move-out`, {
      reason: '搬离本市',
    })
    expect(twice.json().error.code).toBe('RESIDENT_ALREADY_MOVED_OUT')
  })

  it('treats the same person again as unchanged, and in another household as a move with history', async () => {
    const same = await worker.send('POST', '/api/residents', {
      householdId: g1[0]!.id,
      name: '张三',
      idNumber: zhang,
      phone: '13812345678',
      relation: 'head',
      residenceType: 'registered',
    })
    expect(same.json().outcome).toBe('unchanged')
    const moved = await worker.send('POST', '/api/residents', {
      householdId: g1[3]!.id,
      name: '张三',
      idNumber: zhang.toLowerCase(),
      phone: '13812345678',
      relation: 'head',
      residenceType: 'registered',
    })
    expect(moved.json().outcome).toBe('moved')
    const detail = (await worker.get(`/api/residents/${moved.json().resident.id}`)).json()
    expect(detail.householdLabel).toBe('12栋1单元202')
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['moved', 'registered'])
    expect(detail.events[0]).toMatchObject({
      fromHousehold: '12栋1单元101',
      toHousehold: '12栋1单元202',
    })
    expect(names(await lead.get(`/api/residents?q=${zhang}`))).toEqual(['张三'])
  })

  it('files a move between grids under the grid left and the grid joined (issue 8, finding 8)', async () => {
    const id = buildIdNumber({ birth: '19770707', sex: 'male' })
    const reg = await lead.send('POST', '/api/residents', {
      householdId: g1[5]!.id,
      name: '周七',
      idNumber: id,
      residenceType: 'registered',
    })
    const rid = reg.json().resident.id
    const moved = await lead.send('POST', '/api/residents', {
      householdId: g2[3]!.id,
      name: '周七',
      idNumber: id,
      residenceType: 'registered',
    })
    expect(moved.json().outcome).toBe('moved')
    expect(
      (await lead.send('POST', `/api/residents/${rid}/move`, { householdId: g1[5]!.id }))
        .statusCode,
    ).toBe(200)
    for (const grid of [chain.grid, chain.grid2]) {
      const seen = await listAudit(t.database.db, {
        action: 'resident.moved',
        targetId: rid,
        scopePaths: [grid.path],
        limit: 5,
      })
      expect(seen).toHaveLength(2)
    }
  })

  it('moves out without losing the record', async () => {
    const id = (await worker.get('/api/residents?q=ww')).json().items[0].id
    const out = await worker.send('POST', `/api/residents/${id}/move-out`, { reason: '搬离本市' })
    expect(out.json()).toMatchObject({ status: 'moved_out', householdId: null })
    expect(names(await worker.get('/api/residents?q=ww'))).toEqual([])
    expect(names(await worker.get('/api/residents?q=ww&status=moved_out'))).toEqual(['王五'])
  })
})

describe('personal data', () => {
  it('reveals ID and phone only on request, with an audit entry', async () => {
    const id = (await worker.get('/api/residents?q=zs')).json().items[0].id
    const full = await worker.get(`/api/residents/${id}?reveal=id,phone`)
    expect(full.json()).toMatchObject({
      idNumber: zhang,
      phone: '13812345678',
      revealed: ['id', 'phone'],
    })
    const [entry] = await listAudit(t.database.db, { action: 'pii.reveal', targetId: id, limit: 1 })
    expect(entry?.detail).toEqual({ fields: ['id', 'phone'] })
  })

  it('lets a volunteer see who lives there, masked, but not reveal or change', async () => {
    const list = await volunteer.get('/api/residents')
    expect(list.statusCode).toBe(200)
    const id = list.json().items[0].id
    expect((await volunteer.get(`/api/residents/${id}?reveal=phone`)).statusCode).toBe(403)
    expect(
      (await volunteer.send('PUT', `/api/residents/${id}/tags`, { tags: [] })).statusCode,
    ).toBe(403)
  })
})
