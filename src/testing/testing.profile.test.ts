import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ageInYears,
  areaRoundRefusal,
  areaStopAdvice,
  cleanStreak,
  frequencyWindow,
  missedReasonRefusal,
  specimenTypeRefusal,
  testingProfile,
  windowStart,
  zonePool,
  type TestingProfile,
} from './testing.rules.js'
import { KEY_GROUP_KINDS } from './testing.tables.js'

/**
 * The testing section of the bundled profiles (domain.md §5): every value that used to be in code
 * is profile data with its source, the schema refuses what the rules forbid, and the rules read it.
 */
const load = (name: string): unknown =>
  JSON.parse(
    fs.readFileSync(new URL(`../policy/profiles/${name}/testing.json`, import.meta.url), 'utf8'),
  ) as unknown
const parsed = (name: string): TestingProfile => testingProfile.parse(load(name))
const v9 = parsed('v9')
const opt20 = parsed('opt20')
const new10 = parsed('new10')

/** The first issue's path, or undefined when the section is valid. */
function problem(section: unknown): string | undefined {
  const r = testingProfile.safeParse(section)
  return r.success ? undefined : r.error.issues.map((i) => i.path.join('.')).join(' ')
}
const edit = (f: (s: Record<string, unknown>) => void): unknown => {
  const s = structuredClone(load('v9')) as Record<string, unknown>
  f(s)
  return s
}

describe('bundled testing sections', () => {
  it('hold the values of domain.md §5 per profile, each section with its source', () => {
    for (const p of [v9, opt20, new10]) {
      expect(p.householdTubeCapacity).toBeLessThanOrEqual(Math.max(...p.poolSizes))
      expect(p.zonePoolSizes).toMatchObject({ sealed: 'household', controlled: 10, precaution: 20 })
      expect(p.ct).toMatchObject({ positiveBelow: 35, releaseAtLeast: 35 })
      expect(p.areaRounds.stopRule).toEqual({ cleanRounds: 3, waitDays: 3, finalRounds: 1 })
      expect(p.areaRoundHours).toBe(24)
      expect(p.missedReasons.infant?.maxAgeYears).toBeGreaterThan(0)
      expect(p.missedReasons.tested_elsewhere?.withinHours).toBeGreaterThan(0)
      expect(p.missedReasons.vaccinated?.withinHours).toBe(48)
      // Home isolation is swabbed at the door, a refusal escalated, moved out / deceased sent to the registry.
      expect(p.missedReasons.home_isolation).toMatchObject({
        excludes: false,
        action: 'door_to_door',
      })
      expect(p.missedReasons.refused).toMatchObject({ excludes: false, action: 'escalate' })
      expect(p.missedReasons.moved_out).toMatchObject({ excludes: false, action: 'fix_registry' })
      expect(p.missedReasons.deceased).toMatchObject({ excludes: false, action: 'fix_registry' })
      expect(p.keyJobs.inbound_contact?.frequency).toBe('daily')
      expect(p.routineFrequencies.twice_weekly).toMatchObject({ kind: 'per_week', times: 2 })
      for (const kind of Object.keys(p.keyJobs))
        expect(KEY_GROUP_KINDS as readonly string[]).toContain(kind)
      const cites = [
        p.cite,
        p.singleTubeCite,
        p.zonePoolSizes.cite,
        p.areaRounds.cite,
        p.dayCounting.cite,
        p.ct.cite,
        ...Object.values(p.keyJobs).map((j) => j.cite),
        ...Object.values(p.routineFrequencies).map((f) => f.cite),
        ...Object.values(p.missedReasons).map((r) => r.cite),
      ]
      for (const c of cites) expect(c).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(v9.areaRounds.allowed).toBe('always')
    expect(opt20.areaRounds.allowed).toBe('with_reason')
    expect(opt20.areaRounds.cite).toContain('二十条')
    expect(new10.areaRounds.allowed).toBe('never')
    expect([v9.antigenAllowed, opt20.antigenAllowed, new10.antigenAllowed]).toEqual([
      false,
      false,
      true,
    ])
    expect(new10.specimenTypes).toContain('antigen_self')
    expect(v9.specimenTypes).toEqual(['throat', 'nasal', 'nasopharyngeal'])
  })

  it('refuses a section the rules forbid, naming the bad field', () => {
    expect(problem(load('v9'))).toBeUndefined()
    expect(problem(edit((s) => (s.householdTubeCapacity = 50)))).toBe('householdTubeCapacity')
    expect(problem(edit((s) => (s.defaultPoolSize = 8)))).toBe('defaultPoolSize')
    expect(
      problem(
        edit(
          (s) =>
            ((s.keyJobs as Record<string, { frequency: string }>).medical!.frequency = 'hourly'),
        ),
      ),
    ).toBe('keyJobs.medical.frequency')
    expect(
      problem(
        edit((s) => {
          const r = (s.missedReasons as Record<string, { excludes: boolean; action: string }>)
            .refused!
          r.excludes = true
          r.action = 'excuse'
        }),
      ),
    ).toBe('missedReasons.refused')
    expect(
      problem(
        edit(
          (s) =>
            delete (s.missedReasons as Record<string, { maxAgeYears?: number }>).infant!
              .maxAgeYears,
        ),
      ),
    ).toBe('missedReasons.infant.maxAgeYears')
    expect(problem(edit((s) => (s.antigenAllowed = true)))).toBe('specimenTypes')
    expect(problem(edit((s) => delete (s.areaRounds as Record<string, unknown>).cite))).toBe(
      'areaRounds.cite',
    )
  })
})

describe('profile values applied', () => {
  it('turns each kind of frequency into a window of swabs', () => {
    expect(frequencyWindow({ kind: 'every_days', days: 1, cite: 'x' })).toEqual({
      days: 1,
      tests: 1,
    })
    expect(frequencyWindow({ kind: 'every_days', days: 2, cite: 'x' })).toEqual({
      days: 2,
      tests: 1,
    })
    expect(frequencyWindow({ kind: 'per_week', times: 2, cite: 'x' })).toEqual({
      days: 7,
      tests: 2,
    })
    // 20 % of the group a day: each member in turn, once every 5 days.
    expect(frequencyWindow({ kind: 'share', share: 0.2, days: 1, cite: 'x' })).toEqual({
      days: 5,
      tests: 1,
    })
    expect(frequencyWindow({ kind: 'share', share: 0.3, days: 2, cite: 'x' })).toEqual({
      days: 7,
      tests: 1,
    })
  })

  it('counts windows from the start of the local day or from now, as the profile says', () => {
    const now = new Date('2026-12-02T01:00:00Z') // 09:00 in Shanghai
    const start = new Date('2026-12-01T16:00:00Z') // 00:00 in Shanghai
    expect(windowStart('calendar_days', 1, now, start).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    )
    expect(windowStart('elapsed_hours', 1, now, start).toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    )
  })

  it('sizes a zone’s tubes: sealed one household a tube, controlled 10, precaution 20', () => {
    expect(zonePool(v9, 'sealed')).toEqual({ poolSize: 20, householdPool: true })
    expect(zonePool(v9, 'controlled')).toEqual({ poolSize: 10, householdPool: false })
    expect(zonePool(v9, 'precaution')).toEqual({ poolSize: 20, householdPool: false })
    expect(
      zonePool({ ...v9, zonePoolSizes: { ...v9.zonePoolSizes, sealed: 1 } }, 'sealed'),
    ).toEqual({ poolSize: 1, householdPool: false })
  })

  it('lets an area-wide round open under v9, under opt20 only with a reason, never under new10', () => {
    expect(areaRoundRefusal(v9.areaRounds, undefined)).toBeUndefined()
    expect(areaRoundRefusal(opt20.areaRounds, '  ')).toBe('ROUND_AREA_NEEDS_REASON')
    expect(areaRoundRefusal(opt20.areaRounds, '传播链不清')).toBeUndefined()
    expect(areaRoundRefusal(new10.areaRounds, '传播链不清')).toBe('ROUND_AREA_NOT_ALLOWED')
  })

  it('applies the stop rule: 3 clean rounds, wait 3 days, one more, stop', () => {
    const rule = v9.areaRounds.stopRule!
    const r = (day: string, positive = false) => ({ day, positive })
    expect(areaStopAdvice(rule, [r('2026-12-01'), r('2026-12-02')])).toEqual({ next: 'continue' })
    // A positive resets the count.
    expect(
      areaStopAdvice(rule, [
        r('2026-11-29'),
        r('2026-11-30'),
        r('2026-12-01', true),
        r('2026-12-02'),
      ]),
    ).toEqual({ next: 'continue' })
    expect(cleanStreak([r('2026-11-29'), r('2026-11-30', true), r('2026-12-01')])).toBe(1)
    expect(cleanStreak([])).toBe(0)
    expect(areaStopAdvice(rule, [r('2026-11-29'), r('2026-11-30'), r('2026-12-01')])).toEqual({
      next: 'wait',
      until: '2026-12-04',
    })
    // Month end: the wait rolls into the next month.
    expect(areaStopAdvice(rule, [r('2026-11-28'), r('2026-11-29'), r('2026-11-30')])).toEqual({
      next: 'wait',
      until: '2026-12-03',
    })
    expect(
      areaStopAdvice(rule, [r('2026-11-29'), r('2026-11-30'), r('2026-12-01'), r('2026-12-04')]),
    ).toEqual({ next: 'stop' })
  })

  it('checks a missed-test reason against the profile’s parameters', () => {
    const now = new Date('2026-12-02T04:00:00Z')
    const facts = { age: 2, note: null, eventAt: undefined, now }
    expect(missedReasonRefusal('infant', v9.missedReasons.infant!, facts)).toBeUndefined()
    expect(missedReasonRefusal('infant', v9.missedReasons.infant!, { ...facts, age: 3 })).toEqual({
      field: 'reason',
      code: 'MISSED_INFANT_TOO_OLD',
      params: { years: 3 },
    })
    expect(
      missedReasonRefusal('infant', v9.missedReasons.infant!, { ...facts, age: null }),
    ).toMatchObject({ code: 'MISSED_INFANT_TOO_OLD' })
    const elsewhere = v9.missedReasons.tested_elsewhere!
    expect(missedReasonRefusal('tested_elsewhere', elsewhere, facts)).toMatchObject({
      code: 'MISSED_REASON_NEEDS_NOTE',
    })
    const note = '鼓楼医院核酸阴性报告'
    expect(missedReasonRefusal('tested_elsewhere', elsewhere, { ...facts, note })).toMatchObject({
      code: 'MISSED_REASON_NEEDS_TIME',
      field: 'eventAt',
    })
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000)
    expect(
      missedReasonRefusal('tested_elsewhere', elsewhere, { ...facts, note, eventAt: hoursAgo(23) }),
    ).toBeUndefined()
    expect(
      missedReasonRefusal('tested_elsewhere', elsewhere, { ...facts, note, eventAt: hoursAgo(25) }),
    ).toEqual({
      field: 'eventAt',
      code: 'MISSED_REASON_OUTSIDE_WINDOW',
      params: { hours: 24, reason: 'tested_elsewhere' },
    })
    expect(
      missedReasonRefusal('vaccinated', v9.missedReasons.vaccinated!, {
        ...facts,
        eventAt: hoursAgo(47),
      }),
    ).toBeUndefined()
  })

  it('takes antigen self-tests only where the profile allows antigen (new10)', () => {
    expect(specimenTypeRefusal('antigen_self', v9.specimenTypes, 'v9')).toMatchObject({
      field: 'specimenType',
      code: 'SCAN_SPECIMEN_TYPE_NOT_ALLOWED',
    })
    expect(specimenTypeRefusal('antigen_self', new10.specimenTypes, 'new10')).toBeUndefined()
    expect(specimenTypeRefusal('nasopharyngeal', v9.specimenTypes, 'v9')).toBeUndefined()
    expect(specimenTypeRefusal(undefined, v9.specimenTypes, 'v9')).toBeUndefined()
  })

  it('counts ages in whole years on the local day, the birthday included', () => {
    expect(ageInYears('2023-12-02', '2026-12-01')).toBe(2)
    expect(ageInYears('2023-12-02', '2026-12-02')).toBe(3)
    expect(ageInYears('2024-02-29', '2027-02-28')).toBe(2)
    expect(ageInYears('2024-02-29', '2027-03-01')).toBe(3)
  })
})
