import { and, eq, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeCondition } from '../core/scope/scope.js'
import type { Scope } from './registry.repo.js'
import { residentTransfer } from './registry.tables.js'

export type TransferRow = typeof residentTransfer.$inferSelect
export type TransferInsert = typeof residentTransfer.$inferInsert

export async function findTransfer(db: Db, id: string): Promise<TransferRow | undefined> {
  const [row] = await db.select().from(residentTransfer).where(eq(residentTransfer.id, id))
  return row
}

export async function findOpenTransfer(
  db: Db,
  residentId: string,
  toHouseholdId: string,
): Promise<TransferRow | undefined> {
  const [row] = await db
    .select()
    .from(residentTransfer)
    .where(
      and(
        eq(residentTransfer.residentId, residentId),
        eq(residentTransfer.toHouseholdId, toHouseholdId),
        eq(residentTransfer.status, 'requested'),
      ),
    )
  return row
}

/** Inserts an open request, or returns undefined when one for the same person and household won the race. */
export async function insertTransfer(db: Db, v: TransferInsert): Promise<TransferRow | undefined> {
  const [row] = await db.insert(residentTransfer).values(v).onConflictDoNothing().returning()
  return row
}

export async function decideTransfer(
  db: Db,
  id: string,
  v: { status: 'confirmed' | 'disputed'; decidedByName: string; reason: string | null },
): Promise<boolean> {
  const done = await db
    .update(residentTransfer)
    .set({ ...v, decidedAt: new Date() })
    .where(and(eq(residentTransfer.id, id), eq(residentTransfer.status, 'requested')))
    .returning({ id: residentTransfer.id })
  return done.length === 1
}

export interface TransferListRow extends TransferRow {
  toLabel: string
  toGridName: string
  fromLabel: string | null
  fromGridName: string | null
  residentName: string
}

export interface TransferFilter {
  /** `out`: the person is registered in the scope; `in`: the request comes into it from outside; neither: both. */
  direction?: 'in' | 'out' | undefined
  status?: 'requested' | 'confirmed' | 'disputed' | undefined
}

/** The keyset position of the transfer list: (requested_at as ISO text, id) of the last row shown. */
export type TransferCursor = readonly [requestedAt: string, id: string]

async function selectTransfers(
  db: Db,
  where: SQL,
  after: TransferCursor | null,
  limit: number,
): Promise<TransferListRow[]> {
  const page = after
    ? sql`and (t.requested_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`
    : sql``
  return rows(
    db,
    sql`select t.id, t.resident_id as "residentId", t.from_household_id as "fromHouseholdId", t.from_grid_id as "fromGridId", t.from_grid_path as "fromGridPath",
          t.to_household_id as "toHouseholdId", t.to_grid_id as "toGridId", t.to_grid_path as "toGridPath", t.status, t.typed, t.phone_enc as "phoneEnc",
          t.requested_by_id as "requestedById", t.requested_by_name as "requestedByName", t.requested_at as "requestedAt",
          t.decided_by_name as "decidedByName", t.decided_at as "decidedAt", t.reason,
          th.label as "toLabel", tg.name as "toGridName", fh.label as "fromLabel", fg.name as "fromGridName", r.name as "residentName"
        from resident_transfer t
        join household th on th.id = t.to_household_id
        join division tg on tg.id = t.to_grid_id
        join resident r on r.id = t.resident_id
        left join household fh on fh.id = t.from_household_id
        left join division fg on fg.id = t.from_grid_id
        where ${where} ${page}
        order by t.requested_at desc, t.id desc limit ${limit}`,
  )
}

/** Transfers touching the scope on the side `f.direction` names (either side by default), newest first, keyset by (requested_at, id). */
export async function listTransferRows(
  db: Db,
  scope: Scope,
  f: TransferFilter,
  after: TransferCursor | null,
  limit: number,
): Promise<TransferListRow[]> {
  const from = scopeCondition(sql.raw('t.from_grid_path'), scope)
  const to = scopeCondition(sql.raw('t.to_grid_path'), scope)
  const conds: SQL[] = [
    f.direction === 'out'
      ? from
      : f.direction === 'in'
        ? sql`${to} and not ${from}`
        : sql`(${from} or ${to})`,
  ]
  if (f.status) conds.push(sql`t.status = ${f.status}`)
  return selectTransfers(db, sql.join(conds, sql` and `), after, limit)
}

/** One transfer with the names both sides see (the caller has checked access). */
export async function findTransferListRow(
  db: Db,
  id: string,
): Promise<TransferListRow | undefined> {
  const [row] = await selectTransfers(db, sql`t.id = ${id}`, null, 1)
  return row
}
