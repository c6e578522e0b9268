import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
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
import type { CheckpointOut } from './checkpoints.schema.js'
import type { ExitPassList, GateIndicatorsOut, PassageList, PassageOut } from './gate.schema.js'

/**
 * The gate log over HTTP (issue 11 item 5), on PGlite and on PostgreSQL, under v9: a building of
 * the community is a medium-risk (管控) area; a grid worker issues a household's exit pass (one a
 * day); the gate's staff scan residents: one exit a household a day, a negative swab within 48 h,
 * a close contact may not go out, visitors may not come in; every attempt is logged once per
 * client id; staff of one gate cannot log at another.
 */

let t: TestApp
let grid: BuiltGrid
let far: BuiltGrid
let lead: Client
let worker: Client
let gate: Client
let farGate: Client
let cp: CheckpointOut
let cp2: CheckpointOut
let farCp: CheckpointOut
let mother: BuiltResident
let son: BuiltResident
let contact: BuiltResident
let roundId: string

const hoursAgo = (h: number): Date => new Date(Date.now() - h * 3_600_000)

async function negativeSwab(r: BuiltResident, at: Date): Promise<void> {
  const tubeId = crypto.randomUUID()
  await t.database.db.execute(
    sql`insert into tube (id, code, round_id, kind, capacity, members, status, opened_at, opened_by, closed_at, result, resulted_at)
        values (${tubeId}, ${'M' + crypto.randomBytes(5).toString('hex')}, ${roundId}, 'single', 1, 1, 'closed', ${at}, 'test', ${at}, 'negative', ${at})`,
  )
  await t.database.db.execute(
    sql`insert into specimen (id, client_id, round_id, tube_id, resident_id, grid_path, sampler_name, scanned_at)
        values (${crypto.randomUUID()}, ${crypto.randomUUID()}, ${roundId}, ${tubeId}, ${r.id}, ${grid.path}, 'test', ${at})`,
  )
}

const pass = (client: Client, checkpointId: string, body: Record<string, unknown>) =>
  client.send('POST', `/api/checkpoints/${checkpointId}/passages`, {
    clientId: crypto.randomUUID(),
    direction: 'out',
    ...body,
  })

const codes = (p: PassageOut) => p.reasons.map((r) => r.code)

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t)
  far = await buildGrid(t)
  const building = await buildBuilding(t, { gridId: grid.id })
  mother = await buildResident(t, { householdId: building.households[0]!.id, name: '李秀英' })
  son = await buildResident(t, { householdId: building.households[0]!.id, name: '李明' })
  contact = await buildResident(t, { householdId: building.households[1]!.id, name: '赵密接' })
  roundId = (await buildRound(t, { divisionIds: [grid.community.id] })).id
  const l = await buildUser(t, { role: 'community_lead', scope: [grid.community] })
  lead = await loginAs(t, l.username)
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  const gateUser = await buildUser(t, { role: 'checkpoint', scope: [grid.community] })
  gate = await loginAs(t, gateUser.username)
  const farLead = await buildUser(t, { role: 'community_lead', scope: [far.community] })
  const farGateUser = await buildUser(t, { role: 'checkpoint', scope: [far.community] })
  farGate = await loginAs(t, farGateUser.username)

  const mk = async (c: Client, communityId: string, name: string, staff: string[]) => {
    const res = await c.send('POST', '/api/checkpoints', { communityId, name, staff })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as CheckpointOut
  }
  cp = await mk(lead, grid.community.id, '东门卡口', [gateUser.id])
  cp2 = await mk(lead, grid.community.id, '西门卡口', [])
  farCp = await mk(await loginAs(t, farLead.username), far.community.id, '北门卡口', [
    farGateUser.id,
  ])

  const area = await lead.send('POST', '/api/zones/areas', {
    name: '3号楼管控区',
    level: 'medium',
    reason: '密接居住',
    extents: [{ kind: 'building', id: building.id }],
  })
  expect(area.statusCode, area.body).toBe(201)
  const m = await worker.send('POST', '/api/measures', {
    residentId: contact.id,
    category: 'close_contact',
    anchorAt: hoursAgo(24).toISOString(),
  })
  expect(m.statusCode, m.body).toBe(201)
}, 90_000)

afterAll(async () => t?.close())

describe('the gate in a lockdown', () => {
  let token: string

  it('a grid worker issues the household’s exit pass of today: one a day (v9), with its QR; again adds none', async () => {
    const res = await worker.send('POST', `/api/households/${mother.householdId}/exit-passes`, {})
    expect(res.statusCode, res.body).toBe(200)
    const list = res.json() as ExitPassList
    expect(list.perDay).toBe(1)
    expect(list.items).toHaveLength(1)
    expect(list.items[0]!.qrSvg).toContain('<svg')
    expect(list.items[0]!.usedAt).toBeNull()
    token = list.items[0]!.token
    const again = (
      await worker.send('POST', `/api/households/${mother.householdId}/exit-passes`, {})
    ).json() as ExitPassList
    expect(again.items.map((p) => p.token)).toEqual([token])
    // The gate's staff log passages; issuing passes is the grid's.
    expect(
      (await gate.send('POST', `/api/households/${mother.householdId}/exit-passes`, {})).statusCode,
    ).toBe(403)
  })

  it('without a negative swab within 48 h the exit is refused and says so; with one she goes out and the pass is used', async () => {
    const refused = (await pass(gate, cp.id, { scan: mother.idNumber })).json() as PassageOut
    expect(refused).toMatchObject({
      allowed: false,
      kind: 'resident',
      zone: 'controlled',
      name: '李*英',
    })
    expect(refused.reasons).toEqual([{ code: 'GATE_NO_NEGATIVE_EVER', params: { hours: 48 } }])

    await negativeSwab(mother, hoursAgo(60))
    const old = (await pass(gate, cp.id, { scan: mother.idNumber })).json() as PassageOut
    expect(codes(old)).toEqual(['GATE_NO_RECENT_NEGATIVE'])

    await negativeSwab(mother, hoursAgo(10))
    await negativeSwab(son, hoursAgo(5))
    const clientId = crypto.randomUUID()
    const res = await pass(gate, cp.id, { scan: mother.idNumber, clientId })
    expect(res.statusCode, res.body).toBe(200)
    const ok = res.json() as PassageOut
    expect(ok).toMatchObject({ allowed: true, reasons: [], usedPass: true })
    // The same scan sent again from the phone's queue is the same passage, not a second exit.
    const replay = (
      await pass(gate, cp.id, { scan: mother.idNumber, clientId })
    ).json() as PassageOut
    expect(replay.id).toBe(ok.id)
    const passes = (
      await worker.get(`/api/households/${mother.householdId}/exit-passes`)
    ).json() as ExitPassList
    expect(passes.items[0]!.usedAt).not.toBeNull()
  })

  it('a second exit of the household the same day is refused: the pass is used up', async () => {
    const second = (await pass(gate, cp.id, { scan: son.idNumber })).json() as PassageOut
    expect(second.allowed).toBe(false)
    expect(second.reasons).toEqual([{ code: 'GATE_PASS_USED_UP', params: { limit: 1 } }])
    const scannedPass = (await pass(gate, cp.id, { scan: token })).json() as PassageOut
    expect(scannedPass.kind).toBe('pass_holder')
    expect(codes(scannedPass)).toEqual(['GATE_PASS_USED_UP', 'GATE_HOLDER_UNKNOWN'])
    // Coming home is always allowed.
    const back = (
      await pass(gate, cp.id, { scan: mother.idNumber, direction: 'in' })
    ).json() as PassageOut
    expect(back.allowed).toBe(true)
  })

  it('a close contact may not go out, whatever the pass', async () => {
    const res = (await pass(gate, cp.id, { scan: contact.idNumber })).json() as PassageOut
    expect(res.allowed).toBe(false)
    expect(res.reasons[0]).toEqual({
      code: 'GATE_UNDER_MEASURE',
      params: { category: 'close_contact' },
    })
  })

  it('a visitor may not come in during the lockdown; their ID and phone are masked', async () => {
    const idNumber = buildIdNumber()
    const res = await pass(gate, cp.id, {
      direction: 'in',
      visitor: { name: '钱访客', idNumber, phone: '13912345678' },
    })
    expect(res.statusCode, res.body).toBe(200)
    const v = res.json() as PassageOut
    expect(v).toMatchObject({
      kind: 'visitor',
      allowed: false,
      name: '钱*客',
      phone: '139****5678',
    })
    expect(v.reasons).toEqual([{ code: 'GATE_VISITORS_BANNED', params: {} }])
    expect(v.idNumber).toMatch(/\*{4}/)
    // A typed ID number of nobody here is a visitor too.
    const typed = (
      await pass(gate, cp.id, { direction: 'in', scan: buildIdNumber() })
    ).json() as PassageOut
    expect(typed.kind).toBe('visitor')
    const stored = await rows<{ visitor_id_enc: string }>(
      t.database.db,
      sql`select visitor_id_enc from gate_passage where id = ${v.id}`,
    )
    expect(stored[0]!.visitor_id_enc).not.toContain(idNumber)
  })

  it('a scan that names nobody and nothing is refused by field; a bad visitor phone names it', async () => {
    const res = await pass(gate, cp.id, { scan: 'HELLO' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: { code: 'GATE_SCAN_UNKNOWN', field: 'scan' } })
    const phone = await pass(gate, cp.id, { visitor: { name: '某', phone: '123' } })
    expect(phone.statusCode).toBe(400)
    expect(phone.json()).toMatchObject({ error: { field: 'visitor.phone' } })
  })

  it('the day’s list shows every attempt, refused ones on request, with counts', async () => {
    const all = (await gate.get(`/api/checkpoints/${cp.id}/passages`)).json() as PassageList
    expect(all.counts.total).toBe(all.items.length)
    expect(all.items.length).toBeGreaterThanOrEqual(8)
    const refused = (
      await gate.get(`/api/checkpoints/${cp.id}/passages?refused=true`)
    ).json() as PassageList
    expect(refused.items.length).toBe(all.counts.refused)
    expect(refused.items.every((p) => !p.allowed)).toBe(true)
    const ind = (await lead.get('/api/checkpoints/indicators')).json() as GateIndicatorsOut
    expect(ind.refusedExits).toBeGreaterThanOrEqual(5)
  })

  it('staff of one gate cannot log at another: another community’s gate, or a gate of theirs they do not staff', async () => {
    const far1 = await pass(gate, farCp.id, { scan: mother.idNumber })
    expect(far1.statusCode).toBe(403)
    const far2 = await pass(farGate, cp.id, { scan: mother.idNumber })
    expect(far2.statusCode).toBe(403)
    const west = await pass(gate, cp2.id, { scan: mother.idNumber })
    expect(west.statusCode).toBe(403)
    expect(west.json()).toMatchObject({ error: { code: 'GATE_NOT_STAFF' } })
    expect((await farGate.get(`/api/checkpoints/${cp.id}/passages`)).statusCode).toBe(403)
    // A resident of this community scanned at the far gate is a visitor there, never looked up here.
    const n = await rows<{ n: number | string }>(
      t.database.db,
      sql`select count(*) as n from gate_passage where checkpoint_id = ${farCp.id}`,
    )
    expect(Number(n[0]!.n)).toBe(0)
  })
})
