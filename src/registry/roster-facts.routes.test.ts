import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import { renderReason } from '../core/i18n/messages.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildUser,
  type BuiltBuilding,
} from '../../test/factories.js'
import { importResidents } from '../imports/imports.service.js'

/**
 * A grid worker's roster carries the facts of the daily rounds: 户籍地, 人员状态 with 去向,
 * 户代表 and 房屋状态 (以房管人). They land on the residents and their households; what needs
 * more than a cell (死亡 with its date, 集体户 with its kind and name) is refused, saying where.
 */
let t: TestApp
let worker: Client
let b: BuiltBuilding
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-facts-'))
const actor = systemActor('importer')
const ids = {
  head: buildIdNumber({ birth: '19650101' }),
  away: buildIdNumber({ birth: '19900202' }),
  hukou: buildIdNumber({ birth: '19920303' }),
  tenant: buildIdNumber({ birth: '19950404' }),
  dead: buildIdNumber({ birth: '19300505' }),
  dorm: buildIdNumber({ birth: '19980606' }),
}
beforeAll(async () => {
  t = await createTestApp()
  const grid = await buildGrid(t)
  b = await buildBuilding(t, { gridId: grid.id, code: '8', floors: [1, 1], roomsPerFloor: [1, 3] })
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
})
afterAll(async () => {
  await t?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const HEADER = ['姓名', '身份证号', '楼栋', '单元', '房号', '户籍地', '人员状态', '去向', '户代表']
function write(name: string, header: string[], body: string[][]): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, [header, ...body].map((r) => r.join(',')).join('\n'))
  return file
}
const run = (file: string): ReturnType<typeof importResidents> =>
  importResidents(t.database.db, t.ring, actor, file, {
    divisionId: b.gridId,
    fileName: path.basename(file),
    dryRun: false,
    createMissing: false,
  })
async function detail(idNumber: string): Promise<Record<string, unknown>> {
  const [r] = await rows<{ id: string }>(
    t.database.db,
    sql`select r.id from resident r where r.household_id in (select id from household where building_id = ${b.id}) and r.id_last4 = ${idNumber.slice(-4)}`,
  )
  const got = await worker.get(`/api/residents/${r!.id}`)
  expect(got.statusCode, got.body).toBe(200)
  return got.json()
}
async function households(): Promise<
  Record<string, { occupancy: string | null; rep: string | null }>
> {
  const out = await worker.get(`/api/units/${b.households[0]!.unitId}/households`)
  return Object.fromEntries(
    out
      .json()
      .items.map(
        (h: { room: string; occupancy: string | null; representativeId: string | null }) => [
          h.room,
          { occupancy: h.occupancy, rep: h.representativeId },
        ],
      ),
  )
}

describe('roster facts', () => {
  it('sets 户籍地, 人员状态 with 去向 and 户代表; refuses 死亡 and a 长期外出 without 去向', async () => {
    const file = write('facts.csv', HEADER, [
      ['王户主', ids.head, '8', '1', '101', '安徽省阜阳市颍州区', '在住', '', '是'],
      ['王外出', ids.away, '8', '1', '101', '', '长期外出', '广东省深圳市', ''],
      ['王挂户', ids.hukou, '8', '1', '101', '', '户在人不在', '', '否'],
      ['王已故', ids.dead, '8', '1', '102', '', '死亡', '', ''],
      ['王无去向', buildIdNumber({ birth: '19880808' }), '8', '1', '102', '', '外出', '', ''],
      ['王乱填', buildIdNumber({ birth: '19870707' }), '8', '1', '102', '', '出差', '', '也许'],
    ])
    const r = await run(file)
    expect(r).toMatchObject({ created: 3, rejected: 3 })
    const reasons = Object.fromEntries(
      r.rejections.map((x) => [x.rowNo, x.reasons.map((y) => renderReason('zh-CN', y))]),
    )
    expect(reasons[5]).toEqual([
      '死亡需填写死亡日期：请在该居民的详情页中登记，此行其他信息改正后可再导入',
    ])
    expect(reasons[6]).toEqual(['长期外出请在“去向”列填写去了哪里'])
    expect(reasons[7]).toEqual([
      '不认识的人员状态“出差”（在住/长期外出/户在人不在）',
      '“也许”不是“是”或“否”',
    ])

    const head = await detail(ids.head)
    expect(head).toMatchObject({
      status: 'active',
      hukouAddress: '安徽省阜阳市颍州区',
    })
    const away = await detail(ids.away)
    expect(away).toMatchObject({ status: 'away_long', statusPlace: '广东省深圳市' })
    expect(away.statusOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(await detail(ids.hukou)).toMatchObject({
      status: 'hukou_only',
      separation: 'hukou_only',
    })
    expect((await households())['101']!.rep).toBe(head.id)

    // The same file again changes nothing; back home, the person is updated, not moved.
    expect(await run(file)).toMatchObject({ created: 0, updated: 0, unchanged: 3 })
    const back = write('back.csv', HEADER, [
      ['王外出', ids.away, '8', '1', '101', '', '在住', '', ''],
    ])
    expect(await run(back)).toMatchObject({ updated: 1, moved: 0 })
    expect(await detail(ids.away)).toMatchObject({
      status: 'active',
      statusOn: null,
      statusPlace: null,
    })
  })

  it('sets 房屋状态 per household, the last row of a household winning; 集体户 is refused', async () => {
    const header = ['姓名', '身份证号', '楼栋', '单元', '房号', '房屋状态']
    const file = write('occupancy.csv', header, [
      ['租客甲', ids.tenant, '8', '1', '103', '出租'],
      ['宿舍乙', ids.dorm, '8', '1', '102', '集体户'],
    ])
    const r = await run(file)
    expect(r).toMatchObject({ created: 1, rejected: 1 })
    expect(renderReason('zh-CN', r.rejections[0]!.reasons[0]!)).toBe(
      '集体户需填写类别和名称：请在该户的“住户信息”中登记',
    )
    expect((await households())['103']!.occupancy).toBe('rented')
    // A landlord recorded on the household's page goes when a roster says 空置.
    const landlord = await worker.send('PUT', `/api/households/${b.households[2]!.id}/occupancy`, {
      occupancy: 'rented',
      landlord: { name: '房东丙', kind: 'landlord', phone: '13900001111' },
    })
    expect(landlord.statusCode, landlord.body).toBe(200)
    const vacant = write('vacant.csv', header, [['租客甲', ids.tenant, '8', '1', '103', '空置']])
    await run(vacant)
    const facts = await worker.get(`/api/households/${b.households[2]!.id}/landlord`)
    expect((await households())['103']!.occupancy).toBe('vacant')
    expect(facts.json()).toMatchObject({ landlord: null })
  })
})
