import { eq } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { residentCare } from './care.tables.js'

export type CareRow = typeof residentCare.$inferSelect
export type CareInsert = typeof residentCare.$inferInsert

export async function findCare(db: Db, residentId: string): Promise<CareRow | undefined> {
  const [row] = await db.select().from(residentCare).where(eq(residentCare.residentId, residentId))
  return row
}

/** Records (or replaces) a resident's helper, hospital and needs. */
export async function upsertCare(db: Db, row: CareInsert): Promise<CareRow> {
  const { residentId: _id, ...patch } = row
  const [saved] = await db
    .insert(residentCare)
    .values(row)
    .onConflictDoUpdate({ target: residentCare.residentId, set: patch })
    .returning()
  return saved!
}
