import { and, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, scopeCondition, scopeOverlapCondition } from '../core/scope/scope.js'
import type { Scope } from './testing.repo.js'
import { keyGroup, keyGroupMember } from './testing.tables.js'

/** The queries of routine testing: key groups, their members, who is overdue. */

export type KeyGroupRow = typeof keyGroup.$inferSelect

export async function insertKeyGroup(
  db: Db,
  values: typeof keyGroup.$inferInsert,
): Promise<KeyGroupRow> {
  const [g] = await db.insert(keyGroup).values(values).returning()
  return g!
}

export async function findKeyGroup(db: Db, id: string): Promise<KeyGroupRow | undefined> {
  const [g] = await db.select().from(keyGroup).where(eq(keyGroup.id, id))
  return g
}

export interface KeyGroupListRow {
  id: string
  name: string
  kind: string
  frequency: string | null
  frequencyDays: number
  testsPerWindow: number
  divisionId: string
  divisionName: string
  members: number
  overdue: number
}

/**
 * Groups of the caller's area and above, with their members under the caller's scope and how
 * many of those are overdue: fewer than the group's tests since `base` minus its window (base is
 * now, or the start of today under the calendar-day convention).
 */
export async function listKeyGroupRows(
  db: Db,
  scope: Scope,
  base: Date,
  onlyId?: string,
): Promise<KeyGroupListRow[]> {
  const mine = scopeCondition(sql`r.grid_path`, scope)
  return rows(
    db,
    sql`select g.id, g.name, g.kind, g.frequency, g.frequency_days as "frequencyDays", g.tests_per_window as "testsPerWindow", g.division_id as "divisionId", d.name as "divisionName",
          (select count(*)::int from key_group_member m join resident r on r.id = m.resident_id where m.group_id = g.id and ${mine}) as members,
          (select count(*)::int from key_group_member m join resident r on r.id = m.resident_id
             where m.group_id = g.id and ${mine}
               and (select count(*) from specimen s where s.resident_id = r.id and s.scanned_at >= ${base.toISOString()}::timestamptz - make_interval(days => g.frequency_days)) < g.tests_per_window) as overdue
        from key_group g join division d on d.id = g.division_id
        where ${scopeOverlapCondition(sql`g.division_path`, scope)} ${onlyId ? sql`and g.id = ${onlyId}` : sql``}
        order by g.name`,
  )
}

/** The active resident under the caller's scope with one of these ID blind indexes, if any. */
export async function findResidentByIdIndex(
  db: Db,
  candidates: string[],
  scope: Scope,
): Promise<{ id: string; gridPath: string } | undefined> {
  const [r] = await rows<{ id: string; gridPath: string }>(
    db,
    sql`select id, grid_path as "gridPath" from resident where id_bidx = any(${sql.param(candidates)}::text[]) and status = 'active' and ${scopeCondition(sql`grid_path`, scope)}`,
  )
  return r
}

export async function residentGridPath(db: Db, residentId: string): Promise<string | undefined> {
  const [r] = await rows<{ gridPath: string }>(
    db,
    sql`select grid_path as "gridPath" from resident where id = ${residentId}`,
  )
  return r?.gridPath
}

/** Adds a member; false when they already were one. */
export async function insertKeyGroupMember(
  db: Db,
  groupId: string,
  residentId: string,
  addedBy: string,
): Promise<boolean> {
  const inserted = await db
    .insert(keyGroupMember)
    .values({ groupId, residentId, addedBy })
    .onConflictDoNothing()
    .returning({ id: keyGroupMember.residentId })
  return inserted.length > 0
}

export async function deleteKeyGroupMember(
  db: Db,
  groupId: string,
  residentId: string,
): Promise<void> {
  await db
    .delete(keyGroupMember)
    .where(and(eq(keyGroupMember.groupId, groupId), eq(keyGroupMember.residentId, residentId)))
}

export interface OverdueRow {
  id: string
  name: string
  label: string | null
  gridPath: string
  groupName: string
  frequencyDays: number
  testsPerWindow: number
  testsInWindow: number
  lastAt: string | null
}

/**
 * Members under the caller's scope with fewer swabs than their group asks since `base` minus its
 * window (or who never had one), by grid and household.
 */
export async function overdueMemberRows(
  db: Db,
  scope: Scope,
  q: { groupId?: string | undefined; underPath?: string | undefined },
  base: Date,
  limit: number,
): Promise<OverdueRow[]> {
  return rows(
    db,
    sql`select r.id, r.name, h.label, r.grid_path as "gridPath", g.name as "groupName", g.frequency_days as "frequencyDays",
               g.tests_per_window as "testsPerWindow", last.n as "testsInWindow", last.at as "lastAt"
        from key_group_member m
        join key_group g on g.id = m.group_id
        join resident r on r.id = m.resident_id and r.status = 'active'
        left join household h on h.id = r.household_id
        left join lateral (select max(s.scanned_at) as at,
                                  (count(*) filter (where s.scanned_at >= ${base.toISOString()}::timestamptz - make_interval(days => g.frequency_days)))::int as n
                           from specimen s where s.resident_id = r.id) last on true
        where ${scopeCondition(sql`r.grid_path`, scope)}
          ${q.groupId ? sql`and g.id = ${q.groupId}` : sql``}
          ${q.underPath ? sql`and r.grid_path like ${likePrefix(q.underPath)}` : sql``}
          and last.n < g.tests_per_window
        order by r.grid_path, h.sort_key, r.id
        limit ${limit}`,
  )
}
