import crypto from 'node:crypto'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import {
  createTestApp,
  loginAs,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildResident,
  buildRound,
  buildUser,
  type BuiltGrid,
  type BuiltResident,
} from '../../test/factories.js'

/**
 * Testing through HTTP as the screens and the lab use it. Each test builds its own community
 * (two grids, the people in them, the accounts it acts as, its round), so any one runs alone.
 */
let t: TestApp
let labToken: string

beforeAll(async () => {
  t = await createTestApp()
  // Lab accounts are deployment-level: an admin creates them (testing.security.test.ts shows a lead may not).
  const admin = await loginAs(t, (await buildUser(t, { role: 'admin' })).username)
  labToken = (
    await admin.send('POST', '/api/labs', {
      name: `鼓楼检测所-${crypto.randomBytes(2).toString('hex')}`,
    })
  ).json().token
})
afterAll(async () => t?.close())

const NAMES = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄勇',
  '周杰',
  '吴霞',
  '徐峰',
  '孙丽',
]
const deadline = (hours = 12): string => new Date(Date.now() + hours * 3_600_000).toISOString()
const unique = (prefix: string): string =>
  `${prefix}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`
const scan = (
  person: string,
  tube: string,
  clientId = crypto.randomUUID(),
  scannedAt = new Date().toISOString(),
) => ({ clientId, person, tube, scannedAt })
const count = async (q: ReturnType<typeof sql>): Promise<number> =>
  (await rows<{ n: number }>(t.database.db, q))[0]!.n
const lab = (body: unknown, token = labToken) =>
  t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${token}` },
    payload: body as object,
  })

interface Community {
  grid: BuiltGrid
  grid2: BuiltGrid
  lead: Client
  worker: Client
  neighbour: Client
  sampler: Client
  samplerName: string
  /** `n` residents of the first grid, in the households of one building, in NAMES order. */
  people: BuiltResident[]
  /** One resident of the second grid. */
  outsider: BuiltResident
}

let offices = 0

/**
 * Logs in from a given address: each community works from its own office, so the file's many
 * logins stay under the per-address login limit (30 a minute) the way real offices would.
 */
async function loginFrom(address: string, username: string): Promise<Client> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: address,
    payload: { username, password: TEST_PASSWORD },
  })
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.body}`)
  const cookie = `wg_session=${res.cookies.find((c) => c.name === 'wg_session')!.value}`
  const csrf = (res.json() as { csrfToken: string }).csrfToken
  return {
    csrf,
    cookie,
    get: (url, headers = {}) =>
      t.app.inject({ method: 'GET', url, remoteAddress: address, headers: { cookie, ...headers } }),
    send: (method, url, body, headers = {}) =>
      t.app.inject({
        method,
        url,
        remoteAddress: address,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  }
}

/** A community of two grids with its lead, a worker of each grid, a sampler of the community and its people. */
async function community(n = 12): Promise<Community> {
  offices += 1
  const address = `10.77.${offices}.1`
  const login = (username: string): Promise<Client> => loginFrom(address, username)
  const grid = await buildGrid(t, { name: '第一网格' })
  const grid2 = await buildGrid(t, { communityId: grid.community.id, name: '第二网格' })
  const building = await buildBuilding(t, {
    gridId: grid.id,
    floors: [1, 2],
    roomsPerFloor: [1, 3],
  })
  const people: BuiltResident[] = []
  for (const [i, name] of NAMES.slice(0, n).entries())
    people.push(
      await buildResident(t, {
        householdId: building.households[i % building.households.length]!.id,
        name,
        idNumber: buildIdNumber({ birth: `19${60 + i}0101` }),
      }),
    )
  const outsider = await buildResident(t, {
    gridId: grid2.id,
    name: '钱多',
    residenceType: 'tenant',
  })
  const samplerUser = await buildUser(t, { role: 'sampler', scope: [grid.community] })
  return {
    grid,
    grid2,
    lead: await login(
      (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
    ),
    worker: await login((await buildUser(t, { role: 'grid_worker', scope: [grid] })).username),
    neighbour: await login((await buildUser(t, { role: 'grid_worker', scope: [grid2] })).username),
    sampler: await login(samplerUser.username),
    samplerName: samplerUser.username,
    people,
    outsider,
  }
}

/** Issues (POST) the code of each resident, as the lead who may. */
async function codesOf(c: Community, people: { id: string }[]): Promise<string[]> {
  const out: string[] = []
  for (const p of people) {
    const res = await c.lead.send('POST', `/api/residents/${p.id}/code`)
    expect(res.statusCode, res.body).toBe(200)
    out.push(res.json().token)
  }
  return out
}

/** A 10-in-1 round over the first grid, opened by the lead. */
async function roundOf(c: Community): Promise<string> {
  const res = await c.lead.send('POST', '/api/rounds', {
    name: unique('全员核酸'),
    kind: 'area',
    divisionIds: [c.grid.id],
    deadline: deadline(),
    poolSize: 10,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

/** The ten first people of the community swabbed into one closed 10-in-1 tube; the tube's code. */
async function fullTube(c: Community, roundId: string, codes: string[]): Promise<string> {
  const tube = unique('T')
  const res = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
    scans: codes.slice(0, 10).map((code) => scan(code, tube)),
  })
  expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(
    Array(10).fill('accepted'),
  )
  return tube
}

describe('rounds', () => {
  it('opens a round for one grid with the profile’s pool sizes, and refuses what the profile does not allow, saying why as a code', async () => {
    const c = await community(1)
    const bad = await c.lead.send('POST', '/api/rounds', {
      name: '第1轮',
      kind: 'area',
      divisionIds: [c.grid.id],
      deadline: deadline(),
      poolSize: 7,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({
      code: 'ROUND_POOL_SIZE_NOT_ALLOWED',
      field: 'poolSize',
      params: { profile: 'v9', sizes: '1, 5, 10, 20' },
    })
    const late = await c.lead.send('POST', '/api/rounds', {
      name: '第1轮',
      kind: 'area',
      divisionIds: [c.grid.id],
      deadline: deadline(30),
    })
    expect(late.json().error).toMatchObject({
      code: 'ROUND_AREA_TOO_LONG',
      field: 'deadline',
      params: { hours: 24 },
    })
    expect(
      (
        await c.worker.send('POST', '/api/rounds', {
          name: 'x',
          kind: 'area',
          divisionIds: [c.grid.id],
          deadline: deadline(),
        })
      ).statusCode,
    ).toBe(403)
    const ok = await c.lead.send('POST', '/api/rounds', {
      name: '第1轮全员核酸',
      kind: 'area',
      divisionIds: [c.grid.id],
      deadline: deadline(),
      poolSize: 10,
    })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({
      poolSize: 10,
      status: 'open',
      profileName: 'v9',
      turnaroundHours: { pooled: 24, single: 6 },
      scope: [{ name: '第一网格' }],
    })
    expect(
      (await c.sampler.get('/api/sampling/rounds')).json().items.map((r: { id: string }) => r.id),
    ).toContain(ok.json().id)
    // The neighbouring grid's worker is not in the round and does not see it.
    expect(
      (await c.neighbour.get('/api/rounds')).json().items.map((r: { id: string }) => r.id),
    ).not.toContain(ok.json().id)
  })

  it('shows a grid worker their round even when the deployment has more than 200 newer rounds elsewhere', async () => {
    const c = await community(1)
    const mine = await roundOf(c)
    const elsewhere = await buildGrid(t)
    // One round through the service, then 205 newer copies of it in one statement.
    const model = await buildRound(t, { divisionIds: [elsewhere.id] })
    await t.database.db
      .execute(sql`insert into test_round (name, kind, scope_ids, scope_paths, starts_at, deadline, pool_size, household_pool, single_tube_tags, profile_name, turnaround_pooled_hours, turnaround_single_hours, created_by, created_at)
      select r.name || '-' || g, r.kind, r.scope_ids, r.scope_paths, r.starts_at, r.deadline, r.pool_size, r.household_pool, r.single_tube_tags, r.profile_name, r.turnaround_pooled_hours, r.turnaround_single_hours, r.created_by, now() + g * interval '1 millisecond'
      from test_round r, generate_series(1, 205) g where r.id = ${model.id}`)
    expect(
      await count(
        sql`select count(*)::int as n from test_round where created_at > (select created_at from test_round where id = ${mine})`,
      ),
    ).toBeGreaterThan(200)
    const listed = (await c.worker.get('/api/rounds')).json()
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([mine])
    expect(listed.next).toBeNull()
    expect(
      (await c.worker.get('/api/rounds?status=open')).json().items.map((r: { id: string }) => r.id),
    ).toEqual([mine])
    expect(
      (await c.sampler.get('/api/sampling/rounds')).json().items.map((r: { id: string }) => r.id),
    ).toEqual([mine])
  })

  it('pages the round list by keyset: each page follows the last, none repeats, and a forged cursor is refused', async () => {
    const c = await community(1)
    const ids = [await roundOf(c), await roundOf(c), await roundOf(c)].reverse()
    const first = (await c.lead.get('/api/rounds?limit=2')).json()
    expect(first.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(0, 2))
    expect(first.next).toEqual(expect.any(String))
    const second = (await c.lead.get(`/api/rounds?limit=2&after=${first.next}`)).json()
    expect(second.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(2))
    expect(second.next).toBeNull()
    const forged = await c.lead.get(
      `/api/rounds?after=${Buffer.from(JSON.stringify(["x' or 1=1", 'y'])).toString('base64url')}`,
    )
    expect(forged.statusCode).toBe(400)
    expect(forged.json().error).toMatchObject({ code: 'ROUND_CURSOR_INVALID', field: 'after' })
  })

  it('refuses scans after the round is closed', async () => {
    const c = await community(1)
    const roundId = await roundOf(c)
    const [code] = await codesOf(c, c.people)
    expect((await c.lead.send('POST', `/api/rounds/${roundId}/close`)).json().status).toBe('closed')
    const res = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(code!, unique('T'))],
    })
    expect(res.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { field: 'round', code: 'SCAN_ROUND_CLOSED', reason: 'This round is closed' },
    })
  })
})

describe('resident codes', () => {
  it('reads a code without issuing one; issuing is a POST, audited, that gives an opaque code with a QR, only inside the caller’s grids', async () => {
    const c = await community(2)
    const [p] = c.people
    const before = await c.worker.get(`/api/residents/${p!.id}/code`)
    expect(before.statusCode).toBe(404)
    expect(before.json().error.code).toBe('CODE_NOT_ISSUED')
    expect(
      await count(sql`select count(*)::int as n from resident_code where resident_id = ${p!.id}`),
    ).toBe(0)
    const issued = await c.worker.send('POST', `/api/residents/${p!.id}/code`)
    expect(issued.statusCode, issued.body).toBe(200)
    const token = issued.json().token
    expect(token).toMatch(/^WG[0-9A-F]{32}$/)
    expect(token).not.toContain(p!.idNumber.slice(-6))
    expect(issued.json().qrSvg).toContain('<svg')
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'testing.code_issue' and target_id = ${p!.id}`,
      ),
    ).toBe(1)
    // A second issue and a read answer the same code; neither writes again.
    expect((await c.worker.send('POST', `/api/residents/${p!.id}/code`)).json().token).toBe(token)
    expect((await c.worker.get(`/api/residents/${p!.id}/code`)).json().token).toBe(token)
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'testing.code_issue' and target_id = ${p!.id}`,
      ),
    ).toBe(1)
    expect((await c.worker.get(`/api/residents/${c.outsider.id}/code`)).statusCode).toBe(403)
    expect((await c.worker.send('POST', `/api/residents/${c.outsider.id}/code`)).statusCode).toBe(
      403,
    )
    // A lost card: the old code stops working, a new one is issued.
    const again = await c.worker.send('POST', `/api/residents/${p!.id}/code/reissue`, {
      reason: '卡片遗失',
    })
    expect(again.json().token).not.toBe(token)
  })

  it('answers a household’s cards without issuing; printing issues the missing codes (POST) and answers every card', async () => {
    const c = await community(1)
    const mate = await buildResident(t, { householdId: c.people[0]!.householdId, name: '张小伟' })
    await codesOf(c, [c.people[0]!])
    const read = (await c.worker.get(`/api/households/${mate.householdId}/cards`)).json()
    expect(read).toMatchObject({ cards: [expect.objectContaining({ name: '张伟' })], missing: 1 })
    expect(
      await count(sql`select count(*)::int as n from resident_code where resident_id = ${mate.id}`),
    ).toBe(0)
    const printed = await c.worker.send('POST', `/api/households/${mate.householdId}/cards`)
    expect(printed.statusCode, printed.body).toBe(200)
    expect(
      printed
        .json()
        .cards.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['张伟', '张小伟'].sort())
    expect(printed.json().missing).toBe(0)
    expect((await c.neighbour.get(`/api/households/${mate.householdId}/cards`)).statusCode).toBe(
      403,
    )
    expect(
      (await c.neighbour.send('POST', `/api/households/${mate.householdId}/cards`)).statusCode,
    ).toBe(403)
  })
})

describe('sampling scans', () => {
  it('fills a 10-in-1 tube with ten scans, closes it, and a replayed batch creates nothing', async () => {
    const c = await community(10)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const tube = unique('T')
    const batch = codes.map((code) => scan(code, tube))
    const res = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: batch })
    expect(res.statusCode, res.body).toBe(200)
    const results = res.json().results
    expect(results.map((r: { status: string }) => r.status)).toEqual(Array(10).fill('accepted'))
    expect(results[0].person.name).toBe('张*')
    expect(results[9].warnings).toContain('tube_closed')
    expect(results[9].tube).toMatchObject({
      code: tube,
      members: 10,
      capacity: 10,
      status: 'closed',
    })
    const again = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: batch })
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual(
      Array(10).fill('duplicate'),
    )
    expect(again.json().results[3].specimenId).toBe(results[3].specimenId)
    expect(
      await count(sql`select count(*)::int as n from specimen where round_id = ${roundId}`),
    ).toBe(10)
  })

  it('takes two copies of a batch sent at once (a device retrying on a timeout) as one', async () => {
    const c = await community(1)
    const roundId = await roundOf(c)
    const [code] = await codesOf(c, c.people)
    const batch = { scans: [scan(code!, unique('T-RACE'))] }
    const [a, b] = await Promise.all([
      c.sampler.send('POST', `/api/rounds/${roundId}/scans`, batch),
      c.sampler.send('POST', `/api/rounds/${roundId}/scans`, batch),
    ])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    expect([a.json().results[0].status, b.json().results[0].status].sort()).toEqual([
      'accepted',
      'duplicate',
    ])
    expect(
      await count(
        sql`select count(*)::int as n from specimen where resident_id = ${c.people[0]!.id}`,
      ),
    ).toBe(1)
  })

  it('names the problem of each bad scan as a code and keeps the good ones of the same batch', async () => {
    const c = await community(12)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const [outsiderCode] = await codesOf(c, [c.outsider])
    const full = await fullTube(c, roundId, codes)
    const tube = unique('T')
    const p = c.people[11]!
    const wrongCheck = p.idNumber.slice(0, 17) + (p.idNumber.endsWith('1') ? '2' : '1')
    const res = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [
        scan(codes[10]!, full), // closed tube
        scan(c.people[10]!.idNumber, tube), // typed ID number: fine
        scan(wrongCheck, tube),
        scan('WG12AB', tube),
        scan(codes[11]!, '条码#?'),
        scan(outsiderCode!, tube), // outside the round: allowed, flagged
        scan(codes[0]!, tube), // already sampled: allowed, flagged
        scan(codes[11]!, tube, undefined, new Date(Date.now() + 3_600_000).toISOString()),
      ],
    })
    const r = res.json().results
    expect(r[0]).toMatchObject({
      status: 'rejected',
      error: {
        field: 'tube',
        code: 'TUBE_CLOSED',
        params: { members: 10 },
        reason: expect.stringContaining('closed'),
      },
    })
    // The refusal carries the tube's state, so the phone shows it closed instead of open.
    expect(r[0].tube).toMatchObject({ code: full, status: 'closed', members: 10, capacity: 10 })
    expect(r[1]).toMatchObject({ status: 'accepted', tube: { code: tube } })
    expect(r[2]).toMatchObject({
      status: 'rejected',
      error: { field: 'person', code: 'ID_CHECK_CHARACTER', params: { expected: p.idNumber[17] } },
    })
    expect(r[3]).toMatchObject({
      status: 'rejected',
      error: { field: 'person', code: 'SCAN_CODE_INCOMPLETE' },
    })
    expect(r[4]).toMatchObject({
      status: 'rejected',
      error: { field: 'tube', code: 'SCAN_NOT_A_TUBE' },
    })
    expect(r[5]).toMatchObject({ status: 'accepted', warnings: ['out_of_scope'] })
    expect(r[6]).toMatchObject({ status: 'accepted', warnings: ['already_sampled'] })
    expect(r[7]).toMatchObject({
      status: 'rejected',
      error: { field: 'scannedAt', code: 'SCAN_TIME_FUTURE' },
    })
    expect(r[1].tube.members).toBe(3)
    const closed = await c.sampler.send('POST', `/api/rounds/${roundId}/tubes/${tube}/close`)
    expect(closed.json()).toMatchObject({ status: 'closed', members: 3 })
  })
})

describe('progress and the missed-test list', () => {
  it('shows progress and the missed-test list by grid, exports it for the door, and an accepted reason takes a person out', async () => {
    const c = await community(12)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const [outsiderCode] = await codesOf(c, [c.outsider])
    await fullTube(c, roundId, codes)
    const tube = unique('T')
    await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(codes[10]!, tube), scan(outsiderCode!, tube), scan(codes[0]!, tube)],
    })
    await c.sampler.send('POST', `/api/rounds/${roundId}/tubes/${tube}/close`)
    const pr = await c.worker.get(`/api/rounds/${roundId}/progress`)
    expect(pr.statusCode, pr.body).toBe(200)
    const p = pr.json()
    expect(p.totals).toEqual({ inScope: 12, sampled: 11, excused: 0, missed: 1 })
    expect(p.byGrid).toEqual([
      expect.objectContaining({ gridName: '第一网格', inScope: 12, sampled: 11, missed: 1 }),
    ])
    // The worker counts the swabs of their own grid (11 people, one of them twice); the lead also sees the outsider's.
    expect(p.counters).toMatchObject({ specimens: 12, tubesClosed: 2, tubesOpen: 0 })
    expect((await c.lead.get(`/api/rounds/${roundId}/progress`)).json().counters.specimens).toBe(13)
    const missed = (await c.worker.get(`/api/rounds/${roundId}/missed`)).json()
    expect(missed.items.map((m: { name: string }) => m.name)).toEqual(['孙丽'])
    expect((await c.neighbour.get(`/api/rounds/${roundId}/missed`)).statusCode).toBe(403)
    // The paper list for the door: the missed resident with address and masked phone, and an audit entry.
    const xlsx = await c.worker.get(`/api/rounds/${roundId}/missed.xlsx`)
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('漏检名单')!
    // A title row names the round and when the list was taken; the headers follow.
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(
      /漏检名单（导出时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}，截止 /,
    )
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '网格',
      '住址',
      '姓名',
      '年龄',
      '联系电话',
      '原因',
      '处理',
      '情况（上门填写）',
      '备注',
    ])
    expect(sheet.getRow(3).getCell(3).value).toBe('孙丽')
    expect(sheet.getRow(3).getCell(1).value).toBe('第一网格')
    expect(sheet.rowCount).toBe(3)
    await expect
      .poll(() =>
        count(
          sql`select count(*)::int as n from audit_log where action = 'testing.missed_export' and target_id = ${roundId}`,
        ),
      )
      .toBe(1)
    const bad = await c.worker.send('PUT', `/api/rounds/${roundId}/missed/${c.people[11]!.id}`, {
      reason: 'tested_elsewhere',
    })
    expect(bad.json().error).toMatchObject({ code: 'MISSED_REASON_NEEDS_NOTE', field: 'note' })
    const ok = await c.worker.send('PUT', `/api/rounds/${roundId}/missed/${c.people[11]!.id}`, {
      reason: 'away',
      note: '出差至 4 日',
    })
    expect(ok.json()).toEqual({ reason: 'away', excludes: true, action: 'excuse' })
    expect((await c.worker.get(`/api/rounds/${roundId}/missed`)).json().items).toEqual([])
    expect((await c.worker.get(`/api/rounds/${roundId}/progress`)).json().totals).toMatchObject({
      excused: 1,
      missed: 0,
    })
  })
})

describe('lab results', () => {
  it('takes results by tube: a positive pool orders a recheck for every member and alerts the grid', async () => {
    const c = await community(11)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const pooled = await fullTube(c, roundId, codes)
    const single = unique('T')
    await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(codes[10]!, single)],
    })
    await c.sampler.send('POST', `/api/rounds/${roundId}/tubes/${single}/close`)
    expect(
      (await lab({ results: [{ tubeCode: pooled, result: 'positive' }] }, 'wglab_nope')).statusCode,
    ).toBe(401)
    const unknown = unique('T')
    const res = await lab({
      results: [
        { tubeCode: pooled, result: '阳性' },
        { tubeCode: single, result: 'negative' },
        { tubeCode: unknown, result: 'negative' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      applied: 2,
      rejected: 1,
      poolPositiveTubes: 1,
      rechecksOrdered: 10,
      cleared: 1,
      problems: [{ rowNo: 3, tubeCode: unknown, code: 'RESULT_TUBE_UNKNOWN' }],
    })
    const rechecks = (await c.worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(rechecks).toHaveLength(10)
    expect(
      rechecks.every(
        (o: { status: string; sourceTube: string }) =>
          o.status === 'ordered' && o.sourceTube === pooled,
      ),
    ).toBe(true)
    const alerts = (await c.worker.get('/api/alerts?open=true')).json()
    expect(alerts.items).toEqual([
      expect.objectContaining({
        kind: 'testing.pool_positive',
        severity: 'critical',
        detail: expect.objectContaining({ people: 10, tubes: [pooled] }),
      }),
    ])
    expect((await c.neighbour.get('/api/alerts?open=true')).json().items).toEqual([])
  })

  it('flags a different second result instead of overwriting it, holding the safer one (a positive after a negative)', async () => {
    const c = await community(10)
    const roundId = await roundOf(c)
    const tube = await fullTube(c, roundId, await codesOf(c, c.people))
    expect((await lab({ results: [{ tubeCode: tube, result: 'negative' }] })).json()).toMatchObject(
      { applied: 1 },
    )
    const res = await lab({
      results: [
        { tubeCode: tube, result: 'positive' },
        { tubeCode: tube, result: 'negative' },
      ],
    })
    // 从严: the positive holds at once (its members are rechecked), the negative waits for a person.
    expect(res.json()).toMatchObject({
      applied: 1,
      conflicts: 2,
      rechecksOrdered: 10,
    })
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = ${tube} and result = 'positive'`,
      ),
    ).toBe(1)
    expect(
      (await c.lead.get('/api/alerts?kind=testing.result_conflict')).json().items,
    ).toHaveLength(1)
    expect((await c.lead.get(`/api/rounds/${roundId}/conflicts`)).json().items).toEqual([
      expect.objectContaining({
        tubeCode: tube,
        held: 'positive',
        incoming: 'negative',
        status: 'open',
      }),
    ])
  })

  it('swabs rechecks alone at the door and resolves them: one recheck-negative, one confirmed positive recorded once', async () => {
    const c = await community(10)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const pooled = await fullTube(c, roundId, codes)
    await lab({ results: [{ tubeCode: pooled, result: 'positive' }] })
    const [r1, r2] = [unique('R'), unique('R')]
    const res = await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(codes[0]!, r1), scan(codes[1]!, r1), scan(codes[1]!, r2)],
    })
    const r = res.json().results
    expect(r[0]).toMatchObject({
      status: 'accepted',
      warnings: ['tube_closed', 'recheck'],
      tube: { kind: 'recheck', capacity: 1, status: 'closed' },
    })
    expect(r[1]).toMatchObject({
      status: 'rejected',
      error: { field: 'tube', code: 'TUBE_CLOSED' },
    })
    expect(r[2]).toMatchObject({ status: 'accepted', tube: { kind: 'recheck' } })
    const results = await lab({
      results: [
        { tubeCode: r1, result: 'positive' },
        { tubeCode: r2, result: 'negative' },
      ],
    })
    expect(results.json()).toMatchObject({ applied: 2, confirmed: 1 })
    expect((await lab({ results: [{ tubeCode: r1, result: 'positive' }] })).json()).toMatchObject({
      duplicates: 1,
      confirmed: 0,
    })
    expect(
      await count(
        sql`select count(*)::int as n from positive_case where resident_id = ${c.people[0]!.id}`,
      ),
    ).toBe(1)
    const states = await rows<{ resident_id: string; state: string }>(
      t.database.db,
      sql`select s.resident_id, s.state from specimen s join tube t on t.id = s.tube_id where t.code = ${pooled}`,
    )
    const stateOf = (id: string) => states.find((s) => s.resident_id === id)!.state
    expect(stateOf(c.people[0]!.id)).toBe('confirmed_positive')
    expect(stateOf(c.people[1]!.id)).toBe('recheck_negative')
    expect(stateOf(c.people[2]!.id)).toBe('pool_positive')
    const orders = (await c.worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(orders.filter((o: { status: string }) => o.status === 'positive')).toHaveLength(1)
    expect(orders.filter((o: { status: string }) => o.status === 'negative')).toHaveLength(1)
    expect(
      (await c.worker.get('/api/alerts?kind=testing.confirmed_positive')).json().items,
    ).toHaveLength(1)
  })

  it('takes a result file uploaded by hand and refuses one with the wrong columns, naming them', async () => {
    const c = await community(3)
    const roundId = await roundOf(c)
    const codes = await codesOf(c, c.people)
    const tube = unique('T')
    await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: codes.map((code) => scan(code, tube)),
    })
    await c.sampler.send('POST', `/api/rounds/${roundId}/tubes/${tube}/close`)
    const boundary = 'wgtest'
    const form = (name: string, content: string | Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="lab"\r\n\r\n金域检测\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
    const upload = (name: string, content: string | Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/results/upload',
        headers: {
          cookie: c.lead.cookie,
          'x-csrf-token': c.lead.csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: form(name, content),
      })
    const wrong = await upload('结果.csv', `样品,判定\n${tube},阴性\n`)
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error).toMatchObject({
      code: 'RESULT_FILE_COLUMNS_MISSING',
      field: 'file',
      params: { found: expect.stringContaining('样品') },
    })
    const ok = await upload('结果.csv', `管码,结果,复检\n${tube},阴性,\n${tube},阳性,是\n`)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({
      rows: 2,
      applied: 2,
      poolPositiveTubes: 1,
      rechecksOrdered: 3,
    })
    // The same from an .xlsx whose header sits under a title row, with an unknown tube in it.
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('结果')
    ws.addRow(['金域检测 2026-11-29 核酸检测结果'])
    ws.addRow(['试管编码', '检测结果', '检测时间'])
    ws.addRow([tube, '阳性', '2026-11-29 14:05'])
    const unknown = unique('T')
    ws.addRow([unknown, '阴性', '2026-11-29 14:05'])
    const xlsx = await upload('结果.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    expect(xlsx.json()).toMatchObject({
      rows: 2,
      duplicates: 1,
      rejected: 1,
      problems: [{ rowNo: 4, tubeCode: unknown, code: 'RESULT_TUBE_UNKNOWN' }],
    })
  })
})

describe('routine testing of key jobs', () => {
  it('keeps a group with a profile frequency, adds members by ID number line by line, and lists who is overdue', async () => {
    const c = await community(12)
    const roundId = await roundOf(c)
    const [code] = await codesOf(c, [c.people[0]!])
    await c.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(code!, unique('T'))],
    })
    const bad = await c.lead.send('POST', '/api/key-groups', {
      name: '外卖骑手',
      kind: 'delivery',
      frequency: 'hourly',
      divisionId: c.grid.community.id,
    })
    expect(bad.json().error).toMatchObject({
      code: 'KEY_GROUP_FREQUENCY',
      field: 'frequency',
      params: { options: expect.stringMatching(/(?=.*daily)(?=.*every_2_days)(?=.*weekly)/) },
    })
    const created = await c.lead.send('POST', '/api/key-groups', {
      name: '外卖骑手',
      kind: 'delivery',
      frequency: 'every_2_days',
      divisionId: c.grid.community.id,
    })
    expect(created.statusCode, created.body).toBe(201)
    const group = created.json()
    expect(group).toMatchObject({ frequencyDays: 2, members: 0 })
    // A line is answered with its number masked, as everywhere (the list may name anyone).
    const unknown = buildIdNumber()
    const added = await c.lead.send('POST', `/api/key-groups/${group.id}/members`, {
      idNumbers: [
        c.people[0]!.idNumber,
        '',
        c.people[11]!.idNumber,
        '12345',
        unknown,
        c.people[0]!.idNumber,
      ],
    })
    expect(added.json()).toMatchObject({
      added: 2,
      already: 1,
      rejected: [
        { line: 4, value: '*2345', code: 'ID_LENGTH' },
        {
          line: 5,
          value: `${unknown.slice(0, 6)}********${unknown.slice(-4)}`,
          code: 'MEMBER_NOT_IN_MY_REGISTRY',
        },
      ],
    })
    // 张伟 was swabbed today; 孙丽 never was.
    const overdue = (await c.worker.get('/api/key-groups/overdue')).json().items
    expect(overdue.map((o: { name: string }) => o.name)).toEqual(['孙丽'])
    expect(overdue[0]).toMatchObject({ group: '外卖骑手', lastSampledAt: null, daysOverdue: null })
    const groups = (await c.worker.get('/api/key-groups')).json().items
    expect(groups).toEqual([
      expect.objectContaining({ name: '外卖骑手', kind: 'delivery', members: 2, overdue: 1 }),
    ])
    expect((await c.neighbour.get('/api/key-groups/overdue')).json().items).toEqual([])
    expect(
      (
        await c.worker.send('POST', '/api/key-groups', {
          name: 'x',
          kind: 'custom',
          frequency: 'daily',
          divisionId: c.grid.id,
        })
      ).statusCode,
    ).toBe(403)
  })
})

describe('sampling sites', () => {
  it('creates a site with lanes and hours, refuses impossible hours, and assigns a sampler who then sees it', async () => {
    const c = await community(12)
    const bad = await c.lead.send('POST', '/api/sites', {
      name: '社区服务中心采样点',
      kind: 'fixed',
      divisionId: c.grid.community.id,
      opensAt: '25:00',
    })
    expect(bad.json().error).toMatchObject({ code: 'SITE_TIME_FORMAT', field: 'opensAt' })
    const created = await c.lead.send('POST', '/api/sites', {
      name: '社区服务中心采样点',
      kind: 'fixed',
      divisionId: c.grid.community.id,
      lanes: 4,
      opensAt: '07:00',
      closesAt: '20:00',
      address: '石鼓路 1 号',
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toMatchObject({ lanes: 4, opensAt: '07:00', residents: 13, staff: [] })
    const site = created.json()
    const staffed = await c.lead.send('POST', `/api/sites/${site.id}/staff`, {
      username: c.samplerName,
      duty: 'scanner',
    })
    expect(staffed.json().staff).toEqual([
      expect.objectContaining({ username: c.samplerName, duty: 'scanner' }),
    ])
    expect(
      (await c.sampler.get('/api/sites')).json().items.map((s: { name: string }) => s.name),
    ).toContain('社区服务中心采样点')
    expect(
      (
        await c.sampler.send('POST', '/api/sites', {
          name: 'x',
          kind: 'fixed',
          divisionId: c.grid.community.id,
        })
      ).statusCode,
    ).toBe(403)
  })
})
