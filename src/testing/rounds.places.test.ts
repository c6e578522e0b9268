import crypto from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inTransaction } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import { addDays, localDate } from '../core/clock.js'
import { activatePolicyProfile } from '../policy/policy.service.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildResident,
  buildUser,
  type BuiltBuilding,
  type BuiltGrid,
} from '../../test/factories.js'

/**
 * Rounds narrowed to buildings and units, and the area-wide rules the profile gives (issue 10
 * §4, domain.md §5): a round of one building lists, counts, exports and samples only that
 * building's people; whether an area-wide round may open, and the stop rule's advice.
 */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

const deadline = (hours = 12): string => new Date(Date.now() + hours * 3_600_000).toISOString()
const unique = (prefix: string): string =>
  `${prefix}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`

interface Place {
  grid: BuiltGrid
  lead: Client
  worker: Client
  sampler: Client
  /** Two units, two rooms each: 王芳 (unit 1), 李娜 (unit 2). */
  a: BuiltBuilding
  /** One room: 陈静. */
  b: BuiltBuilding
  ids: Record<'wang' | 'li' | 'chen', string>
}

async function place(): Promise<Place> {
  const grid = await buildGrid(t, { name: '第一网格' })
  const a = await buildBuilding(t, {
    gridId: grid.id,
    units: [1, 2],
    floors: [1, 1],
    roomsPerFloor: [1, 1],
  })
  const b = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 1] })
  const [unit1, unit2] = [a.households[0]!, a.households[1]!]
  expect(unit1.unitId).not.toBe(unit2.unitId)
  const ids = {
    wang: (await buildResident(t, { householdId: unit1.id, name: '王芳' })).id,
    li: (await buildResident(t, { householdId: unit2.id, name: '李娜' })).id,
    chen: (await buildResident(t, { householdId: b.households[0]!.id, name: '陈静' })).id,
  }
  const login = async (role: 'community_lead' | 'grid_worker' | 'sampler'): Promise<Client> =>
    loginAs(
      t,
      (await buildUser(t, { role, scope: [role === 'grid_worker' ? grid : grid.community] }))
        .username,
    )
  return {
    grid,
    lead: await login('community_lead'),
    worker: await login('grid_worker'),
    sampler: await login('sampler'),
    a,
    b,
    ids,
  }
}

const missedNames = async (c: Client, roundId: string): Promise<string[]> => {
  const res = await c.get(`/api/rounds/${roundId}/missed`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json().items.map((m: { name: string }) => m.name)
}

async function switchProfile(name: string): Promise<void> {
  await inTransaction(t.database.db, (tx) =>
    activatePolicyProfile(tx, systemActor('test'), { profile: name, reason: '测试切换方案' }),
  )
}

describe('rounds of buildings and units', () => {
  it('offers the buildings and units of the chosen division, and a round of one building has only its residents everywhere', async () => {
    const p = await place()
    const offered = await p.lead.get(`/api/rounds/places?divisionIds=${p.grid.id}`)
    expect(offered.statusCode, offered.body).toBe(200)
    const a = offered.json().items.find((x: { id: string }) => x.id === p.a.id)
    expect(a).toMatchObject({
      name: `${p.a.code}栋`,
      gridName: '第一网格',
      units: [{ name: `${p.a.code}栋1单元` }, { name: `${p.a.code}栋2单元` }],
    })
    expect(offered.json().truncated).toBe(false)
    // Choosing places is part of opening a round: a grid worker may not.
    expect((await p.worker.get(`/api/rounds/places?divisionIds=${p.grid.id}`)).statusCode).toBe(403)

    const res = await p.lead.send('POST', '/api/rounds', {
      name: unique('楼栋核酸'),
      kind: 'key_groups',
      divisionIds: [p.grid.id],
      buildingIds: [p.b.id],
      deadline: deadline(),
      poolSize: 10,
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ buildings: [{ id: p.b.id, name: `${p.b.code}栋` }] })
    const roundId = res.json().id
    expect(await missedNames(p.worker, roundId)).toEqual(['陈静'])
    const progress = (await p.worker.get(`/api/rounds/${roundId}/progress`)).json()
    expect(progress.totals).toMatchObject({ inScope: 1, missed: 1 })
    expect(progress.round.buildings).toEqual([{ id: p.b.id, name: `${p.b.code}栋` }])

    const xlsx = await p.worker.get(`/api/rounds/${roundId}/missed.xlsx`)
    expect(xlsx.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('漏检名单')!
    const names = Array.from({ length: sheet.rowCount - 2 }, (_, i) =>
      sheet
        .getRow(i + 3)
        .getCell(3)
        .value?.toString(),
    )
    expect(names).toEqual(['陈静'])

    // A resident of the other building is still swabbed (应检尽检), but flagged outside the round.
    const code = async (id: string): Promise<string> =>
      (await p.lead.send('POST', `/api/residents/${id}/code`)).json().token
    const tube = unique('T')
    const scans = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [await code(p.ids.chen), await code(p.ids.wang)].map((person) => ({
        clientId: crypto.randomUUID(),
        person,
        tube,
        scannedAt: new Date().toISOString(),
      })),
    })
    const [chen, wang] = scans.json().results
    expect(chen).toMatchObject({ status: 'accepted', warnings: [] })
    expect(wang).toMatchObject({ status: 'accepted', warnings: ['out_of_scope'] })
    const after = (await p.worker.get(`/api/rounds/${roundId}/progress`)).json()
    expect(after.totals).toMatchObject({ inScope: 1, sampled: 1, missed: 0 })

    // A reason cannot be recorded for someone outside the round's buildings.
    const reason = await p.worker.send('PUT', `/api/rounds/${roundId}/missed/${p.ids.li}`, {
      reason: 'in_hospital',
      note: '市一医院',
    })
    expect(reason.statusCode).toBe(400)
    expect(reason.json().error).toMatchObject({
      code: 'MISSED_RESIDENT_OUTSIDE_ROUND',
      field: 'residentId',
    })
  })

  it('narrows a round to a unit and a building at once, and refuses places outside its divisions, naming the field', async () => {
    const p = await place()
    const unit2 = p.a.households[1]!.unitId
    const res = await p.lead.send('POST', '/api/rounds', {
      name: unique('单元核酸'),
      kind: 'area',
      divisionIds: [p.grid.id],
      unitIds: [unit2],
      buildingIds: [p.b.id],
      deadline: deadline(),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().units).toEqual([{ id: unit2, name: `${p.a.code}栋2单元` }])
    expect((await missedNames(p.worker, res.json().id)).sort()).toEqual(['李娜', '陈静'].sort())

    const elsewhere = await buildGrid(t, { communityId: p.grid.community.id, name: '第二网格' })
    const far = await buildBuilding(t, { gridId: elsewhere.id })
    const outside = await p.lead.send('POST', '/api/rounds', {
      name: unique('越界'),
      kind: 'area',
      divisionIds: [p.grid.id],
      buildingIds: [far.id],
      deadline: deadline(),
    })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().error).toMatchObject({
      code: 'ROUND_PLACE_OUTSIDE',
      field: 'buildingIds',
      params: { name: `${far.code}栋` },
    })
    const unknown = await p.lead.send('POST', '/api/rounds', {
      name: unique('越界'),
      kind: 'area',
      divisionIds: [p.grid.id],
      unitIds: [crypto.randomUUID()],
      deadline: deadline(),
    })
    expect(unknown.json().error).toMatchObject({ code: 'ROUND_PLACE_UNKNOWN', field: 'unitIds' })
    const farUnit = far.households[0]!.unitId
    const outsideUnit = await p.lead.send('POST', '/api/rounds', {
      name: unique('越界'),
      kind: 'area',
      divisionIds: [p.grid.id],
      unitIds: [farUnit],
      deadline: deadline(),
    })
    expect(outsideUnit.json().error).toMatchObject({
      code: 'ROUND_PLACE_OUTSIDE',
      field: 'unitIds',
    })
  })
})

describe('area-wide rounds by the profile in force', () => {
  it('opens one under v9, under opt20 only with a reason, never under new10; the deadline holds sampling and testing together', async () => {
    const p = await place()
    const open = (body: Record<string, unknown>) =>
      p.lead.send('POST', '/api/rounds', {
        name: unique('全员核酸'),
        kind: 'area',
        divisionIds: [p.grid.id],
        deadline: deadline(),
        ...body,
      })
    try {
      const v9 = await open({})
      expect(v9.statusCode, v9.body).toBe(201)
      expect(v9.json()).toMatchObject({ profileName: 'v9', areaReason: null })
      // 24 h for sampling and testing together.
      expect((await open({ deadline: deadline(25) })).json().error).toMatchObject({
        code: 'ROUND_AREA_TOO_LONG',
        field: 'deadline',
        params: { hours: 24, profile: 'v9' },
      })

      await switchProfile('opt20')
      const bare = await open({})
      expect(bare.statusCode).toBe(400)
      expect(bare.json().error).toMatchObject({
        code: 'ROUND_AREA_NEEDS_REASON',
        field: 'areaReason',
        params: { profile: 'opt20' },
      })
      const reasoned = await open({ areaReason: ' 传播链不清 ' })
      expect(reasoned.statusCode, reasoned.body).toBe(201)
      expect(reasoned.json()).toMatchObject({ profileName: 'opt20', areaReason: '传播链不清' })
      expect(reasoned.json().deadline).toBeTruthy()

      await switchProfile('new10')
      const never = await open({ areaReason: '传播链不清' })
      expect(never.statusCode).toBe(400)
      expect(never.json().error).toMatchObject({
        code: 'ROUND_AREA_NOT_ALLOWED',
        field: 'kind',
        params: { profile: 'new10' },
      })
      expect(never.json().error.message).not.toMatch(/ROUND_/)
      // Key groups are still tested under new10.
      expect((await open({ kind: 'key_groups' })).statusCode).toBe(201)
    } finally {
      await switchProfile('v9')
    }
  })

  it('advises by the stop rule: after 3 clean rounds of an area wait 3 days, one more, then stop; a round without all results is not counted', async () => {
    const p = await place()
    const round = async (): Promise<string> => {
      const res = await p.lead.send('POST', '/api/rounds', {
        name: unique('全员核酸'),
        kind: 'area',
        divisionIds: [p.grid.id],
        buildingIds: [p.a.id],
        deadline: deadline(),
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id
    }
    const close = async (id: string): Promise<void> => {
      const res = await p.lead.send('POST', `/api/rounds/${id}/close?confirm=true`)
      expect(res.statusCode, res.body).toBe(200)
    }
    const advice = async (id: string) =>
      (await p.worker.get(`/api/rounds/${id}/progress`)).json().round.stopAdvice
    const first = await round()
    expect(await advice(first)).toMatchObject({
      next: 'continue',
      cleanRounds: 0,
      rule: { cleanRounds: 3, waitDays: 3, finalRounds: 1 },
    })
    await close(first)
    // The same grid without the building's narrowing is another area.
    const whole = await p.lead.send('POST', '/api/rounds', {
      name: unique('全员核酸'),
      kind: 'area',
      divisionIds: [p.grid.id],
      deadline: deadline(),
    })
    expect(await advice(whole.json().id)).toMatchObject({ next: 'continue', cleanRounds: 0 })

    // A round closed with a tube still at the lab is not known clean.
    const pending = await round()
    const code = (await p.lead.send('POST', `/api/residents/${p.ids.wang}/code`)).json().token
    await p.sampler.send('POST', `/api/rounds/${pending}/scans`, {
      scans: [
        {
          clientId: crypto.randomUUID(),
          person: code,
          tube: unique('T'),
          scannedAt: new Date().toISOString(),
        },
      ],
    })
    await close(pending)
    expect(await advice(pending)).toMatchObject({
      next: 'continue',
      cleanRounds: 1,
      pendingRounds: 1,
    })

    await close(await round())
    const third = await round()
    await close(third)
    const today = localDate(new Date())
    expect(await advice(third)).toMatchObject({
      next: 'wait',
      until: addDays(today, 3),
      cleanRounds: 3,
    })
    // The list shows the same advice on every round of the area.
    const listed = (await p.worker.get('/api/rounds?limit=50')).json().items
    expect(listed.find((r: { id: string }) => r.id === first).stopAdvice).toMatchObject({
      next: 'wait',
      until: addDays(today, 3),
    })
    const fourth = await round()
    await close(fourth)
    expect(await advice(fourth)).toMatchObject({ next: 'stop', cleanRounds: 4 })
  })
})
