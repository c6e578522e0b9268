import { and, eq, isNull, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix } from '../core/scope/scope.js'
import { residentCode } from './testing.tables.js'

/** The queries of residents' personal codes and households' cards. */

export type ResidentCodeRow = typeof residentCode.$inferSelect

export async function findLiveCode(
  db: Db,
  residentId: string,
): Promise<ResidentCodeRow | undefined> {
  const [c] = await db
    .select()
    .from(residentCode)
    .where(and(eq(residentCode.residentId, residentId), isNull(residentCode.revokedAt)))
  return c
}

/** Inserts a live code unless the resident has one (the partial unique index decides a race); undefined then. */
export async function insertCode(
  db: Db,
  values: { token: string; residentId: string; issuedBy: string },
): Promise<ResidentCodeRow | undefined> {
  const [c] = await db.insert(residentCode).values(values).onConflictDoNothing().returning()
  return c
}

export async function revokeLiveCode(db: Db, residentId: string, at: Date): Promise<void> {
  await db
    .update(residentCode)
    .set({ revokedAt: at })
    .where(and(eq(residentCode.residentId, residentId), isNull(residentCode.revokedAt)))
}

export async function findHouseholdPlace(
  db: Db,
  householdId: string,
): Promise<{ label: string; gridPath: string } | undefined> {
  const [h] = await rows<{ label: string; gridPath: string }>(
    db,
    sql`select label, grid_path as "gridPath" from household where id = ${householdId}`,
  )
  return h
}

export interface MemberCodeRow {
  residentId: string
  name: string
  token: string | null
  issuedAt: Date | null
}

/** A household's active members (head first, then by age) with their live codes, if any. */
export async function householdMemberCodes(db: Db, householdId: string): Promise<MemberCodeRow[]> {
  const found = await rows<{
    residentId: string
    name: string
    token: string | null
    issuedAt: string | null
  }>(
    db,
    sql`select r.id as "residentId", r.name, c.token, c.issued_at as "issuedAt"
        from resident r left join resident_code c on c.resident_id = r.id and c.revoked_at is null
        where r.household_id = ${householdId} and r.status = 'active'
        order by r.relation = 'head' desc, r.birth_date, r.id`,
  )
  return found.map((m) => ({ ...m, issuedAt: m.issuedAt === null ? null : new Date(m.issuedAt) }))
}

/** Codes for the household's active members who have none; how many were issued. */
export async function issueHouseholdCodes(
  db: Db,
  householdId: string,
  issuedBy: string,
): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`with i as (insert into resident_code (token, resident_id, issued_by)
          select 'WG' || upper(replace(gen_random_uuid()::text, '-', '')), r.id, ${issuedBy} from resident r
          where r.household_id = ${householdId} and r.status = 'active'
            and not exists (select 1 from resident_code c where c.resident_id = r.id and c.revoked_at is null)
          on conflict do nothing returning 1)
        select count(*)::int as n from i`,
  )
  return r?.n ?? 0
}

/** Codes for every active resident under a path who has none, set-wise; how many were issued. */
export async function issueCodesUnderPath(db: Db, path: string, issuedBy: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`with i as (insert into resident_code (token, resident_id, issued_by)
          select 'WG' || upper(replace(gen_random_uuid()::text, '-', '')), r.id, ${issuedBy} from resident r
          where r.grid_path like ${likePrefix(path)} and r.status = 'active'
            and not exists (select 1 from resident_code c where c.resident_id = r.id and c.revoked_at is null)
          on conflict do nothing returning 1)
        select count(*)::int as n from i`,
  )
  return r?.n ?? 0
}
