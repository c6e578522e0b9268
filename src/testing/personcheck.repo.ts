import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'

/**
 * The sampling desk's person look-up (personcheck.service): the person a scanned code or ID
 * number names, only inside the caller's scope (the predicate is in the query, so a person of
 * another grid is not read at all), and the open recheck order that fixes their deadline.
 */

export interface CheckedPersonRow {
  id: string
  name: string
  idEnc: string | null
  gridPath: string
  room: string | null
  household: string | null
}

/** The resident a live code, an ID number's blind indexes or a carried document's residents (ids) name, if they live in the caller's scope. */
export async function findScannedPersonInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  key: { token: string } | { bidx: string[] } | { ids: string[] },
): Promise<CheckedPersonRow | undefined> {
  const match =
    'token' in key
      ? sql`r.id = (select c.resident_id from resident_code c where c.token = ${key.token} and c.revoked_at is null limit 1)`
      : 'ids' in key
        ? sql`r.id = any(${sql.param(key.ids)}::uuid[])`
        : sql`r.id_bidx = any(${sql.param(key.bidx)}::text[])`
  const [found] = await rows<CheckedPersonRow>(
    db,
    sql`select r.id, r.name, r.id_enc as "idEnc", r.grid_path as "gridPath",
          h.room, h.label as household
        from resident r
        left join household h on h.id = r.household_id
        where ${match} and ${scopeCondition(sql`r.grid_path`, actor)}
        order by r.created_at desc limit 1`,
  )
  return found
}

/** The earliest-due open recheck order of a person, of any round (the next swab answers it). */
export async function openRecheckDeadline(
  db: Db,
  residentId: string,
): Promise<{ deadline: Date | null } | undefined> {
  const [found] = await rows<{ deadline: Date | string | null }>(
    db,
    sql`select o.deadline from recheck_order o
        where o.resident_id = ${residentId} and o.status in ('ordered', 'sampled')
        order by o.deadline asc nulls last, o.created_at limit 1`,
  )
  if (!found) return undefined
  return { deadline: found.deadline === null ? null : new Date(found.deadline) }
}
