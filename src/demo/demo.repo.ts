import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'

/** Whether the deployment has any division (the demo city fills an empty database only). */
export async function hasDivisions(db: Db): Promise<boolean> {
  const [r] = await rows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from division) as found`,
  )
  return r?.found === true
}

/** Fresh planner statistics after a bulk load, so the first queries on the demo city use their indexes. */
export async function analyzeDatabase(db: Db): Promise<void> {
  await db.execute(sql`analyze`)
}
