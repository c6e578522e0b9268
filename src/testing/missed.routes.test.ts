import crypto from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DivisionOut } from '../core/tree/tree.schema.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildResident,
  buildUser,
  type BuiltGrid,
  type BuiltResident,
} from '../../test/factories.js'

/**
 * The testing corrections of issue 10 through HTTP (domain.md §5): rounds and key groups take
 * their values from the profile's testing section; presence lives on the resident across rounds;
 * missed-test reasons lead where §5 says; the missed list has an excused tab with undo, a search by
 * name and building, and an export that keeps the reasons under a round/time header.
 */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString()
const deadline = (): string => new Date(Date.now() + 12 * 3_600_000).toISOString()
const unique = (prefix: string): string =>
  `${prefix}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`

interface Place {
  grid: BuiltGrid
  lead: Client
  worker: Client
  neighbour: Client
  sampler: Client
  /** 王芳, 李娜, 刘洋 in one building; 陈静 in another (`buildingB`, as its addresses begin); 小宝 (a year old) with 王芳. */
  people: Record<'wang' | 'li' | 'liu' | 'chen' | 'baby', BuiltResident>
  buildingB: string
}

async function place(): Promise<Place> {
  const grid = await buildGrid(t, { name: '第一网格' })
  const grid2 = await buildGrid(t, { communityId: grid.community.id, name: '第二网格' })
  const a = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 3] })
  const b = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 1] })
  const at = (i: number) => a.households[i]!.id
  const born = (year: number) => buildIdNumber({ birth: `${year}0301` })
  const oneYearOld = new Date().getUTCFullYear() - 1
  const people = {
    wang: await buildResident(t, { householdId: at(0), name: '王芳', idNumber: born(1980) }),
    li: await buildResident(t, { householdId: at(1), name: '李娜', idNumber: born(1975) }),
    liu: await buildResident(t, { householdId: at(2), name: '刘洋', idNumber: born(1990) }),
    chen: await buildResident(t, {
      householdId: b.households[0]!.id,
      name: '陈静',
      idNumber: born(1985),
    }),
    baby: await buildResident(t, { householdId: at(0), name: '小宝', idNumber: born(oneYearOld) }),
  }
  const login = async (
    role: 'community_lead' | 'grid_worker' | 'sampler',
    scope: DivisionOut[],
  ): Promise<Client> => loginAs(t, (await buildUser(t, { role, scope })).username)
  return {
    grid,
    lead: await login('community_lead', [grid.community]),
    worker: await login('grid_worker', [grid]),
    neighbour: await login('grid_worker', [grid2]),
    sampler: await login('sampler', [grid.community]),
    people,
    buildingB: `${b.code}栋`,
  }
}

async function openRound(p: Place, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await p.lead.send('POST', '/api/rounds', {
    name: unique('全员核酸'),
    kind: 'area',
    divisionIds: [p.grid.id],
    deadline: deadline(),
    ...extra,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

const names = (res: { json: () => { items: { name: string }[] } }): string[] =>
  res
    .json()
    .items.map((m) => m.name)
    .sort()

describe('the testing section in force', () => {
  it('opens a round with the profile’s household capacity, single-tube groups and zone pool sizes', async () => {
    const p = await place()
    const sealed = await p.lead.send('POST', '/api/rounds', {
      name: unique('封控区核酸'),
      kind: 'area',
      divisionIds: [p.grid.id],
      deadline: deadline(),
      zoneLevel: 'sealed',
    })
    expect(sealed.statusCode, sealed.body).toBe(201)
    // Sealed: one household a tube, at most the profile's largest pool (20), never the old 50.
    expect(sealed.json()).toMatchObject({
      householdPool: true,
      householdCapacity: 20,
      poolSize: 20,
    })
    expect(sealed.json().singleTubeTags).toEqual(
      expect.arrayContaining(['close_contact', 'secondary_contact']),
    )
    const controlled = await p.lead.send('POST', '/api/rounds', {
      name: unique('管控区核酸'),
      kind: 'area',
      divisionIds: [p.grid.id],
      deadline: deadline(),
      zoneLevel: 'controlled',
      poolSize: 20,
    })
    expect(controlled.statusCode).toBe(400)
    expect(controlled.json().error).toMatchObject({
      code: 'ROUND_ZONE_POOL_SIZE',
      field: 'poolSize',
      params: { size: 10, profile: 'v9' },
    })
    expect(controlled.json().error.message).not.toMatch(/ROUND_/)
    // The household tube opened by the first swab holds up to 20.
    const code = (await p.lead.send('POST', `/api/residents/${p.people.wang.id}/code`)).json().token
    const scanned = await p.sampler.send('POST', `/api/rounds/${sealed.json().id}/scans`, {
      scans: [
        {
          clientId: crypto.randomUUID(),
          person: code,
          tube: unique('T'),
          scannedAt: new Date().toISOString(),
        },
      ],
    })
    expect(scanned.json().results[0]).toMatchObject({
      status: 'accepted',
      tube: { capacity: 20 },
    })
  })

  it('takes nasopharyngeal swabs, and refuses an antigen self-test scan by scan where the profile does not allow antigen (v9)', async () => {
    const p = await place()
    const roundId = await openRound(p)
    const [wang, li] = [
      (await p.lead.send('POST', `/api/residents/${p.people.wang.id}/code`)).json().token,
      (await p.lead.send('POST', `/api/residents/${p.people.li.id}/code`)).json().token,
    ]
    const scan = (person: string, specimenType: string) => ({
      clientId: crypto.randomUUID(),
      person,
      tube: unique('T'),
      scannedAt: new Date().toISOString(),
      specimenType,
    })
    const res = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(wang, 'antigen_self'), scan(li, 'nasopharyngeal')],
    })
    expect(res.statusCode, res.body).toBe(200)
    const [antigen, swab] = res.json().results
    expect(antigen).toMatchObject({
      status: 'rejected',
      error: {
        field: 'specimenType',
        code: 'SCAN_SPECIMEN_TYPE_NOT_ALLOWED',
        params: { profile: 'v9', type: 'antigen_self' },
      },
    })
    expect(swab).toMatchObject({ status: 'accepted' })
    expect(names(await p.worker.get(`/api/rounds/${roundId}/missed`))).toContain('王芳')
    expect(names(await p.worker.get(`/api/rounds/${roundId}/missed`))).not.toContain('李娜')
  })

  it('keeps key-job groups at the profile’s frequency for their kind: twice a week means two swabs in 7 days', async () => {
    const p = await place()
    const roundId = await openRound(p)
    const code = (await p.lead.send('POST', `/api/residents/${p.people.wang.id}/code`)).json().token
    await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [
        {
          clientId: crypto.randomUUID(),
          person: code,
          tube: unique('T'),
          scannedAt: new Date().toISOString(),
        },
      ],
    })
    const unknownKind = await p.lead.send('POST', '/api/key-groups', {
      name: '宇航员',
      kind: 'astronaut',
      divisionId: p.grid.community.id,
    })
    expect(unknownKind.json().error).toMatchObject({
      code: 'KEY_GROUP_KIND',
      field: 'kind',
      params: { options: expect.stringContaining('inbound_contact'), profile: 'v9' },
    })
    const riders = await p.lead.send('POST', '/api/key-groups', {
      name: '外卖骑手',
      kind: 'delivery',
      divisionId: p.grid.community.id,
    })
    expect(riders.statusCode, riders.body).toBe(201)
    expect(riders.json()).toMatchObject({
      frequency: 'twice_weekly',
      frequencyDays: 7,
      testsPerWindow: 2,
    })
    const port = await p.lead.send('POST', '/api/key-groups', {
      name: '口岸一线',
      kind: 'inbound_contact',
      divisionId: p.grid.community.id,
    })
    expect(port.json()).toMatchObject({ frequency: 'daily', frequencyDays: 1, testsPerWindow: 1 })
    for (const g of [riders.json().id, port.json().id])
      await p.lead.send('POST', `/api/key-groups/${g}/members`, {
        idNumbers: [p.people.wang.idNumber],
      })
    // Swabbed once today: enough for the daily port group, one short for the riders' two a week.
    const overdue = (await p.worker.get('/api/key-groups/overdue')).json().items
    expect(overdue).toEqual([
      expect.objectContaining({
        name: '王芳',
        group: '外卖骑手',
        testsPerWindow: 2,
        testsInWindow: 1,
      }),
    ])
  })
})

describe('presence and missed-test reasons', () => {
  it('keeps an absentee away across rounds, shown in the excused tab, until they are back', async () => {
    const p = await place()
    const first = await openRound(p)
    expect(
      (
        await p.worker.send('PUT', `/api/residents/${p.people.li.id}/presence`, {
          status: 'away',
        })
      ).json().error,
    ).toMatchObject({ code: 'PRESENCE_NEEDS_DESTINATION', field: 'destination' })
    expect(
      (
        await p.neighbour.send('PUT', `/api/residents/${p.people.li.id}/presence`, {
          status: 'away',
          destination: '上海',
        })
      ).statusCode,
    ).toBe(403)
    const away = await p.worker.send('PUT', `/api/residents/${p.people.li.id}/presence`, {
      status: 'away',
      destination: '上海',
      returnOn: '2099-01-31',
    })
    expect(away.statusCode, away.body).toBe(200)
    expect(away.json()).toMatchObject({
      status: 'away',
      destination: '上海',
      returnOn: '2099-01-31',
    })
    const second = await openRound(p)
    for (const roundId of [first, second]) {
      const missed = await p.worker.get(`/api/rounds/${roundId}/missed`)
      expect(names(missed)).toEqual(['刘洋', '小宝', '王芳', '陈静'])
      const excused = (await p.worker.get(`/api/rounds/${roundId}/missed?view=excused`)).json()
      expect(excused.items).toEqual([
        expect.objectContaining({
          name: '李娜',
          excused: true,
          excusedBy: 'presence',
          presence: expect.objectContaining({ status: 'away', destination: '上海' }),
        }),
      ])
      const totals = (await p.worker.get(`/api/rounds/${roundId}/progress`)).json().totals
      expect(totals).toMatchObject({ excused: 1, missed: 4 })
    }
    // The resident page shows it too.
    expect((await p.worker.get(`/api/residents/${p.people.li.id}`)).json().presence).toMatchObject({
      status: 'away',
    })
    await p.worker.send('PUT', `/api/residents/${p.people.li.id}/presence`, { status: 'returned' })
    expect(names(await p.worker.get(`/api/rounds/${second}/missed`))).toContain('李娜')
  })

  it('follows §5 for each reason: home isolation and refusal are not excused, a refusal alerts the grid, moved out goes to the registry', async () => {
    const p = await place()
    const roundId = await openRound(p)
    const put = (who: BuiltResident, body: Record<string, unknown>) =>
      p.worker.send('PUT', `/api/rounds/${roundId}/missed/${who.id}`, body)

    expect((await put(p.people.wang, { reason: 'infant' })).json().error).toMatchObject({
      code: 'MISSED_INFANT_TOO_OLD',
      params: { years: 3 },
    })
    expect((await put(p.people.baby, { reason: 'infant' })).json()).toEqual({
      reason: 'infant',
      excludes: true,
      action: 'excuse',
    })
    const note = '鼓楼医院核酸阴性报告'
    expect(
      (await put(p.people.chen, { reason: 'tested_elsewhere', note, eventAt: hoursAgo(30) })).json()
        .error,
    ).toMatchObject({
      code: 'MISSED_REASON_OUTSIDE_WINDOW',
      field: 'eventAt',
      params: { hours: 24 },
    })
    expect(
      (
        await put(p.people.chen, { reason: 'tested_elsewhere', note, eventAt: hoursAgo(10) })
      ).json(),
    ).toMatchObject({ excludes: true })
    expect((await put(p.people.wang, { reason: 'home_isolation' })).json()).toEqual({
      reason: 'home_isolation',
      excludes: false,
      action: 'door_to_door',
    })
    expect((await put(p.people.li, { reason: 'refused' })).json()).toEqual({
      reason: 'refused',
      excludes: false,
      action: 'escalate',
    })
    expect((await put(p.people.liu, { reason: 'moved_out' })).json()).toMatchObject({
      excludes: false,
      action: 'fix_registry',
    })
    // Still owed: shown with what to do; excused: in the other tab.
    const missed = (await p.worker.get(`/api/rounds/${roundId}/missed`)).json().items
    expect(
      missed.map((m: { name: string; reason: string; action: string }) => [
        m.name,
        m.reason,
        m.action,
      ]),
    ).toEqual([
      ['王芳', 'home_isolation', 'door_to_door'],
      ['李娜', 'refused', 'escalate'],
      ['刘洋', 'moved_out', 'fix_registry'],
    ])
    expect(names(await p.worker.get(`/api/rounds/${roundId}/missed?view=excused`))).toEqual([
      '小宝',
      '陈静',
    ])
    const alerts = (await p.worker.get('/api/alerts?kind=testing.test_refused')).json().items
    expect(alerts).toEqual([
      expect.objectContaining({
        code: 'ALERT_TEST_REFUSED',
        params: expect.objectContaining({ name: '李娜' }),
      }),
    ])
    expect((await p.neighbour.get('/api/alerts?kind=testing.test_refused')).json().items).toEqual(
      [],
    )
  })
})

describe('the missed-test list', () => {
  it('undoes an excuse, searches by name and building, and exports the reasons under a round/time header', async () => {
    const p = await place()
    const roundId = await openRound(p)
    await p.worker.send('PUT', `/api/rounds/${roundId}/missed/${p.people.chen.id}`, {
      reason: 'in_hospital',
      note: '市一医院',
    })
    await p.worker.send('PUT', `/api/rounds/${roundId}/missed/${p.people.wang.id}`, {
      reason: 'door_to_door',
    })
    const excused = (await p.worker.get(`/api/rounds/${roundId}/missed?view=excused`)).json()
    expect(excused.items).toEqual([
      expect.objectContaining({
        name: '陈静',
        reason: 'in_hospital',
        excusedBy: 'reason',
        recordedBy: expect.any(String),
        recordedAt: expect.any(String),
      }),
    ])
    // Search: a name, pinyin initials, and the building part of the address.
    expect(
      names(await p.worker.get(`/api/rounds/${roundId}/missed?q=${encodeURIComponent('刘')}`)),
    ).toEqual(['刘洋'])
    expect(names(await p.worker.get(`/api/rounds/${roundId}/missed?q=ly`))).toEqual(['刘洋'])
    expect(
      names(
        await p.worker.get(
          `/api/rounds/${roundId}/missed?view=excused&q=${encodeURIComponent(p.buildingB)}`,
        ),
      ),
    ).toEqual(['陈静'])
    expect(
      names(
        await p.worker.get(`/api/rounds/${roundId}/missed?q=${encodeURIComponent(p.buildingB)}`),
      ),
    ).toEqual([])

    const xlsx = await p.worker.get(`/api/rounds/${roundId}/missed.xlsx`)
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const missedSheet = wb.getWorksheet('漏检名单')!
    expect(String(missedSheet.getRow(1).getCell(1).value)).toMatch(
      /^全员核酸-\w+ 漏检名单（导出时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}，截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}）$/,
    )
    const rowsOf = (ws: ExcelJS.Worksheet) =>
      Array.from({ length: ws.rowCount - 2 }, (_, i) => ws.getRow(i + 3))
    const wang = rowsOf(missedSheet).find((r) => r.getCell(3).value === '王芳')!
    expect([wang.getCell(6).value, wang.getCell(7).value]).toEqual([
      '预约上门采样',
      '仍须检测：安排上门采样',
    ])
    const excusedSheet = wb.getWorksheet('已登记原因')!
    expect(String(excusedSheet.getRow(1).getCell(1).value)).toContain('漏检名单（导出时间')
    expect(excusedSheet.getRow(3).getCell(3).value).toBe('陈静')
    expect(excusedSheet.getRow(3).getCell(6).value).toBe('住院')
    expect(excusedSheet.getRow(3).getCell(7).value).toBe('市一医院')

    // Undo: the excused person owes a swab again.
    const undo = await p.worker.send('DELETE', `/api/rounds/${roundId}/missed/${p.people.chen.id}`)
    expect(undo.statusCode).toBe(204)
    expect(names(await p.worker.get(`/api/rounds/${roundId}/missed`))).toContain('陈静')
    expect((await p.worker.get(`/api/rounds/${roundId}/missed?view=excused`)).json().items).toEqual(
      [],
    )
  })
})
