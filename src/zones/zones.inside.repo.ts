import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { likeContains, scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { insidePairs, oneArea, rowsWithoutJit } from './zones.repo.js'

/**
 * Who lives inside a risk area (issue 11 items 2 and 6): the residents of its parts in walking
 * order (keyset on the household sort key), each with building, unit, room, their active
 * measures and tags; the vulnerable among them with their helper and designated hospital; and
 * how many there are. The set inside is `insidePairs` of zones.repo.
 * Scope is in the SQL: a grid worker sees only their grid's part of an area.
 */

export interface InsideRow {
  id: string
  name: string
  sort_key: string
  household_label: string | null
  building: string | null
  unit: string | null
  room: string | null
  phone_enc: string | null
  proxy_name: string | null
  proxy_relation: string | null
  proxy_phone_enc: string | null
  tags: string[]
  measures: { category: string; plannedEnd: string | null }[]
}

export interface InsideFilter {
  q?: string | undefined
  /** true: only people under an active measure; false: only those under none. */
  underMeasure?: boolean | undefined
  /** Only people with one of these tags (the 重点人群 list). */
  tags?: readonly string[] | undefined
  /** Keyset cursor: after this (sort key, id). */
  after?: { sortKey: string; id: string } | undefined
  limit: number
}

const underMeasure = sql`exists (select 1 from measure m where m.resident_id = r.id and m.status = 'active')`

function filterOf(actor: Pick<ScopedActor, 'scopePaths'>, f: InsideFilter): SQL {
  const parts: SQL[] = [sql`r.status = 'active'`, scopeCondition(sql`r.grid_path`, actor)]
  if (f.q) {
    const like = likeContains(f.q.toLowerCase())
    parts.push(
      sql`(r.name like ${likeContains(f.q)} or r.name_pinyin like ${like} or r.name_initials like ${like} or h.label like ${likeContains(f.q)})`,
    )
  }
  if (f.underMeasure === true) parts.push(underMeasure)
  if (f.underMeasure === false) parts.push(sql`not ${underMeasure}`)
  if (f.tags)
    parts.push(
      // `offset 0` keeps this a per-person index probe: as a semi join the planner (misled by the
      // grid/community branches' estimate) hashed every tagged resident of the district (120 ms).
      sql`exists (select 1 from resident_tag t where t.resident_id = r.id and t.tag = any(${sql.param([...f.tags])}::text[]) offset 0)`,
    )
  if (f.after) parts.push(sql`(r.sort_key, r.id) > (${f.after.sortKey}, ${f.after.id}::uuid)`)
  return sql.join(parts, sql` and `)
}

/** A page of the active residents inside the area under the actor's scope, in walking order. */
export async function listInside(
  db: Db,
  areaId: string,
  actor: Pick<ScopedActor, 'scopePaths'>,
  f: InsideFilter,
): Promise<InsideRow[]> {
  return rowsWithoutJit<InsideRow>(
    db,
    sql`with ${insidePairs(oneArea(areaId))}
        select r.id, r.name, r.sort_key, h.label as household_label, b.name as building,
          u.code as unit, h.room, r.phone_enc, c.proxy_name, c.proxy_relation, c.proxy_phone_enc,
          coalesce((select array_agg(t.tag order by t.tag) from resident_tag t where t.resident_id = r.id), '{}') as tags,
          coalesce((select json_agg(json_build_object('category', m.category, 'plannedEnd', m.planned_end) order by m.started_at)
                    from measure m where m.resident_id = r.id and m.status = 'active'), '[]') as measures
        from inside i cross join lateral (select * from resident r where r.id = i.id offset 0) r
          left join household h on h.id = r.household_id
          left join building b on b.id = h.building_id
          left join unit u on u.id = h.unit_id
          left join lateral (select * from resident_care c where c.resident_id = r.id offset 0) c on true
        where ${filterOf(actor, f)}
        order by r.sort_key, r.id
        limit ${f.limit}`,
  )
}

export interface CareInsideRow extends InsideRow {
  helper_name: string | null
  helper_phone_enc: string | null
  hospital: string | null
  needs: string | null
}

/** A page of the vulnerable inside (one of `tags`), with their helper and designated hospital. */
export async function listVulnerableInside(
  db: Db,
  areaId: string,
  actor: Pick<ScopedActor, 'scopePaths'>,
  f: InsideFilter & { tags: readonly string[]; withoutHelper?: boolean },
): Promise<CareInsideRow[]> {
  const noHelper = f.withoutHelper ? sql` and c.helper_name is null` : sql``
  return rowsWithoutJit<CareInsideRow>(
    db,
    sql`with ${insidePairs(oneArea(areaId))}
        select r.id, r.name, r.sort_key, h.label as household_label, b.name as building,
          u.code as unit, h.room, r.phone_enc, c.proxy_name, c.proxy_relation, c.proxy_phone_enc,
          coalesce((select array_agg(t.tag order by t.tag) from resident_tag t where t.resident_id = r.id), '{}') as tags,
          '[]'::json as measures,
          c.helper_name, c.helper_phone_enc, c.hospital, c.needs
        from inside i cross join lateral (select * from resident r where r.id = i.id offset 0) r
          left join household h on h.id = r.household_id
          left join building b on b.id = h.building_id
          left join unit u on u.id = h.unit_id
          left join lateral (select * from resident_care c where c.resident_id = r.id offset 0) c on true
        where ${filterOf(actor, f)}${noHelper}
        order by r.sort_key, r.id
        limit ${f.limit}`,
  )
}

/** How many of the vulnerable inside (under the actor's scope) there are, and how many have no helper. */
export async function countVulnerableInside(
  db: Db,
  areaId: string,
  actor: Pick<ScopedActor, 'scopePaths'>,
  tags: readonly string[],
): Promise<{ vulnerable: number; withoutHelper: number }> {
  const [row] = await rowsWithoutJit<{ vulnerable: number; without_helper: number }>(
    db,
    sql`with ${insidePairs(oneArea(areaId))}
        select count(*)::int as vulnerable,
          count(*) filter (where c.helper_name is null)::int as without_helper
        from inside i cross join lateral (select * from resident r where r.id = i.id offset 0) r
          left join household h on h.id = r.household_id
          left join lateral (select * from resident_care c where c.resident_id = r.id offset 0) c on true
        where ${filterOf(actor, { tags, limit: 0 })}`,
  )
  return { vulnerable: row?.vulnerable ?? 0, withoutHelper: row?.without_helper ?? 0 }
}
