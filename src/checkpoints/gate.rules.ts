import type { CheckpointsSettings } from '../policy/policy.service.js'
import type { GateReason } from './gate.tables.js'

export type GateSettings = CheckpointsSettings['gate']
export type Direction = 'out' | 'in'
/** What a risk area's level puts on the people inside: sealed and controlled areas are a lockdown. */
export type ZoneMeasure = 'sealed' | 'controlled' | 'precaution'

/** The exit pass an exit would use: the one scanned, or the household's next unused one of the day. */
export type PassFact =
  | { state: 'usable'; id: string }
  /** Scanned, but it is of another day. */
  | { state: 'other_day'; day: string }
  /** Scanned, but already used. */
  | { state: 'used' }
  /** None scanned, and the household has none left of today (`issued` were issued). */
  | { state: 'none_left'; issued: number }

export interface GateFacts {
  direction: Direction
  /** The strictest area measure over the person's home (a resident) or the checkpoint (a visitor). */
  zone: ZoneMeasure | null
  /** The time of the attempt (the negative test's window ends here). */
  at: Date
  person:
    | {
        kind: 'resident'
        /** Active measure categories of the person (zone measures excluded). */
        measures: readonly string[]
        /** When the last negative swab of the person was taken; null: none known. */
        lastNegativeAt: Date | null
        /** The local day of that swab (what the reason shows). */
        lastNegativeDay: string | null
        pass: PassFact | null
      }
    /** Someone who does not live behind this gate, or an exit pass whose holder is not named. */
    | { kind: 'visitor' }
    | { kind: 'pass_holder'; pass: PassFact }
}

export interface GateDecision {
  allowed: boolean
  reasons: GateReason[]
  /** The exit pass an allowed exit uses. */
  usesPassId: string | null
}

const LOCKDOWN: readonly ZoneMeasure[] = ['sealed', 'controlled']

function passReasons(g: GateSettings, pass: PassFact | null): GateReason[] {
  const limit = g.exitPassesPerHouseholdPerDay
  if (limit === null) return []
  if (limit === 0) return [{ code: 'GATE_EXIT_CLOSED', params: {} }]
  if (!pass || pass.state === 'none_left')
    return pass && pass.issued >= limit
      ? [{ code: 'GATE_PASS_USED_UP', params: { limit } }]
      : [{ code: 'GATE_PASS_MISSING', params: { limit } }]
  if (pass.state === 'used') return [{ code: 'GATE_PASS_USED_UP', params: { limit } }]
  if (pass.state === 'other_day')
    return [{ code: 'GATE_PASS_OTHER_DAY', params: { day: pass.day, ...monthDay(pass.day) } }]
  return []
}

function monthDay(day: string): { month: number; date: number } {
  return { month: Number(day.slice(5, 7)), date: Number(day.slice(8, 10)) }
}

function negativeReasons(
  g: GateSettings,
  at: Date,
  last: Date | null,
  lastDay: string | null,
): GateReason[] {
  const hours = g.negativeTestHours
  if (hours === null) return []
  if (last && at.getTime() - last.getTime() <= hours * 3_600_000) return []
  if (!last || !lastDay) return [{ code: 'GATE_NO_NEGATIVE_EVER', params: { hours } }]
  return [
    { code: 'GATE_NO_RECENT_NEGATIVE', params: { hours, day: lastDay, ...monthDay(lastDay) } },
  ]
}

/**
 * The gate rules of domain.md §4 under the profile's `checkpoints.gate` (issue 11 item 5): pure,
 * every reason a passage breaks is listed (staff read them all out, not only the first).
 * - A person under a confining measure (gate.confinedMeasures) may not go out, lockdown or not.
 * - In a lockdown (a sealed or controlled area over the home, or over the gate for a visitor):
 *   visitors may not come in unless the profile allows them; a resident going out needs a usable
 *   exit pass of the household for the day (when the profile counts them) and a negative swab
 *   within the profile's hours (when it asks for one). Coming home (返回) is always allowed.
 */
export function decide(facts: GateFacts, g: GateSettings): GateDecision {
  const lockdown = facts.zone !== null && LOCKDOWN.includes(facts.zone)
  const reasons: GateReason[] = []
  let usesPassId: string | null = null
  const p = facts.person
  if (p.kind === 'visitor') {
    if (facts.direction === 'in' && lockdown && !g.visitorsAllowedInLockdown)
      reasons.push({ code: 'GATE_VISITORS_BANNED', params: {} })
    return { allowed: reasons.length === 0, reasons, usesPassId }
  }
  if (facts.direction === 'in') return { allowed: true, reasons, usesPassId }
  if (p.kind === 'resident')
    for (const m of p.measures)
      if (g.confinedMeasures.includes(m))
        reasons.push({ code: 'GATE_UNDER_MEASURE', params: { category: m } })
  if (lockdown) {
    const pass = p.pass
    const byPass = passReasons(g, pass)
    reasons.push(...byPass)
    if (p.kind === 'resident')
      reasons.push(...negativeReasons(g, facts.at, p.lastNegativeAt, p.lastNegativeDay))
    // A pass names a household, not who holds it: whose test would be checked is unknown.
    else if (g.negativeTestHours !== null)
      reasons.push({ code: 'GATE_HOLDER_UNKNOWN', params: { hours: g.negativeTestHours } })
    if (g.exitPassesPerHouseholdPerDay !== null && pass?.state === 'usable') usesPassId = pass.id
  }
  const allowed = reasons.length === 0
  return { allowed, reasons, usesPassId: allowed ? usesPassId : null }
}
