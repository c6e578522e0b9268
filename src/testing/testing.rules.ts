import crypto from 'node:crypto'
import { z } from 'zod'
import { pathUnderAny } from '../core/scope/scope.js'

/** The testing section of a policy profile (domain.md §5); `policy/profiles/<name>/testing.json` holds the values. */
export const testingProfile = z.object({
  poolSizes: z.array(z.number().int().min(1).max(50)).min(1),
  defaultPoolSize: z.number().int().min(1).max(50),
  turnaroundHours: z.object({ pooled: z.number().positive(), single: z.number().positive() }),
  areaRoundHours: z.number().positive(),
  missedReasons: z.record(
    z.string(),
    z.object({ excludes: z.boolean(), needsNote: z.boolean().optional() }),
  ),
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

export type ScannedPerson =
  | { kind: 'code'; token: string }
  | { kind: 'id'; idNumber: string }
  | { kind: 'garbled'; code: 'SCAN_CODE_INCOMPLETE' | 'SCAN_NOT_A_PERSON' }

/** What a scanner typed or a wedge scanner sent: a resident code, an ID number, or noise. */
export function readPersonScan(raw: string): ScannedPerson {
  const s = raw.trim().toUpperCase()
  if (RESIDENT_CODE.test(s)) return { kind: 'code', token: s }
  if (/^\d{17}[\dX]$/.test(s) || /^\d{15}$/.test(s)) return { kind: 'id', idNumber: s }
  if (s.startsWith('WG')) return { kind: 'garbled', code: 'SCAN_CODE_INCOMPLETE' }
  return { kind: 'garbled', code: 'SCAN_NOT_A_PERSON' }
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
    const capacity = round.householdPool && !person.recheck && size > 1 ? 50 : size
    return { ok: true, open: true, capacity, kind, closes: capacity === 1 }
  }
  if (tube.roundId !== round.id) return { ok: false, code: 'TUBE_OTHER_ROUND' }
  if (tube.status === 'closed')
    return { ok: false, code: 'TUBE_CLOSED', params: { members: tube.members } }
  if (tube.members >= tube.capacity)
    return { ok: false, code: 'TUBE_FULL', params: { capacity: tube.capacity } }
  if (person.recheck || tube.kind === 'recheck') return { ok: false, code: 'TUBE_RECHECK_ALONE' }
  if (size === 1) return { ok: false, code: 'TUBE_SINGLE_PERSON' }
  if (round.householdPool && tube.householdId && person.householdId !== tube.householdId)
    return { ok: false, code: 'TUBE_OTHER_HOUSEHOLD' }
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

/** 张三 → 张*, 欧阳娜娜 → 欧**娜: enough for a scanner to check the person in front of them. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  if (chars.length === 2) return chars[0] + '*'
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}

/** How far a device's clock may run ahead of the server's before a scan time is refused. */
export const CLOCK_SLACK_MS = 10 * 60_000

export type ScanRefusal = {
  field: 'person' | 'tube' | 'scannedAt' | 'round'
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

/** Whether a person belongs to a round: living under one of its divisions, and not moved out. */
export function inRound(
  roundPaths: readonly string[],
  person: { gridPath: string; status: string },
): boolean {
  return pathUnderAny(person.gridPath, roundPaths) && person.status === 'active'
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
