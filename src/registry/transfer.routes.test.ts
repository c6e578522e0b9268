import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAudit } from '../core/audit/audit.service.js'
import type { Actor } from '../core/auth/actor.js'
import { inTransaction } from '../core/db/db.js'
import { applyRosterBatch, checkRosterPerson, type CheckedPerson } from './roster.service.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { buildIdNumber } from '../../test/factories.js'

let t: TestApp
let a: Chain
let b: Chain
let workerA: Client
let leadA: Client
let workerB: Client
let neighbourA: Client
let workerBUser: { id: string; username: string }

async function households(
  c: Client,
  gridId: string,
  building: string,
): Promise<{ id: string; label: string }[]> {
  await c.send('POST', '/api/buildings/layout', {
    gridId,
    building,
    units: [1, 1],
    floors: [1, 2],
    roomsPerFloor: [1, 2],
  })
  const bl = (await c.get(`/api/grids/${gridId}/buildings`))
    .json()
    .items.find((x: { code: string }) => x.code === building)
  const u = (await c.get(`/api/buildings/${bl.id}/units`)).json().items[0]
  return (await c.get(`/api/units/${u.id}/households`)).json().items
}

let hA: { id: string; label: string }[]
let hB: { id: string; label: string }[]
const OLD = { name: '张老三', phone: '13811112222' }
const zhang = buildIdNumber({ birth: '19500101', sex: 'female' })
const li = buildIdNumber({ birth: '19600202', sex: 'female' })
let zhangId = ''

beforeAll(async () => {
  t = await createTestApp()
  a = await buildChain(t)
  b = await buildChain(t)
  workerA = await loginAs(t, (await buildUser(t, 'grid_worker', [a.grid])).username)
  neighbourA = await loginAs(t, (await buildUser(t, 'grid_worker', [a.grid2])).username)
  leadA = await loginAs(t, (await buildUser(t, 'community_lead', [a.community])).username)
  workerBUser = await buildUser(t, 'grid_worker', [b.grid])
  workerB = await loginAs(t, workerBUser.username)
  hA = await households(leadA, a.grid.id, '7')
  hB = await households(workerB, b.grid.id, '3')
  const r = await workerA.send('POST', '/api/residents', {
    householdId: hA[0]!.id,
    name: OLD.name,
    idNumber: zhang,
    phone: OLD.phone,
    residenceType: 'registered',
    employer: '老单位',
    notes: '旧备注',
    tags: ['chronic_disease'],
  })
  zhangId = r.json().resident.id
  await workerA.send('POST', '/api/residents', {
    householdId: hA[1]!.id,
    name: '李四',
    idNumber: li,
    residenceType: 'registered',
  })
})
afterAll(async () => t?.close())

describe('registering a person registered in another community (issue 8, finding 8)', () => {
  let transferId = ''

  it('files a transfer instead of moving the person, and answers only with what was typed', async () => {
    const res = await workerB.send('POST', '/api/residents', {
      householdId: hB[0]!.id,
      name: '张三丰',
      idNumber: zhang,
      phone: '13933334444',
      residenceType: 'tenant',
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      outcome: 'transfer_requested',
      resident: null,
      transfer: { status: 'requested', name: '张三丰', householdLabel: hB[0]!.label },
    })
    transferId = body.transfer.id
    for (const secret of [
      OLD.name,
      OLD.phone,
      OLD.phone.slice(-4),
      hA[0]!.label,
      zhangId,
      '老单位',
      '旧备注',
      'chronic_disease',
      a.community.name,
      a.grid.name,
    ])
      expect(res.body).not.toContain(secret)
    // The person has not moved: still in A, unknown to B.
    expect((await workerA.get(`/api/residents/${zhangId}`)).json()).toMatchObject({
      householdLabel: hA[0]!.label,
      name: OLD.name,
    })
    expect((await workerB.get('/api/residents')).json().items).toHaveLength(0)
    // A second registration finds the same request.
    const again = await workerB.send('POST', '/api/residents', {
      householdId: hB[0]!.id,
      name: '张三丰',
      idNumber: zhang,
      residenceType: 'tenant',
    })
    expect(again.json().transfer.id).toBe(transferId)
  })

  it('shows the request to both communities, the old record only to the old side', async () => {
    const inB = (await workerB.get('/api/resident-transfers')).json().items
    expect(inB).toHaveLength(1)
    expect(inB[0]).toMatchObject({
      id: transferId,
      direction: 'in',
      status: 'requested',
      typedName: '张三丰',
      typedPhone: '139****4444',
      toHousehold: hB[0]!.label,
      residentId: null,
      residentName: null,
      fromHousehold: null,
      fromGrid: null,
      canDecide: false,
    })
    expect(JSON.stringify(inB)).not.toContain(OLD.name)
    const outA = (await workerA.get('/api/resident-transfers?direction=out')).json().items
    expect(outA[0]).toMatchObject({
      id: transferId,
      direction: 'out',
      residentId: zhangId,
      residentName: OLD.name,
      fromHousehold: hA[0]!.label,
      toHousehold: hB[0]!.label,
      canDecide: true,
    })
    expect((await neighbourA.get('/api/resident-transfers')).json().items).toHaveLength(0)
    expect((await workerB.get('/api/resident-transfers?direction=out')).json().items).toHaveLength(
      0,
    )
  })

  it('files the audit entries under both communities', async () => {
    for (const path of [a.community.path, b.community.path]) {
      const entries = await listAudit(t.database.db, {
        action: 'resident.transfer_requested',
        scopePaths: [path],
        limit: 10,
      })
      expect(entries.map((e) => e.targetId)).toContain(transferId)
    }
  })

  it('lets only the old side decide; confirming moves the person with a history event', async () => {
    expect(
      (await workerB.send('POST', `/api/resident-transfers/${transferId}/confirm`, {})).statusCode,
    ).toBe(403)
    expect(
      (await neighbourA.send('POST', `/api/resident-transfers/${transferId}/confirm`, {}))
        .statusCode,
    ).toBe(403)
    const ok = await workerA.send('POST', `/api/resident-transfers/${transferId}/confirm`, {})
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ status: 'confirmed', decidedBy: expect.any(String) })
    const moved = await workerB.get(`/api/residents/${zhangId}`)
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({
      householdLabel: hB[0]!.label,
      name: '张三丰',
      residenceType: 'tenant',
      phone: '139****4444',
      tags: ['chronic_disease'],
    })
    expect(moved.json().events[0]).toMatchObject({
      kind: 'moved',
      fromHousehold: hA[0]!.label,
      toHousehold: hB[0]!.label,
    })
    expect((await workerA.get(`/api/residents/${zhangId}`)).statusCode).toBe(403)
    expect((await workerB.get('/api/resident-transfers')).json().items[0]).toMatchObject({
      status: 'confirmed',
      residentId: zhangId,
    })
    for (const path of [a.community.path, b.community.path]) {
      const entries = await listAudit(t.database.db, {
        action: 'resident.transfer_confirmed',
        scopePaths: [path],
        limit: 10,
      })
      expect(entries.map((e) => e.targetId)).toContain(transferId)
    }
    const late = await workerA.send('POST', `/api/resident-transfers/${transferId}/dispute`, {
      reason: '不是本人',
    })
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('TRANSFER_ALREADY_CONFIRMED')
  })

  it('lets the old side dispute with a reason: nothing moves, the new side sees the reason', async () => {
    const res = await workerB.send('POST', '/api/residents', {
      householdId: hB[1]!.id,
      name: '李四',
      idNumber: li,
      residenceType: 'registered',
    })
    const id = res.json().transfer.id
    expect(
      (await leadA.send('POST', `/api/resident-transfers/${id}/dispute`, { reason: '' }))
        .statusCode,
    ).toBe(400)
    const d = await leadA.send('POST', `/api/resident-transfers/${id}/dispute`, {
      reason: '本人仍在本社区居住',
    })
    expect(d.json()).toMatchObject({ status: 'disputed', reason: '本人仍在本社区居住' })
    const seen = (await workerB.get('/api/resident-transfers?status=disputed')).json().items
    expect(seen[0]).toMatchObject({
      id,
      status: 'disputed',
      reason: '本人仍在本社区居住',
      residentId: null,
      residentName: null,
    })
    expect(
      (await workerA.get('/api/residents?q=ls'))
        .json()
        .items.map((r: { householdLabel: string }) => r.householdLabel),
    ).toEqual([hA[1]!.label])
    const entries = await listAudit(t.database.db, {
      action: 'resident.transfer_disputed',
      scopePaths: [b.community.path],
      limit: 5,
    })
    expect(entries[0]).toMatchObject({ targetId: id, reason: '本人仍在本社区居住' })
  })

  it('files a transfer for a roster row of a person registered elsewhere (the registry function imports call)', async () => {
    const wang = buildIdNumber({ birth: '19700303', sex: 'female' })
    await workerA.send('POST', '/api/residents', {
      householdId: hA[2]!.id,
      name: '王五',
      idNumber: wang,
      residenceType: 'registered',
    })
    const actor: Actor = {
      userId: workerBUser.id,
      username: workerBUser.username,
      displayName: 'B',
      role: 'grid_worker',
      scopePaths: [b.grid.path],
      ip: null,
      sessionId: null,
      breakGlassReason: null,
    }
    const place = {
      householdId: hB[2]!.id,
      gridId: b.grid.id,
      gridPath: b.grid.path,
      sortKey: 'x',
      label: hB[2]!.label,
    }
    const checked = checkRosterPerson({
      rowNo: 2,
      name: '王五',
      idType: undefined,
      idNumber: wang,
      phone: undefined,
      sex: undefined,
      birthDate: undefined,
      relation: undefined,
      residenceType: 'registered',
      employer: undefined,
      notes: undefined,
      tags: [],
      place,
    })
    if (!checked.ok) throw new Error(checked.reasons.map((r) => r.code).join())
    const people: CheckedPerson[] = [checked.person]
    const out = await inTransaction(t.database.db, (tx) =>
      applyRosterBatch(tx, t.ring, actor, people, { dryRun: false, source: 'test-job' }),
    )
    expect(out.outcomes).toEqual(['conflict'])
    expect(out.conflicts.get(0)?.code).toBe('ID_REGISTERED_ELSEWHERE')
    expect(JSON.stringify([...out.conflicts.values()])).not.toContain(hA[2]!.label)
    const transferId = out.transfers?.get(0)
    expect(transferId).toBeTruthy()
    const outA = (
      await workerA.get('/api/resident-transfers?direction=out&status=requested')
    ).json().items
    expect(outA.map((x: { id: string }) => x.id)).toContain(transferId)
  })

  it('answers 400 naming the field for a forged cursor', async () => {
    for (const forged of [
      'garbage',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('["2026-01-01T00:00:00.000Z","not-a-uuid"]').toString('base64url'),
      Buffer.from('["275760-09-13","00000000-0000-0000-0000-000000000000"]').toString('base64url'),
    ]) {
      const res = await workerA.get(`/api/resident-transfers?after=${forged}`)
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({ code: 'CURSOR_INVALID', field: 'after' })
    }
  })
})
