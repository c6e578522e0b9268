import { and, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { alert } from './alerts.tables.js'

export type AlertRow = typeof alert.$inferSelect
export type AlertInsert = typeof alert.$inferInsert

/** Inserts alerts in chunks: a large outbreak's results can raise thousands at once (65,535 parameters a statement). */
export async function insertAlerts(db: Db, alerts: AlertInsert[]): Promise<void> {
  for (let i = 0; i < alerts.length; i += 1000)
    await db.insert(alert).values(alerts.slice(i, i + 1000))
}

export interface AlertFilter {
  open?: boolean | undefined
  kind?: string | undefined
  /** Keyset cursor: alerts older than this id. */
  before?: number | undefined
  limit: number
}

/** Newest first, under the actor's scope (in SQL). */
export async function listAlertsInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  f: AlertFilter,
): Promise<AlertRow[]> {
  const where = and(
    scopeCondition(alert.scopePath, actor),
    f.open ? isNull(alert.acknowledgedAt) : undefined,
    f.kind ? eq(alert.kind, f.kind) : undefined,
    f.before ? lt(alert.id, f.before) : undefined,
  )
  return db.select().from(alert).where(where).orderBy(desc(alert.id)).limit(f.limit)
}

/** How many alerts under the actor's scope nobody has acknowledged yet. */
export async function countOpenAlertsInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
): Promise<number> {
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alert)
    .where(and(scopeCondition(alert.scopePath, actor), isNull(alert.acknowledgedAt)))
  return count?.n ?? 0
}

export async function findAlertById(db: Db, id: number): Promise<AlertRow | undefined> {
  const [a] = await db.select().from(alert).where(eq(alert.id, id))
  return a
}

export async function markAlertAcknowledged(
  db: Db,
  id: number,
  by: string,
  at: Date,
): Promise<void> {
  await db.update(alert).set({ acknowledgedBy: by, acknowledgedAt: at }).where(eq(alert.id, id))
}

/** The open (unacknowledged) alerts of these groups, locked: a later part of a burst joins them. */
export async function lockOpenGroupAlerts(
  db: Db,
  kind: string,
  groupKeys: readonly string[],
): Promise<AlertRow[]> {
  if (groupKeys.length === 0) return []
  return db
    .select()
    .from(alert)
    .where(
      and(
        eq(alert.kind, kind),
        isNotNull(alert.groupKey),
        inArray(alert.groupKey, [...groupKeys]),
        isNull(alert.acknowledgedAt),
      ),
    )
    .for('update')
}

export async function updateAlertContent(
  db: Db,
  id: number,
  content: Pick<AlertInsert, 'params' | 'title' | 'detail' | 'code'>,
): Promise<void> {
  await db.update(alert).set(content).where(eq(alert.id, id))
}
