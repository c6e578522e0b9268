import type { z } from 'zod'
import type { Db, Tx } from '../core/db/db.js'
import { requireAccess } from '../core/scope/access.js'
import { audit } from '../core/audit/audit.service.js'
import type { Actor } from '../core/auth/actor.js'
import { notFound } from '../core/errors.js'
import { interpolate } from '../core/i18n/messages.js'
import { alertsMessages, type AlertCode } from './alerts.messages.js'
import {
  countOpenAlertsInScope,
  findAlertById,
  insertAlerts,
  listAlertsInScope,
  markAlertAcknowledged,
} from './alerts.repo.js'
import type { alertList, alertListQuery } from './alerts.schema.js'

export type AlertSeverity = 'info' | 'warning' | 'critical'

export interface NewAlert {
  scopePath: string
  kind: string
  severity?: AlertSeverity
  /** What the alert says: a code of alerts.messages.ts and its params, rendered in each reader's language. */
  code: AlertCode
  params?: Record<string, string | number>
  detail?: Record<string, unknown>
}

/** Raises alerts inside the caller's transaction (they appear exactly when the cause commits). */
export async function raiseAlerts(tx: Db, alerts: NewAlert[]): Promise<void> {
  await insertAlerts(
    tx,
    alerts.map((a) => ({
      scopePath: a.scopePath,
      kind: a.kind,
      severity: a.severity ?? 'warning',
      code: a.code,
      params: a.params ?? {},
      // The Chinese text as raised: what readers from before codes (and the database) show.
      title: interpolate(alertsMessages[a.code]['zh-CN'], a.params),
      detail: a.detail ?? {},
    })),
  )
}

/** Newest first, under the actor's scope; `before` is the keyset cursor (an alert id). */
export async function listAlerts(
  db: Db,
  actor: Actor,
  q: z.infer<typeof alertListQuery>,
): Promise<z.infer<typeof alertList>> {
  requireAccess(actor, 'alerts:read')
  const found = await listAlertsInScope(db, actor, {
    open: q.open,
    kind: q.kind,
    before: q.before,
    limit: Math.min(q.limit ?? 50, 200),
  })
  return {
    items: found.map((a) => ({
      id: a.id,
      scopePath: a.scopePath,
      kind: a.kind,
      severity: a.severity as AlertSeverity,
      code: a.code,
      params: a.params,
      title: a.title,
      detail: a.detail,
      createdAt: a.createdAt.toISOString(),
      acknowledgedBy: a.acknowledgedBy,
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    })),
    open: await countOpenAlertsInScope(db, actor),
  }
}

/** Marks an alert of the actor's scope as seen (once; a second acknowledgement changes nothing), audited. */
export async function acknowledgeAlert(tx: Tx, actor: Actor, id: number): Promise<void> {
  requireAccess(actor, 'alerts:acknowledge')
  const a = await findAlertById(tx, id)
  if (!a) throw notFound('ALERT_NOT_FOUND')
  requireAccess(actor, 'alerts:acknowledge', { type: 'alert', id: String(id), path: a.scopePath })
  if (a.acknowledgedAt) return
  await markAlertAcknowledged(tx, id, actor.username, new Date())
  await audit(
    tx,
    actor,
    'alert.acknowledge',
    { type: 'alert', id: String(id), path: a.scopePath },
    {
      detail: { kind: a.kind, code: a.code },
    },
  )
}
