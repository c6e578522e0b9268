import { addDays } from '../core/clock.js'
import { ORIGINS, type CheckpointsSettings } from '../policy/policy.service.js'

export type Origin = (typeof ORIGINS)[number]

/** How the itinerary is matched against the risk-area lists: a place's origin class, or null when nothing matches it. */
export type PlaceMatcher = (place: string, date: string) => Origin | null

/** No list to match against (an empty itinerary, rule tests): every place is kept and flagged. */
export const matchNothing: PlaceMatcher = () => null

export interface ArrivalClassification {
  /** The strictest origin among the declared one and the matched places. */
  originClass: Origin
  /** The measure category the profile gives it; null: no measure under this profile. */
  category: CheckpointsSettings['classify'][number]['category'] | null
  /** Places that matched nothing, kept for a person to look at. */
  unmatchedPlaces: string[]
}

/**
 * Classifies an arrival by the profile (domain.md §4): the declared origin and every place of the
 * itinerary that matches a list; the strictest wins (ORIGINS is ordered from the strictest). An
 * origin the profile does not classify (opt20: medium areas; new10: everything) gives no measure.
 */
export function classifyArrival(
  settings: Pick<CheckpointsSettings, 'classify'>,
  declared: Origin,
  itinerary: readonly { place: string; date: string }[],
  match: PlaceMatcher = matchNothing,
): ArrivalClassification {
  const origins: Origin[] = [declared]
  const unmatched: string[] = []
  for (const p of itinerary) {
    const o = match(p.place, p.date)
    if (o) origins.push(o)
    else if (!unmatched.includes(p.place)) unmatched.push(p.place)
  }
  const rank = (o: Origin): number => ORIGINS.indexOf(o)
  const classified = origins
    .map((o) => ({ o, rule: settings.classify.find((r) => r.origin === o) }))
    .sort((a, b) => rank(a.o) - rank(b.o))
  const hit = classified.find((c) => c.rule)
  return {
    originClass: hit?.o ?? classified[0]!.o,
    category: hit?.rule?.category ?? null,
    unmatchedPlaces: unmatched,
  }
}

/** The first itinerary row dated outside the profile's window before the arrival (or after it), with its index. */
export function itineraryOutsideWindow(
  itinerary: readonly { date: string }[],
  arrivalDate: string,
  windowDays: number,
): number | null {
  const first = addDays(arrivalDate, -windowDays)
  const i = itinerary.findIndex((p) => p.date < first || p.date > arrivalDate)
  return i < 0 ? null : i
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A short reference a person reads out or shows as a QR: 8 characters without look-alikes (0/O, 1/I/L). */
export function referenceFrom(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += REFERENCE_ALPHABET[bytes[i]! % REFERENCE_ALPHABET.length]
  return s
}
