import type { Db, Tx } from '../core/db/db.js'
import { inTransaction } from '../core/db/db.js'
import { startPeriodic, type PeriodicJob } from '../core/periodic.js'
import { raiseGroupedAlerts, type AlertItem, type GroupedAlert } from '../alerts/alerts.service.js'
import {
  claimOverdueRechecks,
  claimOverdueTubes,
  divisionNamesByPath,
  type OverdueRecheckRow,
  type OverdueTubeRow,
} from './overdue.repo.js'
import { commonPath, hoursLate, sweepHour } from './overdue.rules.js'
import { NAMES_PER_ALERT, personLabel } from './results.rules.js'

/**
 * The overdue sweep (domain.md §5): a tube past its turnaround target without a result, and a
 * recheck order not swabbed by its deadline, each raise one alert, once (overdue_notice), filed
 * where its people live and grouped per round, place and hour, naming the round, the place and
 * how late. Run by a timer the server starts (startOverdueSweep), by `weiguang testing
 * sweep-overdue`, and by tests; never by a GET.
 */

export interface SweepReport {
  tubes: number
  rechecks: number
  alerts: number
}

const TUBES_PER_ALERT = 10

const num = (v: AlertItem[string] | undefined): number =>
  typeof v === 'number' ? v : Number(v) || 0
const maxHours = (items: readonly AlertItem[]): number =>
  Math.max(0, ...items.map((i) => num(i.hours)))
const list = (values: readonly string[], max: number): string =>
  values.slice(0, max).join('、') + (values.length > max ? '…' : '')

function tubeAlerts(
  found: readonly OverdueTubeRow[],
  names: Map<string, string>,
  now: Date,
): GroupedAlert[] {
  const groups = new Map<string, { path: string; tubes: OverdueTubeRow[] }>()
  for (const t of found) {
    // One alert a tube: at its grid, or at the division above all of its members' grids.
    const path = commonPath(t.gridPaths)
    const key = `${t.roundId}|${path}`
    const g = groups.get(key) ?? { path, tubes: [] }
    g.tubes.push(t)
    groups.set(key, g)
  }
  return [...groups.values()].map(({ path, tubes }) => {
    const first = tubes[0]!
    const round = first.roundName
    const place = names.get(path) ?? path
    return {
      scopePath: path,
      kind: 'testing.tube_overdue',
      severity: 'warning',
      groupKey: `overdue:${first.roundId}:${sweepHour(now)}`,
      items: tubes.map((t) => ({
        tube: t.code,
        tubeKind: t.kind,
        site: t.siteName,
        due: t.dueAt.toISOString(),
        hours: hoursLate(t.dueAt, now),
      })),
      render: (items) => ({
        code: 'ALERT_TUBES_OVERDUE',
        params: {
          round,
          place,
          tubes: items.length,
          hours: maxHours(items),
          tubeList: list(
            items.map((i) => (i.site ? `${String(i.tube)}（${String(i.site)}）` : String(i.tube))),
            TUBES_PER_ALERT,
          ),
        },
      }),
      detail: { roundId: first.roundId },
    }
  })
}

function recheckAlerts(
  found: readonly OverdueRecheckRow[],
  names: Map<string, string>,
  now: Date,
): GroupedAlert[] {
  const groups = new Map<string, OverdueRecheckRow[]>()
  for (const o of found) {
    const key = `${o.roundId}|${o.gridPath}`
    groups.set(key, [...(groups.get(key) ?? []), o])
  }
  return [...groups.values()].map((orders) => {
    const first = orders[0]!
    const round = first.roundName
    const place = names.get(first.gridPath) ?? first.gridPath
    return {
      scopePath: first.gridPath,
      kind: 'testing.recheck_overdue',
      severity: 'critical',
      groupKey: `overdue:${first.roundId}:${sweepHour(now)}`,
      items: orders.map((o) => ({
        name: o.name,
        household: o.household,
        tube: o.sourceTube,
        deadline: o.dueAt.toISOString(),
        hours: hoursLate(o.dueAt, now),
        assignee: o.assigneeName,
      })),
      render: (items) => ({
        code: 'ALERT_RECHECKS_OVERDUE',
        params: {
          round,
          place,
          people: items.length,
          hours: maxHours(items),
          assignee:
            [...new Set(items.flatMap((i) => (i.assignee ? [String(i.assignee)] : [])))].join(
              '、',
            ) || '—',
          names: list(items.map(personLabel), NAMES_PER_ALERT),
        },
      }),
      detail: { roundId: first.roundId },
    }
  })
}

/** One sweep, in the caller's transaction: what fell due since the last one is alerted, once. */
export async function sweepOverdue(tx: Tx, now: Date = new Date()): Promise<SweepReport> {
  const tubes = await claimOverdueTubes(tx, now)
  const rechecks = await claimOverdueRechecks(tx, now)
  const paths = [
    ...new Set([...tubes.map((t) => commonPath(t.gridPaths)), ...rechecks.map((o) => o.gridPath)]),
  ]
  const names = await divisionNamesByPath(tx, paths)
  const alerts = [...tubeAlerts(tubes, names, now), ...recheckAlerts(rechecks, names, now)]
  await raiseGroupedAlerts(tx, alerts)
  return { tubes: tubes.length, rechecks: rechecks.length, alerts: alerts.length }
}

/** Runs one sweep now, after any running one (tick); stop waits for it. */
export type OverdueSweeper = PeriodicJob

/** The server's sweep: at start and every `intervalMs` (0: only when ticked), one at a time. */
export function startOverdueSweep(
  db: Db,
  opts: { intervalMs: number; onError: (err: unknown) => void },
): OverdueSweeper {
  return startPeriodic(async () => {
    await inTransaction(db, (tx) => sweepOverdue(tx))
  }, opts)
}
