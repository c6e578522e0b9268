import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { addDays, localDate, startOfLocalDay } from '../core/clock.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildGrid,
  buildResident,
  buildRound,
  buildUser,
  type BuiltGrid,
  type BuiltResident,
  type BuiltUser,
} from '../../test/factories.js'
import type { MeasureDetailOut, MeasurePage, TimelineOut } from './measures.schema.js'

/**
 * Measures over HTTP (issue 10 item 2), on PGlite and on PostgreSQL (TEST_DATABASE_URL): start
 * under the profile in force, the person's timeline with done and missed test days, the boards
 * and indicators in scope, check-ins (a retry replaces, a resident reports for their own
 * household only), release with its checks, cancel, and the print notices.
 */

let t: TestApp
let grid: BuiltGrid
let other: BuiltGrid
let worker: BuiltUser
let doctor: BuiltUser
let workerClient: Client
let doctorClient: Client
let outsider: Client
let roundId: string

const zone = 'Asia/Shanghai'
const today = (): string => localDate(new Date(), zone)
/** 02:00 local on the day n days from today. */
const localAt = (n: number, hour = 2): string =>
  new Date(startOfLocalDay(addDays(today(), n), zone).getTime() + hour * 3_600_000).toISOString()
const phone = (): string => `139${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`

async function swab(
  r: BuiltResident,
  at: string,
  kind: 'pooled' | 'single' = 'single',
  result: 'negative' | 'positive' | null = 'negative',
): Promise<void> {
  const tubeId = crypto.randomUUID()
  const path = (
    await rows<{ grid_path: string }>(
      t.database.db,
      sql`select grid_path from resident where id = ${r.id}`,
    )
  )[0]!.grid_path
  await t.database.db.execute(
    sql`insert into tube (id, code, round_id, kind, capacity, members, status, opened_at, opened_by, closed_at, result, resulted_at)
        values (${tubeId}, ${'M' + crypto.randomBytes(5).toString('hex')}, ${roundId}, ${kind}, ${kind === 'pooled' ? 10 : 1}, 1, 'closed', ${at}, 'test', ${at}, ${result}, ${result ? at : null})`,
  )
  await t.database.db.execute(
    sql`insert into specimen (id, client_id, round_id, tube_id, resident_id, grid_path, sampler_name, scanned_at)
        values (${crypto.randomUUID()}, ${crypto.randomUUID()}, ${roundId}, ${tubeId}, ${r.id}, ${path}, 'test', ${at})`,
  )
}

async function start(
  client: Client,
  residentId: string,
  category: string,
  anchorAt: string,
  extra: Record<string, unknown> = {},
) {
  return client.send('POST', '/api/measures', { residentId, category, anchorAt, ...extra })
}

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  other = await buildGrid(t, { communityId: grid.community.id })
  worker = await buildUser(t, { role: 'grid_worker', scope: [grid] })
  doctor = await buildUser(t, { role: 'doctor', scope: [grid.community] })
  workerClient = await loginAs(t, worker.username)
  doctorClient = await loginAs(t, doctor.username)
  outsider = await loginAs(
    t,
    (await buildUser(t, { role: 'grid_worker', scope: [other] })).username,
  )
  roundId = (await buildRound(t, { divisionIds: [grid.community.id] })).id
})
afterAll(async () => t?.close())

describe('starting a measure', () => {
  it('plans a close contact under v9 (7 days centralized, tests 1,2,3,5,7, then 3 days monitoring with test 3), audited', async () => {
    const r = await buildResident(t, { gridId: grid.id, name: '王密接' })
    const res = await start(workerClient, r.id, 'close_contact', localAt(-3))
    expect(res.statusCode).toBe(201)
    const m = res.json() as MeasureDetailOut
    const a = addDays(today(), -3)
    expect(m).toMatchObject({
      residentName: '王密接',
      category: 'close_contact',
      status: 'active',
      anchorDate: a,
      plannedEnd: addDays(a, 10),
      profile: 'v9',
      profileChanged: false,
    })
    expect(m.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/)
    expect(m.phases.map((p) => [p.kind, p.firstDay, p.lastDay])).toEqual([
      ['centralized_isolation', addDays(a, 1), addDays(a, 7)],
      ['home_health_monitoring', addDays(a, 8), addDays(a, 10)],
    ])
    expect(m.testDays.map((d) => d.day)).toEqual([1, 2, 3, 5, 7, 10])
    // Day 1 and 2 passed without a swab, day 3 is today.
    expect(m.testDays.slice(0, 4).map((d) => d.state)).toEqual([
      'missed',
      'missed',
      'due',
      'planned',
    ])
    expect(m.duties).toMatchObject({
      dayNumber: 3,
      testDueToday: true,
      releaseDue: false,
      daysLeft: 7,
    })
    const audit = await rows<{ actor_name: string; scope_path: string }>(
      t.database.db,
      sql`select actor_name, scope_path from audit_log where action = 'measure.start' and target_id = ${m.id}`,
    )
    expect(audit).toEqual([{ actor_name: worker.username, scope_path: grid.path }])
  })

  it('refuses a second active measure of the same kind (409), but allows another kind', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    expect((await start(workerClient, r.id, 'close_contact', localAt(-1))).statusCode).toBe(201)
    const again = await start(workerClient, r.id, 'close_contact', localAt(0, 0))
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({
      code: 'MEASURE_ALREADY_ACTIVE',
      params: { category: 'close_contact' },
    })
    expect((await start(workerClient, r.id, 'low_risk_area', localAt(-1))).statusCode).toBe(201)
  })

  it('refuses a resident outside my scope (403, audited), a future anchor and days served where they do not count', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    const res = await start(outsider, r.id, 'close_contact', localAt(-1))
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
    const future = await start(workerClient, r.id, 'close_contact', localAt(2))
    expect(future.statusCode).toBe(400)
    expect(future.json().error).toMatchObject({
      code: 'MEASURE_ANCHOR_IN_FUTURE',
      field: 'anchorAt',
    })
    const served = await start(workerClient, r.id, 'close_contact', localAt(-1), {
      daysAlreadyServed: 2,
    })
    expect(served.statusCode).toBe(400)
    expect(served.json().error).toMatchObject({
      code: 'MEASURE_FILL_UP_NOT_ALLOWED',
      field: 'daysAlreadyServed',
    })
    const unknown = await start(workerClient, crypto.randomUUID(), 'close_contact', localAt(-1))
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('MEASURE_RESIDENT_NOT_FOUND')
  })

  it('credits days already served (填平补齐) for a high-risk-area stay, and sends home isolation the home cannot hold to centralized', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    const res = await start(workerClient, r.id, 'high_risk_area', localAt(-2), {
      daysAlreadyServed: 3,
    })
    expect(res.statusCode).toBe(201)
    const m = res.json() as MeasureDetailOut
    const a = addDays(today(), -2)
    expect(m.daysCredited).toBe(3)
    expect(m.plannedEnd).toBe(addDays(a, 7))
    expect(m.testDays.map((d) => d.day)).toEqual([5, 7])

    const s = await buildResident(t, { gridId: grid.id })
    const home = await start(workerClient, s.id, 'secondary_contact', localAt(-1), {
      home: {
        singleRoom: true,
        ownBathroom: false,
        sharedCentralAir: false,
        coResidentsIsolated: true,
      },
    })
    expect(home.statusCode).toBe(201)
    expect(home.json()).toMatchObject({ homeFallback: ['HOME_NO_OWN_BATHROOM'] })
    expect((home.json() as MeasureDetailOut).phases[0]!.kind).toBe('centralized_isolation')
  })

  it('lists the categories the profile in force identifies, with a home phase flag', async () => {
    const res = await workerClient.get('/api/measures/categories')
    expect(res.statusCode).toBe(200)
    const body = res.json() as {
      profile: string
      items: { category: string; hasHomePhase: boolean }[]
    }
    expect(body.profile).toBe('v9')
    expect(body.items.find((i) => i.category === 'secondary_contact')?.hasHomePhase).toBe(true)
    expect(body.items.find((i) => i.category === 'close_contact')?.hasHomePhase).toBe(false)
  })
})

describe('a person under a measure', () => {
  let r: BuiltResident
  let m: MeasureDetailOut

  beforeAll(async () => {
    r = await buildResident(t, { gridId: grid.id, name: '李时间' })
    m = (await start(workerClient, r.id, 'close_contact', localAt(-3))).json() as MeasureDetailOut
    await swab(r, localAt(-2, 10)) // day 1 done
  })

  it("shows the timeline: test days done and missed, today's duty, the profile it started under", async () => {
    const res = await workerClient.get(`/api/residents/${r.id}/measures`)
    expect(res.statusCode).toBe(200)
    const tl = res.json() as TimelineOut
    expect(tl.residentName).toBe('李时间')
    expect(tl.items).toHaveLength(1)
    const item = tl.items[0]!
    expect(item.testDays.slice(0, 3).map((d) => [d.day, d.state])).toEqual([
      [1, 'done'],
      [2, 'missed'],
      [3, 'due'],
    ])
    expect(item.duties?.missedTestDays).toEqual([addDays(m.anchorDate, 2)])
    expect(item).toMatchObject({ profile: 'v9', profileNow: 'v9', profileChanged: false })
    expect((await outsider.get(`/api/residents/${r.id}/measures`)).statusCode).toBe(403)
  })

  it('puts the person on the "owes a test today" board of the grid and the community, not of the neighbour grid', async () => {
    const mine = (await workerClient.get('/api/measures?list=test_due')).json() as MeasurePage
    const row = mine.items.find((i) => i.id === m.id)
    expect(row).toMatchObject({
      name: '李时间',
      testDueToday: true,
      testDoneToday: false,
      dayNumber: 3,
      daysLeft: 7,
    })
    expect(row?.idNumber).toMatch(/\*{8}/)
    expect(row?.idNumber).not.toBe(r.idNumber)
    const community = (
      await doctorClient.get(`/api/measures?list=test_due&divisionId=${grid.community.id}`)
    ).json() as MeasurePage
    expect(community.items.map((i) => i.id)).toContain(m.id)
    const theirs = (await outsider.get('/api/measures?list=test_due')).json() as MeasurePage
    expect(theirs.items.map((i) => i.id)).not.toContain(m.id)
    const foreign = await outsider.get(`/api/measures?divisionId=${grid.id}`)
    expect(foreign.statusCode).toBe(403)
    // Swabbed today: still a test day, now done.
    await swab(r, new Date().toISOString())
    const after = (await workerClient.get('/api/measures?list=test_due')).json() as MeasurePage
    expect(after.items.find((i) => i.id === m.id)).toMatchObject({ testDoneToday: true })
  })

  it('pages a board by keyset in walking order', async () => {
    const first = (await doctorClient.get('/api/measures?limit=2')).json() as MeasurePage
    expect(first.items).toHaveLength(2)
    expect(first.next).not.toBeNull()
    const second = (
      await doctorClient.get(`/api/measures?limit=2&after=${first.next}`)
    ).json() as MeasurePage
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id)
    const bad = await doctorClient.get('/api/measures?after=not-a-cursor')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'CURSOR_INVALID', field: 'after' })
  })

  it('counts the indicators of my scope in one answer', async () => {
    const res = await doctorClient.get('/api/measures/indicators')
    expect(res.statusCode).toBe(200)
    const ind = res.json()
    expect(ind.people).toBeGreaterThanOrEqual(1)
    expect(
      ind.byCategory.find((c: { category: string }) => c.category === 'close_contact').people,
    ).toBeGreaterThanOrEqual(1)
    expect(ind.testsDueToday).toBeGreaterThanOrEqual(1)
    expect(ind.testsDoneToday).toBeGreaterThanOrEqual(1)
    const none = (await outsider.get('/api/measures/indicators')).json()
    expect(none).toMatchObject({ people: 0, testsDueToday: 0, temporaryControl: 0 })
  })

  it('refuses the release before its end, listing every failed check as a code', async () => {
    const checks = await doctorClient.get(`/api/measures/${m.id}/release-checks`)
    expect(checks.statusCode).toBe(200)
    const codes = (checks.json() as { ok: boolean; problems: { code: string }[] }).problems.map(
      (p) => p.code,
    )
    expect(codes).toContain('MEASURE_RELEASE_NOT_YET')
    expect(codes).toContain('MEASURE_RELEASE_TEST_MISSING')
    const res = await doctorClient.send('POST', `/api/measures/${m.id}/release`, {})
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({
      code: 'MEASURE_RELEASE_CHECKS_FAILED',
      params: { count: codes.length },
    })
    expect(String(res.json().error.params.checks).split(',')).toEqual(codes)
    // A grid worker may not release at all.
    expect((await workerClient.send('POST', `/api/measures/${m.id}/release`, {})).statusCode).toBe(
      403,
    )
  })

  it('prints the 告知书 in the requester language', async () => {
    const zh = await workerClient.get(`/api/measures/${m.id}/notice?kind=start`)
    expect(zh.statusCode).toBe(200)
    expect(zh.json()).toMatchObject({
      title: '隔离管控告知书',
      categoryLabel: '密切接触者',
      person: { name: '李时间' },
      issuer: grid.community.name,
      profile: { name: 'v9' },
    })
    expect(zh.json().person.idNumber).toMatch(/\*{8}/)
    expect(zh.json().phases.map((p: { label: string }) => p.label)).toEqual([
      '集中隔离',
      '居家健康监测',
    ])
    expect(JSON.stringify(zh.json())).not.toContain(r.idNumber)
    const en = await workerClient.get(`/api/measures/${m.id}/notice?kind=start`, {
      'accept-language': 'en',
    })
    expect(en.json()).toMatchObject({
      title: 'Notice of health measure',
      categoryLabel: 'Close contact',
    })
    const release = await workerClient.get(`/api/measures/${m.id}/notice?kind=release`)
    expect(release.statusCode).toBe(409)
    expect(release.json().error.code).toBe('MEASURE_NOTICE_NOT_RELEASED')
  })
})

describe('check-ins', () => {
  it('records a temperature, replaces it on a retry of the same slot, and refuses one out of range naming the field', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    const m = (
      await start(workerClient, r.id, 'secondary_contact', localAt(-2))
    ).json() as MeasureDetailOut
    const first = await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      slot: 'am',
      temperature: 36.5,
    })
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      replaced: false,
      checkin: { slot: 'am', temperature: 36.5, fever: false },
    })
    const retry = await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      slot: 'am',
      temperature: 37.6,
      symptoms: ['cough'],
    })
    expect(retry.json()).toMatchObject({
      replaced: true,
      checkin: { temperature: 37.6, fever: true, symptoms: ['cough'] },
    })
    const got = (await workerClient.get(`/api/measures/${m.id}`)).json() as MeasureDetailOut
    expect(got.checkins).toHaveLength(1)
    expect(got.checkins[0]).toMatchObject({ temperature: 37.6, reporterRole: 'worker' })
    expect(got.duties?.checkinsMissing).toEqual(['pm'])
    const hot = await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      slot: 'pm',
      temperature: 45,
    })
    expect(hot.statusCode).toBe(400)
    expect(hot.json().error).toMatchObject({
      code: 'MEASURE_TEMPERATURE_OUT_OF_RANGE',
      field: 'temperature',
      params: { min: 34, max: 43 },
    })
    const word = await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      temperature: 'hot',
    })
    expect(word.statusCode).toBe(400)
    expect(word.json().error.field).toBe('temperature')
  })

  it('lets a resident report for their own household only', async () => {
    const mobile = phone()
    const mine = await buildResident(t, { gridId: grid.id, phone: mobile })
    const mate = await buildResident(t, { householdId: mine.householdId })
    const stranger = await buildResident(t, { gridId: grid.id })
    const mateMeasure = (
      await start(workerClient, mate.id, 'secondary_contact', localAt(-1))
    ).json() as MeasureDetailOut
    const strangerMeasure = (
      await start(workerClient, stranger.id, 'secondary_contact', localAt(-1))
    ).json() as MeasureDetailOut
    const account = await buildUser(t, { role: 'resident', scope: [grid], phone: mobile })
    const me = await loginAs(t, account.username)
    const ok = await me.send('POST', `/api/measures/${mateMeasure.id}/checkins`, {
      temperature: 36.6,
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().checkin.reporterRole).toBe('resident')
    expect((await me.get(`/api/residents/${mate.id}/measures`)).statusCode).toBe(200)
    const no = await me.send('POST', `/api/measures/${strangerMeasure.id}/checkins`, {
      temperature: 36.6,
    })
    expect(no.statusCode).toBe(403)
    expect(no.json().error.code).toBe('MEASURE_NOT_OWN_HOUSEHOLD')
    expect((await me.get(`/api/residents/${stranger.id}/measures`)).statusCode).toBe(403)
    // A resident sees no board.
    expect((await me.get('/api/measures')).statusCode).toBe(403)
  })

  it('shows whose check-in is missing today on the board', async () => {
    const r = await buildResident(t, { gridId: grid.id, name: '赵打卡' })
    const m = (
      await start(workerClient, r.id, 'secondary_contact', localAt(-1))
    ).json() as MeasureDetailOut
    const page = (
      await workerClient.get('/api/measures?list=checkin_missing&limit=200')
    ).json() as MeasurePage
    expect(page.items.find((i) => i.id === m.id)?.checkinsMissing).toEqual(['am', 'pm'])
    await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      slot: 'am',
      temperature: 36.4,
    })
    await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      slot: 'pm',
      temperature: 36.4,
    })
    const after = (
      await workerClient.get('/api/measures?list=checkin_missing&limit=200')
    ).json() as MeasurePage
    expect(after.items.map((i) => i.id)).not.toContain(m.id)
  })
})

describe('release and cancel', () => {
  it('releases a secondary contact whose tests were negative single tubes, audited, with a release notice', async () => {
    const r = await buildResident(t, { gridId: grid.id, name: '钱解除' })
    const m = (
      await start(workerClient, r.id, 'secondary_contact', localAt(-8))
    ).json() as MeasureDetailOut
    expect(m.plannedEnd).toBe(addDays(today(), -1))
    for (const d of [1, 4, 7]) await swab(r, localAt(-8 + d, 10), 'single', 'negative')
    const due = (
      await workerClient.get('/api/measures?list=release_due&limit=200')
    ).json() as MeasurePage
    expect(due.items.find((i) => i.id === m.id)).toMatchObject({ releaseDue: true, daysLeft: 0 })
    const checks = (await doctorClient.get(`/api/measures/${m.id}/release-checks`)).json()
    expect(checks).toEqual({ measureId: m.id, ok: true, problems: [] })
    const res = await doctorClient.send('POST', `/api/measures/${m.id}/release`, {
      note: '期满检测阴性',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'released',
      endReason: 'RELEASED',
      endedBy: doctor.username,
      duties: null,
    })
    const audit = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'measure.release' and target_id = ${m.id}`,
    )
    expect(audit[0]!.n).toBe(1)
    const notice = (await doctorClient.get(`/api/measures/${m.id}/notice?kind=release`)).json()
    expect(notice).toMatchObject({ title: '解除隔离管控通知书', releasedBy: doctor.username })
    expect(notice.duties[0]).toContain('解除管控')
    // Once released it cannot be released again, nor checked in.
    expect(
      (await doctorClient.send('POST', `/api/measures/${m.id}/release`, {})).json().error.code,
    ).toBe('MEASURE_NOT_ACTIVE')
    expect(
      (await workerClient.send('POST', `/api/measures/${m.id}/checkins`, { temperature: 36.5 }))
        .statusCode,
    ).toBe(409)
    // And a new measure of that kind may start.
    expect((await start(workerClient, r.id, 'secondary_contact', localAt(0, 0))).statusCode).toBe(
      201,
    )
  })

  it('refuses a release when a test day was only pooled, or symptoms were reported', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    const m = (
      await start(workerClient, r.id, 'secondary_contact', localAt(-8))
    ).json() as MeasureDetailOut
    await swab(r, localAt(-7, 10), 'single')
    await swab(r, localAt(-4, 10), 'pooled')
    await swab(r, localAt(-1, 10), 'single', null)
    await workerClient.send('POST', `/api/measures/${m.id}/checkins`, {
      temperature: 36.5,
      symptoms: ['cough'],
    })
    const checks = (await doctorClient.get(`/api/measures/${m.id}/release-checks`)).json()
    expect(checks.ok).toBe(false)
    expect(checks.problems.map((p: { code: string }) => p.code).sort()).toEqual(
      [
        'MEASURE_RELEASE_SYMPTOMS',
        'MEASURE_RELEASE_TEST_PENDING',
        'MEASURE_RELEASE_TEST_POOLED',
      ].sort(),
    )
  })

  it('cancels a measure started by mistake with a reason, audited; only who may release may cancel', async () => {
    const r = await buildResident(t, { gridId: grid.id })
    const m = (
      await start(workerClient, r.id, 'close_contact', localAt(-1))
    ).json() as MeasureDetailOut
    expect(
      (await workerClient.send('POST', `/api/measures/${m.id}/cancel`, { reason: '录错人' }))
        .statusCode,
    ).toBe(403)
    expect((await doctorClient.send('POST', `/api/measures/${m.id}/cancel`, {})).statusCode).toBe(
      400,
    )
    const res = await doctorClient.send('POST', `/api/measures/${m.id}/cancel`, {
      reason: '录错人了',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'cancelled',
      endReason: 'CANCELLED_MISTAKE',
      endNote: '录错人了',
    })
    const audit = await rows<{ reason: string }>(
      t.database.db,
      sql`select reason from audit_log where action = 'measure.cancel' and target_id = ${m.id}`,
    )
    expect(audit).toEqual([{ reason: '录错人了' }])
  })
})

describe('bad input', () => {
  it('answers unknown ids and malformed bodies with codes, never a 500', async () => {
    expect((await workerClient.get(`/api/measures/${crypto.randomUUID()}`)).json().error.code).toBe(
      'MEASURE_NOT_FOUND',
    )
    expect((await workerClient.get('/api/measures/not-a-uuid')).statusCode).toBe(400)
    const r = await buildResident(t, { gridId: grid.id })
    const bad = await start(workerClient, r.id, 'martian', localAt(-1))
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('category')
    const noZone = await start(workerClient, r.id, 'close_contact', '2026-02-30T10:00:00')
    expect(noZone.statusCode).toBe(400)
    expect(noZone.json().error.field).toBe('anchorAt')
  })
})
