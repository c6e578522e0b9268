import { and, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, pathsCondition, scopeCondition } from '../core/scope/scope.js'
import type { Scope } from './results.repo.js'
import { missedReason } from './testing.tables.js'

/** All SQL of the missed-test list and its reasons. */

export interface MissedRow {
  id: string
  name: string
  phoneEnc: string | null
  gridPath: string
  householdLabel: string | null
  sortKey: string
  reason: string | null
  note: string | null
  birthDate: string | null
}

export interface MissedCursor {
  gridPath: string
  sortKey: string
  id: string
}

/**
 * One page of the missed-test list in walking order (grid → building → household), keyset by
 * (grid, sort key, id). The inner query walks `resident_scope_order_idx` and stops at the page's
 * end; joining households and reasons outside it keeps the planner from sorting the whole
 * street first (2.5 s → 1 ms for a street's first page, bench/missed).
 */
export async function missedPage(
  db: Db,
  round: { id: string; scopePaths: readonly string[] },
  scope: Scope,
  q: {
    gridPath?: string | undefined
    after?: MissedCursor | undefined
    limit: number
    includeExcused?: boolean | undefined
  },
): Promise<MissedRow[]> {
  const escaped = q.gridPath ? likePrefix(q.gridPath) : null
  return rows(
    db,
    sql`select r.id, r.name, r.phone_enc as "phoneEnc", r.grid_path as "gridPath", h.label as "householdLabel", r.sort_key as "sortKey", m.reason, m.note, r.birth_date::text as "birthDate"
        from (
          select r.id, r.grid_path, r.sort_key from resident r
          where r.status = 'active' and ${pathsCondition(sql`r.grid_path`, round.scopePaths)} and ${scopeCondition(sql`r.grid_path`, scope)}
            ${escaped ? sql`and r.grid_path like ${escaped}` : sql``}
            ${q.after ? sql`and (r.grid_path, r.sort_key, r.id) > (${q.after.gridPath}, ${q.after.sortKey}, ${q.after.id}::uuid)` : sql``}
            and not exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id)
            ${q.includeExcused ? sql`` : sql`and not exists (select 1 from missed_reason x where x.round_id = ${round.id} and x.resident_id = r.id and x.excludes)`}
          order by r.grid_path, r.sort_key, r.id
          limit ${q.limit}) pick
        join resident r on r.id = pick.id
        left join household h on h.id = r.household_id
        left join missed_reason m on m.round_id = ${round.id} and m.resident_id = r.id
        order by pick.grid_path, pick.sort_key, pick.id`,
  )
}

/** A resident's grid, for the scope checks of a reason (registry's table, read only). */
export async function residentGridPath(db: Db, residentId: string): Promise<string | undefined> {
  const [r] = await rows<{ grid_path: string }>(
    db,
    sql`select grid_path from resident where id = ${residentId}`,
  )
  return r?.grid_path
}

export async function upsertMissedReason(
  db: Db,
  v: typeof missedReason.$inferInsert,
): Promise<void> {
  await db
    .insert(missedReason)
    .values(v)
    .onConflictDoUpdate({
      target: [missedReason.roundId, missedReason.residentId],
      set: {
        reason: v.reason,
        excludes: v.excludes,
        note: v.note,
        recordedBy: v.recordedBy,
        recordedAt: new Date(),
      },
    })
}

export async function deleteMissedReason(
  db: Db,
  roundId: string,
  residentId: string,
): Promise<void> {
  await db
    .delete(missedReason)
    .where(and(eq(missedReason.roundId, roundId), eq(missedReason.residentId, residentId)))
}
