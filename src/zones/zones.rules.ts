import { addDays, daysBetween } from '../core/clock.js'
import { ZONE_LEVELS, type AREA_UNITS, type ZonesSettings } from './zones.profile.js'

/**
 * The pure decisions of risk areas (domain.md §6): which parts of the registry an area may be
 * made of under the profile in force, how many clean days an area has, whether the negative
 * round on the required day exists, and whether a lower level (or lifting) may be decided now.
 * Nothing here reads the database or the clock: the service passes today's local date.
 */

export const EXTENT_KINDS = ['household', 'floor', 'unit', 'building', 'grid', 'community'] as const
export type ExtentKind = (typeof EXTENT_KINDS)[number]
export type ZoneLevel = (typeof ZONE_LEVELS)[number]
export type AreaUnit = (typeof AREA_UNITS)[number]
export type ZoneTarget = ZoneLevel | 'lifted'

/** Sizes of the units, smallest first: a compound is about a grid, a village a community. */
const UNIT_RANK: Record<AreaUnit, number> = {
  household: 0,
  floor: 1,
  unit: 2,
  building: 3,
  grid: 4,
  compound: 4,
  village: 5,
  community: 5,
  street: 6,
}

/**
 * The unit of an extent: a community whose village code is 200–399 (domain.md §2: 12-digit codes,
 * village 200–399 are villages) is a village; every other kind is itself.
 */
export function unitOfExtent(kind: ExtentKind, divisionCode: string | null): AreaUnit {
  if (kind !== 'community') return kind
  const village = divisionCode && /^\d{12}$/.test(divisionCode) ? Number(divisionCode.slice(9)) : 0
  return village >= 200 && village <= 399 ? 'village' : 'community'
}

/** Whether an area may hold an extent of this unit under the profile (never a forbidden one). */
export function unitAllowed(s: ZonesSettings, unit: AreaUnit): boolean {
  if (s.forbiddenUnits.includes(unit)) return false
  if (s.areaUnits.includes(unit)) return true
  if (!s.smallerUnits.allowed) return false
  const largest = Math.max(...s.areaUnits.map((u) => UNIT_RANK[u]))
  return UNIT_RANK[unit] < largest
}

/** The units an area may be drawn at, smallest first (what a form offers). */
export function allowedUnits(s: ZonesSettings): AreaUnit[] {
  return (Object.keys(UNIT_RANK) as AreaUnit[]).filter((u) => unitAllowed(s, u))
}

const rank = (l: ZoneLevel): number => ZONE_LEVELS.indexOf(l)

/** Whether `to` is a lower level than `from`, or lifting. */
export function isLowering(from: ZoneLevel, to: ZoneTarget): boolean {
  return to === 'lifted' || rank(to) > rank(from)
}

/** The lowest level the profile knows (v9 low, opt20/new10 low): lifted from it by decision. */
function lowestLevel(s: ZonesSettings): ZoneLevel {
  return s.levels.map((l) => l.level).sort((a, b) => rank(b) - rank(a))[0]!
}

export interface AreaFacts {
  level: ZoneLevel
  /**
   * The level the area came down from to its current one (v9: a medium area that was high gets 3
   * more days); null when it started at, or was raised to, its current level.
   */
  loweredFrom: ZoneLevel | null
  /** The local date the area entered its current level. */
  levelSince: string
  /** The local date of the latest new positive case inside (any date; older ones are ignored). */
  lastCaseDate: string | null
  /** Rounds that sampled people inside since the level began: their local date and outcome. */
  rounds: readonly RoundFact[]
  today: string
}

export interface RoundFact {
  id: string
  date: string
  /** People inside sampled in the round, with a negative result, with a positive result. */
  sampled: number
  negative: number
  positive: number
}

export type ZoneCheckCode =
  | 'ZONE_CHECK_CLEAN_DAYS'
  | 'ZONE_CHECK_NEGATIVE_ROUND'
  | 'ZONE_CHECK_ROUND_POSITIVE'
  | 'ZONE_CHECK_ROUND_PENDING'
  | 'ZONE_CHECK_NO_RULE'

export interface ZoneCheck {
  code: ZoneCheckCode
  ok: boolean
  params: Record<string, string | number>
}

export interface Countdown {
  /** Day 0 of the clean-day clock: the day the level began, or of the latest new case since. */
  clockFrom: string
  /** Consecutive days without a new case inside, today included as day n. */
  cleanDays: number
  /** The next lower step the profile defines (null: none; the lowest level is lifted by decision). */
  next: ZoneTarget | null
  requiredDays: number | null
  daysLeft: number | null
  /** The first local date the step may be decided, if the round (if any) is negative. */
  eligibleOn: string | null
  /** The day whose round must be negative, and its date (null: no round needed). */
  roundDay: number | null
  roundDate: string | null
  /** The round found on that date, if any. */
  roundId: string | null
  checks: ZoneCheck[]
  /** Every check passes: a person may lower or lift now. */
  eligible: boolean
}

type Transition = ZonesSettings['transitions'][number]

/** The profile's rule for going from the area's level to `to` (the one for how it got there first). */
export function transitionFor(
  s: ZonesSettings,
  level: ZoneLevel,
  loweredFrom: ZoneLevel | null,
  to?: ZoneTarget,
): Transition | undefined {
  const startedAs = loweredFrom ?? level
  const candidates = s.transitions.filter(
    (t) => t.from === level && (to === undefined || t.to === to),
  )
  return (
    candidates.find((t) => t.startedAs === startedAs) ??
    candidates.find((t) => t.startedAs === null)
  )
}

function roundChecks(
  t: Transition,
  facts: AreaFacts,
  clockFrom: string,
): { checks: ZoneCheck[]; roundDate: string | null; roundId: string | null } {
  if (t.negativeRoundOnDay === null) return { checks: [], roundDate: null, roundId: null }
  const day = t.negativeRoundOnDay
  const date = addDays(clockFrom, day)
  const onDay = facts.rounds.filter((r) => r.date === date && r.sampled > 0)
  const clean = onDay.find((r) => r.positive === 0 && r.negative === r.sampled)
  if (clean)
    return {
      checks: [{ code: 'ZONE_CHECK_NEGATIVE_ROUND', ok: true, params: { day, date } }],
      roundDate: date,
      roundId: clean.id,
    }
  const positive = onDay.find((r) => r.positive > 0)
  if (positive)
    return {
      checks: [{ code: 'ZONE_CHECK_ROUND_POSITIVE', ok: false, params: { day, date } }],
      roundDate: date,
      roundId: positive.id,
    }
  const pending = onDay[0]
  if (pending)
    return {
      checks: [
        {
          code: 'ZONE_CHECK_ROUND_PENDING',
          ok: false,
          params: { day, date, missing: pending.sampled - pending.negative },
        },
      ],
      roundDate: date,
      roundId: pending.id,
    }
  return {
    checks: [{ code: 'ZONE_CHECK_NEGATIVE_ROUND', ok: false, params: { day, date } }],
    roundDate: date,
    roundId: null,
  }
}

function clockStart(s: ZonesSettings, facts: AreaFacts): string {
  if (!s.newCaseRestartsClock || !facts.lastCaseDate) return facts.levelSince
  return facts.lastCaseDate > facts.levelSince ? facts.lastCaseDate : facts.levelSince
}

/**
 * The countdown of an area toward its next lower step under the profile: clean days (a new case
 * inside restarts them), the negative round on the required day, and the date it may be decided.
 */
export function countdown(s: ZonesSettings, facts: AreaFacts, to?: ZoneTarget): Countdown {
  const clockFrom = clockStart(s, facts)
  const cleanDays = Math.max(0, daysBetween(clockFrom, facts.today))
  const t = transitionFor(s, facts.level, facts.loweredFrom, to)
  const base = { clockFrom, cleanDays }
  if (!t) {
    const liftByDecision = (to === undefined || to === 'lifted') && facts.level === lowestLevel(s)
    const checks: ZoneCheck[] = liftByDecision
      ? []
      : [
          {
            code: 'ZONE_CHECK_NO_RULE',
            ok: false,
            params: { from: facts.level, to: to ?? 'lifted' },
          },
        ]
    return {
      ...base,
      next: liftByDecision ? 'lifted' : null,
      requiredDays: null,
      daysLeft: null,
      eligibleOn: null,
      roundDay: null,
      roundDate: null,
      roundId: null,
      checks,
      eligible: liftByDecision,
    }
  }
  const daysOk = cleanDays >= t.cleanDays
  const eligibleOn = addDays(clockFrom, t.cleanDays)
  const days: ZoneCheck = {
    code: 'ZONE_CHECK_CLEAN_DAYS',
    ok: daysOk,
    params: { required: t.cleanDays, days: cleanDays, date: eligibleOn },
  }
  const round = roundChecks(t, facts, clockFrom)
  const checks = [days, ...round.checks]
  return {
    ...base,
    next: t.to,
    requiredDays: t.cleanDays,
    daysLeft: Math.max(0, t.cleanDays - cleanDays),
    eligibleOn,
    roundDay: t.negativeRoundOnDay,
    roundDate: round.roundDate,
    roundId: round.roundId,
    checks,
    eligible: checks.every((c) => c.ok),
  }
}

export type ChangeVerdict =
  | { kind: 'raise' }
  | { kind: 'lower'; countdown: Countdown }
  | { kind: 'same' }
  | { kind: 'unknown_level' }

/**
 * What a requested change is: raising (always allowed, e.g. a new case), the same level, a level
 * this profile does not have, or lowering/lifting judged by the countdown toward exactly `to`.
 */
export function judgeChange(s: ZonesSettings, facts: AreaFacts, to: ZoneTarget): ChangeVerdict {
  if (to !== 'lifted' && !s.levels.some((l) => l.level === to)) return { kind: 'unknown_level' }
  if (to === facts.level) return { kind: 'same' }
  if (!isLowering(facts.level, to)) return { kind: 'raise' }
  return { kind: 'lower', countdown: countdown(s, facts, to) }
}
