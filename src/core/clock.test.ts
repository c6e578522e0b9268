import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, localDate, localHour, startOfLocalDay } from './clock.js'

describe('local days of the deployment (Asia/Shanghai unless configured)', () => {
  it('counts an instant after 16:00 UTC as the next day in Shanghai, whatever the process zone', () => {
    expect(localDate(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01')
    expect(localDate(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02')
    expect(localHour(new Date('2026-12-01T16:00:00Z'))).toBe(0)
  })

  it('rolls month and year ends, both ways', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31')
    expect(daysBetween('2026-12-28', '2027-01-04')).toBe(7)
  })

  it('gives the instant a local day starts, also in a zone with daylight saving', () => {
    expect(startOfLocalDay('2026-12-02').toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(startOfLocalDay('2026-03-08', 'America/Los_Angeles').toISOString()).toBe(
      '2026-03-08T08:00:00.000Z',
    )
    expect(startOfLocalDay('2026-03-09', 'America/Los_Angeles').toISOString()).toBe(
      '2026-03-09T07:00:00.000Z',
    )
  })
})
