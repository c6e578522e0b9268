import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { inTransaction, rows } from '../core/db/db.js'
import { addDays, localDate } from '../core/clock.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { measuresSection } from '../measures/measures.profile.js'
import { zonesSection } from '../zones/zones.profile.js'
import {
  bundledProfiles,
  profileSection,
  profileSectionAt,
  syncBundledProfiles,
} from './policy.service.js'

let t: TestApp
let chain: Chain
let admin: Client
let command: Client
let lead: Client
let worker: Client

const closeContactDays = async (at?: Date) => {
  const s = at
    ? await profileSectionAt(t.database.db, 'measures', measuresSection, at)
    : await profileSection(t.database.db, 'measures', measuresSection)
  return { profile: s.profile, days: s.settings.categories.close_contact?.phases[0]?.days, s }
}

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
  command = await loginAs(t, (await buildUser(t, 'command', [chain.street])).username)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
})
afterAll(async () => t?.close())

describe('the profile in force', () => {
  it('is v9 on a new deployment, with every bundled profile offered and its first activation', async () => {
    const res = await command.get('/api/policy/in-force')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      profile: { name: 'v9', overrideMode: 'floor', issued: '2022-06-27' },
      next: null,
      overrides: 0,
    })
    const list = (await lead.get('/api/policy/profiles')).json()
    expect(list.inForce).toBe('v9')
    expect(list.profiles.map((p: { name: string }) => p.name).sort()).toEqual([
      'new10',
      'opt20',
      'v9',
    ])
    expect(list.profiles[0].sections).toEqual(
      expect.arrayContaining(['checkpoints', 'measures', 'testing', 'tracing', 'zones']),
    )
    expect(list.activations).toMatchObject([
      { profile: 'v9', reason: 'initial', createdBy: 'system' },
    ])
    const one = (await lead.get('/api/policy/profiles/opt20')).json()
    expect(one.settings.zones.areaUnits).toEqual(['unit', 'building'])
    expect(one.versions).toHaveLength(1)
    expect((await lead.get('/api/policy/profiles/v10')).statusCode).toBe(404)
  })

  it('is readable by command and leads, not by grid workers; only admins change it', async () => {
    expect((await worker.get('/api/policy/in-force')).statusCode).toBe(403)
    expect((await worker.get('/api/policy/overrides')).statusCode).toBe(403)
    const body = { profile: 'opt20', reason: '国家发布二十条' }
    expect((await command.send('POST', '/api/policy/activations', body)).statusCode).toBe(403)
    expect((await lead.send('POST', '/api/policy/activations', body)).statusCode).toBe(403)
    const o = {
      profile: 'v9',
      section: 'measures',
      path: 'checkinsPerDay',
      value: 1,
      reason: 'x y',
    }
    expect((await lead.send('POST', '/api/policy/overrides', o)).statusCode).toBe(403)
  })

  it('diffs two profiles by dot path', async () => {
    const res = await command.get('/api/policy/diff?a=v9&b=opt20')
    expect(res.statusCode).toBe(200)
    const rows = res.json().rows as { path: string; a: unknown; b: unknown }[]
    expect(rows).toContainEqual({
      path: 'measures.categories.close_contact.phases.0.days',
      a: 7,
      b: 5,
    })
    expect(rows).toContainEqual({ path: 'profile.overrides.mode', a: 'floor', b: 'national' })
    expect(rows.find((r) => r.path === 'measures.categories.secondary_contact')).toMatchObject({
      b: null,
    })
    expect((await command.get('/api/policy/diff?a=v9&b=nope')).statusCode).toBe(404)
  })
})

describe('local overrides', () => {
  const add = (body: Record<string, unknown>) => admin.send('POST', '/api/policy/overrides', body)
  const base = {
    profile: 'v9',
    section: 'measures',
    path: 'categories.close_contact.phases.0.days',
    reason: '本区疫情形势',
  }

  it('refuses a path that does not exist, a value that breaks the schema, and a value equal to national', async () => {
    let res = await add({ ...base, path: 'categories.close_contact.phases.5.days', value: 9 })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'POLICY_OVERRIDE_PATH_UNKNOWN', field: 'path' })
    res = await add({ ...base, section: 'weather', value: 9 })
    expect(res.json().error).toMatchObject({ code: 'POLICY_SECTION_UNKNOWN', field: 'section' })
    res = await add({ ...base, value: 'seven', belowFloor: true })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'POLICY_OVERRIDE_INVALID',
      field: 'value',
      params: { section: 'measures', path: 'categories.close_contact.phases.0.days' },
    })
    // A phase of 4 days cannot keep its test on day 7.
    res = await add({ ...base, value: 4, belowFloor: true })
    expect(res.json().error).toMatchObject({
      code: 'POLICY_OVERRIDE_INVALID',
      params: { path: 'categories.close_contact.phases.0.testDays' },
    })
    res = await add({ ...base, value: 7 })
    expect(res.json().error).toMatchObject({ code: 'POLICY_OVERRIDE_SAME' })
    res = await add({ ...base, path: '__proto__.x', value: 1 })
    expect(res.statusCode).toBe(400)
  })

  it('under v9 a looser value needs belowFloor; stricter needs no flag; both show beside the national value', async () => {
    const res = await add({
      ...base,
      path: 'categories.close_contact.phases.0.testDays',
      value: [1, 3, 7],
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'POLICY_OVERRIDE_BELOW_FLOOR',
      field: 'belowFloor',
      params: { national: '[1,2,3,5,7]' },
    })
    const looser = await add({
      ...base,
      path: 'categories.close_contact.phases.1.testDays',
      value: [],
      belowFloor: true,
      reason: '居家监测期间上门采样力量不足',
    })
    expect(looser.statusCode).toBe(201)
    expect(looser.json()).toMatchObject({ flag: 'below_floor', national: [3], value: [] })
    const stricter = await add({ ...base, value: 10 })
    expect(stricter.statusCode).toBe(201)
    expect(stricter.json()).toMatchObject({
      flag: null,
      national: 7,
      createdBy: expect.any(String),
    })
    // One path, one override in force (and none inside it).
    expect((await add({ ...base, value: 9 })).statusCode).toBe(409)
    expect(
      (await add({ ...base, path: 'categories.close_contact.phases.0', value: {} })).json().error,
    ).toMatchObject({ code: 'POLICY_OVERRIDE_EXISTS' })

    const { days, s } = await closeContactDays()
    expect(days).toBe(10)
    expect(s.overrides).toEqual([
      expect.objectContaining({
        path: 'categories.close_contact.phases.1.testDays',
        value: [],
        national: [3],
        flag: 'below_floor',
        reason: '居家监测期间上门采样力量不足',
      }),
      expect.objectContaining({
        path: 'categories.close_contact.phases.0.days',
        value: 10,
        national: 7,
        flag: null,
        by: expect.any(String),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ])
    const list = (await command.get('/api/policy/overrides?profile=v9')).json()
    expect(list.items).toHaveLength(2)
    expect((await command.get('/api/policy/in-force')).json().overrides).toBe(2)
  })

  it('is withdrawn, not deleted: gone from the settings, kept on record with who and why', async () => {
    const list = (await command.get('/api/policy/overrides?profile=v9')).json()
    const id = list.items.find((o: { path: string }) => o.path.endsWith('0.days')).id
    const res = await admin.send('POST', `/api/policy/overrides/${id}/withdraw`, {
      reason: '形势好转',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      withdrawnReason: '形势好转',
      withdrawnAt: expect.any(String),
    })
    expect(
      (await admin.send('POST', `/api/policy/overrides/${id}/withdraw`, { reason: '再次' })).json()
        .error,
    ).toMatchObject({ code: 'POLICY_OVERRIDE_WITHDRAWN' })
    expect(
      (await admin.send('POST', '/api/policy/overrides/999999/withdraw', { reason: '无此条目' }))
        .statusCode,
    ).toBe(404)
    expect((await closeContactDays()).days).toBe(7)
    const all = (await command.get('/api/policy/overrides?profile=v9&withdrawn=true')).json()
    expect(all.items).toHaveLength(2)
    const [audit] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action like 'policy.override_%'`,
    )
    expect(audit!.n).toBe(3)
  })
})

describe('switching profiles', () => {
  it('refuses a day in the past and the profile already in force', async () => {
    const today = localDate(new Date())
    let res = await admin.send('POST', '/api/policy/activations', {
      profile: 'opt20',
      effectiveFrom: addDays(today, -1),
      reason: '补录',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'POLICY_EFFECTIVE_IN_PAST',
      field: 'effectiveFrom',
    })
    res = await admin.send('POST', '/api/policy/activations', { profile: 'v9', reason: '重复' })
    expect(res.statusCode).toBe(409)
    res = await admin.send('POST', '/api/policy/activations', { profile: 'x9', reason: '无此' })
    expect(res.statusCode).toBe(404)
  })

  it('takes effect from 00:00 of its day in the deployment zone, audited; the profile before holds until then', async () => {
    const tomorrow = addDays(localDate(new Date()), 1)
    const res = await admin.send('POST', '/api/policy/activations', {
      profile: 'opt20',
      effectiveFrom: tomorrow,
      reason: '国家发布二十条',
    })
    expect(res.statusCode).toBe(201)
    const from = new Date(res.json().effectiveFrom)
    expect(localDate(from)).toBe(tomorrow)
    expect(localDate(new Date(from.getTime() - 1))).toBe(addDays(tomorrow, -1))

    expect((await closeContactDays()).profile).toBe('v9')
    expect(await closeContactDays(new Date(from.getTime() - 1))).toMatchObject({
      profile: 'v9',
      days: 7,
    })
    expect(await closeContactDays(from)).toMatchObject({ profile: 'opt20', days: 5 })
    const inForce = (await command.get('/api/policy/in-force')).json()
    expect(inForce).toMatchObject({ profile: { name: 'v9' }, next: { profile: 'opt20' } })
    const [a] = await rows<{ reason: string; actor_name: string }>(
      t.database.db,
      sql`select reason, actor_name from audit_log where action = 'policy.activate' order by id desc limit 1`,
    )
    expect(a!.reason).toBe('国家发布二十条')

    // Effective now: in force at once; v9's overrides stay with v9.
    const now = await admin.send('POST', '/api/policy/activations', {
      profile: 'opt20',
      reason: '提前执行',
    })
    expect(now.statusCode).toBe(201)
    expect(await closeContactDays()).toMatchObject({ profile: 'opt20', days: 5 })
    expect((await closeContactDays()).s.overrides).toEqual([])
  })

  it('under opt20 a stricter override is flagged too (层层加码 was forbidden)', async () => {
    const body = {
      profile: 'opt20',
      section: 'measures',
      path: 'categories.close_contact.phases.0.days',
      value: 7,
      reason: '本地规定',
    }
    const res = await admin.send('POST', '/api/policy/overrides', body)
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'POLICY_OVERRIDE_STRICTER',
      field: 'stricter',
      params: { national: '5', profile: 'opt20' },
    })
    const ok = await admin.send('POST', '/api/policy/overrides', { ...body, stricter: true })
    expect(ok.statusCode).toBe(201)
    expect(ok.json().flag).toBe('stricter')
    const { days, s } = await closeContactDays()
    expect(days).toBe(7)
    expect(s.overrides[0]).toMatchObject({
      value: 7,
      national: 5,
      flag: 'stricter',
      reason: '本地规定',
    })
  })
})

describe('a changed bundled profile reaches an existing deployment', () => {
  it('an old v9 without the zones section gets the new content at the next start, keeping what is in force and the overrides', async () => {
    const db = t.database.db
    const v9 = bundledProfiles().find((p) => p.name === 'v9')!
    // The v9 row as an older release seeded it: testing only, no version.
    await db.execute(
      sql`update policy_profile set settings = ${JSON.stringify({
        testing: v9.settings.testing,
      })}::jsonb, content_hash = null where name = 'v9'`,
    )
    await expect(profileSectionAt(db, 'zones', zonesSection, new Date(0))).rejects.toMatchObject({
      status: 400,
      code: 'POLICY_PROFILE_INVALID',
    })
    const before = (await command.get('/api/policy/in-force')).json()
    const report = await inTransaction(db, (tx) => syncBundledProfiles(tx))
    expect(report.updated).toEqual([{ name: 'v9', from: null, to: expect.any(String) }])
    expect(report.unchanged.sort()).toEqual(['new10', 'opt20'])
    const zones = await profileSectionAt(db, 'zones', zonesSection, new Date(0))
    expect(zones).toMatchObject({ profile: 'v9', settings: { areaUnits: ['compound', 'village'] } })
    expect((await command.get('/api/policy/in-force')).json()).toEqual(before)
    const v = (await command.get('/api/policy/profiles/v9')).json()
    expect(v.versions).toHaveLength(2)
    expect((await command.get('/api/policy/overrides?profile=v9')).json().items).toHaveLength(1)
    // A second start finds nothing to do.
    const again = await inTransaction(db, (tx) => syncBundledProfiles(tx))
    expect(again.updated).toEqual([])
  })

  it('refuses to load a bundled profile that fails validation, naming the field', async () => {
    const bad = structuredClone(bundledProfiles().find((p) => p.name === 'opt20')!)
    ;(bad.settings.tracing as { clocks: { hours: number }[] }).clocks[0]!.hours = -2
    await expect(
      inTransaction(t.database.db, (tx) => syncBundledProfiles(tx, [bad])),
    ).rejects.toMatchObject({ status: 400, field: 'profile.tracing.clocks.0.hours' })
    expect(
      (await command.get('/api/policy/profiles/opt20')).json().settings.tracing.clocks[0].hours,
    ).toBe(2)
  })
})
