import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inTransaction, rows } from '../core/db/db.js'
import { renderMessage } from '../core/i18n/messages.js'
import { createTestApp, type Client, type TestApp } from '../../test/helpers.js'
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
import { sweepOverdue } from './overdue.service.js'
import { tubeOverdue, turnaroundHours } from './overdue.rules.js'

/**
 * Turnaround and overdue through HTTP (domain.md §5): the round's figure and its overdue count
 * read one clock (a single tube's swab, a pool's close); the sweep alerts an overdue tube and an
 * unswabbed recheck once, naming the round, the place and how late, and never a GET; a burst of
 * positive pools in one result file is one alert a grid that lists everyone when expanded.
 */
let t: TestApp
let labToken: string

beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t, '超时检测点')
})
afterAll(async () => t?.close())

const HOUR = 3_600_000
const lab = (results: object[]) => postLabResults(t, labToken, results)
const sweep = (now: Date) => inTransaction(t.database.db, (tx) => sweepOverdue(tx, now))

const place = (n: number, gridName: string): Promise<SamplingPlace> =>
  buildSamplingPlace(t, {
    gridName,
    names: Array.from({ length: n }, (_, i) => `居民${String.fromCharCode(0x7532 + i)}`),
    roomsPerFloor: [1, 4],
    workerName: '网格员小吴',
  })
const roundOf = openAreaRound
/** Swabs these codes into one new tube; a pool not yet full is closed by hand. */
const tubeOf = (p: SamplingPlace, roundId: string, codes: string[], full = false) =>
  swabTube(p, roundId, codes, { full })

/** Moves a tube's first swab and close into the past (a pool that filled slowly). */
async function backdate(code: string, openedAt: Date, closedAt: Date): Promise<void> {
  await t.database.db.execute(
    sql`update tube set opened_at = ${openedAt.toISOString()}::timestamptz, closed_at = ${closedAt.toISOString()}::timestamptz where code = ${code}`,
  )
}

interface AlertJson {
  id: number
  kind: string
  code: string
  params: Record<string, string | number>
  detail: { items?: Record<string, unknown>[]; roundId?: string }
  itemCount: number
}
const alertsOf = async (c: Client, kind: string): Promise<AlertJson[]> =>
  (await c.get(`/api/alerts?kind=${kind}`)).json().items

describe('turnaround and overdue', () => {
  it('reads the figure and the overdue count from one clock: a single tube’s swab, a pool’s close', async () => {
    const p = await place(8, '时限网格')
    const pools = await roundOf(p, 10)
    const now = Date.now()
    // Filled over 7 hours, closed 23 h ago: 30 h after its first swab, still within 24 h of its close.
    const slow = await tubeOf(p, pools.id, p.codes.slice(0, 3))
    await backdate(slow, new Date(now - 30 * HOUR), new Date(now - 23 * HOUR))
    // Closed 25 h ago without a result: overdue.
    const late = await tubeOf(p, pools.id, p.codes.slice(3, 6))
    await backdate(late, new Date(now - 26 * HOUR), new Date(now - 25 * HOUR))
    // Resulted 3 h after its close (10 h after its first swab): the figure counts 3 h.
    const quick = await tubeOf(p, pools.id, p.codes.slice(6, 8))
    await backdate(quick, new Date(now - 12 * HOUR), new Date(now - 5 * HOUR))
    const r = await lab([
      { tubeCode: quick, result: '阴性', resultedAt: new Date(now - 2 * HOUR).toISOString() },
    ])
    expect(r.json()).toMatchObject({ applied: 1 })

    const progress = (await p.lead.get(`/api/rounds/${pools.id}/progress`)).json()
    expect(progress.overdueTubes).toBe(1)
    expect(progress.round.turnaroundHours).toEqual({ pooled: 24, single: 6, recheck: 6 })
    const bucket = (b: string) =>
      progress.turnaround.find((x: { bucket: string }) => x.bucket === b).tubes
    expect(bucket('≤6h')).toBe(1)
    expect(bucket('≤12h')).toBe(0)

    // The rules say the same of the same tubes.
    const targets = {
      turnaroundPooledHours: 24,
      turnaroundSingleHours: 6,
      turnaroundRecheckHours: 6,
    }
    const tubes = await rows<{
      code: string
      kind: string
      opened_at: Date
      closed_at: Date
      resulted_at: Date | null
    }>(
      t.database.db,
      sql`select code, kind, opened_at, closed_at, resulted_at from tube where round_id = ${pools.id}`,
    )
    const view = (x: (typeof tubes)[number]) => ({
      kind: x.kind,
      openedAt: new Date(x.opened_at),
      closedAt: new Date(x.closed_at),
      resultedAt: x.resulted_at ? new Date(x.resulted_at) : null,
    })
    expect(
      tubes.filter((x) => tubeOverdue(targets, view(x), new Date())).map((x) => x.code),
    ).toEqual([late])
    expect(turnaroundHours(view(tubes.find((x) => x.code === quick)!))).toBe(3)

    // A single tube: its swab starts the clock (6 h), however late it was marked closed.
    const singles = await roundOf(p, 1)
    const single = await tubeOf(p, singles.id, p.codes.slice(0, 1), true)
    await backdate(single, new Date(now - 7 * HOUR), new Date(now - HOUR))
    expect((await p.lead.get(`/api/rounds/${singles.id}/progress`)).json().overdueTubes).toBe(1)

    // Reading progress raised nothing: alerts come from the sweep.
    expect(await alertsOf(p.worker, 'testing.tube_overdue')).toEqual([])
  })

  it('alerts an overdue tube once, naming the round, the place and how late, however often the sweep runs', async () => {
    const p = await place(3, '超时网格')
    const round = await roundOf(p, 10)
    const now = Date.now()
    const tube = await tubeOf(p, round.id, p.codes)
    await backdate(tube, new Date(now - 30 * HOUR), new Date(now - 27 * HOUR))

    await sweep(new Date(now))
    const [alert, ...more] = await alertsOf(p.worker, 'testing.tube_overdue')
    expect(more).toEqual([])
    expect(alert).toMatchObject({
      code: 'ALERT_TUBES_OVERDUE',
      params: { round: round.name, place: '超时网格', tubes: 1, hours: 3 },
      detail: { roundId: round.id },
      itemCount: 1,
    })
    const text = renderMessage('zh-CN', alert!.code, alert!.params)
    expect(text).toContain(`“${round.name}” 超时网格 1 管`)
    expect(text).toContain('最多已超时 3 小时')
    expect(text).toContain(tube)
    expect(renderMessage('en', alert!.code, alert!.params)).toContain('up to 3 h late')

    // Again in the same hour, and hours later: nothing new for the same tube and target.
    await sweep(new Date(now + 60_000))
    await sweep(new Date(now + 5 * HOUR))
    const after = await alertsOf(p.worker, 'testing.tube_overdue')
    expect(after).toHaveLength(1)
    expect(after[0]!.itemCount).toBe(1)
    const notices = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from overdue_notice n join tube t on t.id = n.subject_id where t.code = ${tube}`,
    )
    expect(notices).toEqual([{ n: 1 }])
  })

  it('alerts a recheck not swabbed by its deadline once, naming the person by name and household', async () => {
    const p = await place(4, '复核超时网格')
    const round = await roundOf(p, 10)
    const tube = await tubeOf(p, round.id, p.codes)
    expect((await lab([{ tubeCode: tube, result: '阳性' }])).json()).toMatchObject({
      rechecksOrdered: 4,
    })
    // One of them is swabbed in time; three are not.
    const recheckTube = uniqueCode('R')
    const swab = await p.sampler.send('POST', `/api/rounds/${round.id}/scans`, {
      scans: [scanOf(p.codes[0]!, recheckTube)],
    })
    expect(swab.json().results[0].status).toBe('accepted')

    await sweep(new Date(Date.now() + 5 * HOUR))
    expect(await alertsOf(p.worker, 'testing.recheck_overdue')).toEqual([])
    await sweep(new Date(Date.now() + 8 * HOUR))
    await sweep(new Date(Date.now() + 9 * HOUR))
    const found = await alertsOf(p.worker, 'testing.recheck_overdue')
    expect(found).toHaveLength(1)
    const [a] = found
    expect(a).toMatchObject({
      code: 'ALERT_RECHECKS_OVERDUE',
      params: {
        round: round.name,
        place: '复核超时网格',
        people: 3,
        hours: 2,
        assignee: '网格员小吴',
      },
      itemCount: 3,
    })
    const text = renderMessage('zh-CN', a!.code, a!.params)
    const late = p.people[1]!
    expect(text).toContain(`${late.name}（${late.householdLabel}）`)
    expect(text).not.toContain(p.people[0]!.name)
    expect(text).not.toMatch(/\d{17}[\dX]/)
    // The swabbed one's recheck tube, still without a result 8 h after its swab, is past its own 6 h target.
    expect(await alertsOf(p.worker, 'testing.tube_overdue')).toHaveLength(1)
  })
})

describe('grouped alerts', () => {
  it('raises one alert a grid for a result file of many positive pools and lists everyone when expanded', async () => {
    const p = await place(24, '暴发网格')
    const round = await roundOf(p, 10)
    const tubes = [
      await tubeOf(p, round.id, p.codes.slice(0, 10), true),
      await tubeOf(p, round.id, p.codes.slice(10, 20), true),
      await tubeOf(p, round.id, p.codes.slice(20, 24)),
    ]
    const res = await lab(tubes.map((tubeCode) => ({ tubeCode, result: '阳性' })))
    expect(res.json()).toMatchObject({ applied: 3, rechecksOrdered: 24, poolPositiveTubes: 3 })

    const found = await alertsOf(p.worker, 'testing.pool_positive')
    expect(found).toHaveLength(1)
    const [a] = found
    expect(a).toMatchObject({
      code: 'ALERT_POOL_POSITIVE_GROUP',
      params: { tubes: 3, people: 24, assignee: '网格员小吴' },
      itemCount: 24,
      detail: { roundId: round.id },
    })
    const text = renderMessage('zh-CN', a!.code, a!.params)
    expect(text).toContain('混管阳性 3 管')
    expect(text).toContain('24 人已临时管控')
    for (const code of tubes) expect(text).toContain(code)
    expect(text).not.toMatch(/\d{17}[\dX]/)
    // The list carries the first 20 lines; the alert itself has all of them, by name and household.
    expect(a!.detail.items).toHaveLength(20)
    const full = (await p.worker.get(`/api/alerts/${a!.id}`)).json() as AlertJson
    expect(full.detail.items).toHaveLength(24)
    const last = p.people[23]!
    expect(full.detail.items).toContainEqual(
      expect.objectContaining({ name: last.name, household: last.householdLabel, tube: tubes[2] }),
    )
    expect(JSON.stringify(full.detail.items)).not.toMatch(/\d{17}[\dX]/)

    // Another grid's worker reads neither the list nor the alert.
    const other = await place(1, '邻近网格')
    expect(await alertsOf(other.worker, 'testing.pool_positive')).toEqual([])
    expect((await other.worker.get(`/api/alerts/${a!.id}`)).statusCode).toBe(403)
  })
})
