import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, scopeCondition, type Actor } from '../core/auth/actor.js'
import { notFound } from '../core/errors.js'
import { alert } from './alerts.tables.js'
import './alerts.policy.js'

export interface NewAlert {
  scopePath: string
  kind: string
  severity?: 'info' | 'warning' | 'critical'
  title: string
  detail?: Record<string, unknown>
}

/** Raises alerts inside the caller's transaction (they appear exactly when the cause commits). */
export async function raiseAlerts(tx: Db, alerts: NewAlert[]): Promise<void> {
  // In chunks: a large outbreak's results can raise thousands at once (65,535 parameters a statement).
  for (let i = 0; i < alerts.length; i += 1000) {
    await tx.insert(alert).values(alerts.slice(i, i + 1000).map((a) => ({ scopePath: a.scopePath, kind: a.kind, severity: a.severity ?? 'warning', title: a.title, detail: a.detail ?? {} })))
  }
}

export interface AlertView {
  id: number
  scopePath: string
  kind: string
  severity: string
  title: string
  detail: Record<string, unknown>
  createdAt: string
  acknowledgedBy: string | null
  acknowledgedAt: string | null
}

/** Newest first, under the actor's scope; `before` is the keyset cursor (an alert id). */
export async function listAlerts(db: Db, actor: Actor, q: { open?: boolean; kind?: string; before?: number; limit?: number }): Promise<{ items: AlertView[]; open: number }> {
  authorize(actor, 'alerts:read')
  const scope = scopeCondition(alert.scopePath, actor)
  const where = and(scope, q.open ? isNull(alert.acknowledgedAt) : undefined, q.kind ? eq(alert.kind, q.kind) : undefined, q.before ? lt(alert.id, q.before) : undefined)
  const found = await db.select().from(alert).where(where).orderBy(desc(alert.id)).limit(Math.min(q.limit ?? 50, 200))
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(alert).where(and(scope, isNull(alert.acknowledgedAt)))
  return {
    items: found.map((a) => ({ ...a, createdAt: a.createdAt.toISOString(), acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null })),
    open: count?.n ?? 0,
  }
}

export async function acknowledgeAlert(db: Db, actor: Actor, id: number): Promise<void> {
  authorize(actor, 'alerts:acknowledge')
  const [a] = await db.select().from(alert).where(eq(alert.id, id))
  if (!a) throw notFound('Alert')
  assertPathInScope(actor, { type: 'alert', id: String(id), path: a.scopePath })
  if (a.acknowledgedAt) return
  await db.update(alert).set({ acknowledgedBy: actor.username, acknowledgedAt: new Date() }).where(eq(alert.id, id))
}
