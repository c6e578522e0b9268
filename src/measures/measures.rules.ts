import { addDays, daysBetween } from '../core/clock.js'
import type {
  DayZeroConvention,
  EndCondition,
  MeasureCategory,
  MeasuresSettings,
  PhaseKind,
} from './measures.profile.js'

/**
 * The pure rules of measures on people (domain.md §7, temporary control §5): the dated plan a
 * category's rule gives from its anchor, what a person owes on a day, and whether they may be
 * released. Local dates are 'YYYY-MM-DD' in the deployment's zone (src/core/clock.ts); nothing
 * here reads the clock, the database or the process's time zone.
 */

/* ------------------------------------------------------------------ plan */

export interface HomeFacts {
  singleRoom: boolean
  ownBathroom: boolean
  sharedCentralAir: boolean
  coResidentsIsolated: boolean
}

export interface PlannedPhase {
  kind: PhaseKind
  firstDay: string
  /** null: lasts until the end condition (temporary control, a designated facility). */
  lastDay: string | null
  testDays: string[]
}

export interface MeasurePlan {
  category: MeasureCategory
  anchorDate: string
  phases: PlannedPhase[]
  /** null: lasts until its end condition (temporary control). */
  plannedEnd: string | null
  /** All phases, sorted. */
  testDays: string[]
  endCondition: EndCondition
  /** e.g. new10 infected: days 6 and 7 both Ct ≥ 35. */
  releaseCt: number | null
  /** v9 low-risk area: 2 tests in 3 days ≥ 24 h apart. */
  testsWithin: { count: number; days: number; minHoursApart: number } | null
  /** 填平补齐: days of the period already served in a low-risk place. */
  daysCredited: number
  /** Codes of why home isolation became centralized, [] if it did not. */
  homeFallback: string[]
  /** How days are numbered (the profile's convention when the plan was made). */
  dayZero: DayZeroConvention
  /** An open-ended measure ends after this many clearing results on distinct days. */
  releaseTests: number | null
}

export const HOME_FALLBACK_CODES = [
  'HOME_NO_SINGLE_ROOM',
  'HOME_NO_OWN_BATHROOM',
  'HOME_SHARED_CENTRAL_AIR',
  'HOME_CORESIDENTS_NOT_ISOLATED',
] as const
export type HomeFallbackCode = (typeof HOME_FALLBACK_CODES)[number]

/** Why this home cannot hold a home isolation (domain.md §7), [] when it can. */
export function homeUnsuitable(home: HomeFacts): HomeFallbackCode[] {
  const out: HomeFallbackCode[] = []
  if (!home.singleRoom) out.push('HOME_NO_SINGLE_ROOM')
  if (!home.ownBathroom) out.push('HOME_NO_OWN_BATHROOM')
  if (home.sharedCentralAir) out.push('HOME_SHARED_CENTRAL_AIR')
  if (!home.coResidentsIsolated) out.push('HOME_CORESIDENTS_NOT_ISOLATED')
  return out
}

/** The local date of day n of a measure under the convention. */
export function dateOfDay(anchorDate: string, n: number, dayZero: DayZeroConvention): string {
  return addDays(anchorDate, dayZero === 'anchor_is_day_1' ? n - 1 : n)
}

/** The day number of a local date of a measure under the convention (the anchor is 0 or 1). */
export function dayNumberOf(anchorDate: string, date: string, dayZero: DayZeroConvention): number {
  return daysBetween(anchorDate, date) + (dayZero === 'anchor_is_day_1' ? 1 : 0)
}

export interface PlanInput {
  anchorDate: string
  /** 填平补齐: days after leaving already spent in a low-risk place (only where the rule says so). */
  daysAlreadyServed?: number
  /** The home's facts; without them home isolation stays home isolation. */
  home?: HomeFacts
  /** The person (or the office) chose the phase's alternative ("centralized if chosen"). */
  chooseAlternative?: boolean
}

/**
 * The dated plan of a category under a profile's measures section. Day n of the measure is the
 * anchor + n days by default (day 0 is the anchor's day); phases follow each other, and a phase's
 * test day k is its k-th day. 填平补齐 removes the credited days from the front: phases that lie
 * wholly inside them drop out, the next one starts later, and its passed test days drop out; the
 * planned end stays where it was. An open-ended first phase (temporary control) is in force from
 * the anchor's day itself.
 */
export function planMeasure(
  settings: MeasuresSettings,
  category: MeasureCategory,
  input: PlanInput,
): { ok: true; plan: MeasurePlan } | { ok: false; code: 'MEASURE_CATEGORY_NOT_IDENTIFIED' } {
  const rule = settings.categories[category]
  if (!rule) return { ok: false, code: 'MEASURE_CATEGORY_NOT_IDENTIFIED' }
  if (rule.identifiedBefore !== null && input.anchorDate >= rule.identifiedBefore)
    return { ok: false, code: 'MEASURE_CATEGORY_NOT_IDENTIFIED' }
  const dayZero = settings.dayZero
  const fixedDays = rule.phases.reduce((n, p) => n + (p.days ?? 0), 0)
  const credited = rule.fillUp
    ? Math.max(0, Math.min(fixedDays, Math.floor(input.daysAlreadyServed ?? 0)))
    : 0
  const unsuitable = input.home ? homeUnsuitable(input.home) : []
  const homeFallback: string[] = []

  const phases: PlannedPhase[] = []
  let start = 1 // the first day number of the phase
  for (const [i, p] of rule.phases.entries()) {
    let kind: PhaseKind = input.chooseAlternative && p.alternative ? p.alternative : p.kind
    if (kind === 'home_isolation' && unsuitable.length > 0) {
      kind = rule.homeFallback ?? 'centralized_isolation'
      for (const c of unsuitable) if (!homeFallback.includes(c)) homeFallback.push(c)
    }
    if (p.days === null) {
      const from = i === 0 ? (dayZero === 'anchor_is_day_1' ? 1 : 0) : Math.max(start, credited + 1)
      phases.push({
        kind,
        firstDay: dateOfDay(input.anchorDate, from, dayZero),
        lastDay: null,
        testDays: p.testDays.map((k) => dateOfDay(input.anchorDate, start + k - 1, dayZero)),
      })
      break
    }
    const last = start + p.days - 1
    if (last > credited) {
      const first = Math.max(start, credited + 1)
      phases.push({
        kind,
        firstDay: dateOfDay(input.anchorDate, first, dayZero),
        lastDay: dateOfDay(input.anchorDate, last, dayZero),
        testDays: p.testDays
          .map((k) => start + k - 1)
          .filter((n) => n > credited)
          .map((n) => dateOfDay(input.anchorDate, n, dayZero)),
      })
    }
    start = last + 1
  }
  const openEnded = rule.phases.some((p) => p.days === null)
  const plannedEnd = openEnded ? null : dateOfDay(input.anchorDate, fixedDays, dayZero)
  return {
    ok: true,
    plan: {
      category,
      anchorDate: input.anchorDate,
      phases,
      plannedEnd,
      testDays: [...new Set(phases.flatMap((p) => p.testDays))].sort(),
      endCondition: rule.endCondition,
      releaseCt: rule.releaseCt,
      testsWithin: rule.testsWithin,
      daysCredited: credited,
      homeFallback,
      dayZero,
      releaseTests: rule.releaseTests,
    },
  }
}

/* ------------------------------------------------------------------ duties */

export interface DutyFacts {
  swabDays: string[]
  checkins: { date: string; slot: 'am' | 'pm' }[]
}

export interface Duties {
  dayNumber: number
  phase: PlannedPhase | null
  testDueToday: boolean
  testDoneToday: boolean
  missedTestDays: string[]
  checkinsMissing: ('am' | 'pm')[]
  releaseDue: boolean
  daysLeft: number | null
}

/** Phases whose people report temperature twice a day (domain.md §7); facilities keep their own. */
const CHECKIN_PHASES: readonly PhaseKind[] = [
  'home_isolation',
  'home_health_monitoring',
  'temporary_control',
]

/** Phases whose tests the community takes (a designated facility tests its own patients). */
const COMMUNITY_TESTED: readonly PhaseKind[] = [
  'centralized_isolation',
  'home_isolation',
  'home_health_monitoring',
  'temporary_control',
  'test_only',
]

/** The phase in force on a day, or null before, between (credited days) and after the plan. */
export function phaseOn(plan: MeasurePlan, day: string): PlannedPhase | null {
  return (
    plan.phases.find((p) => p.firstDay <= day && (p.lastDay === null || day <= p.lastDay)) ?? null
  )
}

/**
 * What a person under a measure owes on a day: the test of a test day (an open-ended measure
 * owes its single-tube recheck until a swab is taken; a measure that ends on a condition and ran
 * past its planned end owes a test every day), the check-ins of phases at home, and the release
 * once the planned end has come.
 */
export function dutiesOn(
  plan: MeasurePlan,
  today: string,
  facts: DutyFacts,
  checkinsPerDay: number,
): Duties {
  const swabs = new Set(facts.swabDays)
  const phase = phaseOn(plan, today)
  const testDoneToday = swabs.has(today)
  let testDueToday = plan.testDays.includes(today)
  if (!testDueToday && plan.endCondition !== 'duration') {
    if (phase && phase.lastDay === null && COMMUNITY_TESTED.includes(phase.kind))
      testDueToday = !facts.swabDays.some((d) => d >= phase.firstDay && d <= today) || testDoneToday
    else if (plan.plannedEnd !== null && today > plan.plannedEnd) testDueToday = true
  }
  const missedTestDays = plan.testDays.filter((d) => d < today && !swabs.has(d))

  let checkinsMissing: ('am' | 'pm')[] = []
  const overtime =
    plan.endCondition !== 'duration' && plan.plannedEnd !== null && today > plan.plannedEnd
  const lastPhase = plan.phases.at(-1)
  const checkPhase = phase ?? (overtime ? lastPhase : undefined)
  if (checkPhase && CHECKIN_PHASES.includes(checkPhase.kind) && checkinsPerDay > 0) {
    const slots = new Set(facts.checkins.filter((c) => c.date === today).map((c) => c.slot))
    if (checkinsPerDay >= 2) checkinsMissing = (['am', 'pm'] as const).filter((s) => !slots.has(s))
    else if (slots.size === 0) checkinsMissing = ['am']
  }
  return {
    dayNumber: dayNumberOf(plan.anchorDate, today, plan.dayZero),
    phase,
    testDueToday,
    testDoneToday,
    missedTestDays,
    checkinsMissing,
    releaseDue: plan.plannedEnd !== null && today >= plan.plannedEnd,
    daysLeft: plan.plannedEnd === null ? null : Math.max(0, daysBetween(today, plan.plannedEnd)),
  }
}

/**
 * The columns the set-based duty queries read (measures.repo.ts dutySql), derived from the plan
 * by asking dutiesOn itself on the days that matter, so the boards and the person's page agree.
 */
export function dutyColumns(
  plan: MeasurePlan,
  checkinsPerDay: number,
): {
  testDays: string[]
  checkinFrom: string | null
  checkinTo: string | null
  openTestFrom: string | null
  dailyTestAfter: string | null
} {
  const none = { swabDays: [], checkins: [] }
  const first = plan.phases[0]?.firstDay ?? plan.anchorDate
  const lastKnown = plan.plannedEnd ?? plan.phases.at(-1)?.firstDay ?? plan.anchorDate
  const until = addDays(lastKnown, 3)
  let checkinFrom: string | null = null
  let checkinTo: string | null = null
  for (let d = addDays(first, -1); d <= until; d = addDays(d, 1)) {
    if (dutiesOn(plan, d, none, checkinsPerDay).checkinsMissing.length > 0) {
      checkinFrom ??= d
      checkinTo = d
    }
  }
  // Still owed after the plan's known days: the window lasts until the measure ends.
  if (checkinTo === until) checkinTo = null
  const open = plan.phases.find((p) => p.lastDay === null)
  let openTestFrom: string | null = null
  if (open) {
    const probe = [addDays(open.firstDay, 1), addDays(open.firstDay, 2)].find(
      (d) => !plan.testDays.includes(d),
    )
    if (probe && dutiesOn(plan, probe, none, checkinsPerDay).testDueToday)
      openTestFrom = open.firstDay
  }
  let dailyTestAfter: string | null = null
  if (plan.plannedEnd !== null) {
    const after = addDays(plan.plannedEnd, 1)
    if (!plan.testDays.includes(after) && dutiesOn(plan, after, none, checkinsPerDay).testDueToday)
      dailyTestAfter = plan.plannedEnd
  }
  return { testDays: plan.testDays, checkinFrom, checkinTo, openTestFrom, dailyTestAfter }
}

/* ------------------------------------------------------------------ release */

export interface ReleaseResult {
  day: string
  result: string
  ctN: number | null
  ctOrf1ab: number | null
  singleTube: boolean
}

export interface ReleaseFacts {
  results: ReleaseResult[]
  symptoms: boolean
  today: string
}

export type ReleaseProblemCode =
  | 'MEASURE_RELEASE_NOT_YET'
  | 'MEASURE_RELEASE_SYMPTOMS'
  | 'MEASURE_RELEASE_POSITIVE'
  | 'MEASURE_RELEASE_TEST_MISSING'
  | 'MEASURE_RELEASE_TEST_NOT_CLEAR'
  | 'MEASURE_RELEASE_TEST_POOLED'
  | 'MEASURE_RELEASE_CT_LOW'
  | 'MEASURE_RELEASE_TESTS_WITHIN'
  | 'MEASURE_RELEASE_RECHECK_MISSING'
  | 'MEASURE_RELEASE_CLEAR_TESTS_MISSING'
  | 'MEASURE_RELEASE_AREA_CHANGE'

export interface ReleaseProblem {
  code: ReleaseProblemCode
  params?: Record<string, string | number>
}

/** Phases whose required tests must be single-tube (a person in isolation is never pooled). */
const SINGLE_TUBE_PHASES: readonly PhaseKind[] = [
  'centralized_isolation',
  'home_isolation',
  'temporary_control',
  'designated_facility',
]

type Judged = 'clear' | 'positive' | 'ct_low' | 'not_clear'

/**
 * What one result says for a release. Negative (or, where the plan has a release Ct, both genes at
 * least that Ct) clears; a positive below it is positive; abnormal, invalid and every other word
 * never clear anyone (domain.md §5).
 */
export function judgeResult(r: ReleaseResult, releaseCt: number | null): Judged {
  const word = r.result.trim().toLowerCase()
  const cts = [r.ctN, r.ctOrf1ab].filter((c): c is number => c !== null)
  if (word === 'negative') {
    if (releaseCt !== null && cts.some((c) => c < releaseCt)) return 'ct_low'
    return 'clear'
  }
  if (word === 'positive') {
    if (releaseCt !== null && r.ctN !== null && r.ctOrf1ab !== null)
      return r.ctN >= releaseCt && r.ctOrf1ab >= releaseCt ? 'clear' : 'ct_low'
    return 'positive'
  }
  return 'not_clear'
}

const lowestCt = (r: ReleaseResult): number | string =>
  Math.min(...[r.ctN, r.ctOrf1ab].filter((c): c is number => c !== null))

/**
 * Whether a person may be released today, and if not, why (codes with params, texts in
 * measures.rules.messages.ts): the planned end has come, no symptoms, every required test day
 * has a clearing result (single-tube where the person was isolated) and nothing positive since
 * the anchor, the "N tests within D days" rule, and for measures that end on a condition the
 * clearing single-tube recheck or the last results at or above the release Ct. A risk area's
 * measure is never released by hand: it ends when its area is lowered or lifted.
 */
export function releaseChecks(
  plan: MeasurePlan,
  facts: ReleaseFacts,
): { ok: boolean; problems: ReleaseProblem[] } {
  // A risk area's measure (封控 / 管控 / 防范) ends with the area's lowering or lifting, a decision
  // taken on the area; no test or date releases it by hand.
  if (plan.endCondition === 'area_change')
    return { ok: false, problems: [{ code: 'MEASURE_RELEASE_AREA_CHANGE' }] }
  const problems: ReleaseProblem[] = []
  const { today } = facts
  if (plan.plannedEnd !== null && today < plan.plannedEnd)
    problems.push({ code: 'MEASURE_RELEASE_NOT_YET', params: { date: plan.plannedEnd } })
  if (facts.symptoms) problems.push({ code: 'MEASURE_RELEASE_SYMPTOMS' })

  const since = facts.results
    .filter((r) => r.day >= plan.anchorDate && r.day <= today)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  // Temporary control starts from a positive pool: only the person's own single tube counts.
  // An infected person (ct_at_least) is positive by definition: their test days or last results
  // decide, never the positive that started the measure.
  const positive =
    plan.endCondition === 'ct_at_least'
      ? undefined
      : since.find(
          (r) =>
            (plan.endCondition !== 'negative_single_tube' || r.singleTube) &&
            judgeResult(r, plan.releaseCt) === 'positive',
        )
  if (positive) problems.push({ code: 'MEASURE_RELEASE_POSITIVE', params: { day: positive.day } })

  for (const day of plan.testDays) {
    if (day > today) continue
    const phase = phaseOn(plan, day)
    const single = phase !== null && SINGLE_TUBE_PHASES.includes(phase.kind)
    const onDay = since.filter((r) => r.day === day)
    if (onDay.length === 0) {
      problems.push({ code: 'MEASURE_RELEASE_TEST_MISSING', params: { day } })
      continue
    }
    const judged = onDay.map((r) => judgeResult(r, plan.releaseCt))
    const clearIdx = onDay.findIndex((r, i) => judged[i] === 'clear' && (!single || r.singleTube))
    if (clearIdx >= 0) continue
    const lowIdx = judged.indexOf('ct_low')
    if (lowIdx >= 0)
      problems.push({
        code: 'MEASURE_RELEASE_CT_LOW',
        params: { day, ct: lowestCt(onDay[lowIdx]!), releaseCt: plan.releaseCt ?? 0 },
      })
    else if (judged.includes('clear'))
      problems.push({ code: 'MEASURE_RELEASE_TEST_POOLED', params: { day } })
    else if (!positive)
      problems.push({
        code: 'MEASURE_RELEASE_TEST_NOT_CLEAR',
        params: { day, result: onDay[0]!.result },
      })
  }

  if (plan.testsWithin) {
    const { count, days, minHoursApart } = plan.testsWithin
    const until = addDays(plan.anchorDate, days)
    const gap = Math.ceil(minHoursApart / 24)
    let found = 0
    let lastDay: string | null = null
    for (const r of since) {
      if (r.day > until || judgeResult(r, plan.releaseCt) !== 'clear') continue
      if (lastDay !== null && daysBetween(lastDay, r.day) < gap) continue
      found++
      lastDay = r.day
    }
    if (found < count)
      problems.push({
        code: 'MEASURE_RELEASE_TESTS_WITHIN',
        params: { count, days, hours: minHoursApart, found },
      })
  }

  if (plan.endCondition !== 'duration' && plan.testDays.length === 0) {
    // Ends on a condition, not on test days: the last results (one per day) must clear.
    const needed = plan.releaseTests ?? 1
    const single = plan.endCondition === 'negative_single_tube'
    const lastPerDay = new Map<string, Judged>()
    for (const r of since) {
      if (single && !r.singleTube) continue
      const j = judgeResult(r, plan.releaseCt)
      const prev = lastPerDay.get(r.day)
      // Within one day the worse result holds (从严) until a later day's result.
      if (!prev || prev === 'clear') lastPerDay.set(r.day, j)
    }
    const lastDays = [...lastPerDay.values()].slice(-needed)
    const cleared = lastDays.length === needed && lastDays.every((j) => j === 'clear')
    if (!cleared)
      problems.push(
        single
          ? { code: 'MEASURE_RELEASE_RECHECK_MISSING' }
          : {
              code: 'MEASURE_RELEASE_CLEAR_TESTS_MISSING',
              params: { count: needed, releaseCt: plan.releaseCt ?? 0 },
            },
      )
  }
  return { ok: problems.length === 0, problems }
}
