import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, loginAs, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildResident,
  buildUser,
} from '../../test/factories.js'

/** 以房管人: a vacant household's registered people are not missed tests. */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

describe('household occupancy', () => {
  it('a flat marked 空置 drops its people from the missed list; other households stay', async () => {
    const grid = await buildGrid(t, { name: '空置网格' })
    const b = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 2] })
    await buildResident(t, {
      householdId: b.households[0]!.id,
      name: '空房人',
      idNumber: buildIdNumber({ birth: '19700101' }),
    })
    await buildResident(t, {
      householdId: b.households[1]!.id,
      name: '在住人',
      idNumber: buildIdNumber({ birth: '19710101' }),
    })
    const lead = await loginAs(
      t,
      (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
    )
    const worker = await loginAs(
      t,
      (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username,
    )
    const round = await lead.send('POST', '/api/rounds', {
      name: `空置-${Date.now()}`,
      kind: 'area',
      divisionIds: [grid.id],
      deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
    })
    expect(round.statusCode, round.body).toBe(201)
    const missed = async (): Promise<string[]> =>
      (await lead.get(`/api/rounds/${round.json().id}/missed`))
        .json()
        .items.map((m: { name: string }) => m.name)
        .sort()
    expect(await missed()).toEqual(['在住人', '空房人'].sort())
    const set = await worker.send('PUT', `/api/households/${b.households[0]!.id}/occupancy`, {
      occupancy: 'vacant',
    })
    expect(set.statusCode, set.body).toBe(200)
    expect(await missed()).toEqual(['在住人'])
    // Rented again: the person is back in the population.
    await worker.send('PUT', `/api/households/${b.households[0]!.id}/occupancy`, {
      occupancy: 'rented',
    })
    expect(await missed()).toEqual(['在住人', '空房人'].sort())
    // The unit's household list shows the occupancy; a bad value names the field.
    const units = (await lead.get(`/api/buildings/${b.id}/units`)).json().items
    const hh = (await lead.get(`/api/units/${units[0].id}/households`)).json().items
    expect(hh.find((h: { id: string }) => h.id === b.households[0]!.id).occupancy).toBe('rented')
    const bad = await worker.send('PUT', `/api/households/${b.households[0]!.id}/occupancy`, {
      occupancy: 'empty',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('occupancy')
  })
})
