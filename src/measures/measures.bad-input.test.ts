import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inTransaction } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import {
  activatePolicyProfile,
  addPolicyOverride,
  withdrawPolicyOverride,
} from '../policy/policy.service.js'
import { addDays } from '../core/clock.js'
import type { AppError } from '../core/errors.js'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import { buildGrid, buildResident, buildUser, type BuiltUser } from '../../test/factories.js'
import type { MeasureCategory } from './measures.profile.js'
import {
  getMeasure,
  listMeasures,
  measureIndicators,
  measureNotice,
  recordCheckin,
  startMeasure,
} from './measures.service.js'
import type { MeasureDetailOut } from './measures.schema.js'

/**
 * Dates at the edges (issue 10 "Bad input"): every local date is the deployment's
 * (Asia/Shanghai), whatever the process's zone — this file also runs under
 * TZ=America/Los_Angeles — at midnight, across month ends and a leap day; and a change of
 * profile in the middle of a measure: the measure keeps the rules it started under, and says so.
 */

let t: TestApp
let worker: BuiltUser
let gridId: string

beforeAll(async () => {
  t = await createTestApp()
  const grid = await buildGrid(t)
  gridId = grid.id
  worker = await buildUser(t, { role: 'grid_worker', scope: [grid] })
})
afterAll(async () => t?.close())

async function start(
  category: MeasureCategory,
  anchorAt: string,
  now: string,
  extra: { daysAlreadyServed?: number } = {},
): Promise<MeasureDetailOut> {
  const r = await buildResident(t, { gridId })
  return inTransaction(t.database.db, (tx) =>
    startMeasure(
      tx,
      t.ring,
      worker.actor,
      { residentId: r.id, category, anchorAt, ...extra },
      new Date(now),
    ),
  )
}

describe('local dates at midnight (Asia/Shanghai, not the process zone)', () => {
  it('puts an anchor at 00:30 Shanghai (16:30 UTC the day before) on the Shanghai day', async () => {
    const m = await start('close_contact', '2026-03-31T16:30:00Z', '2026-04-02T01:00:00Z')
    expect(m.anchorDate).toBe('2026-04-01')
    expect(m.testDays.map((d) => d.date)).toEqual([
      '2026-04-02',
      '2026-04-03',
      '2026-04-04',
      '2026-04-06',
      '2026-04-08',
      '2026-04-11',
    ])
    expect(m.plannedEnd).toBe('2026-04-11')
    const before = await start('close_contact', '2026-03-31T15:59:00Z', '2026-04-02T01:00:00Z')
    expect(before.anchorDate).toBe('2026-03-31')
    expect(before.plannedEnd).toBe('2026-04-10')
  })

  it('counts the day and the check-in slot by the Shanghai clock: 23:59 is that day pm, 00:00 the next day am', async () => {
    const m = await start('secondary_contact', '2026-04-01T02:00:00Z', '2026-04-01T03:00:00Z')
    const late = await inTransaction(t.database.db, (tx) =>
      recordCheckin(
        tx,
        worker.actor,
        m.id,
        { temperature: 36.6, symptoms: [] },
        new Date('2026-04-01T15:59:30Z'),
      ),
    )
    expect(late.checkin).toMatchObject({ date: '2026-04-01', slot: 'pm' })
    const early = await inTransaction(t.database.db, (tx) =>
      recordCheckin(
        tx,
        worker.actor,
        m.id,
        { temperature: 36.7, symptoms: [] },
        new Date('2026-04-01T16:00:30Z'),
      ),
    )
    expect(early.checkin).toMatchObject({ date: '2026-04-02', slot: 'am' })
    expect(early.replaced).toBe(false)
    // The duty is the Shanghai day's: day 1 (a test day) began at 16:00 UTC.
    const at2355 = await getMeasure(
      t.database.db,
      t.ring,
      worker.actor,
      m.id,
      new Date('2026-04-01T15:55:00Z'),
    )
    expect(at2355.duties).toMatchObject({ today: '2026-04-01', dayNumber: 0, testDueToday: false })
    const at0005 = await getMeasure(
      t.database.db,
      t.ring,
      worker.actor,
      m.id,
      new Date('2026-04-01T16:05:00Z'),
    )
    expect(at0005.duties).toMatchObject({ today: '2026-04-02', dayNumber: 1, testDueToday: true })
  })

  it('answers the boards for the Shanghai day: the test due on day 1 appears at 00:05, not at 23:55', async () => {
    const m = await start('secondary_contact', '2026-05-10T03:00:00Z', '2026-05-10T04:00:00Z')
    const board = (now: string) =>
      listMeasures(
        t.database.db,
        t.ring,
        worker.actor,
        { list: 'test_due', limit: 200 },
        new Date(now),
      )
    const before = await board('2026-05-10T15:55:00Z')
    expect(before.today).toBe('2026-05-10')
    expect(before.items.map((i) => i.id)).not.toContain(m.id)
    const after = await board('2026-05-10T16:05:00Z')
    expect(after.today).toBe('2026-05-11')
    expect(after.items.find((i) => i.id === m.id)).toMatchObject({
      dayNumber: 1,
      testDueToday: true,
    })
    // The pm slot is owed from noon Shanghai (04:00 UTC), not from the process's noon.
    const missing = (now: string) =>
      listMeasures(
        t.database.db,
        t.ring,
        worker.actor,
        { list: 'checkin_missing', limit: 200 },
        new Date(now),
      )
    await inTransaction(t.database.db, (tx) =>
      recordCheckin(
        tx,
        worker.actor,
        m.id,
        { temperature: 36.5, symptoms: [] },
        new Date('2026-05-11T01:00:00Z'),
      ),
    )
    expect((await missing('2026-05-11T03:30:00Z')).items.map((i) => i.id)).not.toContain(m.id)
    expect((await missing('2026-05-11T04:30:00Z')).items.map((i) => i.id)).toContain(m.id)
    const ind = await measureIndicators(
      t.database.db,
      worker.actor,
      {},
      new Date('2026-05-11T04:30:00Z'),
    )
    expect(ind.today).toBe('2026-05-11')
    expect(ind.checkinsMissing).toBeGreaterThanOrEqual(1)
  })
})

describe('month ends and leap days', () => {
  it('rolls test days over the end of January', async () => {
    const m = await start('close_contact', '2026-01-28T04:00:00Z', '2026-01-28T05:00:00Z')
    expect(m.testDays.map((d) => d.date)).toEqual([
      '2026-01-29',
      '2026-01-30',
      '2026-01-31',
      '2026-02-02',
      '2026-02-04',
      '2026-02-07',
    ])
    expect(m.phases.map((p) => [p.firstDay, p.lastDay])).toEqual([
      ['2026-01-29', '2026-02-04'],
      ['2026-02-05', '2026-02-07'],
    ])
  })

  it('counts 29 February in a leap year and a year end', async () => {
    const leap = await start('secondary_contact', '2028-02-25T04:00:00Z', '2028-02-25T05:00:00Z')
    expect(leap.testDays.map((d) => d.date)).toEqual(['2028-02-26', '2028-02-29', '2028-03-03'])
    const year = await start('secondary_contact', '2026-12-31T17:00:00Z', '2027-01-01T05:00:00Z')
    expect(year.anchorDate).toBe('2027-01-01')
    const eve = await start('secondary_contact', '2026-12-31T15:00:00Z', '2027-01-01T05:00:00Z')
    expect(eve.anchorDate).toBe('2026-12-31')
    expect(eve.testDays.map((d) => d.date)).toEqual(['2027-01-01', '2027-01-04', '2027-01-07'])
  })
})

/** Puts `name` in force now, as an administrator does (audited, through the policy service). */
async function switchProfile(name: string): Promise<void> {
  await inTransaction(t.database.db, (tx) =>
    activatePolicyProfile(tx, systemActor('test'), { profile: name, reason: '测试切换方案' }),
  )
}

describe('a change of profile in the middle of a measure', () => {
  it('keeps the rules the measure started under and says so; new measures follow the new profile', async () => {
    const now = new Date().toISOString()
    const anchor = new Date(Date.now() - 2 * 86_400_000).toISOString()
    const old = await start('close_contact', anchor, now)
    expect(old.profile).toBe('v9')
    expect(old.phases.map((p) => p.kind)).toEqual([
      'centralized_isolation',
      'home_health_monitoring',
    ])
    try {
      await switchProfile('opt20')
      const kept = await getMeasure(t.database.db, t.ring, worker.actor, old.id)
      expect(kept).toMatchObject({ profile: 'v9', profileNow: 'opt20', profileChanged: true })
      expect(kept.plannedEnd).toBe(old.plannedEnd)
      expect(kept.testDays.map((d) => d.day)).toEqual([1, 2, 3, 5, 7, 10])

      const fresh = await start('close_contact', anchor, now)
      expect(fresh).toMatchObject({ profile: 'opt20', profileChanged: false })
      expect(fresh.phases.map((p) => p.kind)).toEqual(['centralized_isolation', 'home_isolation'])
      expect(fresh.testDays.map((d) => d.day)).toEqual([1, 2, 3, 5, 6, 8])
      // opt20 identifies no secondary contacts.
      const err = await start('secondary_contact', anchor, now).catch((e: unknown) => e as AppError)
      expect(err).toMatchObject({
        status: 400,
        code: 'MEASURE_CATEGORY_NOT_IDENTIFIED',
        field: 'category',
      })
    } finally {
      await switchProfile('v9')
    }
  })
})

describe('a local override', () => {
  it('changes the measure and is shown as data beside the national value, and in the notice', async () => {
    const sys = systemActor('test')
    const o = await inTransaction(t.database.db, (tx) =>
      addPolicyOverride(tx, sys, {
        profile: 'v9',
        section: 'measures',
        path: 'categories.secondary_contact.phases.0.days',
        value: 10,
        reason: '本市规定延长',
      }),
    )
    try {
      const now = new Date().toISOString()
      const m = await start(
        'secondary_contact',
        new Date(Date.now() - 86_400_000).toISOString(),
        now,
      )
      expect(m.plannedEnd).toBe(addDays(m.anchorDate, 10))
      expect(m.overrides).toEqual([
        expect.objectContaining({
          path: 'categories.secondary_contact.phases.0.days',
          value: 10,
          national: 7,
          reason: '本市规定延长',
        }),
      ])
      const notice = await measureNotice(
        t.database.db,
        t.ring,
        worker.actor,
        m.id,
        'start',
        'zh-CN',
      )
      expect(notice.overrides).toEqual(['天数：10，本地规定，国家为 7（本市规定延长）'])
      // Withdrawn later, the measure keeps the rule it started under.
      await inTransaction(t.database.db, (tx) => withdrawPolicyOverride(tx, sys, o.id, '测试结束'))
      const kept = await getMeasure(t.database.db, t.ring, worker.actor, m.id)
      expect(kept.plannedEnd).toBe(m.plannedEnd)
      expect(kept.overrides).toHaveLength(1)
    } finally {
      await inTransaction(t.database.db, (tx) =>
        withdrawPolicyOverride(tx, sys, o.id, '测试结束'),
      ).catch(() => undefined)
    }
  })
})
