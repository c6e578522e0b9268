import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { addDays } from '../core/clock.js'
import { zonesSection, type ZonesSettings } from './zones.profile.js'
import {
  allowedUnits,
  countdown,
  judgeChange,
  unitAllowed,
  unitOfExtent,
  type AreaFacts,
  type RoundFact,
  type ZoneLevel,
  type ZoneTarget,
} from './zones.rules.js'

const profile = (name: string): ZonesSettings =>
  zonesSection.parse(
    JSON.parse(
      fs.readFileSync(new URL(`../policy/profiles/${name}/zones.json`, import.meta.url), 'utf8'),
    ),
  )

const START = '2026-11-01'
const day = (n: number): string => addDays(START, n)
const negative = (n: number, id = `r${n}`): RoundFact => ({
  id,
  date: day(n),
  sampled: 40,
  negative: 40,
  positive: 0,
})

const facts = (over: Partial<AreaFacts> & { today: string }): AreaFacts => ({
  level: 'high',
  loweredFrom: null,
  levelSince: START,
  lastCaseDate: START,
  rounds: [],
  ...over,
})

describe('the units an area is drawn at', () => {
  it.each([
    ['v9', ['household', 'floor', 'unit', 'building', 'grid', 'compound', 'village']],
    ['opt20', ['unit', 'building']],
    ['new10', ['household', 'floor', 'unit', 'building']],
  ])('%s allows %j and nothing larger', (name, units) => {
    expect(allowedUnits(profile(name))).toEqual(units)
  })

  it('tells a village from an urban community by its code (village 200–399)', () => {
    expect(unitOfExtent('community', '320102001201')).toBe('village')
    expect(unitOfExtent('community', '320102001001')).toBe('community')
    expect(unitAllowed(profile('v9'), unitOfExtent('community', '320102001201'))).toBe(true)
    expect(unitAllowed(profile('v9'), unitOfExtent('community', '320102001001'))).toBe(false)
    expect(unitAllowed(profile('new10'), 'community')).toBe(false)
    expect(unitAllowed(profile('opt20'), 'household')).toBe(false)
  })
})

interface Case {
  name: string
  profile: string
  level: ZoneLevel
  loweredFrom?: ZoneLevel
  lastCase?: number
  rounds?: RoundFact[]
  today: number
  to?: ZoneTarget
  want: { next: ZoneTarget | null; eligible: boolean; daysLeft?: number | null; failed?: string[] }
}

const cases: Case[] = [
  {
    name: 'v9 high: 6 clean days are not enough',
    profile: 'v9',
    level: 'high',
    rounds: [negative(7)],
    today: 6,
    want: { next: 'medium', eligible: false, daysLeft: 1, failed: ['ZONE_CHECK_CLEAN_DAYS'] },
  },
  {
    name: 'v9 high → medium after 7 clean days and a negative round on day 7',
    profile: 'v9',
    level: 'high',
    rounds: [negative(7)],
    today: 7,
    want: { next: 'medium', eligible: true, daysLeft: 0 },
  },
  {
    name: 'v9 high: 7 clean days without the day-7 round (a round on day 6 does not count)',
    profile: 'v9',
    level: 'high',
    rounds: [negative(6)],
    today: 8,
    want: { next: 'medium', eligible: false, failed: ['ZONE_CHECK_NEGATIVE_ROUND'] },
  },
  {
    name: 'v9 high: a positive in the day-7 round blocks',
    profile: 'v9',
    level: 'high',
    rounds: [{ ...negative(7), negative: 39, positive: 1 }],
    today: 7,
    want: { next: 'medium', eligible: false, failed: ['ZONE_CHECK_ROUND_POSITIVE'] },
  },
  {
    name: 'v9 high: a day-7 round with results still out is not negative yet',
    profile: 'v9',
    level: 'high',
    rounds: [{ ...negative(7), negative: 30 }],
    today: 7,
    want: { next: 'medium', eligible: false, failed: ['ZONE_CHECK_ROUND_PENDING'] },
  },
  {
    name: 'v9 high: a new case on day 4 restarts the clock (day 7 now falls on day 11)',
    profile: 'v9',
    level: 'high',
    lastCase: 4,
    rounds: [negative(7)],
    today: 8,
    want: {
      next: 'medium',
      eligible: false,
      daysLeft: 3,
      failed: ['ZONE_CHECK_CLEAN_DAYS', 'ZONE_CHECK_NEGATIVE_ROUND'],
    },
  },
  {
    name: 'v9 high: after the restart, 7 more days and a round on the new day 7',
    profile: 'v9',
    level: 'high',
    lastCase: 4,
    rounds: [negative(7), negative(11)],
    today: 11,
    want: { next: 'medium', eligible: true, daysLeft: 0 },
  },
  {
    name: 'v9 medium lowered from high → low after 3 more clean days, no round',
    profile: 'v9',
    level: 'medium',
    loweredFrom: 'high',
    today: 3,
    want: { next: 'low', eligible: true, daysLeft: 0 },
  },
  {
    name: 'v9 medium lowered from high: 2 days are not enough',
    profile: 'v9',
    level: 'medium',
    loweredFrom: 'high',
    today: 2,
    want: { next: 'low', eligible: false, daysLeft: 1, failed: ['ZONE_CHECK_CLEAN_DAYS'] },
  },
  {
    name: 'v9 original medium: 3 days are not enough (the original-medium rule is 7 and a round)',
    profile: 'v9',
    level: 'medium',
    today: 3,
    want: {
      next: 'low',
      eligible: false,
      daysLeft: 4,
      failed: ['ZONE_CHECK_CLEAN_DAYS', 'ZONE_CHECK_NEGATIVE_ROUND'],
    },
  },
  {
    name: 'v9 original medium → low after 7 clean days and a negative round on day 7',
    profile: 'v9',
    level: 'medium',
    rounds: [negative(7)],
    today: 7,
    want: { next: 'low', eligible: true, daysLeft: 0 },
  },
  {
    name: 'v9 high cannot be lifted in one step',
    profile: 'v9',
    level: 'high',
    rounds: [negative(7)],
    today: 30,
    to: 'lifted',
    want: { next: null, eligible: false, failed: ['ZONE_CHECK_NO_RULE'] },
  },
  {
    name: 'v9 low is lifted by decision (the profile sets no clock for it)',
    profile: 'v9',
    level: 'low',
    loweredFrom: 'medium',
    today: 0,
    want: { next: 'lifted', eligible: true, daysLeft: null },
  },
  {
    name: 'opt20 high: 5 days and a negative round on day 5 lift it',
    profile: 'opt20',
    level: 'high',
    rounds: [negative(5)],
    today: 5,
    want: { next: 'lifted', eligible: true, daysLeft: 0 },
  },
  {
    name: 'opt20 high: 5 days without the day-5 round do not',
    profile: 'opt20',
    level: 'high',
    today: 6,
    want: { next: 'lifted', eligible: false, failed: ['ZONE_CHECK_NEGATIVE_ROUND'] },
  },
  {
    name: 'opt20 high: a new case on day 3 restarts',
    profile: 'opt20',
    level: 'high',
    lastCase: 3,
    rounds: [negative(5)],
    today: 5,
    want: {
      next: 'lifted',
      eligible: false,
      daysLeft: 3,
      failed: ['ZONE_CHECK_CLEAN_DAYS', 'ZONE_CHECK_NEGATIVE_ROUND'],
    },
  },
  {
    name: 'opt20 has no medium: high → low is not a step it defines',
    profile: 'opt20',
    level: 'high',
    rounds: [negative(5)],
    today: 9,
    to: 'low',
    want: { next: null, eligible: false, failed: ['ZONE_CHECK_NO_RULE'] },
  },
  {
    name: 'new10 high: lifted after 5 clean days, no round needed',
    profile: 'new10',
    level: 'high',
    today: 5,
    want: { next: 'lifted', eligible: true, daysLeft: 0 },
  },
  {
    name: 'new10 high: 4 days are not enough',
    profile: 'new10',
    level: 'high',
    today: 4,
    want: { next: 'lifted', eligible: false, daysLeft: 1, failed: ['ZONE_CHECK_CLEAN_DAYS'] },
  },
  {
    name: 'new10 high: a new case on day 4 restarts',
    profile: 'new10',
    level: 'high',
    lastCase: 4,
    today: 5,
    want: { next: 'lifted', eligible: false, daysLeft: 4, failed: ['ZONE_CHECK_CLEAN_DAYS'] },
  },
]

describe('the countdown toward lowering or lifting (domain.md §6)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cd = countdown(
      profile(c.profile),
      facts({
        level: c.level,
        loweredFrom: c.loweredFrom ?? null,
        lastCaseDate: day(c.lastCase ?? 0),
        rounds: c.rounds ?? [],
        today: day(c.today),
      }),
      c.to,
    )
    expect(cd.next).toBe(c.want.next)
    expect(cd.eligible).toBe(c.want.eligible)
    if (c.want.daysLeft !== undefined) expect(cd.daysLeft).toBe(c.want.daysLeft)
    expect(cd.checks.filter((x) => !x.ok).map((x) => x.code)).toEqual(c.want.failed ?? [])
  })

  it('dates the countdown: eligible on day 7 of the clock, the round due on that date', () => {
    const cd = countdown(profile('v9'), facts({ lastCaseDate: day(2), today: day(3) }))
    expect(cd).toMatchObject({
      clockFrom: day(2),
      cleanDays: 1,
      eligibleOn: day(9),
      roundDay: 7,
      roundDate: day(9),
      daysLeft: 6,
    })
  })

  it('ignores a case from before the level began', () => {
    const cd = countdown(
      profile('new10'),
      facts({ levelSince: day(2), lastCaseDate: day(0), today: day(7) }),
    )
    expect(cd).toMatchObject({ clockFrom: day(2), cleanDays: 5, eligible: true })
  })
})

describe('a requested change', () => {
  it('raises without checks, refuses the same level and a level the profile lacks', () => {
    const f = facts({ level: 'medium', today: day(1) })
    expect(judgeChange(profile('v9'), f, 'high').kind).toBe('raise')
    expect(judgeChange(profile('v9'), f, 'medium').kind).toBe('same')
    expect(judgeChange(profile('opt20'), facts({ today: day(1) }), 'medium').kind).toBe(
      'unknown_level',
    )
  })

  it('judges lowering by the countdown toward exactly that level', () => {
    const v = judgeChange(profile('v9'), facts({ rounds: [negative(7)], today: day(7) }), 'medium')
    expect(v.kind === 'lower' && v.countdown.eligible).toBe(true)
    const early = judgeChange(profile('v9'), facts({ today: day(2) }), 'medium')
    expect(early.kind === 'lower' && early.countdown.eligible).toBe(false)
  })
})
