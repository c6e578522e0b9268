import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { pathsCondition, scopeCondition } from '../core/scope/scope.js'
import type { Scope } from './testing.repo.js'

/**
 * The SQL of a round's places (buildings and units, narrower than its divisions; registry's
 * tables, read only) and of the history the area-wide stop rule reads.
 */

export interface PlaceRow {
  id: string
  kind: 'building' | 'unit'
  /** 12栋, 12栋1单元 */
  name: string
  gridPath: string
}

/** The buildings and units of these ids that exist, with the grid they lie in. */
export async function placesByIds(
  db: Db,
  buildingIds: readonly string[],
  unitIds: readonly string[],
): Promise<PlaceRow[]> {
  if (buildingIds.length === 0 && unitIds.length === 0) return []
  return rows<PlaceRow>(
    db,
    sql`select b.id, 'building' as kind, b.name, b.grid_path as "gridPath" from building b where b.id = any(${sql.param([...buildingIds])}::uuid[])
        union all
        select u.id, 'unit' as kind, b.name || u.code || '单元' as name, b.grid_path as "gridPath"
        from unit u join building b on b.id = u.building_id where u.id = any(${sql.param([...unitIds])}::uuid[])`,
  )
}

export interface BuildingChoice {
  id: string
  name: string
  gridPath: string
  gridName: string
  units: { id: string; name: string }[]
}

/** How many buildings the round form offers at once (a street has thousands: choose a community or grid first). */
export const PLACE_CHOICES = 500

/** Buildings under the divisions and the caller's scope, with their units, in walking order. */
export async function buildingChoices(
  db: Db,
  divisionPaths: readonly string[],
  scope: Scope,
): Promise<BuildingChoice[]> {
  return rows<BuildingChoice>(
    db,
    sql`select b.id, b.name, b.grid_path as "gridPath", coalesce(d.name, b.grid_path) as "gridName",
               coalesce((select json_agg(json_build_object('id', u.id, 'name', b.name || u.code || '单元') order by lpad(u.code, 8, '0'), u.code)
                         from unit u where u.building_id = b.id), '[]'::json) as units
        from building b left join division d on d.id = b.grid_id
        where ${pathsCondition(sql`b.grid_path`, divisionPaths)} and ${scopeCondition(sql`b.grid_path`, scope)}
        order by b.grid_path, lpad(b.code, 8, '0'), b.code
        limit ${PLACE_CHOICES + 1}`,
  )
}

export interface AreaHistoryRow {
  /** The round whose area this is. */
  roundId: string
  closedAt: Date
  /** A positive or abnormal tube, or a screening positive, in that round. */
  positive: boolean
  /** Some of its tubes are still without a result. */
  pending: boolean
}

/**
 * For each area-wide round named, the closed area-wide rounds of the same area (the same
 * divisions, buildings and units), oldest first: what the stop rule counts.
 */
export async function areaRoundHistory(
  db: Db,
  roundIds: readonly string[],
): Promise<AreaHistoryRow[]> {
  if (roundIds.length === 0) return []
  const same = (col: string) =>
    sql`h.${sql.raw(col)} @> r.${sql.raw(col)} and h.${sql.raw(col)} <@ r.${sql.raw(col)}`
  return rows<AreaHistoryRow>(
    db,
    sql`select r.id as "roundId", h.closed_at as "closedAt",
               (exists (select 1 from tube t where t.round_id = h.id and t.result in ('positive', 'abnormal'))
                or exists (select 1 from positive_case c where c.round_id = h.id)) as positive,
               exists (select 1 from tube t where t.round_id = h.id and t.result is null) as pending
        from test_round r
        join test_round h on h.kind = 'area' and h.status = 'closed'
          and ${same('scope_paths')} and ${same('building_ids')} and ${same('unit_ids')}
        where r.id = any(${sql.param([...roundIds])}::uuid[]) and r.kind = 'area'
        order by r.id, h.closed_at, h.id`,
  )
}
