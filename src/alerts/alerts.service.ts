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
  lockOpenGroupAlerts,
  markAlertAcknowledged,
  updateAlertContent,
  type AlertRow,
} from './alerts.repo.js'
import type { alertList, alertListQuery, AlertOut } from './alerts.schema.js'

export type AlertSeverity = 'info' | 'warning' | 'critical'

export interface NewAlert {
  scopePath: string
  kind: string
  severity?: AlertSeverity
  /** What the alert says: a code of alerts.messages.ts and its params, rendered in each reader's language. */
  code: AlertCode
  params?: Record<string, string | number>
  detail?: Record<string, unknown>
  /** Alerts of one group (raiseGroupedAlerts) share a key. */
  groupKey?: string
}

const titleOf = (code: AlertCode, params: Record<string, string | number> | undefined): string =>
  // The Chinese text as raised: what readers from before codes (and the database) show.
  interpolate(alertsMessages[code]['zh-CN'], params)

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
      title: titleOf(a.code, a.params),
      detail: a.detail ?? {},
      groupKey: a.groupKey ?? null,
    })),
  )
}

/** One line of a grouped alert (a person by name and address, a tube and how late): shown when the alert is expanded. */
export type AlertItem = Record<string, string | number | null>

/**
 * A group of a burst (a grid's part of one result file, a grid's overdue tubes in one hour):
 * `items` are its lines and `render` says what the alert reads for a whole group, so a later
 * part of the same group (same kind, scope and key) joins the open alert and re-renders it.
 */
export interface GroupedAlert {
  scopePath: string
  kind: string
  severity?: AlertSeverity
  groupKey: string
  items: AlertItem[]
  render: (items: readonly AlertItem[]) => {
    code: AlertCode
    params: Record<string, string | number>
  }
  detail?: Record<string, unknown>
}

const itemsOf = (a: AlertRow): AlertItem[] =>
  Array.isArray(a.detail.items) ? (a.detail.items as AlertItem[]) : []

/**
 * Raises one alert per group, in the caller's transaction; a group whose alert is still open
 * (nobody acknowledged it) gets the new items added to it instead of a second alert. An
 * acknowledged group starts a new alert: what came after was not seen.
 */
export async function raiseGroupedAlerts(tx: Db, groups: readonly GroupedAlert[]): Promise<void> {
  const fresh: NewAlert[] = []
  const kinds = [...new Set(groups.map((g) => g.kind))]
  const open = new Map<string, AlertRow>()
  for (const kind of kinds) {
    const keys = [...new Set(groups.filter((g) => g.kind === kind).map((g) => g.groupKey))]
    for (const a of await lockOpenGroupAlerts(tx, kind, keys))
      open.set(`${a.kind}|${a.scopePath}|${a.groupKey}`, a)
  }
  for (const g of groups) {
    if (g.items.length === 0) continue
    const prior = open.get(`${g.kind}|${g.scopePath}|${g.groupKey}`)
    if (prior) {
      const items = [...itemsOf(prior), ...g.items]
      const { code, params } = g.render(items)
      await updateAlertContent(tx, prior.id, {
        code,
        params,
        title: titleOf(code, params),
        detail: { ...prior.detail, ...g.detail, items },
      })
      continue
    }
    const { code, params } = g.render(g.items)
    fresh.push({
      scopePath: g.scopePath,
      kind: g.kind,
      severity: g.severity ?? 'warning',
      code,
      params,
      groupKey: g.groupKey,
      detail: { ...g.detail, items: g.items },
    })
  }
  await raiseAlerts(tx, fresh)
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
    items: found.map((a) => alertView(a, LIST_ITEMS)),
    open: await countOpenAlertsInScope(db, actor),
  }
}

/** How many lines of a grouped alert the list carries; the alert itself (GET /api/alerts/:id) has them all. */
const LIST_ITEMS = 20

function alertView(a: AlertRow, maxItems: number): AlertOut {
  const items = itemsOf(a)
  return {
    id: a.id,
    scopePath: a.scopePath,
    kind: a.kind,
    severity: a.severity as AlertSeverity,
    code: a.code,
    params: a.params,
    title: a.title,
    detail: Array.isArray(a.detail.items)
      ? { ...a.detail, items: items.slice(0, maxItems) }
      : a.detail,
    itemCount: items.length,
    createdAt: a.createdAt.toISOString(),
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  }
}

/** One alert of my scope with every line of its group (the alert page expands a group with it). */
export async function getAlert(db: Db, actor: Actor, id: number): Promise<AlertOut> {
  requireAccess(actor, 'alerts:read')
  const a = await findAlertById(db, id)
  if (!a) throw notFound('ALERT_NOT_FOUND')
  requireAccess(actor, 'alerts:read', { type: 'alert', id: String(id), path: a.scopePath })
  return alertView(a, Number.POSITIVE_INFINITY)
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
