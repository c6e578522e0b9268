import { sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'

/**
 * Cases and rounds inside places given as parts of the registry (a risk area's extents): the
 * read-only facts the zones domain counts down with. A place is a household, floor (building and
 * floor), unit, building, grid or community; its residents are found by key, never by scanning.
 */
export interface PlacePart {
  /** The caller's key of the place the part belongs to (an area id). */
  placeId: string
  kind: string
  refId: string
  floor: number | null
  /** Only cases and rounds from this instant on count. */
  since: Date
}

/** `inside(place_id, since, resident_id)`: the residents of each place, by the part's key. */
function insideCte(parts: readonly PlacePart[]): SQL {
  const p = sql.param
  return sql`ext as (
      select * from unnest(${p(parts.map((x) => x.placeId))}::uuid[], ${p(parts.map((x) => x.kind))}::text[],
        ${p(parts.map((x) => x.refId))}::uuid[], ${p(parts.map((x) => x.floor))}::int[],
        ${p(parts.map((x) => x.since.toISOString()))}::timestamptz[]) as e(place_id, kind, ref_id, floor, since)
    ),
    inside as (
      select e.place_id, e.since, r.id as resident_id from ext e join resident r on r.household_id = e.ref_id
        where e.kind = 'household'
      union
      select e.place_id, e.since, r.id from ext e join household h on h.building_id = e.ref_id
        join resident r on r.household_id = h.id
        where e.kind = 'building' or (e.kind = 'floor' and h.floor = e.floor)
      union
      select e.place_id, e.since, r.id from ext e join household h on h.unit_id = e.ref_id
        join resident r on r.household_id = h.id where e.kind = 'unit'
      union
      select e.place_id, e.since, r.id from ext e join division g on g.id = e.ref_id
        join resident r on r.grid_path = g.path where e.kind = 'grid'
      union
      select e.place_id, e.since, r.id from ext e join division g on g.parent_id = e.ref_id
        join resident r on r.grid_path = g.path where e.kind = 'community'
    )`
}

/** The latest single-tube positive (not excluded) of a person living inside each place, since its instant. */
export async function latestCasesInside(
  db: Db,
  parts: readonly PlacePart[],
): Promise<{ place_id: string; last_case_at: string | null; cases: number }[]> {
  if (parts.length === 0) return []
  return rows(
    db,
    sql`with ${insideCte(parts)}
        select i.place_id, max(c.confirmed_at)::text as last_case_at, count(distinct c.id)::int as cases
        from inside i join positive_case c on c.resident_id = i.resident_id
        where c.status <> 'excluded' and c.confirmed_at >= i.since
        group by i.place_id`,
  )
}

/**
 * Per place, the rounds of everyone that swabbed people inside since its instant: when (the
 * first swab), how many, how many negative or positive. Area-wide (全员) and routine rounds count,
 * a risk area's own round (发起本区域核酸 opens a routine round over its buildings) among them;
 * key-group rounds sample only some people and do not.
 */
export async function roundsInside(
  db: Db,
  parts: readonly PlacePart[],
): Promise<
  {
    place_id: string
    round_id: string
    name: string
    sampled_at: string
    sampled: number
    negative: number
    positive: number
  }[]
> {
  if (parts.length === 0) return []
  return rows(
    db,
    sql`with ${insideCte(parts)},
        people as (select distinct place_id, since, resident_id from inside)
        select p.place_id, t.id as round_id, t.name, min(s.scanned_at)::text as sampled_at,
          count(distinct s.resident_id)::int as sampled,
          count(distinct s.resident_id) filter (where s.state in ('negative', 'recheck_negative'))::int as negative,
          count(distinct s.resident_id) filter (where s.state in ('pool_positive', 'confirmed_positive'))::int as positive
        from people p join specimen s on s.resident_id = p.resident_id
        join test_round t on t.id = s.round_id
        where t.kind in ('area', 'routine') and s.scanned_at >= p.since
        group by p.place_id, t.id, t.name
        order by min(s.scanned_at)`,
  )
}

/** A positive case by id (what a risk area names as its cause), with the grid it was found in. */
export async function findCaseGrid(
  db: Db,
  id: string,
): Promise<{ id: string; grid_path: string } | undefined> {
  const [row] = await rows<{ id: string; grid_path: string }>(
    db,
    sql`select id, grid_path from positive_case where id = ${id}`,
  )
  return row
}
