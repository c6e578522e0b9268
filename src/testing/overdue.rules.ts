/**
 * Turnaround (domain.md §5), one definition for the round's figure, its overdue count and the
 * overdue sweep's alerts: the clock of a single or recheck tube starts at its swab, the clock of a
 * pooled tube at the tube's close (the last swab, or the sampler closing it: only then can it go
 * to the lab), and stops at the result. The target is the round's, stored when it opened (the
 * profile's turnaroundHours): pooled, single, and recheck (the single target where the round has
 * none). overdue.repo.ts holds the same definition in SQL; overdue.rules.test.ts checks both.
 */

export type TubeKind = 'pooled' | 'single' | 'recheck'

export interface RoundTargets {
  turnaroundPooledHours: number
  turnaroundSingleHours: number
  /** Null on rounds opened before profiles had a recheck target: the single target then. */
  turnaroundRecheckHours: number | null
}

export interface TurnaroundTube {
  kind: string
  /** The first swab (a single or recheck tube's only one). */
  openedAt: Date
  closedAt: Date | null
  resultedAt: Date | null
}

const HOUR_MS = 3_600_000

/** The round's target for a kind of tube, in hours. */
export function turnaroundTargetHours(round: RoundTargets, kind: string): number {
  if (kind === 'pooled') return round.turnaroundPooledHours
  if (kind === 'recheck') return round.turnaroundRecheckHours ?? round.turnaroundSingleHours
  return round.turnaroundSingleHours
}

/** When the tube's clock starts: the swab of a single or recheck tube, the close of a pooled one (null while it is open). */
export function turnaroundStart(
  tube: Pick<TurnaroundTube, 'kind' | 'openedAt' | 'closedAt'>,
): Date | null {
  return tube.kind === 'pooled' ? tube.closedAt : tube.openedAt
}

/** Whole hours from the start to the result, rounded up (the figure's buckets); null without a result or a start. */
export function turnaroundHours(tube: TurnaroundTube): number | null {
  const start = turnaroundStart(tube)
  if (!start || !tube.resultedAt) return null
  return Math.max(0, Math.ceil((tube.resultedAt.getTime() - start.getTime()) / HOUR_MS))
}

/** When a tube's result is due (start + the round's target for its kind); null while its clock has not started. */
export function turnaroundDueAt(round: RoundTargets, tube: TurnaroundTube): Date | null {
  const start = turnaroundStart(tube)
  if (!start) return null
  return new Date(start.getTime() + turnaroundTargetHours(round, tube.kind) * HOUR_MS)
}

/** A tube is overdue at `now` when it has no result and its due time has passed. */
export function tubeOverdue(round: RoundTargets, tube: TurnaroundTube, now: Date): boolean {
  if (tube.resultedAt) return false
  const due = turnaroundDueAt(round, tube)
  return due !== null && due.getTime() < now.getTime()
}

/** How late something due at `dueAt` is at `now`, in whole hours (2 h 40 min is 2; at least 1 once late). */
export function hoursLate(dueAt: Date, now: Date): number {
  return Math.max(1, Math.floor((now.getTime() - dueAt.getTime()) / HOUR_MS))
}

/**
 * Where one alert about several grids' people is filed: the deepest division path all of them
 * lie under (a pool of two grids alerts their community once, not each grid).
 */
export function commonPath(paths: readonly string[]): string {
  if (paths.length === 0) return '/'
  const split = paths.map((p) => p.split('/').filter(Boolean))
  const out: string[] = []
  for (let i = 0; ; i++) {
    const part = split[0]![i]
    if (part === undefined || split.some((s) => s[i] !== part)) break
    out.push(part)
  }
  return out.length ? `/${out.join('/')}/` : '/'
}

/** The hour an alert of the sweep groups into (UTC hour start, ISO): one alert per grid and hour. */
export function sweepHour(now: Date): string {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS).toISOString()
}
