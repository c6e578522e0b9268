import crypto from 'node:crypto'
import { z } from 'zod'
import { compactIdentifier } from '../core/pii/identifiers.js'
import { pathUnderAny } from '../core/scope/scope.js'
import { MISSED_ACTIONS, MISSED_REASONS } from './missed.schema.js'

/** Where a value of a profile comes from (方案第九版 §…, 二十条 第…条): every section and rule says. */
const cite = z.string().trim().min(1).max(300)

/**
 * How often a key job tests (domain.md §5): every N days (daily is every 1 day), N times a week,
 * or a share of the group every N days (each member in turn, so once every days ÷ share days).
 */
export const routineFrequency = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('every_days'), days: z.number().int().min(1).max(60), cite }),
  z.strictObject({ kind: z.literal('per_week'), times: z.number().int().min(1).max(7), cite }),
  z.strictObject({
    kind: z.literal('share'),
    share: z.number().gt(0).max(1),
    days: z.number().int().min(1).max(60),
    cite,
  }),
])
export type RoutineFrequency = z.infer<typeof routineFrequency>

/** What a missed-test reason leads to: excused, swabbed at the door, sent to the fever clinic, escalated, or the registry fixed. */
export { MISSED_ACTIONS }
export type MissedAction = (typeof MISSED_ACTIONS)[number]

export const missedReasonRule = z.strictObject({
  excludes: z.boolean(),
  action: z.enum(MISSED_ACTIONS),
  needsNote: z.boolean().optional(),
  /** infant: only people younger than this many whole years. */
  maxAgeYears: z.number().int().min(0).max(18).optional(),
  /** tested_elsewhere / vaccinated: the event must lie within this many hours before the record. */
  withinHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
  cite,
})
export type MissedReasonRule = z.infer<typeof missedReasonRule>

/** throat (咽拭子), nasal (鼻拭子), nasopharyngeal (鼻咽拭子), antigen_self (抗原自测, where the profile allows). */
export const SPECIMEN_TYPES = ['throat', 'nasal', 'nasopharyngeal', 'antigen_self'] as const
export type SpecimenType = (typeof SPECIMEN_TYPES)[number]

/** The zone levels of domain.md §6 whose tubes the profile sizes. */
export const ZONE_LEVELS = ['sealed', 'controlled', 'precaution'] as const
export type ZoneLevel = (typeof ZONE_LEVELS)[number]

const poolSize = z.number().int().min(1).max(50)

/** The testing section of a policy profile (domain.md §5); `policy/profiles/<name>/testing.json` holds the values. */
export const testingProfile = z
  .object({
    cite,
    poolSizes: z.array(poolSize).min(1),
    defaultPoolSize: poolSize,
    /** The most swabs a one-household tube takes (封控区一户一管); never more than the largest pool. */
    householdTubeCapacity: poolSize,
    /** Resident tags that always go into a single tube, whatever the round says. */
    singleTubeTags: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/)).max(20),
    singleTubeCite: cite,
    zonePoolSizes: z.strictObject({
      sealed: z.union([z.literal(1), z.literal('household')]),
      controlled: poolSize,
      precaution: poolSize,
      cite,
    }),
    /** Swab (a pooled tube: its close) to result, by tube kind (overdue.rules.ts); recheck: a 单管复核 tube (single's when absent). */
    turnaroundHours: z.object({
      pooled: z.number().int().positive(),
      single: z.number().int().positive(),
      recheck: z.number().int().positive().optional(),
      cite: cite.optional(),
    }),
    /** Hours from a positive or abnormal pool's result to the door-to-door single-tube recheck swab (results.service). */
    recheckHours: z.number().positive(),
    recheckCite: cite,
    /** The deadline of an area-wide round, sampling and testing together. */
    areaRoundHours: z.number().positive(),
    areaRounds: z.strictObject({
      /** always; with_reason: not normally by administrative area (opt20), a reason is recorded; never (new10). */
      allowed: z.enum(['always', 'with_reason', 'never']),
      /** After `cleanRounds` clean rounds in a row, wait `waitDays`, run `finalRounds` more, then stop. */
      stopRule: z
        .strictObject({
          cleanRounds: z.number().int().min(1).max(10),
          waitDays: z.number().int().min(0).max(14),
          finalRounds: z.number().int().min(0).max(5),
        })
        .nullable(),
      cite,
    }),
    /** Key-job kinds and the frequency (a key of `routineFrequencies`) each tests at. */
    keyJobs: z.record(
      z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
      z.strictObject({ frequency: z.string(), cite }),
    ),
    routineFrequencies: z.record(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/), routineFrequency),
    missedReasons: z.record(z.string(), missedReasonRule),
    /**
     * calendar_days: "every N days" means a swab on the local day N days before today still
     * counts; elapsed_hours: within N × 24 hours of now.
     */
    dayCounting: z.strictObject({
      convention: z.enum(['calendar_days', 'elapsed_hours']),
      cite,
    }),
    ct: z.strictObject({
      /** A Ct value below this is positive. */
      positiveBelow: z.number().positive().max(50),
      /** Release (解除) needs Ct at or above this. */
      releaseAtLeast: z.number().positive().max(50),
      cite,
    }),
    specimenTypes: z.array(z.enum(SPECIMEN_TYPES)).min(1),
    antigenAllowed: z.boolean(),
  })
  .superRefine((p, ctx) => {
    const largest = Math.max(...p.poolSizes)
    const bad = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message })
    }
    if (!p.poolSizes.includes(p.defaultPoolSize)) bad(['defaultPoolSize'], 'not one of poolSizes')
    if (p.householdTubeCapacity > largest)
      bad(['householdTubeCapacity'], `more than the largest pool (${largest})`)
    for (const level of ['controlled', 'precaution'] as const)
      if (!p.poolSizes.includes(p.zonePoolSizes[level]))
        bad(['zonePoolSizes', level], 'not one of poolSizes')
    for (const [kind, job] of Object.entries(p.keyJobs))
      if (!Object.hasOwn(p.routineFrequencies, job.frequency))
        bad(['keyJobs', kind, 'frequency'], 'not a key of routineFrequencies')
    for (const reason of Object.keys(p.missedReasons))
      if (!(MISSED_REASONS as readonly string[]).includes(reason))
        bad(['missedReasons', reason], 'not a known missed-test reason')
    const infant = p.missedReasons.infant
    if (infant && infant.maxAgeYears === undefined)
      bad(['missedReasons', 'infant', 'maxAgeYears'], 'required')
    for (const r of ['tested_elsewhere', 'vaccinated'] as const) {
      const rule = p.missedReasons[r]
      if (rule && rule.withinHours === undefined)
        bad(['missedReasons', r, 'withinHours'], 'required')
    }
    // Rules of §5 a profile may not turn around: home isolation is swabbed, refusal escalated, the registry fixed.
    const fixed: Record<string, MissedAction> = {
      home_isolation: 'door_to_door',
      refused: 'escalate',
      moved_out: 'fix_registry',
      deceased: 'fix_registry',
    }
    for (const [reason, action] of Object.entries(fixed)) {
      const rule = p.missedReasons[reason]
      if (rule && (rule.action !== action || rule.excludes))
        bad(['missedReasons', reason], `must be ${action} and not excuse`)
    }
    for (const [reason, rule] of Object.entries(p.missedReasons))
      if (rule.excludes !== (rule.action === 'excuse'))
        bad(['missedReasons', reason, 'excludes'], 'excuses exactly when the action is excuse')
    if (p.specimenTypes.includes('antigen_self') !== p.antigenAllowed)
      bad(['specimenTypes'], 'antigen_self is listed exactly when antigenAllowed')
  })
export type TestingProfile = z.infer<typeof testingProfile>

/* ------------------------------------------------------------------ profile values applied */

/**
 * The window a key job's frequency asks for: at least `tests` swabs within the last `days` days.
 * A share of the group every N days is each member in turn, once every N ÷ share days (20 % a day: every 5 days).
 */
export function frequencyWindow(f: RoutineFrequency): { days: number; tests: number } {
  if (f.kind === 'every_days') return { days: f.days, tests: 1 }
  if (f.kind === 'per_week') return { days: 7, tests: f.times }
  return { days: Math.ceil(f.days / f.share - 1e-9), tests: 1 }
}

/**
 * From when swabs count towards a window of `days` days at `now`: under calendar_days, from the
 * start of the local day `days` days before today (a daily swab yesterday still counts today);
 * under elapsed_hours, from `days` × 24 hours ago.
 */
export function windowStart(
  convention: TestingProfile['dayCounting']['convention'],
  days: number,
  now: Date,
  startOfToday: Date,
): Date {
  const base = convention === 'calendar_days' ? startOfToday : now
  return new Date(base.getTime() - days * 86_400_000)
}

/** The pool of a round for a zone level (domain.md §5): sealed one household a tube (or single), controlled 10, precaution 20. */
export function zonePool(
  settings: Pick<TestingProfile, 'zonePoolSizes' | 'householdTubeCapacity'>,
  level: ZoneLevel,
): { poolSize: number; householdPool: boolean } {
  const size = settings.zonePoolSizes[level]
  if (size === 'household') return { poolSize: settings.householdTubeCapacity, householdPool: true }
  return { poolSize: size, householdPool: false }
}

/** Whether the profile lets an area-wide round open, and what it asks for: never, or a recorded reason. */
export function areaRoundRefusal(
  rule: TestingProfile['areaRounds'],
  reason: string | undefined,
): 'ROUND_AREA_NOT_ALLOWED' | 'ROUND_AREA_NEEDS_REASON' | undefined {
  if (rule.allowed === 'never') return 'ROUND_AREA_NOT_ALLOWED'
  if (rule.allowed === 'with_reason' && !reason?.trim()) return 'ROUND_AREA_NEEDS_REASON'
  return undefined
}

/** How many of the last rounds in a row found no positive. */
export function cleanStreak(rounds: readonly { positive: boolean }[]): number {
  let clean = 0
  for (const r of rounds) clean = r.positive ? 0 : clean + 1
  return clean
}

/**
 * The stop rule of area-wide rounds (domain.md §5): after `cleanRounds` clean rounds in a row,
 * wait `waitDays` days, run `finalRounds` more; clean too, stop. `rounds` are the area's closed
 * rounds, oldest first, with their local closing day and whether any positive was found.
 */
export function areaStopAdvice(
  rule: NonNullable<TestingProfile['areaRounds']['stopRule']>,
  rounds: readonly { day: string; positive: boolean }[],
): { next: 'continue' } | { next: 'wait'; until: string } | { next: 'final' } | { next: 'stop' } {
  const clean = cleanStreak(rounds)
  if (clean < rule.cleanRounds) return { next: 'continue' }
  if (clean >= rule.cleanRounds + rule.finalRounds) return { next: 'stop' }
  if (clean === rule.cleanRounds) {
    const last = rounds[rounds.length - 1]!.day
    const d = new Date(`${last}T00:00:00Z`)
    d.setUTCDate(d.getUTCDate() + rule.waitDays)
    return { next: 'wait', until: d.toISOString().slice(0, 10) }
  }
  return { next: 'final' }
}

/** Whole years from a birth date to a local day (both YYYY-MM-DD): 3 on the third birthday. */
export function ageInYears(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
}

/** Why a missed-test reason cannot be recorded for this person, under the profile's rule. */
export function missedReasonRefusal(
  reason: string,
  rule: MissedReasonRule,
  facts: { age: number | null; note: string | null; eventAt: Date | undefined; now: Date },
):
  | {
      field: 'note' | 'reason' | 'eventAt'
      code:
        | 'MISSED_REASON_NEEDS_NOTE'
        | 'MISSED_INFANT_TOO_OLD'
        | 'MISSED_REASON_NEEDS_TIME'
        | 'MISSED_REASON_OUTSIDE_WINDOW'
      params?: Record<string, string | number>
    }
  | undefined {
  if (rule.needsNote && !facts.note) return { field: 'note', code: 'MISSED_REASON_NEEDS_NOTE' }
  if (rule.maxAgeYears !== undefined && (facts.age === null || facts.age >= rule.maxAgeYears))
    return { field: 'reason', code: 'MISSED_INFANT_TOO_OLD', params: { years: rule.maxAgeYears } }
  if (rule.withinHours !== undefined) {
    if (!facts.eventAt) return { field: 'eventAt', code: 'MISSED_REASON_NEEDS_TIME' }
    const hours = (facts.now.getTime() - facts.eventAt.getTime()) / 3_600_000
    if (hours < -CLOCK_SLACK_MS / 3_600_000 || hours > rule.withinHours)
      return {
        field: 'eventAt',
        code: 'MISSED_REASON_OUTSIDE_WINDOW',
        params: { hours: rule.withinHours, reason },
      }
  }
  return undefined
}

/* ------------------------------------------------------------------ codes and barcodes */

/** A resident's code: "WG" and 32 hex digits of randomness. Says nothing about the person. */
export function newResidentCode(): string {
  return 'WG' + crypto.randomBytes(16).toString('hex').toUpperCase()
}

export const RESIDENT_CODE = /^WG[0-9A-F]{32}$/

/** Tube barcodes: letters, digits and dashes, 6–40 long. Anything else is a garbled read. */
export const TUBE_CODE = /^[A-Za-z0-9-]{6,40}$/

export type ScannedPerson =
  | { kind: 'code'; token: string }
  | { kind: 'id'; idNumber: string }
  | { kind: 'garbled'; code: 'SCAN_CODE_INCOMPLETE' | 'SCAN_NOT_A_PERSON' }

/** What a scanner typed or a wedge scanner sent: a resident code, an ID number, or noise. */
export function readPersonScan(raw: string): ScannedPerson {
  const s = compactIdentifier(raw).toUpperCase()
  if (RESIDENT_CODE.test(s)) return { kind: 'code', token: s }
  if (/^\d{17}[\dX]$/.test(s) || /^\d{15}$/.test(s)) return { kind: 'id', idNumber: s }
  if (s.startsWith('WG')) return { kind: 'garbled', code: 'SCAN_CODE_INCOMPLETE' }
  return { kind: 'garbled', code: 'SCAN_NOT_A_PERSON' }
}

/* ------------------------------------------------------------------ tubes and pooling */

export interface RoundPoolPolicy {
  poolSize: number
  householdPool: boolean
  /** The most swabs a one-household tube takes (the profile's householdTubeCapacity when the round opened). */
  householdCapacity: number
  singleTubeTags: readonly string[]
}

/**
 * How many swabs the tube a person goes into may hold. Single tube for listed groups; the
 * round's pool size otherwise. (A later capability passes the pool size of the person's control
 * zone as `zonePoolSize`, which wins over the round's.)
 */
export function poolSizeFor(
  round: RoundPoolPolicy,
  person: { tags: readonly string[]; zonePoolSize?: number },
): number {
  if (person.tags.some((t) => round.singleTubeTags.includes(t))) return 1
  if (person.zonePoolSize) return person.zonePoolSize
  return round.poolSize
}

export interface TubeState {
  status: 'open' | 'closed'
  kind: 'pooled' | 'single' | 'recheck'
  capacity: number
  members: number
  roundId: string
  householdId: string | null
}

export type TubeDecision =
  | { ok: true; open: boolean; capacity: number; kind: TubeState['kind']; closes: boolean }
  | { ok: false; code: TubeRefusal; params?: Record<string, number> }

/** Why a swab may not go into a tube (testing.messages.ts). */
export type TubeRefusal =
  | 'TUBE_OTHER_ROUND'
  | 'TUBE_CLOSED'
  | 'TUBE_FULL'
  | 'TUBE_RECHECK_ALONE'
  | 'TUBE_SINGLE_PERSON'
  | 'TUBE_OTHER_HOUSEHOLD'
  | 'TUBE_ZONE_POOL'

/**
 * Whether a swab may go into a tube: opens a new one at the person's pool size, adds to an open
 * one, and says when it closes. A household-pooled tube takes one household and closes by hand.
 */
export function placeInTube(
  tube: TubeState | undefined,
  round: RoundPoolPolicy & { id: string },
  person: {
    tags: readonly string[]
    householdId: string | null
    recheck: boolean
    zonePoolSize?: number
  },
): TubeDecision {
  const size = person.recheck ? 1 : poolSizeFor(round, person)
  if (!tube) {
    const kind = person.recheck ? 'recheck' : size === 1 ? 'single' : 'pooled'
    const capacity =
      round.householdPool && !person.recheck && size > 1 ? round.householdCapacity : size
    return { ok: true, open: true, capacity, kind, closes: capacity === 1 }
  }
  if (tube.roundId !== round.id) return { ok: false, code: 'TUBE_OTHER_ROUND' }
  if (tube.status === 'closed')
    return { ok: false, code: 'TUBE_CLOSED', params: { members: tube.members } }
  if (tube.members >= tube.capacity)
    return { ok: false, code: 'TUBE_FULL', params: { capacity: tube.capacity } }
  if (person.recheck || tube.kind === 'recheck') return { ok: false, code: 'TUBE_RECHECK_ALONE' }
  if (size === 1) return { ok: false, code: 'TUBE_SINGLE_PERSON' }
  // A household's tube (a household round, or a sealed area's one tube per household) takes no one else.
  if ((round.householdPool || tube.householdId) && person.householdId !== tube.householdId)
    return { ok: false, code: 'TUBE_OTHER_HOUSEHOLD' }
  // A person of a controlled area (pools of 10) goes into no larger pool than their own.
  if (!round.householdPool && tube.capacity > size)
    return { ok: false, code: 'TUBE_ZONE_POOL', params: { capacity: size } }
  return {
    ok: true,
    open: false,
    capacity: tube.capacity,
    kind: tube.kind,
    closes: tube.members + 1 >= tube.capacity,
  }
}

/* ------------------------------------------------------------------ results and people */

export type TubeResultValue = 'negative' | 'positive' | 'abnormal'
export type SpecimenState =
  'pending' | 'negative' | 'pool_positive' | 'recheck_negative' | 'confirmed_positive'

/** How much a result asks of the people in the tube: negative clears, abnormal means swab again, positive means recheck or case. */
const STRICTNESS: Record<TubeResultValue, number> = { negative: 0, abnormal: 1, positive: 2 }

/**
 * A lab's result for a tube that may already have one. A second, different result replaces the
 * first only when the lab says it re-ran the tube AND it is at least as strict (从严): a retest
 * that would clear a positive or abnormal tube is a conflict for a person to resolve, never
 * applied by the lab's token alone.
 */
export function classifyResult(
  existing: TubeResultValue | null,
  incoming: TubeResultValue,
  retest: boolean,
): 'apply' | 'duplicate' | 'conflict' {
  if (existing === null) return 'apply'
  if (existing === incoming) return 'duplicate'
  return retest && STRICTNESS[incoming] > STRICTNESS[existing] ? 'apply' : 'conflict'
}

/** The earliest and latest times the testing routes take (a round, a scan, a lab result). */
const EARLIEST = Date.UTC(2000, 0, 1)
const LATEST = Date.UTC(2100, 0, 1)

/**
 * A time as a device, a lab or a form sends it, or undefined: ISO 8601 with a real calendar
 * day (no 2026-02-31, which Date would roll into March) in 2000–2099 (no year 0 or 275760,
 * which the database refuses).
 */
export function readTime(raw: string): Date | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      raw.trim(),
    )
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const day = new Date(Date.UTC(y, mo - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d)
    return undefined
  const at = new Date(raw.trim())
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST || at.getTime() >= LATEST)
    return undefined
  return at
}

/**
 * The person state machine of domain.md §5: pending → negative | pool_positive →
 * recheck_negative | confirmed_positive. `undefined` means the event does not apply.
 */
export function nextSpecimenState(
  state: SpecimenState,
  event: { tube: 'pooled' | 'single'; result: TubeResultValue } | { recheck: TubeResultValue },
): SpecimenState | undefined {
  if ('recheck' in event) {
    if (state !== 'pool_positive') return undefined
    if (event.recheck === 'negative') return 'recheck_negative'
    if (event.recheck === 'positive') return 'confirmed_positive'
    return undefined // abnormal recheck: swab again, the person stays pending recheck
  }
  if (state !== 'pending' && state !== 'negative' && state !== 'pool_positive') return undefined
  if (event.result === 'negative') return 'negative'
  if (event.tube === 'single' && event.result === 'positive') return 'confirmed_positive'
  return 'pool_positive'
}

/* ------------------------------------------------------------------ the decisions of a scan batch (sampling.service ingestScans) */

/** Names are masked as every personal identifier is (core/pii/mask.ts). */
export { maskName } from '../core/pii/mask.js'

/** How far a device's clock may run ahead of the server's before a scan time is refused. */
export const CLOCK_SLACK_MS = 10 * 60_000

export type ScanRefusal = {
  field: 'person' | 'tube' | 'scannedAt' | 'round' | 'specimenType'
  code: string
  params?: Record<string, string | number>
}

/**
 * When a scan happened, or why its time is refused: not a time, ahead of the server's clock
 * (beyond the slack), or after the round closed (a device's queue from before the close still counts).
 */
export function scanTime(
  raw: string,
  now: Date,
  round: { status: string; closedAt: Date | null },
): { ok: true; at: Date } | { ok: false; refusal: ScanRefusal } {
  const at = readTime(raw)
  if (!at) return { ok: false, refusal: { field: 'scannedAt', code: 'SCAN_TIME_INVALID' } }
  if (at.getTime() > now.getTime() + CLOCK_SLACK_MS)
    return { ok: false, refusal: { field: 'scannedAt', code: 'SCAN_TIME_FUTURE' } }
  if (round.status === 'closed' && (!round.closedAt || at > round.closedAt))
    return { ok: false, refusal: { field: 'round', code: 'SCAN_ROUND_CLOSED' } }
  return { ok: true, at }
}

/**
 * Why the person of a scan is refused, given how it read and whether anyone was found:
 * a garbled read, an invalid ID number (its own code), an unregistered one, an unknown code.
 */
export function personRefusal(
  read: ScannedPerson,
  idCheck:
    | { ok: true }
    | { ok: false; code: string; params?: Record<string, string | number> }
    | undefined,
  found: boolean,
): ScanRefusal | undefined {
  if (read.kind === 'garbled') return { field: 'person', code: read.code }
  if (read.kind === 'id' && idCheck && !idCheck.ok)
    return {
      field: 'person',
      code: idCheck.code,
      ...(idCheck.params ? { params: idCheck.params } : {}),
    }
  if (found) return undefined
  return {
    field: 'person',
    code: read.kind === 'code' ? 'SCAN_CODE_UNKNOWN' : 'SCAN_PERSON_NOT_REGISTERED',
  }
}

export type ScanWarningCode =
  'already_sampled' | 'out_of_scope' | 'outside_sampler_scope' | 'tube_closed' | 'recheck'

/** Why a scan's specimen type is refused: one the profile in force does not list (antigen outside new10). */
export function specimenTypeRefusal(
  type: string | undefined,
  allowed: readonly string[],
  profile: string,
): ScanRefusal | undefined {
  if (type === undefined || allowed.includes(type)) return undefined
  return {
    field: 'specimenType',
    code: 'SCAN_SPECIMEN_TYPE_NOT_ALLOWED',
    params: { profile, type },
  }
}

/** Where a round samples: its divisions' paths and, narrower, its buildings and units (both empty: all of them). */
export interface RoundPlaces {
  scopePaths: readonly string[]
  buildingIds: readonly string[]
  unitIds: readonly string[]
}

/** Whether a home lies in a round: under one of its divisions and, when it names any, in one of its buildings or units. */
export function inRoundPlaces(
  round: RoundPlaces,
  home: { gridPath: string; buildingId: string | null; unitId: string | null },
): boolean {
  if (!pathUnderAny(home.gridPath, round.scopePaths)) return false
  if (round.buildingIds.length === 0 && round.unitIds.length === 0) return true
  return (
    (home.buildingId !== null && round.buildingIds.includes(home.buildingId)) ||
    (home.unitId !== null && round.unitIds.includes(home.unitId))
  )
}

/**
 * Whether a person belongs to a round: living in one of its places, and not moved out; a walk-in
 * registered provisionally at the desk (status 'provisional') belongs where they were placed.
 */
export function inRound(
  round: RoundPlaces,
  person: { gridPath: string; status: string; buildingId: string | null; unitId: string | null },
): boolean {
  return (
    inRoundPlaces(round, person) && (person.status === 'active' || person.status === 'provisional')
  )
}

/** The warnings an accepted swab carries, always in this order. */
export function scanWarnings(s: {
  repeat: boolean
  inRound: boolean
  mine: boolean
  closesTube: boolean
  recheck: boolean
}): ScanWarningCode[] {
  const out: ScanWarningCode[] = []
  if (s.repeat) out.push('already_sampled')
  if (!s.inRound) out.push('out_of_scope')
  if (!s.mine) out.push('outside_sampler_scope')
  if (s.closesTube) out.push('tube_closed')
  if (s.recheck) out.push('recheck')
  return out
}

/* ------------------------------------------------------------------ round progress and lists */

export const TURNAROUND_BUCKETS = [2, 6, 12, 24, 48] as const

/** Tubes by turnaround bucket (≤2h … >48h), every bucket present; tubes without a result are left out. */
export function turnaroundBuckets(
  tubes: readonly { hours: number | null; n: number }[],
): { bucket: string; tubes: number }[] {
  const last = `>${TURNAROUND_BUCKETS[TURNAROUND_BUCKETS.length - 1]}h`
  const counts = new Map<string, number>()
  for (const t of tubes) {
    if (t.hours === null) continue
    const hours = t.hours
    const b = TURNAROUND_BUCKETS.find((x) => hours <= x)
    const label = b ? `≤${b}h` : last
    counts.set(label, (counts.get(label) ?? 0) + t.n)
  }
  return [...TURNAROUND_BUCKETS.map((b) => `≤${b}h`), last].map((bucket) => ({
    bucket,
    tubes: counts.get(bucket) ?? 0,
  }))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const PG_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/

/** The keyset cursor of the round list: the last row's creation time (as the database wrote it) and id. */
export function encodeRoundCursor(c: { at: string; id: string }): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url')
}

/** A cursor from `encodeRoundCursor`, or undefined for anything else (never a forged value into SQL). */
export function decodeRoundCursor(raw: string): { at: string; id: string } | undefined {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string')
    return undefined
  if (!PG_TIME.test(v[0]) || !UUID.test(v[1])) return undefined
  return { at: v[0], id: v[1] }
}
