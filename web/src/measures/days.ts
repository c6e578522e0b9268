import { TIME_ZONE } from '../lib/dates'

const formats = new Map<string, Intl.DateTimeFormat>()

function fmt(lang: string, short: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${short}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      ...(short ? {} : { year: 'numeric' }),
      month: lang === 'en' ? 'short' : 'long',
      day: 'numeric',
      timeZone: TIME_ZONE,
    })
    formats.set(key, f)
  }
  return f
}

/**
 * A measure's day ('YYYY-MM-DD', a local date of the deployment) or an instant, as a person reads
 * it: 2026年12月2日 (short: 12月2日) · 2 Dec 2026. A plain date is that day in Shanghai, whatever
 * the browser's zone.
 */
export function localDayText(
  value: string | null | undefined,
  lang: string,
  short = false,
): string {
  if (!value) return '—'
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00+08:00` : value
  const d = new Date(at)
  return Number.isNaN(d.getTime()) ? '—' : fmt(lang, short).format(d)
}

/** Today in Shanghai as 'YYYY-MM-DD'. */
export function todayLocal(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now)
}
