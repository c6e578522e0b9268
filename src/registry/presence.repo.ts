import { eq } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { residentPresence } from './registry.tables.js'

/** The SQL of a resident's presence (在家 / 外出 / 返回). */

export type PresenceRow = typeof residentPresence.$inferSelect

export async function findPresence(db: Db, residentId: string): Promise<PresenceRow | undefined> {
  const [p] = await db
    .select()
    .from(residentPresence)
    .where(eq(residentPresence.residentId, residentId))
  return p
}

export async function upsertPresence(
  db: Db,
  v: typeof residentPresence.$inferInsert,
): Promise<PresenceRow> {
  const [p] = await db
    .insert(residentPresence)
    .values(v)
    .onConflictDoUpdate({
      target: residentPresence.residentId,
      set: {
        status: v.status,
        destination: v.destination ?? null,
        since: v.since ?? null,
        returnOn: v.returnOn ?? null,
        note: v.note ?? null,
        updatedBy: v.updatedBy,
        updatedAt: new Date(),
      },
    })
    .returning()
  return p!
}
