import crypto from 'node:crypto'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { buildChain, buildUser, createTestApp, loginAs, type Chain, type Client, type TestApp } from '../../test/helpers.js'

/**
 * The whole flow of a round, through HTTP as the screens and the lab use it:
 * open → codes → scans (idempotent) → missed list → lab results → rechecks → confirmed positive.
 */
let t: TestApp
let chain: Chain
let lead: Client
let worker: Client
let neighbour: Client
let sampler: Client
let labToken: string
let samplerName: string
let seq = 300
function makeId(birth: string): string {
  seq += 1
  const first17 = `320102${birth}${String(seq).padStart(3, '0').slice(-3)}`
  return first17 + idCheckCharacter(first17)
}

const people: { id: string; name: string; idNumber: string; code?: string }[] = []
let outsider: { id: string; code?: string }
let roundId: string
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴霞', '徐峰', '孙丽']

async function households(c: Client, gridId: string, building: string): Promise<{ id: string }[]> {
  await c.send('POST', '/api/buildings/layout', { gridId, building, units: [1, 1], floors: [1, 2], roomsPerFloor: [1, 3] })
  const b = (await c.get(`/api/grids/${gridId}/buildings`)).json().items.find((x: { code: string }) => x.code === building)
  const u = (await c.get(`/api/buildings/${b.id}/units`)).json().items[0]
  return (await c.get(`/api/units/${u.id}/households`)).json().items
}

const scan = (person: string, tube: string, clientId = crypto.randomUUID(), scannedAt = new Date().toISOString()) => ({ clientId, person, tube, scannedAt })
const count = async (q: ReturnType<typeof sql>): Promise<number> => (await rows<{ n: number }>(t.database.db, q))[0]!.n
const lab = (body: unknown, token = labToken) => t.app.inject({ method: 'POST', url: '/api/lab/results', headers: { authorization: `Bearer ${token}` }, payload: body as object })

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  neighbour = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid2])).username)
  samplerName = (await buildUser(t, 'sampler', [chain.community])).username
  sampler = await loginAs(t, samplerName)
  const g1 = await households(lead, chain.grid.id, '7')
  const g2 = await households(lead, chain.grid2.id, '8')
  for (const [i, name] of NAMES.entries()) {
    const idNumber = makeId(`19${60 + i}0101`)
    const res = await worker.send('POST', '/api/residents', { householdId: g1[i % g1.length]!.id, name, idNumber, residenceType: 'registered' })
    expect(res.statusCode, res.body).toBe(200)
    people.push({ id: res.json().resident.id, name, idNumber })
  }
  const res = await neighbour.send('POST', '/api/residents', { householdId: g2[0]!.id, name: '钱多', idNumber: makeId('19770707'), residenceType: 'tenant' })
  outsider = { id: res.json().resident.id }
  // Lab accounts are deployment-level: an admin creates them (testing.security.test.ts shows a lead may not).
  const admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
  const created = await admin.send('POST', '/api/labs', { name: `鼓楼检测所-${crypto.randomBytes(2).toString('hex')}` })
  labToken = created.json().token
})
afterAll(async () => t?.close())

describe('a round from opening to a confirmed positive', () => {
  it('opens a round for one grid with the profile’s pool sizes, and refuses what the profile does not allow', async () => {
    const deadline = new Date(Date.now() + 12 * 3_600_000).toISOString()
    const bad = await lead.send('POST', '/api/rounds', { name: '第1轮', kind: 'area', divisionIds: [chain.grid.id], deadline, poolSize: 7 })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/^poolSize: profile v9 allows 1, 5, 10, 20/)
    const late = await lead.send('POST', '/api/rounds', { name: '第1轮', kind: 'area', divisionIds: [chain.grid.id], deadline: new Date(Date.now() + 30 * 3_600_000).toISOString() })
    expect(late.json().error.message).toMatch(/^deadline: an area-wide round must finish within 24 h/)
    expect((await worker.send('POST', '/api/rounds', { name: 'x', kind: 'area', divisionIds: [chain.grid.id], deadline })).statusCode).toBe(403)
    const ok = await lead.send('POST', '/api/rounds', { name: '第1轮全员核酸', kind: 'area', divisionIds: [chain.grid.id], deadline, poolSize: 10 })
    expect(ok.statusCode, ok.body).toBe(201)
    roundId = ok.json().id
    expect(ok.json()).toMatchObject({ poolSize: 10, status: 'open', profileName: 'v9', turnaroundHours: { pooled: 24, single: 6 }, scope: [{ name: '第一网格' }] })
    expect((await sampler.get('/api/sampling/rounds')).json().items.map((r: { id: string }) => r.id)).toContain(roundId)
  })

  it('gives each resident an opaque code with a QR, only inside the worker’s grids', async () => {
    for (const p of people) {
      const res = await worker.get(`/api/residents/${p.id}/code`)
      expect(res.statusCode, res.body).toBe(200)
      p.code = res.json().token
      expect(p.code).toMatch(/^WG[0-9A-F]{32}$/)
      expect(p.code).not.toContain(p.idNumber.slice(-6))
      expect(res.json().qrSvg).toContain('<svg')
    }
    expect((await worker.get(`/api/residents/${people[0]!.id}/code`)).json().token).toBe(people[0]!.code)
    expect((await worker.get(`/api/residents/${outsider.id}/code`)).statusCode).toBe(403)
    outsider.code = (await neighbour.get(`/api/residents/${outsider.id}/code`)).json().token
  })

  it('fills a 10-in-1 tube with ten scans, closes it, and a replayed batch creates nothing', async () => {
    const batch = people.slice(0, 10).map((p) => scan(p.code!, 'T-0001'))
    const res = await sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: batch })
    expect(res.statusCode, res.body).toBe(200)
    const results = res.json().results
    expect(results.map((r: { status: string }) => r.status)).toEqual(Array(10).fill('accepted'))
    expect(results[0].person.name).toBe('张*')
    expect(results[9].warnings).toContain('tube_closed')
    expect(results[9].tube).toMatchObject({ code: 'T-0001', members: 10, capacity: 10, status: 'closed' })
    const again = await sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: batch })
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual(Array(10).fill('duplicate'))
    expect(again.json().results[3].specimenId).toBe(results[3].specimenId)
    expect(await count(sql`select count(*)::int as n from specimen where round_id = ${roundId}`)).toBe(10)
  })

  it('takes two copies of a batch sent at once (a device retrying on a timeout) as one', async () => {
    const batch = { scans: [scan(people[11]!.code!, 'T-RACE-01')] }
    const [a, b] = await Promise.all([sampler.send('POST', `/api/rounds/${roundId}/scans`, batch), sampler.send('POST', `/api/rounds/${roundId}/scans`, batch)])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    expect([a.json().results[0].status, b.json().results[0].status].sort()).toEqual(['accepted', 'duplicate'])
    expect(await count(sql`select count(*)::int as n from specimen where resident_id = ${people[11]!.id}`)).toBe(1)
    // Not part of the story below: take the swab back out, as the lab would never see it.
    await t.database.db.execute(sql`delete from specimen where resident_id = ${people[11]!.id}`)
    await t.database.db.execute(sql`delete from tube where code = 'T-RACE-01'`)
  })

  it('names the problem of each bad scan and keeps the good ones of the same batch', async () => {
    const wrongCheck = people[11]!.idNumber.slice(0, 17) + (people[11]!.idNumber.endsWith('1') ? '2' : '1')
    const res = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [
        scan(people[10]!.code!, 'T-0001'), // closed tube
        scan(people[10]!.idNumber, 'T-0002'), // typed ID number: fine
        scan(wrongCheck, 'T-0002'),
        scan('WG12AB', 'T-0002'),
        scan(people[11]!.code!, '条码#?'),
        scan(outsider.code!, 'T-0002'), // outside the round: allowed, flagged
        scan(people[0]!.code!, 'T-0002', undefined), // already sampled: allowed, flagged
        scan(people[11]!.code!, 'T-0002', undefined, new Date(Date.now() + 3_600_000).toISOString()),
      ],
    })
    const r = res.json().results
    expect(r[0]).toMatchObject({ status: 'rejected', error: { field: 'tube', reason: expect.stringContaining('closed') } })
    // The refusal carries the tube's state, so the phone shows it closed instead of open.
    expect(r[0].tube).toMatchObject({ code: 'T-0001', status: 'closed', members: 10, capacity: 10 })
    expect(r[1]).toMatchObject({ status: 'accepted', tube: { code: 'T-0002' } })
    expect(r[2]).toMatchObject({ status: 'rejected', error: { field: 'person', reason: expect.stringMatching(/check/i) } })
    expect(r[3]).toMatchObject({ status: 'rejected', error: { field: 'person', reason: expect.stringContaining('not a complete resident code') } })
    expect(r[4]).toMatchObject({ status: 'rejected', error: { field: 'tube' } })
    expect(r[5]).toMatchObject({ status: 'accepted', warnings: ['out_of_scope'] })
    expect(r[6]).toMatchObject({ status: 'accepted', warnings: ['already_sampled'] })
    expect(r[7]).toMatchObject({ status: 'rejected', error: { field: 'scannedAt' } })
    expect(r[1].tube.members).toBe(3)
    const closed = await sampler.send('POST', `/api/rounds/${roundId}/tubes/T-0002/close`)
    expect(closed.json()).toMatchObject({ status: 'closed', members: 3 })
  })

  it('shows progress and the missed-test list by grid, and an accepted reason takes a person out', async () => {
    const pr = await worker.get(`/api/rounds/${roundId}/progress`)
    expect(pr.statusCode, pr.body).toBe(200)
    const p = pr.json()
    expect(p.totals).toEqual({ inScope: 12, sampled: 11, excused: 0, missed: 1 })
    expect(p.byGrid).toEqual([expect.objectContaining({ gridName: '第一网格', inScope: 12, sampled: 11, missed: 1 })])
    // The worker counts the swabs of their own grid (11 people, one of them twice); the lead also sees the outsider's.
    expect(p.counters).toMatchObject({ specimens: 12, tubesClosed: 2, tubesOpen: 0 })
    expect((await lead.get(`/api/rounds/${roundId}/progress`)).json().counters.specimens).toBe(13)
    const missed = (await worker.get(`/api/rounds/${roundId}/missed`)).json()
    expect(missed.items.map((m: { name: string }) => m.name)).toEqual(['孙丽'])
    expect((await neighbour.get(`/api/rounds/${roundId}/missed`)).statusCode).toBe(403)
    // The paper list for the door: the missed resident with address and masked phone, and an audit entry.
    const xlsx = await worker.get(`/api/rounds/${roundId}/missed.xlsx`)
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('漏检名单')!
    expect(sheet.getRow(1).values).toEqual([undefined, '网格', '住址', '姓名', '年龄', '联系电话', '情况（上门填写）', '备注'])
    expect(sheet.getRow(2).getCell(3).value).toBe('孙丽')
    expect(sheet.getRow(2).getCell(1).value).toBe('第一网格')
    expect(sheet.rowCount).toBe(2)
    await expect.poll(() => count(sql`select count(*)::int as n from audit_log where action = 'testing.missed_export' and target_id = ${roundId}`)).toBe(1)
    const bad = await worker.send('PUT', `/api/rounds/${roundId}/missed/${people[11]!.id}`, { reason: 'tested_elsewhere' })
    expect(bad.json().error.message).toMatch(/^note:/)
    const ok = await worker.send('PUT', `/api/rounds/${roundId}/missed/${people[11]!.id}`, { reason: 'away', note: '出差至 4 日' })
    expect(ok.json()).toEqual({ reason: 'away', excludes: true })
    expect((await worker.get(`/api/rounds/${roundId}/missed`)).json().items).toEqual([])
    expect((await worker.get(`/api/rounds/${roundId}/progress`)).json().totals).toMatchObject({ excused: 1, missed: 0 })
  })

  it('takes lab results by tube: a positive pool orders a recheck for every member and alerts the grid', async () => {
    expect((await lab({ results: [{ tubeCode: 'T-0001', result: 'positive' }] }, 'wglab_nope')).statusCode).toBe(401)
    const res = await lab({ results: [{ tubeCode: 'T-0001', result: '阳性' }, { tubeCode: 'T-0002', result: 'negative' }, { tubeCode: 'T-9999', result: 'negative' }] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ applied: 2, rejected: 1, poolPositiveTubes: 1, rechecksOrdered: 10, cleared: 3, problems: [{ rowNo: 3, tubeCode: 'T-9999', reason: 'unknown tube code' }] })
    const rechecks = (await worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(rechecks).toHaveLength(10)
    expect(rechecks.every((o: { status: string; sourceTube: string }) => o.status === 'ordered' && o.sourceTube === 'T-0001')).toBe(true)
    const alerts = (await worker.get('/api/alerts?open=true')).json()
    expect(alerts.items).toEqual([expect.objectContaining({ kind: 'testing.pool_positive', severity: 'critical', detail: expect.objectContaining({ people: 10, tubes: ['T-0001'] }) })])
    expect((await neighbour.get('/api/alerts?open=true')).json().items).toEqual([])
  })

  it('flags a different second result instead of overwriting it, and takes it when marked as a retest', async () => {
    const res = await lab({ results: [{ tubeCode: 'T-0002', result: 'positive' }, { tubeCode: 'T-0001', result: 'positive' }] })
    expect(res.json()).toMatchObject({ applied: 0, conflicts: 1, duplicates: 1, rechecksOrdered: 0 })
    expect(await count(sql`select count(*)::int as n from tube where code = 'T-0002' and result = 'negative'`)).toBe(1)
    expect((await lead.get('/api/alerts?kind=testing.result_conflict')).json().items).toHaveLength(1)
  })

  it('swabs rechecks alone at the door and resolves them: one recheck-negative, one confirmed positive recorded once', async () => {
    const res = await sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: [scan(people[0]!.code!, 'R-0001'), scan(people[1]!.code!, 'R-0001'), scan(people[1]!.code!, 'R-0002')] })
    const r = res.json().results
    expect(r[0]).toMatchObject({ status: 'accepted', warnings: ['tube_closed', 'recheck'], tube: { kind: 'recheck', capacity: 1, status: 'closed' } })
    expect(r[1]).toMatchObject({ status: 'rejected', error: { field: 'tube' } })
    expect(r[2]).toMatchObject({ status: 'accepted', tube: { kind: 'recheck' } })
    const results = await lab({ results: [{ tubeCode: 'R-0001', result: 'positive' }, { tubeCode: 'R-0002', result: 'negative' }] })
    expect(results.json()).toMatchObject({ applied: 2, confirmed: 1 })
    expect((await lab({ results: [{ tubeCode: 'R-0001', result: 'positive' }] })).json()).toMatchObject({ duplicates: 1, confirmed: 0 })
    expect(await count(sql`select count(*)::int as n from positive_case where resident_id = ${people[0]!.id}`)).toBe(1)
    const states = await rows<{ resident_id: string; state: string }>(t.database.db, sql`select s.resident_id, s.state from specimen s join tube t on t.id = s.tube_id where t.code = 'T-0001'`)
    const stateOf = (id: string) => states.find((s) => s.resident_id === id)!.state
    expect(stateOf(people[0]!.id)).toBe('confirmed_positive')
    expect(stateOf(people[1]!.id)).toBe('recheck_negative')
    expect(stateOf(people[2]!.id)).toBe('pool_positive')
    const orders = (await worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(orders.filter((o: { status: string }) => o.status === 'positive')).toHaveLength(1)
    expect(orders.filter((o: { status: string }) => o.status === 'negative')).toHaveLength(1)
    const alerts = (await worker.get('/api/alerts?kind=testing.confirmed_positive')).json().items
    expect(alerts).toHaveLength(1)
  })

  it('takes a result file uploaded by hand and refuses one with the wrong columns, naming them', async () => {
    const boundary = 'wgtest'
    const form = (name: string, content: string | Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="lab"\r\n\r\n金域检测\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
    const upload = (name: string, content: string | Buffer) =>
      t.app.inject({ method: 'POST', url: '/api/results/upload', headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: form(name, content) })
    const wrong = await upload('结果.csv', '样品,判定\nT-0003,阴性\n')
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.message).toMatch(/^file: no 管码 \(tubeCode\), 结果 \(result\) column; found 样品, 判定/)
    const ok = await upload('结果.csv', '管码,结果,复检\nT-0002,阴性,\nT-0002,阳性,是\n')
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ rows: 2, duplicates: 1, applied: 1, poolPositiveTubes: 1, rechecksOrdered: 3 })
    // The same from an .xlsx whose header sits under a title row, with an unknown tube in it.
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('结果')
    ws.addRow(['金域检测 2026-11-29 核酸检测结果'])
    ws.addRow(['试管编码', '检测结果', '检测时间'])
    ws.addRow(['T-0002', '阳性', '2026-11-29 14:05'])
    ws.addRow(['T-7777', '阴性', '2026-11-29 14:05'])
    const xlsx = await upload('结果.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    expect(xlsx.json()).toMatchObject({ rows: 2, duplicates: 1, rejected: 1, problems: [{ rowNo: 4, tubeCode: 'T-7777', reason: 'unknown tube code' }] })
  })

  it('refuses scans after the round is closed', async () => {
    expect((await lead.send('POST', `/api/rounds/${roundId}/close`)).json().status).toBe('closed')
    const res = await sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: [scan(people[11]!.code!, 'T-0100')] })
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', error: { field: 'round', reason: 'this round is closed' } })
  })
})

describe('routine testing of key jobs', () => {
  it('keeps a group with a profile frequency, adds members by ID number line by line, and lists who is overdue', async () => {
    const bad = await lead.send('POST', '/api/key-groups', { name: '外卖骑手', kind: 'delivery', frequency: 'hourly', divisionId: chain.community.id })
    expect(bad.json().error.message).toMatch(/^frequency: one of (?=.*daily)(?=.*every_2_days)(?=.*weekly)/)
    const created = await lead.send('POST', '/api/key-groups', { name: '外卖骑手', kind: 'delivery', frequency: 'every_2_days', divisionId: chain.community.id })
    expect(created.statusCode, created.body).toBe(201)
    const group = created.json()
    expect(group).toMatchObject({ frequencyDays: 2, members: 0 })
    const unknown = makeId('19991231')
    const added = await lead.send('POST', `/api/key-groups/${group.id}/members`, { idNumbers: [people[0]!.idNumber, '', people[11]!.idNumber, '12345', unknown, people[0]!.idNumber] })
    expect(added.json()).toMatchObject({ added: 2, already: 1, rejected: [{ line: 4, value: '12345' }, { line: 5, reason: 'not in the registry of your area' }] })
    // 张伟 was swabbed today; 孙丽 never was.
    const overdue = (await worker.get('/api/key-groups/overdue')).json().items
    expect(overdue.map((o: { name: string }) => o.name)).toEqual(['孙丽'])
    expect(overdue[0]).toMatchObject({ group: '外卖骑手', lastSampledAt: null, daysOverdue: null })
    const groups = (await worker.get('/api/key-groups')).json().items
    expect(groups).toEqual([expect.objectContaining({ name: '外卖骑手', members: 2, overdue: 1 })])
    expect((await neighbour.get('/api/key-groups/overdue')).json().items).toEqual([])
    expect((await worker.send('POST', '/api/key-groups', { name: 'x', kind: 'custom', frequency: 'daily', divisionId: chain.grid.id })).statusCode).toBe(403)
  })
})

describe('sampling sites', () => {
  it('creates a site with lanes and hours, refuses impossible hours, and assigns a sampler who then sees it', async () => {
    const bad = await lead.send('POST', '/api/sites', { name: '社区服务中心采样点', kind: 'fixed', divisionId: chain.community.id, opensAt: '25:00' })
    expect(bad.json().error.message).toMatch(/^opensAt: a time like 07:30/)
    const created = await lead.send('POST', '/api/sites', { name: '社区服务中心采样点', kind: 'fixed', divisionId: chain.community.id, lanes: 4, opensAt: '07:00', closesAt: '20:00', address: '石鼓路 1 号' })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toMatchObject({ lanes: 4, opensAt: '07:00', residents: 13, staff: [] })
    const site = created.json()
    const staffed = await lead.send('POST', `/api/sites/${site.id}/staff`, { username: samplerName, duty: 'scanner' })
    expect(staffed.json().staff).toEqual([expect.objectContaining({ username: samplerName, duty: 'scanner' })])
    expect((await sampler.get('/api/sites')).json().items.map((s: { name: string }) => s.name)).toContain('社区服务中心采样点')
    expect((await sampler.send('POST', '/api/sites', { name: 'x', kind: 'fixed', divisionId: chain.community.id })).statusCode).toBe(403)
  })
})
