import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { buildResident, buildRound } from '../../test/factories.js'

/*
 * A resident of another community sampled here counts for their own community's round (issue 10
 * §4, domain.md §5 "tested elsewhere within the profile's window"): community A's desk swabs a B
 * resident (flagged out of A's round); B's open round then accounts for them — not on its missed
 * list, in the excused tab as 在他处采样, counted in progress — when the swab lies within the
 * profile's tested_elsewhere window (24 h in v9, opt20 and new10) before B's round began, or
 * during it. An older swab does not count.
 */

let t: TestApp
let a: Chain
let b: Chain
let samplerA: Client
let leadB: Client
let roundA: string
let roundB: string
let visitor: { id: string; idNumber: string }
let stale: { id: string; idNumber: string }
let stayedHome: { id: string }

const HOUR = 3_600_000

const scan = (c: Client, round: string, person: string, tube: string, at = new Date()) =>
  c.send('POST', `/api/rounds/${round}/scans`, {
    scans: [
      {
        clientId: `e-${Math.random().toString(36).slice(2, 12)}`,
        person,
        tube,
        scannedAt: at.toISOString(),
      },
    ],
  })

interface MissedItem {
  residentId: string
  excusedBy: string | null
}
const idsOf = (items: MissedItem[]): string[] => items.map((m) => m.residentId)

beforeAll(async () => {
  t = await createTestApp()
  a = await buildChain(t)
  b = await buildChain(t)
  samplerA = await loginAs(t, (await buildUser(t, 'sampler', [a.community])).username)
  leadB = await loginAs(t, (await buildUser(t, 'community_lead', [b.community])).username)
  visitor = await buildResident(t, { gridId: b.grid.id, name: '外社区甲' })
  stale = await buildResident(t, { gridId: b.grid.id, name: '外社区乙' })
  stayedHome = await buildResident(t, { gridId: b.grid.id, name: '本社区丙' })
  // A's round began a day and a half ago (the stale swab is inside it); B's began an hour ago.
  roundA = (
    await buildRound(t, {
      divisionIds: [a.community.id],
      // A routine round: an area-wide one may not run longer than 24 h.
      kind: 'routine',
      startsAt: new Date(Date.now() - 36 * HOUR).toISOString(),
    })
  ).id
  roundB = (
    await buildRound(t, {
      divisionIds: [b.community.id],
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      deadline: new Date(Date.now() + 12 * HOUR).toISOString(),
    })
  ).id
  const here = await scan(samplerA, roundA, visitor.idNumber, `ELSE${Date.now()}`)
  expect(here.json().results[0]).toMatchObject({ status: 'accepted' })
  expect(here.json().results[0].warnings).toContain('out_of_scope')
  // 30 hours ago: more than the 24 h window before B's round began.
  const old = await scan(
    samplerA,
    roundA,
    stale.idNumber,
    `ELSO${Date.now()}`,
    new Date(Date.now() - 30 * HOUR),
  )
  expect(old.json().results[0]).toMatchObject({ status: 'accepted' })
})
afterAll(async () => t.close())

describe('a resident of another community sampled here', () => {
  it('is not on their own round’s missed list; the excused tab says 在他处采样', async () => {
    const missed = (await leadB.get(`/api/rounds/${roundB}/missed?limit=500`)).json()
    expect(idsOf(missed.items)).not.toContain(visitor.id)
    expect(idsOf(missed.items)).toContain(stayedHome.id)
    const excused = (await leadB.get(`/api/rounds/${roundB}/missed?view=excused&limit=500`)).json()
    const item = excused.items.find((m: MissedItem) => m.residentId === visitor.id)
    expect(item).toMatchObject({ excused: true, excusedBy: 'elsewhere' })
  })

  it('counts as accounted for in their own round’s progress', async () => {
    const p = (await leadB.get(`/api/rounds/${roundB}/progress`)).json()
    expect(p.totals).toMatchObject({ inScope: 3, sampled: 0, excused: 1, missed: 2 })
  })

  it('does not count a swab older than the profile’s tested-elsewhere window', async () => {
    const missed = (await leadB.get(`/api/rounds/${roundB}/missed?limit=500`)).json()
    expect(idsOf(missed.items)).toContain(stale.id)
  })
})
