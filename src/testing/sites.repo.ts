import { and, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeOverlapCondition } from '../core/scope/scope.js'
import type { Scope } from './testing.repo.js'
import { samplingSite, siteMember } from './testing.tables.js'

/** The queries of sampling sites and their staff. */

export type SiteRow = typeof samplingSite.$inferSelect

export interface SiteListRow {
  id: string
  name: string
  kind: string
  divisionId: string
  divisionName: string
  address: string | null
  lanes: number
  opensAt: string | null
  closesAt: string | null
  active: boolean
  residents: number
}

export async function insertSite(
  db: Db,
  values: typeof samplingSite.$inferInsert,
): Promise<SiteRow> {
  const [s] = await db.insert(samplingSite).values(values).returning()
  return s!
}

export async function findSite(db: Db, id: string): Promise<SiteRow | undefined> {
  const [s] = await db.select().from(samplingSite).where(eq(samplingSite.id, id))
  return s
}

/** Sites of the caller's area and of the areas above it, with the active residents each site's division holds. */
export async function listSiteRows(db: Db, scope: Scope, onlyId?: string): Promise<SiteListRow[]> {
  return rows(
    db,
    sql`select s.id, s.name, s.kind, s.division_id as "divisionId", d.name as "divisionName", s.address, s.lanes, s.opens_at as "opensAt", s.closes_at as "closesAt", s.active,
          (select count(*)::int from resident r where r.grid_path like s.division_path || '%' and r.status = 'active') as residents
        from sampling_site s join division d on d.id = s.division_id
        where ${scopeOverlapCondition(sql`s.division_path`, scope)} ${onlyId ? sql`and s.id = ${onlyId}` : sql``}
        order by s.division_path, s.name`,
  )
}

export async function siteStaff(
  db: Db,
  siteIds: string[],
): Promise<{ siteId: string; userId: string; username: string; duty: string }[]> {
  if (siteIds.length === 0) return []
  return rows(
    db,
    sql`select m.site_id as "siteId", m.user_id as "userId", u.username, m.duty from site_member m join app_user u on u.id = m.user_id
        where m.site_id = any(${sql.param(siteIds)}::uuid[]) order by u.username`,
  )
}

export async function findActiveUserId(db: Db, username: string): Promise<string | undefined> {
  const [u] = await rows<{ id: string }>(
    db,
    sql`select id from app_user where username = ${username} and not disabled`,
  )
  return u?.id
}

export async function upsertSiteMember(
  db: Db,
  siteId: string,
  userId: string,
  duty: string,
): Promise<void> {
  await db
    .insert(siteMember)
    .values({ siteId, userId, duty })
    .onConflictDoUpdate({ target: [siteMember.siteId, siteMember.userId], set: { duty } })
}

export async function deleteSiteMember(db: Db, siteId: string, userId: string): Promise<void> {
  await db
    .delete(siteMember)
    .where(and(eq(siteMember.siteId, siteId), eq(siteMember.userId, userId)))
}
