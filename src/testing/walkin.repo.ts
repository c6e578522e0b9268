import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'

/** What testing keeps of a merged walk-in moves to the resident they turned out to be. */
export async function moveTestingRows(
  db: Db,
  fromId: string,
  to: { id: string; gridPath: string },
): Promise<{ specimens: number; rechecks: number; positives: number }> {
  const count = async (q: ReturnType<typeof sql>): Promise<number> =>
    (
      await rows<{ n: number }>(
        db,
        sql`with moved as (${q} returning 1) select count(*)::int as n from moved`,
      )
    )[0]!.n
  const specimens = await count(
    sql`update specimen set resident_id = ${to.id}, grid_path = ${to.gridPath} where resident_id = ${fromId}`,
  )
  const rechecks = await count(
    sql`update recheck_order set resident_id = ${to.id}, grid_path = ${to.gridPath} where resident_id = ${fromId}`,
  )
  // A screening positive follows the person unless they already have an episode of their own (then a person resolves it).
  const positives = await count(
    sql`update positive_case set resident_id = ${to.id}, grid_path = ${to.gridPath}
        where resident_id = ${fromId} and not exists (select 1 from positive_case o where o.resident_id = ${to.id})`,
  )
  await db.execute(
    sql`update resident_code set revoked_at = now() where resident_id = ${fromId} and revoked_at is null`,
  )
  return { specimens, rechecks, positives }
}
