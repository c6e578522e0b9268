import crypto from 'node:crypto'
import { z } from 'zod'

/** The testing section of a policy profile (domain.md §5); `policy/profiles/*.json` hold the values. */
export const testingProfile = z.object({
  poolSizes: z.array(z.number().int().min(1).max(50)).min(1),
  defaultPoolSize: z.number().int().min(1).max(50),
  turnaroundHours: z.object({ pooled: z.number().positive(), single: z.number().positive() }),
  areaRoundHours: z.number().positive(),
  missedReasons: z.record(z.string(), z.object({ excludes: z.boolean(), needsNote: z.boolean().optional() })),
  routineFrequencyDays: z.record(z.string(), z.number().int().min(1).max(60)),
})
export type TestingProfile = z.infer<typeof testingProfile>

/* ------------------------------------------------------------------ codes and barcodes */

/** A resident's code: "WG" and 32 hex digits of randomness. Says nothing about the person. */
export function newResidentCode(): string {
  return 'WG' + crypto.randomBytes(16).toString('hex').toUpperCase()
}

export const RESIDENT_CODE = /^WG[0-9A-F]{32}$/

/** Tube barcodes: letters, digits and dashes, 6–40 long. Anything else is a garbled read. */
export const TUBE_CODE = /^[A-Za-z0-9-]{6,40}$/

export type ScannedPerson = { kind: 'code'; token: string } | { kind: 'id'; idNumber: string } | { kind: 'garbled'; reason: string }

/** What a scanner typed or a wedge scanner sent: a resident code, an ID number, or noise. */
export function readPersonScan(raw: string): ScannedPerson {
  const s = raw.trim().toUpperCase()
  if (RESIDENT_CODE.test(s)) return { kind: 'code', token: s }
  if (/^\d{17}[\dX]$/.test(s) || /^\d{15}$/.test(s)) return { kind: 'id', idNumber: s }
  if (s.startsWith('WG')) return { kind: 'garbled', reason: 'not a complete resident code (scan it again)' }
  return { kind: 'garbled', reason: 'neither a resident code nor an ID number' }
}

/* ------------------------------------------------------------------ tubes and pooling */

export interface RoundPoolPolicy {
  poolSize: number
  householdPool: boolean
  singleTubeTags: readonly string[]
}

/**
 * How many swabs the tube a person goes into may hold. Single tube for listed groups; the
 * round's pool size otherwise. (A later capability passes the pool size of the person's control
 * zone as `zonePoolSize`, which wins over the round's.)
 */
export function poolSizeFor(round: RoundPoolPolicy, person: { tags: readonly string[]; zonePoolSize?: number }): number {
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
  | { ok: false; reason: string }

/**
 * Whether a swab may go into a tube: opens a new one at the person's pool size, adds to an open
 * one, and says when it closes. A household-pooled tube takes one household and closes by hand.
 */
export function placeInTube(
  tube: TubeState | undefined,
  round: RoundPoolPolicy & { id: string },
  person: { tags: readonly string[]; householdId: string | null; recheck: boolean; zonePoolSize?: number },
): TubeDecision {
  const size = person.recheck ? 1 : poolSizeFor(round, person)
  if (!tube) {
    const kind = person.recheck ? 'recheck' : size === 1 ? 'single' : 'pooled'
    const capacity = round.householdPool && !person.recheck && size > 1 ? 50 : size
    return { ok: true, open: true, capacity, kind, closes: capacity === 1 }
  }
  if (tube.roundId !== round.id) return { ok: false, reason: 'this tube belongs to another round' }
  if (tube.status === 'closed') return { ok: false, reason: `this tube is closed (${tube.members} swabs); take a new tube` }
  if (tube.members >= tube.capacity) return { ok: false, reason: `this tube is full (${tube.capacity}); take a new tube` }
  if (person.recheck || tube.kind === 'recheck') return { ok: false, reason: 'a recheck is swabbed alone in a new tube' }
  if (size === 1) return { ok: false, reason: 'this person is sampled in a single tube; take a new tube' }
  if (round.householdPool && tube.householdId && person.householdId !== tube.householdId) return { ok: false, reason: 'this tube holds another household; take a new tube' }
  return { ok: true, open: false, capacity: tube.capacity, kind: tube.kind, closes: tube.members + 1 >= tube.capacity }
}

/* ------------------------------------------------------------------ results and people */

export type TubeResultValue = 'negative' | 'positive' | 'abnormal'
export type SpecimenState = 'pending' | 'negative' | 'pool_positive' | 'recheck_negative' | 'confirmed_positive'

/** How much a result asks of the people in the tube: negative clears, abnormal means swab again, positive means recheck or case. */
const STRICTNESS: Record<TubeResultValue, number> = { negative: 0, abnormal: 1, positive: 2 }

/**
 * A lab's result for a tube that may already have one. A second, different result replaces the
 * first only when the lab says it re-ran the tube AND it is at least as strict (从严): a retest
 * that would clear a positive or abnormal tube is a conflict for a person to resolve, never
 * applied by the lab's token alone.
 */
export function classifyResult(existing: TubeResultValue | null, incoming: TubeResultValue, retest: boolean): 'apply' | 'duplicate' | 'conflict' {
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
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(raw.trim())
  if (!m) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const day = new Date(Date.UTC(y, mo - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined
  const at = new Date(raw.trim())
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST || at.getTime() >= LATEST) return undefined
  return at
}

/**
 * The person state machine of domain.md §5: pending → negative | pool_positive →
 * recheck_negative | confirmed_positive. `undefined` means the event does not apply.
 */
export function nextSpecimenState(state: SpecimenState, event: { tube: 'pooled' | 'single'; result: TubeResultValue } | { recheck: TubeResultValue }): SpecimenState | undefined {
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
