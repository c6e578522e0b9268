import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildResident,
  buildUser,
  type BuiltResident,
} from '../../test/factories.js'

/**
 * 死亡 / 长期外出 / 户在人不在 and the 户籍地 beside the home: who is in a round's population
 * and how the grid worker sees 人户分离, on both engines.
 */
let t: TestApp
let lead: Client
let worker: Client
let outsider: Client
let grid: Awaited<ReturnType<typeof buildGrid>>
let building: Awaited<ReturnType<typeof buildBuilding>>
let elder: BuiltResident
let son: BuiltResident
let roundId: string

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t, { name: '状态网格' })
  building = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 2] })
  elder = await buildResident(t, {
    householdId: building.households[0]!.id,
    name: '老李',
    idNumber: buildIdNumber({ birth: '19400101' }),
  })
  son = await buildResident(t, {
    householdId: building.households[0]!.id,
    name: '小李',
    idNumber: buildIdNumber({ birth: '19750101' }),
  })
  await buildResident(t, {
    householdId: building.households[1]!.id,
    name: '邻居',
    idNumber: buildIdNumber({ birth: '19800101' }),
  })
  lead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
  )
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  outsider = await loginAs(t, (await buildUser(t, { role: 'grid_worker' })).username)
  const round = await lead.send('POST', '/api/rounds', {
    name: `状态-${Date.now()}`,
    kind: 'area',
    divisionIds: [grid.id],
    deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
  })
  expect(round.statusCode, round.body).toBe(201)
  roundId = round.json().id
})
afterAll(async () => t?.close())

const missed = async (): Promise<string[]> =>
  (await lead.get(`/api/rounds/${roundId}/missed`))
    .json()
    .items.map((m: { name: string }) => m.name)
    .sort()
const householdCount = async (): Promise<number> => {
  const units = (await lead.get(`/api/buildings/${building.id}/units`)).json().items
  const hh = (await lead.get(`/api/units/${units[0].id}/households`)).json().items
  return hh.find((h: { id: string }) => h.id === building.households[0]!.id).residents
}
const status = (c: Client, id: string, body: Record<string, unknown>) =>
  c.send('PUT', `/api/residents/${id}/status`, body)

describe('deceased and long-term away', () => {
  it('a death needs its date, not after today; long-term away needs where to: each names the field', async () => {
    const noDate = await status(worker, elder.id, { status: 'deceased' })
    expect(noDate.statusCode).toBe(400)
    expect(noDate.json().error.field).toBe('on')
    const future = await status(worker, elder.id, { status: 'deceased', on: '2999-01-01' })
    expect(future.statusCode).toBe(400)
    expect(future.json().error.field).toBe('on')
    const noPlace = await status(worker, son.id, { status: 'away_long' })
    expect(noPlace.statusCode).toBe(400)
    expect(noPlace.json().error.field).toBe('place')
    const bad = await status(worker, son.id, { status: 'gone' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('status')
  })

  it('another area’s worker cannot set a status, and nothing changes', async () => {
    const r = await status(outsider, elder.id, { status: 'deceased', on: '2026-01-02' })
    expect([403, 404]).toContain(r.statusCode)
    expect((await worker.get(`/api/residents/${elder.id}`)).json().status).toBe('active')
  })

  it('deceased and long-term away leave the missed list and the household count, are listed by status and kept in the history', async () => {
    expect(await missed()).toEqual(['小李', '老李', '邻居'].sort())
    expect(await householdCount()).toBe(2)
    const dead = await status(worker, elder.id, {
      status: 'deceased',
      on: '2026-01-02',
      note: '家属告知',
    })
    expect(dead.statusCode, dead.body).toBe(200)
    expect(dead.json()).toMatchObject({
      status: 'deceased',
      statusOn: '2026-01-02',
      statusPlace: null,
      householdLabel: building.households[0]!.label,
    })
    expect(dead.json().events[0]).toMatchObject({
      kind: 'status',
      detail: { from: 'active', to: 'deceased', on: '2026-01-02', note: '家属告知' },
    })
    const away = await status(worker, son.id, {
      status: 'away_long',
      place: '深圳',
      on: '2025-06-01',
    })
    expect(away.statusCode, away.body).toBe(200)
    expect(away.json()).toMatchObject({
      status: 'away_long',
      statusOn: '2025-06-01',
      statusPlace: '深圳',
    })
    expect(await missed()).toEqual(['邻居'])
    expect(await householdCount()).toBe(0)
    // The resident list shows them under their status, not among those living here.
    const living = (await worker.get(`/api/residents?divisionId=${grid.id}`)).json().items
    expect(living.map((r: { name: string }) => r.name)).toEqual(['邻居'])
    const deceased = (await worker.get(`/api/residents?divisionId=${grid.id}&status=deceased`))
      .json()
      .items.map((r: { name: string }) => r.name)
    expect(deceased).toEqual(['老李'])
    // Audited, without where the person is.
    const audits = await rows<{ detail: unknown }>(
      t.database.db,
      sql`select detail from audit_log where action = 'resident.status' and target_id = ${son.id}`,
    )
    expect(audits).toHaveLength(1)
    expect(JSON.stringify(audits[0]!.detail)).not.toContain('深圳')
  })

  it('a deceased person is not registered again nor moved; the undo brings both back', async () => {
    const again = await worker.send('POST', '/api/residents', {
      householdId: building.households[1]!.id,
      name: '老李',
      idNumber: elder.idNumber,
      residenceType: 'registered',
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('RESIDENT_DECEASED')
    const move = await worker.send('POST', `/api/residents/${elder.id}/move`, {
      householdId: building.households[1]!.id,
    })
    expect(move.statusCode).toBe(409)
    for (const r of [elder, son]) {
      const undo = await status(worker, r.id, { status: 'active' })
      expect(undo.statusCode, undo.body).toBe(200)
      expect(undo.json()).toMatchObject({ status: 'active', statusOn: null, statusPlace: null })
    }
    expect(await missed()).toEqual(['小李', '老李', '邻居'].sort())
    const twice = await status(worker, elder.id, { status: 'active' })
    expect(twice.statusCode).toBe(409)
  })
})

describe('户籍地 beside the home', () => {
  it('人在户不在: a floating resident with a hukou elsewhere is shown as such; a bad region code names the field', async () => {
    const bad = await worker.send('POST', '/api/residents', {
      householdId: building.households[1]!.id,
      name: '外地人',
      idNumber: buildIdNumber({ birth: '19900101' }),
      residenceType: 'floating',
      hukouAddress: '河南省周口市川汇区',
      hukouRegion: '001602',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('hukouRegion')
    const form = await worker.send('POST', '/api/residents', {
      householdId: building.households[1]!.id,
      name: '外地人',
      idNumber: buildIdNumber({ birth: '19900101' }),
      residenceType: 'floating',
      hukouAddress: 'x',
    })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('hukouAddress')
    const ok = await worker.send('POST', '/api/residents', {
      householdId: building.households[1]!.id,
      name: '外地人',
      idNumber: buildIdNumber({ birth: '19900101' }),
      residenceType: 'floating',
      hukouAddress: '河南省周口市川汇区',
      hukouRegion: '411602',
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().resident).toMatchObject({
      hukouAddress: '河南省周口市川汇区',
      hukouRegion: '411602',
      separation: 'hukou_elsewhere',
    })
    // Changed on the resident page; cleared with null.
    const id = ok.json().resident.id
    const patch = await worker.send('PATCH', `/api/residents/${id}`, { hukouRegion: null })
    expect(patch.statusCode, patch.body).toBe(200)
    expect(patch.json()).toMatchObject({ hukouRegion: null, hukouAddress: '河南省周口市川汇区' })
  })

  it('户在人不在: registered here, living elsewhere, is out of the round and listed for the grid worker', async () => {
    const r = await status(worker, son.id, { status: 'hukou_only', place: '上海市浦东新区' })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({
      status: 'hukou_only',
      separation: 'hukou_only',
      statusPlace: '上海市浦东新区',
    })
    expect(await missed()).not.toContain('小李')
    const listed = (await worker.get(`/api/residents?divisionId=${grid.id}&status=hukou_only`))
      .json()
      .items.map((x: { name: string; separation: string }) => [x.name, x.separation])
    expect(listed).toEqual([['小李', 'hukou_only']])
  })
})
