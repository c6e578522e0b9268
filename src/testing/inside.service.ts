import type { Db } from '../core/db/db.js'
import { findCaseGrid, latestCasesInside, roundsInside, type PlacePart } from './inside.repo.js'

export type { PlacePart } from './inside.repo.js'

/**
 * What testing knows about places made of registry parts (a risk area's extents, issue 11): the
 * latest new positive of someone living inside and the area-wide rounds that swabbed them. Counts
 * and dates only, no person: the caller (zones) has already checked the reader may see the place.
 */
export interface CasesInside {
  lastCaseAt: Date | null
  cases: number
}

export interface RoundInside {
  roundId: string
  name: string
  /** The first swab of a person inside in the round. */
  sampledAt: Date
  sampled: number
  negative: number
  positive: number
}

export async function casesInside(
  db: Db,
  parts: readonly PlacePart[],
): Promise<Map<string, CasesInside>> {
  const out = new Map<string, CasesInside>()
  for (const r of await latestCasesInside(db, parts))
    out.set(r.place_id, {
      lastCaseAt: r.last_case_at ? new Date(r.last_case_at) : null,
      cases: r.cases,
    })
  return out
}

export async function roundsSampledInside(
  db: Db,
  parts: readonly PlacePart[],
): Promise<Map<string, RoundInside[]>> {
  const out = new Map<string, RoundInside[]>()
  for (const r of await roundsInside(db, parts)) {
    const list = out.get(r.place_id) ?? []
    list.push({
      roundId: r.round_id,
      name: r.name,
      sampledAt: new Date(r.sampled_at),
      sampled: r.sampled,
      negative: r.negative,
      positive: r.positive,
    })
    out.set(r.place_id, list)
  }
  return out
}

/** Whether a positive case exists and the grid it was found in (a risk area's cause); null if none. */
export async function positiveCaseGrid(db: Db, id: string): Promise<string | null> {
  return (await findCaseGrid(db, id))?.grid_path ?? null
}
