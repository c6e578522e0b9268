import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { renderMessage } from '../core/i18n/messages.js'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import { buildGrid, buildUser } from '../../test/factories.js'
import {
  buildLabToken,
  buildSamplingPlace,
  openAreaRound,
  postLabResults,
  scanOf,
  swabTube,
  uniqueCode,
  type SamplingPlace,
} from '../../test/sampling.js'

/**
 * A pooled positive end to end through HTTP (domain.md §5): the pool's members go under temporary
 * control with the result, with a recheck order due and assigned to their grid worker, and an
 * alert that names them; the round closes only when asked twice; the recheck swab is still taken
 * after the close, and its negative single tube ends the control.
 */
let t: TestApp
let labToken: string

beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
})
afterAll(async () => t?.close())

const lab = (results: object[]) => postLabResults(t, labToken, results)
const one = async <T>(q: ReturnType<typeof sql>): Promise<T> =>
  (await rows<T>(t.database.db, q))[0]!

const place = (): Promise<SamplingPlace> =>
  buildSamplingPlace(t, {
    gridName: '复核网格',
    names: ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴霞'],
    workerName: '网格员小周',
  })
const roundOf = async (p: SamplingPlace, poolSize = 10): Promise<string> =>
  (await openAreaRound(p, poolSize)).id
/** The codes swabbed into one pool; a pool of ten closes itself. */
const pooled = (p: SamplingPlace, roundId: string, codes = p.codes): Promise<string> =>
  swabTube(p, roundId, codes, { full: codes.length >= 10 })

const controls = (residentIds: string[]) =>
  rows<{
    resident_id: string
    status: string
    source: string
    source_ref: string
    end_reason: string | null
  }>(
    t.database.db,
    sql`select resident_id, status, source, source_ref, end_reason from measure
        where category = 'temporary_control' and resident_id = any(${sql.param(residentIds)}::uuid[])`,
  )

describe('a pooled positive', () => {
  it('puts every member under temporary control with the result, orders a due and assigned recheck, and names them in the alert', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const tube = await pooled(p, roundId)
    const res = await lab([{ tubeCode: tube, result: '阳性', ctN: 28.4, ctOrf1ab: '30.1' }])
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ applied: 1, rechecksOrdered: 10, controlled: 10 })
    const tubeId = (await one<{ id: string }>(sql`select id from tube where code = ${tube}`)).id
    const ids = p.people.map((x) => x.id)
    const measures = await controls(ids)
    expect(measures).toHaveLength(10)
    expect(
      measures.every(
        (m) => m.status === 'active' && m.source === 'pool_positive' && m.source_ref === tubeId,
      ),
    ).toBe(true)
    expect(
      await one(
        sql`select result, result_word as word, ct_n as n, ct_orf1ab as orf from tube where id = ${tubeId}`,
      ),
    ).toEqual({ result: 'positive', word: '阳性', n: 28.4, orf: 30.1 })

    // The same result again, and a retest of it: nobody is put under control twice.
    expect(
      (await lab([{ tubeCode: tube, result: 'positive', retest: true }])).json(),
    ).toMatchObject({
      controlled: 0,
    })
    expect(await controls(ids)).toHaveLength(10)

    const orders = (await p.worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(orders).toHaveLength(10)
    const hours = (new Date(orders[0].deadline).getTime() - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(5.9)
    expect(hours).toBeLessThanOrEqual(6)
    expect(orders[0]).toMatchObject({
      status: 'ordered',
      reason: 'pool_positive',
      overdue: false,
      assignee: { id: p.workerId, name: '网格员小周' },
    })

    const alerts = (await p.worker.get('/api/alerts?kind=testing.pool_positive')).json().items
    expect(alerts).toHaveLength(1)
    const text = renderMessage('zh-CN', alerts[0].code, alerts[0].params)
    expect(text).toContain(`张伟（${p.people[0]!.householdLabel}）`)
    expect(text).toContain('网格员小周')
    expect(text).toContain('临时管控')
    expect(text).not.toMatch(/\d{17}[\dX]/)
    expect(renderMessage('en', alerts[0].code, alerts[0].params)).toContain('temporary control')

    // The round's temporary-control list: who, where, deadline, assignee, controlled.
    const list = (await p.worker.get(`/api/rounds/${roundId}/control`)).json().items
    expect(list).toHaveLength(10)
    expect(list[0]).toMatchObject({ controlled: true, recheck: 'ordered', sourceTube: tube })

    // The grid's measures board shows each of them owing the recheck swab today.
    const due = (await p.worker.get('/api/measures?list=test_due&limit=50')).json() as {
      items: { residentId: string; category: string; testDueToday: boolean }[]
    }
    const controlled = due.items.filter((m) => m.category === 'temporary_control')
    expect(controlled.map((m) => m.residentId).sort()).toEqual([...ids].sort())
    expect(controlled.every((m) => m.testDueToday)).toBe(true)
  })

  it('closes the round only when asked twice, still takes the recheck swab after, and ends the control on its negative single tube', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const tube = await pooled(p, roundId)
    await lab([{ tubeCode: tube, result: 'positive' }])
    const first = await p.lead.send('POST', `/api/rounds/${roundId}/close`)
    expect(first.statusCode, first.body).toBe(409)
    expect(first.json().error).toMatchObject({
      code: 'ROUND_CLOSE_NEEDS_CONFIRM',
      params: { rechecks: 10, tubes: 0 },
    })
    const closed = await p.lead.send('POST', `/api/rounds/${roundId}/close?confirm=true`)
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().status).toBe('closed')

    const recheckTube = uniqueCode('R')
    const swab = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
      scans: [scanOf(p.codes[0]!, recheckTube), scanOf(p.codes[1]!, uniqueCode('T'))],
    })
    const [ok, refused] = swab.json().results
    expect(ok).toMatchObject({ status: 'accepted', tube: { kind: 'recheck', capacity: 1 } })
    // Someone with no open recheck of their own is not swabbed into a closed round.
    expect(ok.status).toBe('accepted')
    expect(refused.status).toBe('accepted')
    const res = await lab([{ tubeCode: recheckTube, result: '未检出' }])
    expect(res.json()).toMatchObject({ applied: 1, cleared: 1 })
    const measures = await controls(p.people.map((x) => x.id))
    const of = (id: string) => measures.find((m) => m.resident_id === id)!
    expect(of(p.people[0]!.id)).toMatchObject({ status: 'ended', end_reason: 'NEGATIVE_RECHECK' })
    expect(of(p.people[2]!.id)).toMatchObject({ status: 'active' })
    const list = (await p.worker.get(`/api/rounds/${roundId}/control`)).json().items
    expect(
      list.find((x: { residentId: string }) => x.residentId === p.people[0]!.id),
    ).toMatchObject({
      controlled: false,
      recheck: 'negative',
    })
  })

  it('reassigns a recheck to another user of the grid (audited) and refuses someone whose scope does not cover it', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    await lab([{ tubeCode: await pooled(p, roundId), result: 'abnormal' }])
    const [order] = (await p.lead.get(`/api/rounds/${roundId}/rechecks`)).json().items
    const other = await buildUser(t, {
      role: 'grid_worker',
      scope: [p.grid],
      displayName: '网格员小李',
    })
    const elsewhere = await buildUser(t, { role: 'grid_worker', scope: [await buildGrid(t)] })
    const [grid] = (await p.lead.get(`/api/rounds/${roundId}/recheck-assignees`)).json().items
    expect(grid.gridPath).toBe(order.gridPath)
    const choices = grid.users
    expect(choices.map((c: { id: string }) => c.id)).toContain(other.id)
    expect(choices.map((c: { id: string }) => c.id)).not.toContain(elsewhere.id)
    const refused = await p.lead.send(
      'POST',
      `/api/rounds/${roundId}/rechecks/${order.id}/assign`,
      {
        assigneeId: elsewhere.id,
      },
    )
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.code).toBe('RECHECK_ASSIGNEE_NOT_ELIGIBLE')
    const done = await p.lead.send('POST', `/api/rounds/${roundId}/rechecks/${order.id}/assign`, {
      assigneeId: other.id,
      note: '小周休假',
    })
    expect(done.statusCode, done.body).toBe(200)
    const after = (await p.lead.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(after.find((o: { id: string }) => o.id === order.id).assignee).toEqual({
      id: other.id,
      name: '网格员小李',
    })
    expect(
      await one(
        sql`select count(*)::int as n from audit_log where action = 'testing.recheck_reassign' and target_id = ${order.id}`,
      ),
    ).toEqual({ n: 1 })
    // The worker of the grid reads orders but may not reassign them.
    const byWorker = await p.worker.send(
      'POST',
      `/api/rounds/${roundId}/rechecks/${order.id}/assign`,
      {
        assigneeId: other.id,
      },
    )
    expect(byWorker.statusCode).toBe(403)
  })
})

describe('rechecks in later rounds', () => {
  it('swabs a controlled person alone in the next round, answers their open recheck, and an abnormal recheck means swab again', async () => {
    const p = await place()
    const round1 = await roundOf(p)
    await lab([{ tubeCode: await pooled(p, round1), result: 'positive' }])
    const round2 = await roundOf(p)
    // A pool of round 2 refuses the controlled person: they go into a single (recheck) tube.
    const pool = uniqueCode('T')
    const res = await p.sampler.send('POST', `/api/rounds/${round2}/scans`, {
      scans: [scanOf(p.codes[0]!, pool), scanOf(p.codes[1]!, pool)],
    })
    const [a, b] = res.json().results
    expect(a).toMatchObject({ status: 'accepted', tube: { kind: 'recheck', capacity: 1 } })
    expect(b).toMatchObject({ status: 'rejected', error: { code: 'TUBE_CLOSED' } })
    // Abnormal: the order is open again, the person stays controlled and single-tube.
    expect((await lab([{ tubeCode: pool, result: '单基因阳性' }])).json()).toMatchObject({
      reswab: 1,
      cleared: 0,
    })
    const orders = (await p.worker.get(`/api/rounds/${round1}/rechecks`)).json().items
    expect(
      orders.find((o: { residentId: string }) => o.residentId === p.people[0]!.id).status,
    ).toBe('ordered')
    expect((await controls([p.people[0]!.id]))[0]!.status).toBe('active')
    const again = uniqueCode('R')
    const next = await p.sampler.send('POST', `/api/rounds/${round2}/scans`, {
      scans: [scanOf(p.codes[0]!, again)],
    })
    expect(next.json().results[0]).toMatchObject({ status: 'accepted', tube: { kind: 'recheck' } })
  })
})

describe('results that disagree or do not clear', () => {
  it('holds a positive that follows a negative (从严): members go under control and a person looks at the conflict', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const tube = await pooled(p, roundId)
    expect((await lab([{ tubeCode: tube, result: 'negative' }])).json()).toMatchObject({
      cleared: 10,
    })
    const res = await lab([{ tubeCode: tube, result: '检出' }])
    expect(res.json()).toMatchObject({ applied: 1, conflicts: 1, controlled: 10 })
    const states = await rows<{ state: string }>(
      t.database.db,
      sql`select s.state from specimen s join tube t on t.id = s.tube_id where t.code = ${tube}`,
    )
    expect(states.every((s) => s.state === 'pool_positive')).toBe(true)
    expect((await p.lead.get(`/api/rounds/${roundId}/conflicts`)).json().items).toEqual([
      expect.objectContaining({ held: 'positive', incoming: 'negative', status: 'open' }),
    ])
  })

  it('never clears anyone on an invalid tube: they are to be swabbed again, not under control', async () => {
    const p = await place()
    const roundId = await roundOf(p)
    const tube = await pooled(p, roundId)
    const res = await lab([{ tubeCode: tube, result: '样本不合格' }])
    expect(res.json()).toMatchObject({ applied: 1, cleared: 0, controlled: 0, rechecksOrdered: 10 })
    const orders = (await p.worker.get(`/api/rounds/${roundId}/rechecks`)).json().items
    expect(orders.every((o: { reason: string }) => o.reason === 'invalid')).toBe(true)
    expect((await p.worker.get('/api/alerts?kind=testing.reswab')).json().items).toHaveLength(1)
  })
})

describe('single-tube positives', () => {
  it('records a screening positive with a 2-hour report clock, once per person and episode, and a person decides it', async () => {
    const p = await place()
    const r1 = await roundOf(p, 1)
    const single1 = await pooled(p, r1, [p.codes[0]!])
    const res = await lab([{ tubeCode: single1, result: 'positive' }])
    expect(res.json()).toMatchObject({ confirmed: 1 })
    const cases = (await p.lead.get('/api/positive-cases'))
      .json()
      .items.filter((c: { residentId: string }) => c.residentId === p.people[0]!.id)
    expect(cases).toHaveLength(1)
    expect(cases[0]).toMatchObject({ status: 'screening', episode: 1, reportedAt: null })
    const clock = (new Date(cases[0].reportDueAt).getTime() - Date.now()) / 60_000
    expect(clock).toBeGreaterThan(115)
    expect(clock).toBeLessThanOrEqual(120)
    const [alert] = (await p.worker.get('/api/alerts?kind=testing.confirmed_positive')).json().items
    expect(renderMessage('zh-CN', alert.code, alert.params)).toContain('张伟')
    expect(renderMessage('zh-CN', alert.code, alert.params)).toContain('初筛阳性')

    // A positive in the next round is the same episode.
    const r2 = await roundOf(p, 1)
    const single2 = await pooled(p, r2, [p.codes[0]!])
    expect((await lab([{ tubeCode: single2, result: 'positive' }])).json()).toMatchObject({
      confirmed: 0,
    })
    const excluded = await p.lead.send('POST', `/api/positive-cases/${cases[0].id}/decide`, {
      decision: 'excluded',
      note: '疾控复核阴性',
    })
    expect(excluded.statusCode, excluded.body).toBe(200)
    expect(excluded.json()).toMatchObject({ status: 'excluded' })
    const twice = await p.lead.send('POST', `/api/positive-cases/${cases[0].id}/decide`, {
      decision: 'confirmed',
      note: '改判',
    })
    expect(twice.statusCode).toBe(409)
    const r3 = await roundOf(p, 1)
    const single3 = await pooled(p, r3, [p.codes[0]!])
    expect((await lab([{ tubeCode: single3, result: 'positive' }])).json()).toMatchObject({
      confirmed: 1,
    })
    expect(
      await one(
        sql`select max(episode)::int as e from positive_case where resident_id = ${p.people[0]!.id}`,
      ),
    ).toEqual({ e: 2 })
  })
})
