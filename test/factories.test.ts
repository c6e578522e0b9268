import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseIdNumber } from '../src/core/pii/identifiers.js'
import { createTestApp, loginAs, type TestApp } from './helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildHousehold,
  buildIdNumber,
  buildResident,
  buildRound,
  buildUser,
} from './factories.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

describe('test factories', () => {
  it('make valid, unused ID numbers with the asked birth day and sex', () => {
    const many = Array.from({ length: 2000 }, () => buildIdNumber())
    expect(new Set(many).size).toBe(many.length)
    const fixed = Array.from({ length: 300 }, () =>
      buildIdNumber({ birth: '19850615', sex: 'female' }),
    )
    expect(new Set(fixed).size).toBe(fixed.length)
    for (const id of [...many.slice(0, 50), ...fixed.slice(0, 50)])
      expect(parseIdNumber(id), id).toMatchObject({ ok: true })
    expect(parseIdNumber(fixed[0]!)).toMatchObject({
      ok: true,
      value: { birthDate: '1985-06-15', sex: 'female' },
    })
  })

  it('create the parents they are not given, with unique codes', async () => {
    const grid = await buildGrid(t)
    expect(grid.community.path).toBe(`${grid.street.path}${grid.community.code}/`)
    expect(grid.path.startsWith(grid.community.path)).toBe(true)
    const neighbour = await buildGrid(t, { communityId: grid.community.id })
    expect(neighbour.community.id).toBe(grid.community.id)
    expect(neighbour.district.id).toBe(grid.district.id)
    expect(neighbour.id).not.toBe(grid.id)
    const elsewhere = await buildGrid(t)
    expect(elsewhere.district.code).not.toBe(grid.district.code)

    const building = await buildBuilding(t, { gridId: grid.id })
    expect(building.households).toHaveLength(4)
    const h = await buildHousehold(t, { buildingId: building.id })
    expect(h.buildingId).toBe(building.id)
    const zhang = await buildResident(t, { gridId: grid.id, name: '张三' })
    expect(zhang).toMatchObject({ name: '张三', gridId: grid.id })
    const mate = await buildResident(t, { householdId: zhang.householdId })
    expect(mate.householdLabel).toBe(zhang.householdLabel)
    const alone = await buildResident(t)
    expect(alone.gridId).not.toBe(grid.id)
  })

  it('build a user who can log in and sees only their scope, and a round', async () => {
    const grid = await buildGrid(t)
    await buildResident(t, { gridId: grid.id })
    await buildResident(t)
    const worker = await buildUser(t, { role: 'grid_worker', scope: [grid] })
    expect(worker.actor.scopePaths).toEqual([grid.path])
    const client = await loginAs(t, worker.username)
    expect((await client.get('/api/residents')).json().items).toHaveLength(1)
    const round = await buildRound(t, { divisionIds: [grid.community.id] })
    expect(round.status).toBe('open')
    expect((await buildUser(t, { role: 'admin' })).actor.scopePaths).toEqual(['/'])
  })
})
