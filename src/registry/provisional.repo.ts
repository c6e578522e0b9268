import { and, desc, eq, like, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../core/db/db.js'
import { likePrefix, scopeCondition } from '../core/scope/scope.js'
import { division } from '../core/tree/tree.tables.js'
import type { Scope } from './registry.repo.js'
import { household, resident } from './registry.tables.js'
import { provisionalRegistration } from './provisional.tables.js'
import type { ProvisionalStatus } from './registry.vocab.js'

/** All SQL of walk-ins registered at a sampling desk and their reconciliation. */

export type ProvisionalRow = typeof provisionalRegistration.$inferSelect
type ResidentInsert = typeof resident.$inferInsert

/**
 * Inserts the walk-in's resident row, or nothing when the same document is already registered
 * (a retried request, or two desks at once): one person is one resident (`resident_id_bidx_uq`).
 */
export async function insertWalkInResident(
  db: Db,
  v: ResidentInsert,
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .insert(resident)
    .values(v)
    .onConflictDoNothing({ target: resident.idBidx })
    .returning({ id: resident.id })
  return row
}

export async function insertProvisional(
  db: Db,
  v: typeof provisionalRegistration.$inferInsert,
): Promise<void> {
  await db.insert(provisionalRegistration).values(v).onConflictDoNothing()
}

export async function findProvisional(
  db: Db,
  residentId: string,
): Promise<ProvisionalRow | undefined> {
  const [row] = await db
    .select()
    .from(provisionalRegistration)
    .where(eq(provisionalRegistration.residentId, residentId))
  return row
}

/** Closes an open registration; false when someone decided it first. */
export async function decideProvisional(
  db: Db,
  residentId: string,
  v: {
    status: Exclude<ProvisionalStatus, 'open'>
    decidedBy: string
    mergedInto?: string | null
    note: string | null
  },
): Promise<boolean> {
  const done = await db
    .update(provisionalRegistration)
    .set({ ...v, decidedAt: new Date() })
    .where(
      and(
        eq(provisionalRegistration.residentId, residentId),
        eq(provisionalRegistration.status, 'open'),
      ),
    )
    .returning({ id: provisionalRegistration.residentId })
  return done.length === 1
}

export interface ProvisionalListRow {
  p: ProvisionalRow
  name: string
  idType: string
  idEnc: string | null
  phoneEnc: string | null
  gridId: string | null
  gridName: string | null
  householdId: string | null
  householdLabel: string | null
  mergedIntoName: string | null
}

const merged = alias(resident, 'merged_into_resident')

/**
 * One page of walk-ins under the caller's scope (and a division of it), newest first, keyset by
 * (registered_at, resident_id); scope is the registration's grid path, in the query.
 */
export async function provisionalPage(
  db: Db,
  scope: Scope,
  f: { status: ProvisionalStatus; underPath?: string | undefined },
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<ProvisionalListRow[]> {
  const where: (SQL | undefined)[] = [
    scopeCondition(provisionalRegistration.gridPath, scope),
    eq(provisionalRegistration.status, f.status),
    f.underPath ? like(provisionalRegistration.gridPath, likePrefix(f.underPath)) : undefined,
    after
      ? sql`(${provisionalRegistration.registeredAt}, ${provisionalRegistration.residentId}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
      : undefined,
  ]
  return listSelect(db)
    .where(and(...where))
    .orderBy(desc(provisionalRegistration.registeredAt), desc(provisionalRegistration.residentId))
    .limit(limit)
}

/** One walk-in as the list shows it (after a decision; the caller has checked scope). */
export async function provisionalRow(
  db: Db,
  residentId: string,
): Promise<ProvisionalListRow | undefined> {
  const [row] = await listSelect(db).where(eq(provisionalRegistration.residentId, residentId))
  return row
}

function listSelect(db: Db) {
  return db
    .select({
      p: provisionalRegistration,
      name: resident.name,
      idType: resident.idType,
      idEnc: resident.idEnc,
      phoneEnc: resident.phoneEnc,
      gridId: resident.gridId,
      gridName: division.name,
      householdId: resident.householdId,
      householdLabel: household.label,
      mergedIntoName: merged.name,
    })
    .from(provisionalRegistration)
    .innerJoin(resident, eq(resident.id, provisionalRegistration.residentId))
    .leftJoin(household, eq(household.id, resident.householdId))
    .leftJoin(division, eq(division.path, provisionalRegistration.gridPath))
    .leftJoin(merged, eq(merged.id, provisionalRegistration.mergedInto))
    .$dynamic()
}
