import { afterAll, describe, expect, it } from 'vitest'
import i18n from '../i18n'
import {
  formatDate,
  formatDateTime,
  formatMonthDay,
  formatShort,
  formatTime,
  fromPickerValue,
  toPickerValue,
} from './dates'

/** Screens show instants in the UI language and in Asia/Shanghai, whatever the browser's locale and zone. */
describe('web dates', () => {
  // 00:30 UTC is 08:30 in Shanghai, the next calendar day when UTC is still the evening before.
  const instant = '2026-12-01T16:30:00Z'
  afterAll(() => i18n.changeLanguage('zh-CN'))

  it('are Shanghai wall-clock time in Chinese by default', async () => {
    await i18n.changeLanguage('zh-CN')
    expect(formatDateTime(instant)).toBe('2026/12/02 00:30')
    expect(formatDate(instant)).toBe('2026/12/02')
    expect(formatShort(instant)).toBe('12/02 00:30')
    expect(formatTime(instant)).toBe('00:30')
    expect(formatMonthDay(instant)).toBe('12月2日')
  })

  it('follow the UI language when it is English', async () => {
    await i18n.changeLanguage('en')
    expect(formatDateTime(instant)).toBe('02/12/2026, 00:30')
    expect(formatMonthDay(instant)).toBe('2 December')
  })

  it('say — for a missing or unreadable value, never "Invalid Date"', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('not a date')).toBe('—')
  })

  it('pick a deadline in Shanghai time and send it with its offset, whatever zone the device is in', () => {
    const picked = toPickerValue(instant)
    expect(picked.format('YYYY-MM-DD HH:mm')).toBe('2026-12-02 00:30')
    expect(fromPickerValue(picked)).toBe('2026-12-02T00:30:00+08:00')
    expect(Date.parse(fromPickerValue(picked))).toBe(Date.parse(instant))
  })
})
