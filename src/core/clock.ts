/**
 * Local days of the deployment. Measures count days (day 0 is the anchor's day), rounds have
 * deadlines and check-ins have a morning and an afternoon: all of them in the deployment's zone
 * (WEIGUANG_TIME_ZONE, Asia/Shanghai by default), never in the zone of the process or the browser.
 * A local date is an ISO string 'YYYY-MM-DD'.
 */

const DEFAULT_ZONE = 'Asia/Shanghai'

let zoneCache: string | undefined

/** The deployment's IANA time zone; an unknown name in WEIGUANG_TIME_ZONE stops the start. */
export function deploymentZone(): string {
  if (zoneCache) return zoneCache
  const raw = process.env.WEIGUANG_TIME_ZONE?.trim() || DEFAULT_ZONE
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: raw })
  } catch {
    throw new Error(`WEIGUANG_TIME_ZONE: unknown time zone "${raw}"`)
  }
  zoneCache = raw
  return raw
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(zone, f)
  }
  return f
}

function parts(at: Date, zone: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(at))
    if (p.type !== 'literal') out[p.type] = Number(p.value)
  return out
}

/** The local date of an instant in the zone: `localDate(new Date('2026-12-01T16:30Z'))` is '2026-12-02'. */
export function localDate(at: Date, zone: string = deploymentZone()): string {
  const p = parts(at, zone)
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

/** The local hour (0–23) of an instant in the zone: morning and afternoon check-ins. */
export function localHour(at: Date, zone: string = deploymentZone()): number {
  return parts(at, zone).hour!
}

function utcDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw new Error(`not a local date: ${date}`)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
}

const DAY_MS = 86_400_000

/** The date n calendar days later (n may be negative); month and year ends roll over. */
export function addDays(date: string, n: number): string {
  return new Date(utcDay(date) + n * DAY_MS).toISOString().slice(0, 10)
}

/** Whole calendar days from a to b: `daysBetween('2026-01-31', '2026-02-01')` is 1. */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcDay(b) - utcDay(a)) / DAY_MS)
}

/** The instant a local date begins in the zone (00:00 there). */
export function startOfLocalDay(date: string, zone: string = deploymentZone()): Date {
  const guess = utcDay(date)
  // The zone's offset at the guess, then once more at the corrected instant (DST edges).
  const offsetAt = (t: number): number => {
    const p = parts(new Date(t), zone)
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t
  }
  let t = guess - offsetAt(guess)
  t = guess - offsetAt(t)
  return new Date(t)
}
