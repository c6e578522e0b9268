import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  MEASURE_CATEGORIES,
  measuresSection,
  type MeasureCategory,
  type MeasuresSettings,
  type PhaseKind,
} from './measures.profile.js'
import {
  dutiesOn,
  dutyColumns,
  planMeasure,
  releaseChecks,
  type HomeFacts,
  type MeasurePlan,
  type ReleaseResult,
} from './measures.rules.js'

const PROFILES = ['v9', 'opt20', 'new10'] as const
type Profile = (typeof PROFILES)[number]

const settingsOf = (profile: Profile): MeasuresSettings =>
  measuresSection.parse(
    JSON.parse(
      fs.readFileSync(
        new URL(`../policy/profiles/${profile}/measures.json`, import.meta.url),
        'utf8',
      ),
    ),
  )
const SETTINGS = Object.fromEntries(PROFILES.map((p) => [p, settingsOf(p)])) as Record<
  Profile,
  MeasuresSettings
>

function plan(
  profile: Profile | MeasuresSettings,
  category: MeasureCategory,
  anchorDate: string,
  more: { daysAlreadyServed?: number; home?: HomeFacts; chooseAlternative?: boolean } = {},
): MeasurePlan {
  const s = typeof profile === 'string' ? SETTINGS[profile] : profile
  const r = planMeasure(s, category, { anchorDate, ...more })
  if (!r.ok) throw new Error(`${category} not identified`)
  return r.plan
}

type Ph = [PhaseKind, string, string | null, string[]]
const phasesOf = (p: MeasurePlan): Ph[] =>
  p.phases.map((x) => [x.kind, x.firstDay, x.lastDay, x.testDays])

/* ---------------------------------------------------------------- domain.md §7, row by row */

interface Row {
  profile: Profile
  category: MeasureCategory
  anchor: string
  anchorDate: string
  phases: Ph[]
  end: string | null
  endCondition: MeasurePlan['endCondition']
  releaseCt?: number
}

// Day 0 is the anchor's day: a close contact last exposed on 1 July starts day 1 on 2 July.
const TABLE: Row[] = [
  // v9 (2022-06)
  {
    profile: 'v9',
    category: 'close_contact',
    anchor: 'last_exposure',
    anchorDate: '2022-07-01',
    phases: [
      [
        'centralized_isolation',
        '2022-07-02',
        '2022-07-08',
        ['2022-07-02', '2022-07-03', '2022-07-04', '2022-07-06', '2022-07-08'],
      ],
      ['home_health_monitoring', '2022-07-09', '2022-07-11', ['2022-07-11']],
    ],
    end: '2022-07-11',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'secondary_contact',
    anchor: 'last_contact_with_close_contact',
    anchorDate: '2022-07-01',
    phases: [
      ['home_isolation', '2022-07-02', '2022-07-08', ['2022-07-02', '2022-07-05', '2022-07-08']],
    ],
    end: '2022-07-08',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'inbound',
    anchor: 'entry',
    anchorDate: '2022-07-01',
    phases: [
      [
        'centralized_isolation',
        '2022-07-02',
        '2022-07-08',
        ['2022-07-02', '2022-07-03', '2022-07-04', '2022-07-06', '2022-07-08'],
      ],
      ['home_health_monitoring', '2022-07-09', '2022-07-11', ['2022-07-11']],
    ],
    end: '2022-07-11',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'high_risk_area',
    anchor: 'left_area',
    anchorDate: '2022-07-01',
    phases: [
      [
        'centralized_isolation',
        '2022-07-02',
        '2022-07-08',
        ['2022-07-02', '2022-07-03', '2022-07-04', '2022-07-06', '2022-07-08'],
      ],
    ],
    end: '2022-07-08',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'medium_risk_area',
    anchor: 'left_area',
    anchorDate: '2022-07-01',
    phases: [
      ['home_isolation', '2022-07-02', '2022-07-08', ['2022-07-02', '2022-07-05', '2022-07-08']],
    ],
    end: '2022-07-08',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'low_risk_area',
    anchor: 'arrival',
    anchorDate: '2022-07-01',
    phases: [['test_only', '2022-07-02', '2022-07-04', []]],
    end: '2022-07-04',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'closed_loop_worker',
    anchor: 'end_of_closed_loop',
    anchorDate: '2022-07-01',
    phases: [['home_isolation', '2022-07-02', '2022-07-08', []]],
    end: '2022-07-08',
    endCondition: 'duration',
  },
  {
    profile: 'v9',
    category: 'infected',
    anchor: 'first_positive',
    anchorDate: '2022-07-01',
    phases: [['designated_facility', '2022-07-01', null, []]],
    end: null,
    endCondition: 'ct_at_least',
    releaseCt: 35,
  },
  {
    profile: 'v9',
    category: 'temporary_control',
    anchor: 'pool_result',
    anchorDate: '2022-07-01',
    phases: [['temporary_control', '2022-07-01', null, []]],
    end: null,
    endCondition: 'negative_single_tube',
  },
  // opt20 (2022-11)
  {
    profile: 'opt20',
    category: 'close_contact',
    anchor: 'last_exposure',
    anchorDate: '2022-11-20',
    phases: [
      [
        'centralized_isolation',
        '2022-11-21',
        '2022-11-25',
        ['2022-11-21', '2022-11-22', '2022-11-23', '2022-11-25'],
      ],
      ['home_isolation', '2022-11-26', '2022-11-28', ['2022-11-26', '2022-11-28']],
    ],
    end: '2022-11-28',
    endCondition: 'duration',
  },
  {
    profile: 'opt20',
    category: 'inbound',
    anchor: 'entry',
    anchorDate: '2022-11-20',
    phases: [
      [
        'centralized_isolation',
        '2022-11-21',
        '2022-11-25',
        ['2022-11-21', '2022-11-22', '2022-11-23', '2022-11-25'],
      ],
      ['home_isolation', '2022-11-26', '2022-11-28', ['2022-11-26', '2022-11-28']],
    ],
    end: '2022-11-28',
    endCondition: 'duration',
    releaseCt: 35,
  },
  {
    profile: 'opt20',
    category: 'high_risk_area',
    anchor: 'left_area',
    anchorDate: '2022-11-20',
    phases: [
      [
        'home_isolation',
        '2022-11-21',
        '2022-11-27',
        ['2022-11-21', '2022-11-23', '2022-11-25', '2022-11-27'],
      ],
    ],
    end: '2022-11-27',
    endCondition: 'duration',
  },
  {
    profile: 'opt20',
    category: 'closed_loop_worker',
    anchor: 'end_of_closed_loop',
    anchorDate: '2022-11-20',
    phases: [
      [
        'home_health_monitoring',
        '2022-11-21',
        '2022-11-25',
        ['2022-11-21', '2022-11-23', '2022-11-25'],
      ],
    ],
    end: '2022-11-25',
    endCondition: 'duration',
  },
  {
    profile: 'opt20',
    category: 'infected',
    anchor: 'first_positive',
    anchorDate: '2022-11-20',
    phases: [['designated_facility', '2022-11-20', null, []]],
    end: null,
    endCondition: 'ct_at_least',
    releaseCt: 35,
  },
  {
    profile: 'opt20',
    category: 'temporary_control',
    anchor: 'pool_result',
    anchorDate: '2022-11-20',
    phases: [['temporary_control', '2022-11-20', null, []]],
    end: null,
    endCondition: 'negative_single_tube',
  },
  // new10 (2022-12)
  {
    profile: 'new10',
    category: 'close_contact',
    anchor: 'last_exposure',
    anchorDate: '2022-12-20',
    phases: [['home_isolation', '2022-12-21', '2022-12-25', ['2022-12-25']]],
    end: '2022-12-25',
    endCondition: 'duration',
  },
  {
    profile: 'new10',
    category: 'inbound',
    anchor: 'entry',
    anchorDate: '2022-12-20',
    phases: [
      [
        'centralized_isolation',
        '2022-12-21',
        '2022-12-25',
        ['2022-12-21', '2022-12-22', '2022-12-23', '2022-12-25'],
      ],
      ['home_isolation', '2022-12-26', '2022-12-28', ['2022-12-26', '2022-12-28']],
    ],
    end: '2022-12-28',
    endCondition: 'duration',
    releaseCt: 35,
  },
  {
    profile: 'new10',
    category: 'infected',
    anchor: 'first_positive',
    anchorDate: '2022-12-20',
    phases: [['home_isolation', '2022-12-21', '2022-12-27', ['2022-12-26', '2022-12-27']]],
    end: '2022-12-27',
    endCondition: 'ct_at_least',
    releaseCt: 35,
  },
  {
    profile: 'new10',
    category: 'temporary_control',
    anchor: 'pool_result',
    anchorDate: '2022-12-20',
    phases: [['temporary_control', '2022-12-20', null, []]],
    end: null,
    endCondition: 'negative_single_tube',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'v9',
    category: 'zone_sealed',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['stay_home', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'v9',
    category: 'zone_controlled',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['stay_in_area', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'v9',
    category: 'zone_precaution',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['self_protection', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'opt20',
    category: 'zone_sealed',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['stay_home', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'opt20',
    category: 'zone_precaution',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['self_protection', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'new10',
    category: 'zone_sealed',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['stay_home', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
  // §6: the people inside a risk area, from the day it is drawn until it is lowered or lifted.
  {
    profile: 'new10',
    category: 'zone_precaution',
    anchor: 'area_level',
    anchorDate: '2022-12-20',
    phases: [['self_protection', '2022-12-20', null, []]],
    end: null,
    endCondition: 'area_change',
  },
]

const NOT_IDENTIFIED: Record<Profile, MeasureCategory[]> = {
  v9: [],
  opt20: ['secondary_contact', 'medium_risk_area', 'low_risk_area', 'zone_controlled'],
  new10: [
    'secondary_contact',
    'high_risk_area',
    'medium_risk_area',
    'low_risk_area',
    'closed_loop_worker',
    'zone_controlled',
  ],
}

describe('planMeasure: every category under each profile (domain.md §7)', () => {
  it('the table covers every category of every profile, identified or not', () => {
    for (const profile of PROFILES) {
      const covered = [
        ...TABLE.filter((r) => r.profile === profile).map((r) => r.category),
        ...NOT_IDENTIFIED[profile],
      ].sort()
      expect(covered).toEqual([...MEASURE_CATEGORIES].sort())
    }
  })

  it.each(TABLE.map((r) => [`${r.profile} ${r.category}`, r] as const))('%s', (_, row) => {
    const rule = SETTINGS[row.profile].categories[row.category]!
    expect(rule.anchor).toBe(row.anchor)
    const p = plan(row.profile, row.category, row.anchorDate)
    expect(phasesOf(p)).toEqual(row.phases)
    expect(p.plannedEnd).toBe(row.end)
    expect(p.testDays).toEqual(row.phases.flatMap((x) => x[3]).sort())
    expect(p.endCondition).toBe(row.endCondition)
    expect(p.releaseCt).toBe(row.releaseCt ?? null)
    expect(p.daysCredited).toBe(0)
    expect(p.homeFallback).toEqual([])
  })

  it.each(PROFILES.flatMap((p) => NOT_IDENTIFIED[p].map((c) => [p, c] as const)))(
    '%s does not identify %s',
    (profile, category) => {
      expect(planMeasure(SETTINGS[profile], category, { anchorDate: '2022-12-20' })).toEqual({
        ok: false,
        code: 'MEASURE_CATEGORY_NOT_IDENTIFIED',
      })
    },
  )

  it('new10 keeps opt20 inbound rule until it ended on 2023-01-08', () => {
    expect(planMeasure(SETTINGS.new10, 'inbound', { anchorDate: '2023-01-07' }).ok).toBe(true)
    expect(planMeasure(SETTINGS.new10, 'inbound', { anchorDate: '2023-01-08' })).toEqual({
      ok: false,
      code: 'MEASURE_CATEGORY_NOT_IDENTIFIED',
    })
    expect(phasesOf(plan('new10', 'inbound', '2022-12-20'))).toEqual(
      phasesOf(plan('opt20', 'inbound', '2022-12-20')),
    )
  })

  it('v9 low-risk area: 2 tests within 3 days, at least 24 h apart', () => {
    expect(plan('v9', 'low_risk_area', '2022-07-01').testsWithin).toEqual({
      count: 2,
      days: 3,
      minHoursApart: 24,
    })
  })
})

describe('planMeasure: calendar and day counting', () => {
  it('rolls over a month end', () => {
    expect(phasesOf(plan('v9', 'close_contact', '2022-06-28'))).toEqual([
      [
        'centralized_isolation',
        '2022-06-29',
        '2022-07-05',
        ['2022-06-29', '2022-06-30', '2022-07-01', '2022-07-03', '2022-07-05'],
      ],
      ['home_health_monitoring', '2022-07-06', '2022-07-08', ['2022-07-08']],
    ])
    // February of a common year has 28 days.
    expect(phasesOf(plan('opt20', 'close_contact', '2023-02-26'))).toEqual([
      [
        'centralized_isolation',
        '2023-02-27',
        '2023-03-03',
        ['2023-02-27', '2023-02-28', '2023-03-01', '2023-03-03'],
      ],
      ['home_isolation', '2023-03-04', '2023-03-06', ['2023-03-04', '2023-03-06']],
    ])
  })

  it('rolls over a year end', () => {
    const p = plan('new10', 'infected', '2022-12-28')
    expect(p.testDays).toEqual(['2023-01-03', '2023-01-04'])
    expect(p.plannedEnd).toBe('2023-01-04')
    const cc = plan('v9', 'close_contact', '2022-12-27')
    expect(cc.testDays).toEqual([
      '2022-12-28',
      '2022-12-29',
      '2022-12-30',
      '2023-01-01',
      '2023-01-03',
      '2023-01-06',
    ])
    expect(cc.plannedEnd).toBe('2023-01-06')
  })

  it('counts the anchor as day 1 where the profile says so, one day earlier throughout', () => {
    const s: MeasuresSettings = { ...SETTINGS.v9, dayZero: 'anchor_is_day_1' }
    const p = plan(s, 'close_contact', '2022-07-01')
    expect(phasesOf(p)).toEqual([
      [
        'centralized_isolation',
        '2022-07-01',
        '2022-07-07',
        ['2022-07-01', '2022-07-02', '2022-07-03', '2022-07-05', '2022-07-07'],
      ],
      ['home_health_monitoring', '2022-07-08', '2022-07-10', ['2022-07-10']],
    ])
    expect(p.plannedEnd).toBe('2022-07-10')
    expect(dutiesOn(p, '2022-07-01', { swabDays: [], checkins: [] }, 2).dayNumber).toBe(1)
    expect(
      dutiesOn(
        plan('v9', 'close_contact', '2022-07-01'),
        '2022-07-01',
        { swabDays: [], checkins: [] },
        2,
      ).dayNumber,
    ).toBe(0)
  })

  it('follows an overridden settings object: close contact 7 days locally vs 5 national under opt20', () => {
    const local = structuredClone(SETTINGS.opt20)
    local.categories.close_contact!.phases[0] = {
      kind: 'centralized_isolation',
      days: 7,
      testDays: [1, 2, 3, 5, 7],
      alternative: null,
    }
    const national = plan('opt20', 'close_contact', '2022-11-20')
    const p = plan(local, 'close_contact', '2022-11-20')
    expect(national.plannedEnd).toBe('2022-11-28')
    expect(p.plannedEnd).toBe('2022-11-30')
    expect(phasesOf(p)).toEqual([
      [
        'centralized_isolation',
        '2022-11-21',
        '2022-11-27',
        ['2022-11-21', '2022-11-22', '2022-11-23', '2022-11-25', '2022-11-27'],
      ],
      ['home_isolation', '2022-11-28', '2022-11-30', ['2022-11-28', '2022-11-30']],
    ])
  })
})

describe('planMeasure: 填平补齐', () => {
  it('days already served in a low-risk place shorten the period from the front; the end stays', () => {
    const p = plan('v9', 'high_risk_area', '2022-07-01', { daysAlreadyServed: 3 })
    expect(p.daysCredited).toBe(3)
    expect(phasesOf(p)).toEqual([
      ['centralized_isolation', '2022-07-05', '2022-07-08', ['2022-07-06', '2022-07-08']],
    ])
    expect(p.plannedEnd).toBe('2022-07-08')
  })

  it('a fully served period leaves no phase and is due for release on its end', () => {
    const p = plan('v9', 'medium_risk_area', '2022-07-01', { daysAlreadyServed: 10 })
    expect(p.daysCredited).toBe(7)
    expect(p.phases).toEqual([])
    expect(p.plannedEnd).toBe('2022-07-08')
    expect(dutiesOn(p, '2022-07-08', { swabDays: [], checkins: [] }, 2)).toMatchObject({
      releaseDue: true,
      testDueToday: false,
      missedTestDays: [],
      checkinsMissing: [],
    })
  })

  it('credits across phases: a phase wholly served drops out', () => {
    const s = structuredClone(SETTINGS.v9)
    s.categories.close_contact!.fillUp = true
    const p = plan(s, 'close_contact', '2022-07-01', { daysAlreadyServed: 8 })
    expect(phasesOf(p)).toEqual([
      ['home_health_monitoring', '2022-07-10', '2022-07-11', ['2022-07-11']],
    ])
  })

  it('does not apply where the profile does not say so (close contact counts from the exposure)', () => {
    const p = plan('v9', 'close_contact', '2022-07-01', { daysAlreadyServed: 3 })
    expect(p.daysCredited).toBe(0)
    expect(p.phases[0]!.firstDay).toBe('2022-07-02')
  })
})

describe('planMeasure: home isolation the home cannot support', () => {
  const SUITABLE: HomeFacts = {
    singleRoom: true,
    ownBathroom: true,
    sharedCentralAir: false,
    coResidentsIsolated: true,
  }

  it('falls back to centralized isolation, with every reason', () => {
    const p = plan('v9', 'secondary_contact', '2022-07-01', {
      home: { ...SUITABLE, singleRoom: false, sharedCentralAir: true },
    })
    expect(p.phases.map((x) => x.kind)).toEqual(['centralized_isolation'])
    expect(p.homeFallback).toEqual(['HOME_NO_SINGLE_ROOM', 'HOME_SHARED_CENTRAL_AIR'])
  })

  it.each([
    ['ownBathroom', false, 'HOME_NO_OWN_BATHROOM'],
    ['coResidentsIsolated', false, 'HOME_CORESIDENTS_NOT_ISOLATED'],
  ] as const)('%s = %s: %s', (field, value, code) => {
    const p = plan('v9', 'medium_risk_area', '2022-07-01', {
      home: { ...SUITABLE, [field]: value },
    })
    expect(p.phases[0]!.kind).toBe('centralized_isolation')
    expect(p.homeFallback).toEqual([code])
  })

  it('a suitable home keeps home isolation', () => {
    const p = plan('v9', 'secondary_contact', '2022-07-01', { home: SUITABLE })
    expect(p.phases[0]!.kind).toBe('home_isolation')
    expect(p.homeFallback).toEqual([])
  })

  it('changes only the home-isolation phase (opt20 close contact: 5 centralized + 3 at home)', () => {
    const p = plan('opt20', 'close_contact', '2022-11-20', {
      home: { ...SUITABLE, ownBathroom: false },
    })
    expect(p.phases.map((x) => x.kind)).toEqual(['centralized_isolation', 'centralized_isolation'])
    expect(p.plannedEnd).toBe('2022-11-28')
  })

  it('home health monitoring needs no isolation room', () => {
    const p = plan('v9', 'close_contact', '2022-07-01', {
      home: { ...SUITABLE, singleRoom: false },
    })
    expect(p.phases.map((x) => x.kind)).toEqual(['centralized_isolation', 'home_health_monitoring'])
    expect(p.homeFallback).toEqual([])
  })

  it('new10 infected who cannot isolate at home go to a designated facility', () => {
    const p = plan('new10', 'infected', '2022-12-20', { home: { ...SUITABLE, singleRoom: false } })
    expect(p.phases[0]!.kind).toBe('designated_facility')
    expect(p.testDays).toEqual(['2022-12-26', '2022-12-27'])
  })

  it('new10 close contact: centralized if chosen', () => {
    const p = plan('new10', 'close_contact', '2022-12-20', { chooseAlternative: true })
    expect(p.phases[0]!.kind).toBe('centralized_isolation')
    expect(p.homeFallback).toEqual([])
  })
})

/* ---------------------------------------------------------------- duties */

describe('dutiesOn', () => {
  const cc = plan('v9', 'close_contact', '2022-07-01')
  const none = { swabDays: [], checkins: [] }

  it('a test day owes a test; centralized isolation owes no community check-in', () => {
    expect(dutiesOn(cc, '2022-07-02', none, 2)).toEqual({
      dayNumber: 1,
      phase: cc.phases[0],
      testDueToday: true,
      testDoneToday: false,
      missedTestDays: [],
      checkinsMissing: [],
      releaseDue: false,
      daysLeft: 9,
    })
    expect(
      dutiesOn(cc, '2022-07-02', { swabDays: ['2022-07-02'], checkins: [] }, 2).testDoneToday,
    ).toBe(true)
  })

  it('lists the test days that passed without a swab', () => {
    const d = dutiesOn(
      cc,
      '2022-07-06',
      { swabDays: ['2022-07-02', '2022-07-04'], checkins: [] },
      2,
    )
    expect(d.missedTestDays).toEqual(['2022-07-03'])
    expect(d.testDueToday).toBe(true)
    expect(d.dayNumber).toBe(5)
    expect(dutiesOn(cc, '2022-07-05', none, 2).testDueToday).toBe(false)
  })

  it('home phases owe morning and afternoon check-ins', () => {
    const d = dutiesOn(
      cc,
      '2022-07-10',
      { swabDays: [], checkins: [{ date: '2022-07-10', slot: 'am' }] },
      2,
    )
    expect(d.phase!.kind).toBe('home_health_monitoring')
    expect(d.checkinsMissing).toEqual(['pm'])
    expect(d.daysLeft).toBe(1)
    // Yesterday's check-ins do not count for today.
    expect(
      dutiesOn(
        cc,
        '2022-07-10',
        { swabDays: [], checkins: [{ date: '2022-07-09', slot: 'pm' }] },
        2,
      ).checkinsMissing,
    ).toEqual(['am', 'pm'])
  })

  it('one check-in a day is satisfied by either slot', () => {
    expect(
      dutiesOn(
        cc,
        '2022-07-10',
        { swabDays: [], checkins: [{ date: '2022-07-10', slot: 'pm' }] },
        1,
      ).checkinsMissing,
    ).toEqual([])
    expect(dutiesOn(cc, '2022-07-10', none, 1).checkinsMissing).toEqual(['am'])
    expect(dutiesOn(cc, '2022-07-10', none, 0).checkinsMissing).toEqual([])
  })

  it('release is due on the planned end and after; days left count down to 0', () => {
    expect(dutiesOn(cc, '2022-07-11', none, 2)).toMatchObject({
      releaseDue: true,
      daysLeft: 0,
      testDueToday: true,
    })
    expect(dutiesOn(cc, '2022-07-12', none, 2)).toMatchObject({
      releaseDue: true,
      daysLeft: 0,
      phase: null,
      checkinsMissing: [],
    })
    expect(dutiesOn(cc, '2022-06-30', none, 2)).toMatchObject({
      dayNumber: -1,
      phase: null,
      releaseDue: false,
    })
  })

  it('temporary control owes its single-tube recheck from the anchor day until it is swabbed', () => {
    const tc = plan('v9', 'temporary_control', '2022-07-01')
    expect(dutiesOn(tc, '2022-07-01', none, 2)).toMatchObject({
      dayNumber: 0,
      testDueToday: true,
      testDoneToday: false,
      checkinsMissing: ['am', 'pm'],
      releaseDue: false,
      daysLeft: null,
    })
    const swabbed = { swabDays: ['2022-07-01'], checkins: [] }
    expect(dutiesOn(tc, '2022-07-01', swabbed, 2)).toMatchObject({
      testDueToday: true,
      testDoneToday: true,
    })
    expect(dutiesOn(tc, '2022-07-02', swabbed, 2).testDueToday).toBe(false)
    expect(dutiesOn(tc, '2022-07-03', none, 2).testDueToday).toBe(true)
  })

  it('new10 infected past day 7 without a release owes a test every day', () => {
    const inf = plan('new10', 'infected', '2022-12-20')
    expect(dutiesOn(inf, '2022-12-25', none, 2).testDueToday).toBe(false)
    expect(dutiesOn(inf, '2022-12-26', none, 2).testDueToday).toBe(true)
    expect(dutiesOn(inf, '2022-12-29', none, 2)).toMatchObject({
      testDueToday: true,
      releaseDue: true,
      checkinsMissing: ['am', 'pm'],
      missedTestDays: ['2022-12-26', '2022-12-27'],
    })
  })

  it('a designated facility keeps its own tests and check-ins', () => {
    const inf = plan('v9', 'infected', '2022-07-01')
    expect(dutiesOn(inf, '2022-07-03', none, 2)).toMatchObject({
      testDueToday: false,
      checkinsMissing: [],
      releaseDue: false,
      daysLeft: null,
    })
  })
})

/* ---------------------------------------------------------------- release */

const neg = (day: string, singleTube = true): ReleaseResult => ({
  day,
  result: 'negative',
  ctN: null,
  ctOrf1ab: null,
  singleTube,
})
const res = (
  day: string,
  result: string,
  ct: [number | null, number | null] = [null, null],
  singleTube = true,
): ReleaseResult => ({
  day,
  result,
  ctN: ct[0],
  ctOrf1ab: ct[1],
  singleTube,
})

describe('releaseChecks', () => {
  const cc = plan('v9', 'close_contact', '2022-07-01')
  const allNegative = cc.testDays.map((d) => neg(d))
  const codes = (r: ReturnType<typeof releaseChecks>) => r.problems.map((p) => p.code)

  it('clears a finished plan with every test negative and no symptoms', () => {
    expect(
      releaseChecks(cc, { results: allNegative, symptoms: false, today: '2022-07-11' }),
    ).toEqual({ ok: true, problems: [] })
  })

  it('refuses before the planned end, and with symptoms', () => {
    const r = releaseChecks(cc, {
      results: allNegative.slice(0, -1),
      symptoms: true,
      today: '2022-07-10',
    })
    expect(r.ok).toBe(false)
    expect(r.problems).toEqual([
      { code: 'MEASURE_RELEASE_NOT_YET', params: { date: '2022-07-11' } },
      { code: 'MEASURE_RELEASE_SYMPTOMS' },
    ])
  })

  it.each(['abnormal', 'invalid', '不合格', 'screening_positive'])(
    'the result %s never clears its test day',
    (word) => {
      const results = allNegative.map((r) => (r.day === '2022-07-03' ? res('2022-07-03', word) : r))
      expect(releaseChecks(cc, { results, symptoms: false, today: '2022-07-11' })).toEqual({
        ok: false,
        problems: [
          { code: 'MEASURE_RELEASE_TEST_NOT_CLEAR', params: { day: '2022-07-03', result: word } },
        ],
      })
    },
  )

  it('an abnormal result swabbed again the same day and negative clears the day', () => {
    const results = [...allNegative, res('2022-07-03', 'abnormal')]
    expect(releaseChecks(cc, { results, symptoms: false, today: '2022-07-11' }).ok).toBe(true)
  })

  it('a missing test day and a positive anywhere refuse', () => {
    const missing = allNegative.filter((r) => r.day !== '2022-07-06')
    expect(
      releaseChecks(cc, { results: missing, symptoms: false, today: '2022-07-11' }).problems,
    ).toEqual([{ code: 'MEASURE_RELEASE_TEST_MISSING', params: { day: '2022-07-06' } }])
    const positive = [...allNegative, res('2022-07-05', 'positive')]
    expect(
      codes(releaseChecks(cc, { results: positive, symptoms: false, today: '2022-07-11' })),
    ).toEqual(['MEASURE_RELEASE_POSITIVE'])
  })

  it('a pooled negative does not clear an isolation test day; in home health monitoring it does', () => {
    const pooledIsolation = allNegative.map((r) =>
      r.day === '2022-07-02' ? neg('2022-07-02', false) : r,
    )
    expect(
      releaseChecks(cc, { results: pooledIsolation, symptoms: false, today: '2022-07-11' })
        .problems,
    ).toEqual([{ code: 'MEASURE_RELEASE_TEST_POOLED', params: { day: '2022-07-02' } }])
    const pooledMonitoring = allNegative.map((r) =>
      r.day === '2022-07-11' ? neg('2022-07-11', false) : r,
    )
    expect(
      releaseChecks(cc, { results: pooledMonitoring, symptoms: false, today: '2022-07-11' }).ok,
    ).toBe(true)
  })

  describe('new10 infected: days 6 and 7 both Ct ≥ 35', () => {
    const inf = plan('new10', 'infected', '2022-12-20')
    it('Ct 35 on both days releases on day 7', () => {
      const results = [
        res('2022-12-26', 'positive', [35, 35.5]),
        res('2022-12-27', 'positive', [36, 38]),
      ]
      expect(releaseChecks(inf, { results, symptoms: false, today: '2022-12-27' })).toEqual({
        ok: true,
        problems: [],
      })
      expect(
        releaseChecks(inf, {
          results: [neg('2022-12-26'), neg('2022-12-27')],
          symptoms: false,
          today: '2022-12-27',
        }).ok,
      ).toBe(true)
    })
    it('Ct 34 on day 6 does not', () => {
      const results = [
        res('2022-12-26', 'positive', [34, 36]),
        res('2022-12-27', 'positive', [36, 38]),
      ]
      expect(
        releaseChecks(inf, { results, symptoms: false, today: '2022-12-27' }).problems,
      ).toEqual([
        { code: 'MEASURE_RELEASE_CT_LOW', params: { day: '2022-12-26', ct: 34, releaseCt: 35 } },
      ])
    })
    it('Ct 34 on day 7 does not either', () => {
      const results = [
        res('2022-12-26', 'positive', [35, 35]),
        res('2022-12-27', 'positive', [37, 34]),
      ]
      expect(codes(releaseChecks(inf, { results, symptoms: false, today: '2022-12-27' }))).toEqual([
        'MEASURE_RELEASE_CT_LOW',
      ])
    })
    it('the first positive does not hold; a positive without Ct values on day 6 does not clear it', () => {
      const first = res('2022-12-20', 'positive')
      const ok = [first, neg('2022-12-26'), neg('2022-12-27')]
      expect(releaseChecks(inf, { results: ok, symptoms: false, today: '2022-12-27' }).ok).toBe(
        true,
      )
      const results = [first, res('2022-12-26', 'positive'), neg('2022-12-27')]
      expect(
        releaseChecks(inf, { results, symptoms: false, today: '2022-12-27' }).problems,
      ).toEqual([
        {
          code: 'MEASURE_RELEASE_TEST_NOT_CLEAR',
          params: { day: '2022-12-26', result: 'positive' },
        },
      ])
    })
    it('a positive with one gene missing does not clear', () => {
      const results = [
        res('2022-12-26', 'positive', [36, null]),
        res('2022-12-27', 'positive', [36, 38]),
      ]
      expect(releaseChecks(inf, { results, symptoms: false, today: '2022-12-27' }).ok).toBe(false)
    })
  })

  it('opt20 inbound: Ct < 35 is positive, so Ct ≥ 35 clears a test day', () => {
    const inb = plan('opt20', 'inbound', '2022-11-20')
    const results = inb.testDays.map((d) =>
      d === '2022-11-25' ? res(d, 'positive', [36, 37]) : neg(d),
    )
    expect(releaseChecks(inb, { results, symptoms: false, today: '2022-11-28' }).ok).toBe(true)
    const cc20 = plan('opt20', 'close_contact', '2022-11-20')
    expect(releaseChecks(cc20, { results, symptoms: false, today: '2022-11-28' }).ok).toBe(false)
  })

  describe('temporary control ends only with a negative single-tube recheck', () => {
    const tc = plan('v9', 'temporary_control', '2022-07-01')
    const pool = res('2022-07-01', 'positive', [null, null], false)
    it('the positive pool itself is not held against the person; no recheck yet refuses', () => {
      expect(
        releaseChecks(tc, { results: [pool], symptoms: false, today: '2022-07-01' }).problems,
      ).toEqual([{ code: 'MEASURE_RELEASE_RECHECK_MISSING' }])
    })
    it('a negative single tube clears; a pooled negative does not', () => {
      expect(
        releaseChecks(tc, {
          results: [pool, neg('2022-07-02')],
          symptoms: false,
          today: '2022-07-02',
        }).ok,
      ).toBe(true)
      expect(
        releaseChecks(tc, {
          results: [pool, neg('2022-07-02', false)],
          symptoms: false,
          today: '2022-07-02',
        }).ok,
      ).toBe(false)
    })
    it('an abnormal or invalid recheck never clears', () => {
      for (const word of ['abnormal', 'invalid'])
        expect(
          codes(
            releaseChecks(tc, {
              results: [pool, res('2022-07-02', word)],
              symptoms: false,
              today: '2022-07-02',
            }),
          ),
        ).toEqual(['MEASURE_RELEASE_RECHECK_MISSING'])
    })
    it('an abnormal recheck after a negative one brings the control back', () => {
      const results = [pool, neg('2022-07-02'), res('2022-07-03', 'abnormal')]
      expect(releaseChecks(tc, { results, symptoms: false, today: '2022-07-03' }).ok).toBe(false)
    })
    it('a positive single-tube recheck refuses', () => {
      expect(
        codes(
          releaseChecks(tc, {
            results: [pool, res('2022-07-02', 'positive')],
            symptoms: false,
            today: '2022-07-02',
          }),
        ),
      ).toEqual(['MEASURE_RELEASE_POSITIVE', 'MEASURE_RELEASE_RECHECK_MISSING'])
    })
  })

  describe('v9 low-risk area: 2 tests within 3 days ≥ 24 h apart', () => {
    const low = plan('v9', 'low_risk_area', '2022-07-01')
    it('two negatives on different days within 3 days clear', () => {
      expect(
        releaseChecks(low, {
          results: [neg('2022-07-01', false), neg('2022-07-03', false)],
          symptoms: false,
          today: '2022-07-04',
        }).ok,
      ).toBe(true)
    })
    it('two on the same day, or one after the 3 days, are not enough', () => {
      expect(
        releaseChecks(low, {
          results: [neg('2022-07-02'), neg('2022-07-02')],
          symptoms: false,
          today: '2022-07-04',
        }).problems,
      ).toEqual([
        {
          code: 'MEASURE_RELEASE_TESTS_WITHIN',
          params: { count: 2, days: 3, hours: 24, found: 1 },
        },
      ])
      expect(
        releaseChecks(low, {
          results: [neg('2022-07-02'), neg('2022-07-05')],
          symptoms: false,
          today: '2022-07-05',
        }).ok,
      ).toBe(false)
    })
  })

  it('v9 infected in a designated facility: the last two results at Ct ≥ 35 release', () => {
    const inf = plan('v9', 'infected', '2022-07-01')
    const first = res('2022-07-01', 'positive')
    const ok = [first, res('2022-07-10', 'positive', [36, 36]), neg('2022-07-11')]
    expect(releaseChecks(inf, { results: ok, symptoms: false, today: '2022-07-11' })).toEqual({
      ok: true,
      problems: [],
    })
    const bad = [
      first,
      res('2022-07-10', 'positive', [36, 36]),
      res('2022-07-11', 'positive', [30, 36]),
    ]
    expect(
      releaseChecks(inf, { results: bad, symptoms: false, today: '2022-07-11' }).problems,
    ).toEqual([
      { code: 'MEASURE_RELEASE_CLEAR_TESTS_MISSING', params: { count: 2, releaseCt: 35 } },
    ])
    expect(
      releaseChecks(inf, {
        results: [first, neg('2022-07-11')],
        symptoms: false,
        today: '2022-07-11',
      }).ok,
    ).toBe(false)
  })
})

describe('zone measures (domain.md §6): the area decides, not test days or check-ins', () => {
  it.each(PROFILES)(
    '%s zone_sealed owes no test and no check-in, and has no end date',
    (profile) => {
      const p = plan(profile, 'zone_sealed', '2022-12-20')
      expect(dutiesOn(p, '2022-12-23', { swabDays: [], checkins: [] }, 2)).toMatchObject({
        testDueToday: false,
        checkinsMissing: [],
        releaseDue: false,
        daysLeft: null,
      })
      expect(dutyColumns(p, 2)).toEqual({
        testDays: [],
        checkinFrom: null,
        checkinTo: null,
        openTestFrom: null,
        dailyTestAfter: null,
      })
    },
  )
})
