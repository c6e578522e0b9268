import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../core/auth/actor.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import { buildGrid, buildIdNumber, buildUser, type BuiltGrid } from '../../test/factories.js'
import { importResidents } from '../imports/imports.service.js'
import { renderReason } from '../core/i18n/messages.js'

/**
 * Rural addresses (村民小组 + 门牌号) and self-built houses let room by room: a grid worker
 * lays out a villager group's houses, sees them in the tree as 3组18号, and imports a village
 * roster whose columns are 组 / 门牌号 / 房间号.
 */
let t: TestApp
let grid: BuiltGrid
let worker: Client
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-rural-'))
beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t, { name: '王家村网格' })
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
})
afterAll(async () => {
  await t?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

interface Item {
  id: string
  code: string
  kind: string
  name: string
  label: string
  room: string
}
const items = async (url: string): Promise<Item[]> => {
  const r = await worker.get(url)
  expect(r.statusCode, r.body).toBe(200)
  return r.json().items
}

describe('rural addresses', () => {
  it('lays out a villager group: each 门牌号 a household, a self-built house room by room', async () => {
    const houses = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      kind: 'villager_group',
      building: '第三村民小组',
      units: [17, 18],
    })
    expect(houses.statusCode, houses.body).toBe(200)
    expect(houses.json()).toMatchObject({ households: 2, created: 2 })
    // House 18 is a self-built house let room by room: floors 2–3, two rooms each.
    const rooms = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      kind: 'villager_group',
      building: '三组',
      units: [18, 18],
      floors: [2, 3],
      roomsPerFloor: [1, 2],
    })
    expect(rooms.json()).toMatchObject({ households: 4, created: 4 })

    const [group] = (await items(`/api/grids/${grid.id}/buildings`)).filter((b) => b.code === '3组')
    expect(group).toMatchObject({ kind: 'villager_group', name: '3组' })
    const units = await items(`/api/buildings/${group!.id}/units`)
    expect(units.map((u) => [u.code, u.kind])).toEqual([
      ['17', 'villager_group'],
      ['18', 'villager_group'],
    ])
    expect((await items(`/api/units/${units[0]!.id}/households`)).map((h) => h.label)).toEqual([
      '3组17号',
    ])
    expect((await items(`/api/units/${units[1]!.id}/households`)).map((h) => h.label)).toEqual([
      '3组18号',
      '3组18号201室',
      '3组18号202室',
      '3组18号301室',
      '3组18号302室',
    ])

    // A street's houses (a 城中村): "新村路7号".
    const street = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      kind: 'street',
      building: '新村路',
      units: [7, 7],
    })
    expect(street.statusCode, street.body).toBe(200)
    const [road] = (await items(`/api/grids/${grid.id}/buildings`)).filter(
      (b) => b.code === '新村路',
    )
    expect(road).toMatchObject({ kind: 'street' })
    const [seven] = await items(`/api/buildings/${road!.id}/units`)
    expect((await items(`/api/units/${seven!.id}/households`))[0]!.label).toBe('新村路7号')
  })

  it('says, in Chinese, when a name does not fit its kind or a block has no floors', async () => {
    const wrong = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      kind: 'street',
      building: '三组',
      units: [1, 1],
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error).toMatchObject({ code: 'BUILDING_KIND_MISMATCH', field: 'building' })
    // What the screen shows: the code rendered in the user's language, kinds by their names.
    expect(renderReason('zh-CN', wrong.json().error)).toBe(
      '“三组”看起来是村民小组，与所选类型“街巷”不符：村民小组的名称以“组”结尾，街巷以路、街、巷、弄、胡同、村或屯结尾',
    )
    const noFloors = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      building: '9',
      units: [1, 1],
    })
    expect(noFloors.statusCode).toBe(400)
    expect(noFloors.json().error).toMatchObject({ code: 'LAYOUT_FLOORS_REQUIRED', field: 'floors' })
    const half = await worker.send('POST', '/api/buildings/layout', {
      gridId: grid.id,
      kind: 'villager_group',
      building: '4组',
      units: [1, 1],
      floors: [1, 2],
    })
    expect(half.json().error).toMatchObject({ code: 'LAYOUT_FLOORS_AND_ROOMS' })
  })

  it('imports a village roster (组, 门牌号, 房间号) into the houses, creating what is missing', async () => {
    const file = path.join(dir, 'village.csv')
    const rowsOut = [
      ['姓名', '身份证号', '组', '门牌号', '房间号'],
      ['王大山', buildIdNumber({ birth: '19600101' }), '三组', '17号', ''],
      ['王小山', buildIdNumber({ birth: '19900202' }), '3', '17', ''],
      ['租客甲', buildIdNumber({ birth: '19950303' }), '第三村民小组', '18', '201'],
      ['李四', buildIdNumber({ birth: '19700404' }), '五组', '2', ''],
    ]
    fs.writeFileSync(file, rowsOut.map((r) => r.join(',')).join('\n'))
    const r = await importResidents(t.database.db, t.ring, systemActor('importer'), file, {
      divisionId: grid.id,
      fileName: 'village.csv',
      dryRun: false,
      createMissing: true,
    })
    expect(r.rejections).toEqual([])
    expect(r).toMatchObject({ created: 4, rejected: 0, buildingsCreated: 1 })
    const list = (await worker.get('/api/residents?limit=50')).json().items as {
      name: string
      householdLabel: string
    }[]
    const at = Object.fromEntries(list.map((p) => [p.name, p.householdLabel]))
    expect(at).toMatchObject({
      王大山: '3组17号',
      王小山: '3组17号',
      租客甲: '3组18号201室',
      李四: '5组2号',
    })
  })
})
