import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import { uuidv7 } from '../core/ids.js'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { createDivision } from '../core/tree/tree.service.js'
import type { DivisionOut } from '../core/tree/tree.schema.js'
import { bulkLoadResidents, type BulkResident } from '../registry/bulk.service.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'

/**
 * Issue 8, testing parts: who may run lab accounts and what a lab's token can undo (finding 2),
 * writes on objects wider than the caller's scope (6), ID-number probing (7), another grid's
 * household and the street round seen from a grid (14), the missed-list export's audit (1), and
 * malformed input that used to answer 500 (11).
 *
 * The tree: one street; community 1 (grids 1 and 2) and community 2 (grid 3). The street round
 * covers both communities.
 */
let t: TestApp
let chain: Chain
let grid3: DivisionOut
let admin: Client
let command: Client
let lead: Client
let lead2: Client
let worker: Client
let sampler: Client
let labToken: string
let roundId: string
let port: number
let seq = 500
function makeId(birth = '19800101'): string {
  seq += 1
  const first17 = `320102${birth}${String(seq).padStart(3, '0').slice(-3)}`
  return first17 + idCheckCharacter(first17)
}
function bulkId(i: number): string {
  const first17 = `320102195${Math.floor(i / 1000)}0202${String(i % 1000).padStart(3, '0')}`
  return first17 + idCheckCharacter(first17)
}
const people: { id: string; idNumber: string; code: string }[] = []
let elsewhere: { id: string; idNumber: string; household: string }
let emptyHousehold: string
let spare: { code: string }
let g1Households: { id: string }[]
const MISSED = 2400

async function households(
  c: Client,
  gridId: string,
  building: string,
  rooms = 3,
): Promise<{ id: string; label: string }[]> {
  const res = await c.send('POST', '/api/buildings/layout', {
    gridId,
    building,
    units: [1, 1],
    floors: [1, 2],
    roomsPerFloor: [1, rooms],
  })
  expect(res.statusCode, res.body).toBeLessThan(300)
  const b = (await c.get(`/api/grids/${gridId}/buildings`))
    .json()
    .items.find((x: { code: string }) => x.code === building)
  const u = (await c.get(`/api/buildings/${b.id}/units`)).json().items[0]
  return (await c.get(`/api/units/${u.id}/households`)).json().items
}
const scan = (person: string, tube: string, scannedAt = new Date().toISOString()) => ({
  clientId: crypto.randomUUID(),
  person,
  tube,
  scannedAt,
})
const lab = (results: unknown[]) =>
  t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${labToken}` },
    payload: { results },
  })
const count = async (q: ReturnType<typeof sql>): Promise<number> =>
  (await rows<{ n: number }>(t.database.db, q))[0]!.n
const b64 = (v: unknown): string =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  const sys = systemActor()
  const community2 = await createDivision(t.database.db, sys, {
    code: chain.street.code + '002',
    name: '第二社区',
    level: 'community',
    parentId: chain.street.id,
  })
  grid3 = await createDivision(t.database.db, sys, {
    code: `${community2.code}-G3`,
    name: '第三网格',
    level: 'grid',
    parentId: community2.id,
  })
  admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
  command = await loginAs(t, (await buildUser(t, 'command', [chain.street])).username)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  lead2 = await loginAs(t, (await buildUser(t, 'community_lead', [community2])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  sampler = await loginAs(t, (await buildUser(t, 'sampler', [chain.community])).username)
  const g1 = await households(lead, chain.grid.id, '1')
  g1Households = g1
  for (let i = 0; i < 10; i++) {
    const idNumber = makeId(`19${70 + i}0101`)
    const res = await lead.send('POST', '/api/residents', {
      householdId: g1[i % g1.length]!.id,
      name: `居民${i}甲`,
      idNumber,
      residenceType: 'registered',
    })
    expect(res.statusCode, res.body).toBe(200)
    const id = res.json().resident.id
    people.push({
      id,
      idNumber,
      code: (await lead.send('POST', `/api/residents/${id}/code`)).json().token,
    })
  }
  const more = await lead.send('POST', '/api/residents', {
    householdId: g1[0]!.id,
    name: '新来的',
    idNumber: makeId('19920202'),
    residenceType: 'tenant',
  })
  spare = {
    code: (await lead.send('POST', `/api/residents/${more.json().resident.id}/code`)).json().token,
  }
  const g3 = await households(lead2, grid3.id, '3', 2)
  const idNumber = makeId('19660606')
  const res = await lead2.send('POST', '/api/residents', {
    householdId: g3[0]!.id,
    name: '欧阳娜娜',
    idNumber,
    residenceType: 'registered',
  })
  elsewhere = { id: res.json().resident.id, idNumber, household: g3[0]!.label }
  emptyHousehold = g3[1]!.id
  // Many missed people in grid 2, for an export that takes a while to stream.
  const g2 = await households(lead, chain.grid2.id, '2', 4)
  const bulk: BulkResident[] = []
  for (let i = 0; i < MISSED; i++) {
    const h = g2[i % g2.length]!
    bulk.push({
      id: uuidv7(),
      householdId: h.id,
      gridId: chain.grid2.id,
      gridPath: chain.grid2.path,
      sortKey: `0002|0001|${h.label}`,
      name: `漏检${i}`,
      idNumber: bulkId(i),
      phone: `139${String(i).padStart(8, '0')}`,
      sex: 'female',
      birthDate: '1980-02-02',
      relation: 'head',
      residenceType: 'registered',
      tags: [],
    })
  }
  await bulkLoadResidents(t.database, t.ring, bulk, 'seed')
  const created = await admin.send('POST', '/api/labs', {
    name: `市疾控检测所-${crypto.randomBytes(2).toString('hex')}`,
  })
  expect(created.statusCode, created.body).toBe(201)
  labToken = created.json().token
  const round = await command.send('POST', '/api/rounds', {
    name: '街道全员核酸',
    kind: 'area',
    divisionIds: [chain.street.id],
    deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
    poolSize: 10,
  })
  expect(round.statusCode, round.body).toBe(201)
  roundId = round.json().id
  const addr = await t.app.listen({ port: 0, host: '127.0.0.1' })
  port = Number(new URL(addr).port) || (t.app.server.address() as AddressInfo).port
}, 180_000)
afterAll(async () => t?.close())

describe('finding 2: lab accounts are deployment-level, and a lab cannot clear a positive pool', () => {
  it('lets only an admin create, list and revoke lab accounts (a lead’s or a command’s testing:manage is not enough)', async () => {
    for (const c of [lead, command]) {
      expect(
        (
          await c.send('POST', '/api/labs', {
            name: `私设检测所-${crypto.randomBytes(2).toString('hex')}`,
          })
        ).statusCode,
      ).toBe(403)
      expect((await c.get('/api/labs')).statusCode).toBe(403)
    }
    const spare = await admin.send('POST', '/api/labs', {
      name: `备用检测所-${crypto.randomBytes(2).toString('hex')}`,
    })
    expect(spare.statusCode).toBe(201)
    expect((await lead.send('POST', `/api/labs/${spare.json().id}/revoke`)).statusCode).toBe(403)
    expect((await admin.get('/api/labs')).json().items.map((l: { id: string }) => l.id)).toContain(
      spare.json().id,
    )
    expect((await admin.send('POST', `/api/labs/${spare.json().id}/revoke`)).statusCode).toBe(204)
    expect(
      await count(
        sql`select count(*)::int as n from lab_account where id = ${spare.json().id} and revoked_at is not null`,
      ),
    ).toBe(1)
  })

  it('keeps a positive pool positive when a later negative comes marked as a retest: a conflict for a person, rechecks still open', async () => {
    const scans = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: people.map((p) => scan(p.code, 'SEC-POOL-1')),
    })
    expect(scans.json().results.every((r: { status: string }) => r.status === 'accepted')).toBe(
      true,
    )
    expect((await lab([{ tubeCode: 'SEC-POOL-1', result: 'positive' }])).json()).toMatchObject({
      applied: 1,
      rechecksOrdered: 10,
    })
    const retest = await lab([{ tubeCode: 'SEC-POOL-1', result: 'negative', retest: true }])
    expect(retest.statusCode).toBe(200)
    expect(retest.json()).toMatchObject({
      applied: 0,
      cleared: 0,
      conflicts: 1,
      problems: [{ tubeCode: 'SEC-POOL-1', outcome: 'conflict' }],
    })
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-POOL-1' and result = 'positive'`,
      ),
    ).toBe(1)
    expect(
      await count(
        sql`select count(*)::int as n from specimen s join tube t on t.id = s.tube_id where t.code = 'SEC-POOL-1' and s.state = 'pool_positive'`,
      ),
    ).toBe(10)
    const rechecks = (await worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(rechecks.filter((o: { status: string }) => o.status === 'ordered')).toHaveLength(10)
    // The conflict is listed on the round for those who hold its people, and counted in the progress.
    const listed = (await lead.get(`/api/rounds/${roundId}/conflicts`)).json().items
    expect(listed).toEqual([
      expect.objectContaining({
        tubeCode: 'SEC-POOL-1',
        held: 'positive',
        incoming: 'negative',
        retest: true,
        status: 'open',
        members: 10,
      }),
    ])
    expect((await worker.get(`/api/rounds/${roundId}/progress`)).json().counters.conflicts).toBe(1)
    expect((await lead2.get(`/api/rounds/${roundId}/conflicts`)).json().items).toEqual([])
    // Sending the same retest again opens no second conflict.
    await lab([{ tubeCode: 'SEC-POOL-1', result: 'negative', retest: true }])
    expect(
      await count(
        sql`select count(*)::int as n from result_conflict c join tube t on t.id = c.tube_id where t.code = 'SEC-POOL-1' and c.status = 'open'`,
      ),
    ).toBe(1)
  })

  it('lets a person whose scope holds the whole tube resolve the conflict, audited with their note', async () => {
    const [c] = (await lead.get(`/api/rounds/${roundId}/conflicts`)).json().items
    const path = `/api/rounds/${roundId}/conflicts/${c.id}/resolve`
    expect(
      (await worker.send('POST', path, { decision: 'accept', note: '检测所电话确认' })).statusCode,
    ).toBe(403) // no results permission
    const outside = await lead2.send('POST', path, { decision: 'accept', note: '检测所电话确认' })
    expect(outside.statusCode).toBe(403)
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE')
    expect((await lead.send('POST', path, { decision: 'accept' })).statusCode).toBe(400)
    const kept = await lead.send('POST', path, { decision: 'keep', note: '复检结果存疑，维持阳性' })
    expect(kept.statusCode, kept.body).toBe(200)
    expect(kept.json()).toMatchObject({ status: 'kept', resolvedBy: expect.any(String) })
    expect(
      (await lead.send('POST', path, { decision: 'accept', note: '再次尝试' })).statusCode,
    ).toBe(409)
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-POOL-1' and result = 'positive'`,
      ),
    ).toBe(1)
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'testing.conflict_resolve' and reason = '复检结果存疑，维持阳性'`,
      ),
    ).toBe(1)
    expect((await worker.get(`/api/rounds/${roundId}/progress`)).json().counters.conflicts).toBe(0)
  })

  it('applies a positive that follows a negative at once (从严): the pool is rechecked, and a person resolves the conflict', async () => {
    const res = await lead.send('POST', '/api/residents', {
      householdId: g1Households[1]!.id,
      name: '后补采样',
      idNumber: makeId('19930303'),
      residenceType: 'registered',
    })
    const code = (await lead.send('POST', `/api/residents/${res.json().resident.id}/code`)).json()
      .token
    await sampler.send('POST', `/api/rounds/${roundId}/scans`, { scans: [scan(code, 'SEC-ACC-1')] })
    expect((await lab([{ tubeCode: 'SEC-ACC-1', result: 'negative' }])).json()).toMatchObject({
      applied: 1,
      cleared: 1,
    })
    // domain.md §5: the safer result holds until a person resolves it; a later positive is the safer one.
    expect((await lab([{ tubeCode: 'SEC-ACC-1', result: 'positive' }])).json()).toMatchObject({
      applied: 1,
      conflicts: 1,
      rechecksOrdered: 1,
    })
    const c = (await lead.get(`/api/rounds/${roundId}/conflicts`))
      .json()
      .items.find((x: { tubeCode: string }) => x.tubeCode === 'SEC-ACC-1')
    expect(c).toMatchObject({ held: 'positive', incoming: 'negative', status: 'open' })
    const kept = await lead.send('POST', `/api/rounds/${roundId}/conflicts/${c.id}/resolve`, {
      decision: 'keep',
      note: '检测所来电更正为阳性',
    })
    expect(kept.json()).toMatchObject({ status: 'kept' })
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-ACC-1' and result = 'positive'`,
      ),
    ).toBe(1)
    expect(
      await count(
        sql`select count(*)::int as n from recheck_order o join tube t on t.id = o.source_tube_id where t.code = 'SEC-ACC-1' and o.status = 'ordered'`,
      ),
    ).toBe(1)
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'testing.conflict_resolve' and reason = '检测所来电更正为阳性'`,
      ),
    ).toBe(1)
  })
})

describe('finding 7: ID numbers typed in for people outside the caller’s scope', () => {
  it('samples a person outside the sampler’s scope with a warning and an audit entry, naming them by masked name only', async () => {
    const res = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(elsewhere.idNumber, 'SEC-POOL-2')],
    })
    const [r] = res.json().results
    expect(r).toMatchObject({ status: 'accepted', person: { name: '欧**娜', household: null } })
    expect(r.warnings).toContain('outside_sampler_scope')
    expect(res.body).not.toContain(elsewhere.household)
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'testing.scan_outside_scope' and target_id = ${roundId} and scope_path = ${grid3.path}`,
      ),
    ).toBe(1)
    // The sampler's own people: full household, no warning.
    const own = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scan(people[0]!.code, 'SEC-POOL-3')],
    })
    expect(own.json().results[0].warnings).not.toContain('outside_sampler_scope')
    expect(own.json().results[0].person.household).toEqual(expect.any(String))
  })

  it('answers a key-group add the same for a number registered elsewhere and one registered nowhere', async () => {
    const group = (
      await lead.send('POST', '/api/key-groups', {
        name: '快递员',
        kind: 'delivery',
        frequency: 'daily',
        divisionId: chain.community.id,
      })
    ).json()
    const res = await lead.send('POST', `/api/key-groups/${group.id}/members`, {
      idNumbers: [elsewhere.idNumber, makeId('19910303')],
    })
    expect(res.statusCode).toBe(200)
    const [a, b] = res.json().rejected
    expect(a.reason).toBe(b.reason)
    expect(res.json()).toMatchObject({ added: 0 })
  })
})

describe('finding 6: writes on objects wider than the caller’s scope', () => {
  it('refuses a community lead closing a street-wide round (audited); sampling elsewhere goes on', async () => {
    const res = await lead.send('POST', `/api/rounds/${roundId}/close`)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
    expect((await command.get(`/api/rounds/${roundId}/progress`)).json().round.status).toBe('open')
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'access.out_of_scope' and target_id = ${roundId}`,
      ),
    ).toBeGreaterThanOrEqual(1)
  })

  it('lets a lead remove only the members of a street-wide key group who live in their community', async () => {
    const group = (
      await command.send('POST', '/api/key-groups', {
        name: '冷链从业人员',
        kind: 'cold_chain',
        frequency: 'daily',
        divisionId: chain.street.id,
      })
    ).json()
    const added = await command.send('POST', `/api/key-groups/${group.id}/members`, {
      idNumbers: [people[1]!.idNumber, elsewhere.idNumber],
    })
    expect(added.json()).toMatchObject({ added: 2 })
    const far = await lead.send('DELETE', `/api/key-groups/${group.id}/members/${elsewhere.id}`)
    expect(far.statusCode).toBe(403)
    expect(
      await count(
        sql`select count(*)::int as n from key_group_member where group_id = ${group.id}`,
      ),
    ).toBe(2)
    expect(
      (await lead.send('DELETE', `/api/key-groups/${group.id}/members/${people[1]!.id}`))
        .statusCode,
    ).toBe(204)
    expect(
      (await command.send('DELETE', `/api/key-groups/${group.id}/members/${elsewhere.id}`))
        .statusCode,
    ).toBe(204)
  })

  it('refuses closing by hand a tube someone else opened that holds people outside the caller’s scope', async () => {
    expect(
      (
        await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
          scans: [scan(spare.code, 'SEC-POOL-4')],
        })
      ).json().results[0].status,
    ).toBe('accepted')
    const other = await loginAs(t, (await buildUser(t, 'sampler', [grid3])).username)
    const res = await other.send('POST', `/api/rounds/${roundId}/tubes/SEC-POOL-4/close`)
    expect(res.statusCode).toBe(403)
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-POOL-4' and status = 'open'`,
      ),
    ).toBe(1)
    // A tube holding only their own people they may close, whoever opened it.
    expect(
      (await other.send('POST', `/api/rounds/${roundId}/tubes/SEC-POOL-2/close`)).statusCode,
    ).toBe(200)
  })
})

describe('finding 14: another grid’s household, and a street round seen from a grid', () => {
  it('refuses the cards of another grid’s empty household', async () => {
    const res = await worker.get(`/api/households/${emptyHousehold}/cards`)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
  })

  it('counts only the worker’s part of the tubes and of the overdue tubes', async () => {
    // SEC-POOL-2 holds community 2's resident, closed without a result: make it overdue.
    await t.database.db.execute(
      sql`update tube set closed_at = now() - interval '30 hours' where code = 'SEC-POOL-2'`,
    )
    const mine = (await worker.get(`/api/rounds/${roundId}/progress`)).json()
    const all = (await command.get(`/api/rounds/${roundId}/progress`)).json()
    expect(all.overdueTubes).toBe(1)
    expect(mine.overdueTubes).toBe(0)
    // Closed: the pools SEC-POOL-1 and SEC-ACC-1, community 2's SEC-POOL-2, the recheck tube SEC-POOL-3; open: SEC-POOL-4.
    expect(all.counters).toMatchObject({ tubesClosed: 4, tubesOpen: 1 })
    expect(mine.counters).toMatchObject({ tubesClosed: 3, tubesOpen: 1 })
    expect(mine.turnaround.reduce((n: number, b: { tubes: number }) => n + b.tubes, 0)).toBe(2)
  })
})

describe('finding 11: malformed input answers 400 naming the field', () => {
  it('refuses forged keyset cursors on the missed list', async () => {
    for (const after of [
      b64({ gridPath: 1 }),
      b64({ gridPath: '/x/', sortKey: 'a', id: 'not-a-uuid' }),
      b64('[]'),
      b64('null'),
      'e30',
    ]) {
      const res = await lead.get(`/api/rounds/${roundId}/missed?after=${after}`)
      expect(res.statusCode, after).toBe(400)
      expect(res.json().error).toMatchObject({ code: 'MISSED_CURSOR_INVALID', field: 'after' })
    }
  })

  it('refuses prototype names as a missed reason or a key-group frequency', async () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const reason = await worker.send('PUT', `/api/rounds/${roundId}/missed/${people[2]!.id}`, {
        reason: name,
      })
      expect(reason.statusCode, name).toBe(400)
      expect(reason.json().error.field).toBe('reason')
      const freq = await lead.send('POST', '/api/key-groups', {
        name: 'x',
        kind: 'custom',
        frequency: name,
        divisionId: chain.community.id,
      })
      expect(freq.statusCode, name).toBe(400)
      expect(freq.json().error.field).toBe('frequency')
    }
    const word = await lab([{ tubeCode: 'SEC-POOL-3', result: 'constructor' }])
    expect(word.json()).toMatchObject({
      rejected: 1,
      applied: 0,
      problems: [
        { code: 'RESULT_WORD_UNKNOWN', field: 'result', params: { value: 'constructor' } },
      ],
    })
  })

  it('refuses extreme and impossible dates in rounds, scans and lab results', async () => {
    const deadline = new Date(Date.now() + 3_600_000).toISOString()
    for (const startsAt of ['0000-01-01T00:00:00Z', '1900-01-01T00:00:00Z']) {
      const res = await lead.send('POST', '/api/rounds', {
        name: 'x',
        kind: 'routine',
        divisionIds: [chain.grid.id],
        startsAt,
        deadline,
      })
      expect(res.statusCode, startsAt).toBe(400)
      expect(res.json().error.field).toBe('startsAt')
    }
    const scans = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: ['-271821-04-20T00:00:00Z', '0000-00-00', '2026-02-31T08:00:00Z', '275760-09-13'].map(
        (at, i) => scan(people[3 + i]!.code, `SEC-DATE-${i + 1}`, at),
      ),
    })
    expect(scans.statusCode, scans.body).toBe(200)
    expect(
      scans
        .json()
        .results.map((r: { status: string; error?: { field: string } }) => [
          r.status,
          r.error?.field,
        ]),
    ).toEqual(Array(4).fill(['rejected', 'scannedAt']))
    const results = await lab([
      { tubeCode: 'SEC-POOL-3', result: 'negative', resultedAt: '275760-09-13' },
      { tubeCode: 'SEC-POOL-3', result: 'negative', resultedAt: '-271821-04-20T00:00:00Z' },
    ])
    expect(results.statusCode).toBe(200)
    expect(results.json()).toMatchObject({
      rejected: 2,
      applied: 0,
      problems: [
        { rowNo: 1, code: 'RESULT_TIME_INVALID', field: 'resultedAt' },
        { rowNo: 2, code: 'RESULT_TIME_INVALID' },
      ],
    })
  })
})

describe('finding 1: the missed-list export is audited before its first byte', () => {
  /** A real HTTP download that the client abandons after the first body chunk. */
  function abandonAfterFirstChunk(c: Client, path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path, headers: { cookie: c.cookie } },
        (res) => {
          res.once('data', () => {
            req.destroy()
            resolve(res.statusCode ?? 0)
          })
        },
      )
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)))
    })
  }
  const entries = (action: string, since: number) =>
    rows<{ id: number; scope_path: string | null; detail: Record<string, unknown> }>(
      t.database.db,
      sql`select id, scope_path, detail from audit_log where action = ${action} and id > ${since} order by id`,
    )

  it('leaves the started entry (who, filter, columns) and an abort when the client stops after the first chunk', async () => {
    const since = await count(sql`select coalesce(max(id), 0)::int as n from audit_log`)
    expect(
      await abandonAfterFirstChunk(
        lead,
        `/api/rounds/${roundId}/missed.xlsx?grid=${encodeURIComponent(chain.grid2.path)}`,
      ),
    ).toBe(200)
    // Committed before the first byte: no waiting for it.
    const [started] = await entries('testing.missed_export', since)
    expect(started).toMatchObject({
      scope_path: chain.grid2.path,
      detail: {
        filter: { roundId, grid: chain.grid2.path },
        columns: expect.arrayContaining(['姓名', '联系电话']),
        masked: true,
      },
    })
    await expect
      .poll(
        async () => (await entries('testing.export_aborted', since)).map((e) => e.detail.exportId),
        { timeout: 10_000 },
      )
      .toEqual([started!.detail.exportId])
    expect(
      (await entries('testing.export_completed', since)).filter(
        (e) => e.detail.exportId === started!.detail.exportId,
      ),
    ).toEqual([])
  }, 30_000)

  it('records completion with the row count after a full download', async () => {
    const since = await count(sql`select coalesce(max(id), 0)::int as n from audit_log`)
    const res = await worker.get(`/api/rounds/${roundId}/missed.xlsx`)
    expect(res.statusCode).toBe(200)
    const [started] = await entries('testing.missed_export', since)
    expect(started).toMatchObject({ scope_path: chain.grid.path })
    await expect
      .poll(async () =>
        (await entries('testing.export_completed', since)).map((e) => e.detail.rows),
      )
      .toEqual([expect.any(Number)])
  })
})

describe('the results report and the missed-list export are written in the requester’s language', () => {
  const rejectedReason = async (headers: Record<string, string>, query = ''): Promise<unknown> => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/lab/results${query}`,
      headers: { authorization: `Bearer ${labToken}`, ...headers },
      payload: { results: [{ tubeCode: 'SEC-NOSUCH-77', result: '阴性' }] },
    })
    expect(res.statusCode, res.body).toBe(200)
    return res.json().problems[0]
  }

  it('gives each rejected row its code and field, and its reason in Chinese by default, in English when asked', async () => {
    expect(await rejectedReason({})).toEqual({
      rowNo: 1,
      tubeCode: 'SEC-NOSUCH-77',
      outcome: 'rejected',
      code: 'RESULT_TUBE_UNKNOWN',
      field: 'tubeCode',
      reason: '没有这个管码',
    })
    expect(await rejectedReason({ 'accept-language': 'en-US,en;q=0.9' })).toMatchObject({
      code: 'RESULT_TUBE_UNKNOWN',
      reason: 'Unknown tube code',
    })
    expect(await rejectedReason({}, '?lang=en')).toMatchObject({ reason: 'Unknown tube code' })
  })

  async function exported(
    query: string,
    headers: Record<string, string> = {},
  ): Promise<string[][]> {
    const res = await worker.get(`/api/rounds/${roundId}/missed.xlsx${query}`, headers)
    expect(res.statusCode, res.body).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const out: string[][] = []
    ws.eachRow((row) =>
      out.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) => (v === null || v === undefined ? '' : String(v))),
      ),
    )
    return out
  }

  it('writes the missed list’s sheet, headers and reasons in Chinese by default and in English with lang=en', async () => {
    const res = await lead.send('POST', '/api/residents', {
      householdId: g1Households[2]!.id,
      name: '上门对象',
      idNumber: makeId('19400404'),
      residenceType: 'registered',
    })
    expect(res.statusCode, res.body).toBe(200)
    const booked = await worker.send(
      'PUT',
      `/api/rounds/${roundId}/missed/${res.json().resident.id}`,
      { reason: 'door_to_door' },
    )
    expect(booked.statusCode, booked.body).toBe(200)
    const zh = await exported('')
    // A title row (the round, when it was taken), then the headers.
    expect(zh[0]![0]).toMatch(/漏检名单（导出时间 /)
    expect(zh[1]).toEqual([
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
    expect(zh.find((r) => r[2] === '上门对象')?.[5]).toBe('预约上门采样')
    const en = await exported('?lang=en')
    expect(en[1]).toEqual([
      'Grid',
      'Address',
      'Name',
      'Age',
      'Phone',
      'Reason',
      'Action',
      'Found at the door (fill in)',
      'Note',
    ])
    expect(en.find((r) => r[2] === '上门对象')?.[5]).toBe('Door-to-door visit booked')
    expect((await exported('', { 'accept-language': 'en' }))[1]![0]).toBe('Grid')
  })
})

describe('finding 2: a result file uploaded by hand reaches only tubes wholly inside the uploader’s scope', () => {
  const boundary = 'wgsec'
  const upload = (c: Client, content: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/results/upload',
      headers: {
        cookie: c.cookie,
        'x-csrf-token': c.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="lab"\r\n\r\n手工录入\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="结果.csv"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    })

  it('treats another community’s tube like an unknown one and leaves it untouched', async () => {
    const scans = await sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: people.slice(0, 3).map((p) => scan(p.code, 'SEC-HAND-1')),
    })
    expect(scans.statusCode, scans.body).toBe(200)
    const res = await upload(lead2, '管码,结果,复检\nSEC-HAND-1,阳性,是\nSEC-NOSUCH-9,阳性,\n')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      applied: 0,
      rejected: 2,
      poolPositiveTubes: 0,
      rechecksOrdered: 0,
    })
    const reasons = res.json().problems.map((p: { reason: string }) => p.reason)
    expect(reasons[0]).toBe(reasons[1]) // the same answer as for a tube that does not exist
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-HAND-1' and result is null`,
      ),
    ).toBe(1)
    // The lead whose community holds every swab of the tube may.
    const own = await upload(lead, '管码,结果\nSEC-HAND-1,阴性\n')
    expect(own.json()).toMatchObject({ applied: 1, rejected: 0 })
  })
})

describe('finding 11: a lab’s result file with an unusable name', () => {
  it('answers 400 naming the file for `..` and `/`, and keeps no file of it', async () => {
    const uploads = `${t.config.dataDir}/uploads`
    const ours = (): string[] =>
      fs.existsSync(uploads)
        ? fs.readdirSync(uploads).filter((e) => e.startsWith(`${process.pid}-`))
        : []
    const before = ours()
    for (const name of ['..', '/', '.']) {
      const boundary = 'wgname'
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/lab/results/file',
        headers: {
          authorization: `Bearer ${labToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n管码,结果\nSEC-X,阴性\r\n--${boundary}--\r\n`,
        ),
      })
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400)
      expect(res.json().error).toMatchObject({
        code: expect.stringMatching(/^UPLOAD_(NO|BAD)_NAME$/),
        field: 'file',
      })
    }
    expect(ours()).toEqual(before)
  })

  it('refuses a lab file without a valid token before storing any of it (401 LAB_TOKEN_REQUIRED)', async () => {
    const uploads = `${t.config.dataDir}/uploads`
    const ours = (): string[] =>
      fs.existsSync(uploads)
        ? fs.readdirSync(uploads).filter((e) => e.startsWith(`${process.pid}-`))
        : []
    const before = ours()
    const boundary = 'wgnotoken'
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="结果.csv"\r\nContent-Type: text/csv\r\n\r\n管码,结果\nSEC-POOL-1,阴性\r\n--${boundary}--\r\n`,
    )
    for (const authorization of [undefined, 'Bearer wglab_nope', `Basic ${labToken}`]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/lab/results/file',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(authorization ? { authorization } : {}),
        },
        payload,
      })
      expect(res.statusCode, String(authorization)).toBe(401)
      expect(res.json().error.code).toBe('LAB_TOKEN_REQUIRED')
    }
    expect(ours()).toEqual(before)
    expect(
      await count(
        sql`select count(*)::int as n from tube where code = 'SEC-POOL-1' and result = 'positive'`,
      ),
    ).toBe(1)
  })
})
