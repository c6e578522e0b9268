import { z } from 'zod'

/**
 * The one way a request carries a date or an instant. JavaScript's Date and PostgreSQL disagree
 * at the edges (`275760-09-13`, year 0 or −271821, `2026-02-31` rolled over to March 3), and
 * such a value used to reach SQL and answer 500. These refuse it at validation: 400 with the
 * field named.
 */
export const YEAR_MIN = 1900
export const YEAR_MAX = 2200

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

/** Whether y-m-d is a day that exists, in the supported years. */
function realDay(y: number, m: number, d: number): boolean {
  if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

export function isRealDate(s: string): boolean {
  const m = DATE.exec(s)
  return m !== null && realDay(Number(m[1]), Number(m[2]), Number(m[3]))
}

export function isRealDateTime(s: string): boolean {
  const m = DATETIME.exec(s)
  if (!m || !realDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false
  const zone = m[7]!
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return false
  return Number.isFinite(Date.parse(s))
}

const RANGE = `${YEAR_MIN}–${YEAR_MAX}`

/** A calendar day `YYYY-MM-DD` that exists (no `02-31`, no year 0), years 1900–2200. */
export function isoDate(): z.ZodType<string, string> {
  return z.string().refine(isRealDate, `must be a real date YYYY-MM-DD (years ${RANGE})`)
}

/** An instant with its offset (`2026-05-01T08:00:00+08:00`, `…Z`), on a real day, years 1900–2200. */
export function isoDateTime(): z.ZodType<string, string> {
  return z
    .string()
    .refine(
      isRealDateTime,
      `must be a date and time with offset, e.g. 2026-05-01T08:00:00+08:00 (years ${RANGE})`,
    )
}

/** A query parameter that is a day (midnight UTC) or an instant, as a Date. */
export function dateParam(): z.ZodType<Date, string> {
  return z
    .string()
    .refine(
      (s) => isRealDate(s) || isRealDateTime(s),
      `must be YYYY-MM-DD or a date and time with offset (years ${RANGE})`,
    )
    .transform((s) => new Date(isRealDate(s) ? `${s}T00:00:00Z` : s))
}
