import dayjs, { type Dayjs } from 'dayjs'
import 'dayjs/locale/zh-cn'
import i18n from '../i18n'

/**
 * The one way a screen shows a date or a time: in the UI language (zh-CN or English) and in
 * Asia/Shanghai, whatever the browser's locale and time zone (a worker's phone set to English or
 * to another zone still reads the deadline the notice gave).
 */
export const TIME_ZONE = 'Asia/Shanghai'
const OFFSET = '+08:00'

// Date pickers (antd, over dayjs) name months and weekdays in the UI language too.
const pickerLocale = (language: string): string => (language === 'en' ? 'en' : 'zh-cn')
dayjs.locale(pickerLocale(i18n.language))
i18n.on('languageChanged', (language: string) => dayjs.locale(pickerLocale(language)))

type Style = 'dateTime' | 'date' | 'short' | 'time' | 'monthDay'

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  dateTime: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  date: { year: 'numeric', month: '2-digit', day: '2-digit' },
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  monthDay: { month: 'long', day: 'numeric' },
}

const cache = new Map<string, Intl.DateTimeFormat>()

function formatter(style: Style): Intl.DateTimeFormat {
  const lang = i18n.language === 'en' ? 'en-GB' : 'zh-CN'
  const key = `${lang}:${style}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { ...OPTIONS[style], timeZone: TIME_ZONE })
    cache.set(key, f)
  }
  return f
}

type When = string | number | Date | Dayjs | null | undefined

function format(value: When, style: Style): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = dayjs.isDayjs(value) ? value.toDate() : new Date(value)
  return Number.isNaN(d.getTime()) ? '—' : formatter(style).format(d)
}

/** 2026/05/01 08:00 · 01/05/2026, 08:00 */
export const formatDateTime = (value: When): string => format(value, 'dateTime')
/** 2026/05/01 · 01/05/2026 */
export const formatDate = (value: When): string => format(value, 'date')
/** 05/01 08:00 · 01/05, 08:00 (a deadline this week) */
export const formatShort = (value: When): string => format(value, 'short')
/** 08:00 */
export const formatTime = (value: When): string => format(value, 'time')
/** 5月1日 · 1 May */
export const formatMonthDay = (value: When): string => format(value, 'monthDay')

/**
 * For a date picker, which works in the browser's zone: a Dayjs whose wall clock is the
 * instant's wall clock in Shanghai.
 */
export function toPickerValue(value: string | number | Date = Date.now()): Dayjs {
  const parts = new Intl.DateTimeFormat('en-CA', {
    ...OPTIONS.dateTime,
    second: '2-digit',
    timeZone: TIME_ZONE,
  }).formatToParts(new Date(value))
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00'
  return dayjs(
    `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`,
  )
}

/** The instant a picker's wall clock means in Shanghai, as ISO 8601 with its offset. */
export function fromPickerValue(value: Dayjs): string {
  return `${value.format('YYYY-MM-DDTHH:mm:ss')}${OFFSET}`
}
