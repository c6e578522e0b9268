import { eq } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { policyProfile } from './policy.tables.js'

export type PolicyProfileRow = typeof policyProfile.$inferSelect

/** The one active profile, if any. */
export async function findActiveProfile(db: Db): Promise<PolicyProfileRow | undefined> {
  const [p] = await db.select().from(policyProfile).where(eq(policyProfile.active, true)).limit(1)
  return p
}

/** Adds a profile unless one of that name exists (bundled profiles on a new deployment). */
export async function insertProfileIfMissing(
  db: Db,
  p: {
    name: string
    title: string
    settings: Record<string, unknown>
    active: boolean
    updatedBy: string
  },
): Promise<void> {
  await db.insert(policyProfile).values(p).onConflictDoNothing()
}
