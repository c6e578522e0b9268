import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../core/audit/audit.service.js'
import { rows } from '../core/db/db.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { buildHousehold, buildIdNumber, buildResident, buildRound } from '../../test/factories.js'

/*
 * Walk-ins (issue 10 §4): a person not in the registry is registered provisionally at a round's
 * sampling desk, given a code and swabbed; grid workers reconcile them later (confirm into a
 * household, merge into a registered resident, or mark passing through), each audited.
 */

let t: TestApp
let a: Chain
let b: Chain
let sampler: Client
let workerA: Client
let workerA2: Client
let workerB: Client
let roundId: string
let roundB: string

const walkIn = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: '过路人',
  idNumber: buildIdNumber(),
  phone: '13900001111',
  address: '幸福路8号临时租住',
  ...over,
})

/** The full-width, spaced form a phone keyboard produces of an ID number. */
const fullWidth = (id: string): string =>
  [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('') + ' '

const scan = (c: Client, round: string, person: string, tube: string) =>
  c.send('POST', `/api/rounds/${round}/scans`, {
    scans: [
      {
        clientId: `c-${Math.random().toString(36).slice(2, 12)}`,
        person,
        tube,
        scannedAt: new Date().toISOString(),
      },
    ],
  })

beforeAll(async () => {
  t = await createTestApp()
  a = await buildChain(t)
  b = await buildChain(t)
  sampler = await loginAs(t, (await buildUser(t, 'sampler', [a.community])).username)
  workerA = await loginAs(t, (await buildUser(t, 'grid_worker', [a.grid])).username)
  workerA2 = await loginAs(t, (await buildUser(t, 'grid_worker', [a.grid2])).username)
  workerB = await loginAs(t, (await buildUser(t, 'grid_worker', [b.grid])).username)
  roundId = (await buildRound(t, { divisionIds: [a.community.id] })).id
  roundB = (await buildRound(t, { divisionIds: [b.community.id] })).id
})
afterAll(async () => t.close())

describe('POST /api/rounds/:id/walk-ins', () => {
  it('registers a walk-in with a code; a retry with the same document is the same person', async () => {
    const id = buildIdNumber()
    const body = walkIn({ idNumber: id, gridId: a.grid.id, name: '王小明' })
    const first = await sampler.send('POST', `/api/rounds/${roundId}/walk-ins`, body)
    expect(first.statusCode).toBe(200)
    const p = first.json()
    expect(p).toMatchObject({ outcome: 'created', name: '王*明' })
    expect(p.code).toMatch(/^WG/)
    // A phone keyboard's full-width digits and a trailing space are the same document.
    const again = await sampler.send('POST', `/api/rounds/${roundId}/walk-ins`, {
      ...body,
      idNumber: fullWidth(id),
    })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({
      outcome: 'existing',
      residentId: p.residentId,
      code: p.code,
    })
    const entries = await listAudit(t.database.db, {
      action: 'resident.walk_in',
      targetId: p.residentId,
      limit: 10,
    })
    expect(entries).toHaveLength(1)
    // Stored sealed, like a resident's: no plain ID number or phone in the row.
    const [row] = await rows<{ id_enc: string; phone_enc: string; status: string }>(
      t.database.db,
      sql`select id_enc, phone_enc, status from resident where id = ${p.residentId}`,
    )
    expect(row!.status).toBe('provisional')
    expect(row!.id_enc).not.toContain(id)
    expect(row!.phone_enc).not.toContain('13900001111')
  })

  it('lets the sampler go straight on to the tube with the code', async () => {
    const p = (
      await sampler.send('POST', `/api/rounds/${roundId}/walk-ins`, walkIn({ gridId: a.grid.id }))
    ).json()
    const res = await scan(sampler, roundId, p.code, `WALK${Date.now()}`)
    expect(res.statusCode).toBe(200)
    expect(res.json().results[0]).toMatchObject({ status: 'accepted' })
  })

  it('names the field of every refusal', async () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [walkIn({ address: undefined }), 'gridId', 'WALK_IN_WHERE_REQUIRED'],
      [walkIn({ gridId: a.grid.id, address: '  ' }), 'address', 'WALK_IN_ADDRESS_REQUIRED'],
      [walkIn({ gridId: a.community.id }), 'gridId', 'WALK_IN_NOT_A_GRID'],
      [walkIn({ gridId: a.grid.id, idNumber: '110105194912310021' }), 'idNumber', undefined],
      [walkIn({ gridId: a.grid.id, phone: '12345' }), 'phone', undefined],
      [walkIn({ gridId: a.grid.id, name: '' }), 'name', undefined],
      [
        walkIn({ gridId: a.grid.id, householdId: crypto.randomUUID() }),
        'householdId',
        'HOUSEHOLD_NOT_FOUND',
      ],
    ]
    for (const [body, field, code] of cases) {
      const res = await sampler.send('POST', `/api/rounds/${roundId}/walk-ins`, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().error.field).toBe(field)
      if (code) expect(res.json().error.code).toBe(code)
    }
  })

  it('keeps the placement and the round inside the sampler’s scope', async () => {
    const elsewhere = await sampler.send(
      'POST',
      `/api/rounds/${roundId}/walk-ins`,
      walkIn({ gridId: b.grid.id }),
    )
    expect(elsewhere.statusCode).toBe(403)
    const otherRound = await sampler.send(
      'POST',
      `/api/rounds/${roundB}/walk-ins`,
      walkIn({ gridId: a.grid.id }),
    )
    expect(otherRound.statusCode).toBe(403)
    // A building head has no desk.
    const head = await loginAs(t, (await buildUser(t, 'building_head', [a.grid])).username)
    expect(
      (await head.send('POST', `/api/rounds/${roundId}/walk-ins`, walkIn({ gridId: a.grid.id })))
        .statusCode,
    ).toBe(403)
  })

  it('answers a registered resident’s document with their code, changing nothing of them', async () => {
    const r = await buildResident(t, { gridId: b.grid.id, name: '赵大同' })
    const res = await sampler.send(
      'POST',
      `/api/rounds/${roundId}/walk-ins`,
      walkIn({ idNumber: r.idNumber, gridId: a.grid.id, name: '别的名字' }),
    )
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ outcome: 'registered', residentId: r.id, name: '赵*同' })
    const [row] = await rows<{ name: string; status: string }>(
      t.database.db,
      sql`select name, status from resident where id = ${r.id}`,
    )
    expect(row).toEqual({ name: '赵大同', status: 'active' })
  })

  it('does not put provisional people in the denominator of the round’s missed list', async () => {
    const p = (
      await sampler.send(
        'POST',
        `/api/rounds/${roundId}/walk-ins`,
        walkIn({ gridId: a.grid.id, name: '不计入' }),
      )
    ).json()
    const lead = await loginAs(t, (await buildUser(t, 'community_lead', [a.community])).username)
    const missed = (await lead.get(`/api/rounds/${roundId}/missed?limit=500`)).json()
    expect(missed.items.map((m: { residentId: string }) => m.residentId)).not.toContain(
      p.residentId,
    )
  })
})

describe('reconciling walk-ins', () => {
  async function register(
    over: Record<string, unknown> = {},
  ): Promise<{ residentId: string; code: string }> {
    const res = await sampler.send(
      'POST',
      `/api/rounds/${roundId}/walk-ins`,
      walkIn({ gridId: a.grid.id, ...over }),
    )
    expect(res.statusCode).toBe(200)
    return res.json()
  }

  it('lists open walk-ins of the grid to its grid workers only, masked', async () => {
    const p = await register({ name: '列表人', phone: '13712345678' })
    const mine = (await workerA.get('/api/provisional-residents?limit=200')).json()
    const item = mine.items.find((i: { residentId: string }) => i.residentId === p.residentId)
    expect(item).toMatchObject({
      name: '列表人',
      phone: '137****5678',
      address: '幸福路8号临时租住',
      gridName: '第一网格',
      status: 'open',
    })
    expect(item.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/)
    for (const other of [workerA2, workerB]) {
      const theirs = (await other.get('/api/provisional-residents?limit=200')).json()
      expect(theirs.items.map((i: { residentId: string }) => i.residentId)).not.toContain(
        p.residentId,
      )
    }
    expect(
      (await workerB.get(`/api/provisional-residents?divisionId=${a.grid.id}`)).statusCode,
    ).toBe(403)
  })

  it('confirms a walk-in into a household: a normal resident in the round from now on, audited', async () => {
    const p = await register({ name: '确认人' })
    const h = await buildHousehold(t, { gridId: a.grid.id })
    expect(
      (
        await workerB.send('POST', `/api/provisional-residents/${p.residentId}/confirm`, {
          householdId: h.id,
        })
      ).statusCode,
    ).toBe(403)
    const res = await workerA.send('POST', `/api/provisional-residents/${p.residentId}/confirm`, {
      householdId: h.id,
      relation: 'tenant',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'confirmed', householdLabel: h.label })
    const resident = (await workerA.get(`/api/residents/${p.residentId}`)).json()
    expect(resident).toMatchObject({ status: 'active', householdId: h.id, relation: 'tenant' })
    const lead = await loginAs(t, (await buildUser(t, 'community_lead', [a.community])).username)
    const missed = (await lead.get(`/api/rounds/${roundId}/missed?limit=500`)).json()
    expect(missed.items.map((m: { residentId: string }) => m.residentId)).toContain(p.residentId)
    const again = await workerA.send('POST', `/api/provisional-residents/${p.residentId}/confirm`, {
      householdId: h.id,
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('PROVISIONAL_ALREADY_RECONCILED')
    const entries = await listAudit(t.database.db, {
      action: 'resident.provisional_confirmed',
      targetId: p.residentId,
      limit: 10,
    })
    expect(entries).toHaveLength(1)
  })

  it('merges a walk-in into the resident they turn out to be: their specimens move over, audited', async () => {
    const passport = `E${String(Date.now() % 1e8).padStart(8, '0')}`
    const p = await register({ name: '护照人', idType: 'passport', idNumber: passport })
    await scan(sampler, roundId, p.code, `MERGE${Date.now()}`)
    const r = await buildResident(t, { gridId: a.grid.id, name: '护照人' })
    const bad = await workerA.send('POST', `/api/provisional-residents/${p.residentId}/merge`, {
      residentId: p.residentId,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('residentId')
    const res = await workerA.send('POST', `/api/provisional-residents/${p.residentId}/merge`, {
      residentId: r.id,
      note: '补登身份证',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'merged',
      mergedIntoId: r.id,
      mergedIntoName: '护照人',
    })
    const specimens = await rows<{ resident_id: string }>(
      t.database.db,
      sql`select resident_id from specimen where round_id = ${roundId} and resident_id in (${p.residentId}, ${r.id})`,
    )
    expect(specimens.map((s) => s.resident_id)).toEqual([r.id])
    const [entry] = await listAudit(t.database.db, {
      action: 'resident.provisional_merged',
      targetId: p.residentId,
      limit: 10,
    })
    expect(entry?.detail).toMatchObject({ into: r.id, moved: { specimens: 1 } })
    // The same passport at a desk now answers the resident, and the walk-in's old code no longer scans.
    const again = await sampler.send(
      'POST',
      `/api/rounds/${roundId}/walk-ins`,
      walkIn({ gridId: a.grid.id, idType: 'passport', idNumber: passport }),
    )
    expect(again.json()).toMatchObject({ outcome: 'registered', residentId: r.id })
    const old = await scan(sampler, roundId, p.code, `MERGE2${Date.now()}`)
    expect(old.json().results[0]).toMatchObject({ status: 'rejected' })
  })

  it('marks a walk-in as passing through: kept for tracing, out of the open list, audited', async () => {
    const p = await register({ name: '过客' })
    const res = await workerA.send(
      'POST',
      `/api/provisional-residents/${p.residentId}/pass-through`,
      {
        note: '探亲两天',
      },
    )
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'passing_through', note: '探亲两天' })
    const open = (await workerA.get('/api/provisional-residents?limit=200')).json()
    expect(open.items.map((i: { residentId: string }) => i.residentId)).not.toContain(p.residentId)
    const passing = (await workerA.get('/api/provisional-residents?status=passing_through')).json()
    expect(passing.items.map((i: { residentId: string }) => i.residentId)).toContain(p.residentId)
    const entries = await listAudit(t.database.db, {
      action: 'resident.passing_through',
      targetId: p.residentId,
      limit: 10,
    })
    expect(entries).toHaveLength(1)
  })

  it('pages the list with a keyset cursor and refuses a forged one naming `after`', async () => {
    for (let i = 0; i < 3; i++) await register({ name: `翻页${i}` })
    const first = (await workerA.get('/api/provisional-residents?limit=2')).json()
    expect(first.items).toHaveLength(2)
    expect(first.next).toBeTruthy()
    const second = (
      await workerA.get(`/api/provisional-residents?limit=2&after=${first.next}`)
    ).json()
    const ids = [...first.items, ...second.items].map((i: { residentId: string }) => i.residentId)
    expect(new Set(ids).size).toBe(ids.length)
    const forged = await workerA.get('/api/provisional-residents?after=bm90LWEtY3Vyc29y')
    expect(forged.statusCode).toBe(400)
    expect(forged.json().error.field).toBe('after')
  })
})
