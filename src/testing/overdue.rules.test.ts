import { describe, expect, it } from 'vitest'
import {
  commonPath,
  hoursLate,
  sweepHour,
  tubeOverdue,
  turnaroundDueAt,
  turnaroundHours,
  turnaroundStart,
  turnaroundTargetHours,
} from './overdue.rules.js'
import { turnaroundBuckets } from './testing.rules.js'

const round = { turnaroundPooledHours: 24, turnaroundSingleHours: 6, turnaroundRecheckHours: 4 }
// Asia/Shanghai is UTC+8 all year: 23:30 local on 12-01 is 15:30Z.
const at = (iso: string): Date => new Date(iso)

describe('one turnaround definition (domain.md §5)', () => {
  it('starts a single or recheck tube at its swab and a pooled tube at its close', () => {
    const opened = at('2026-12-01T01:00:00Z')
    const closed = at('2026-12-01T06:00:00Z')
    expect(turnaroundStart({ kind: 'single', openedAt: opened, closedAt: closed })).toEqual(opened)
    expect(turnaroundStart({ kind: 'recheck', openedAt: opened, closedAt: closed })).toEqual(opened)
    expect(turnaroundStart({ kind: 'pooled', openedAt: opened, closedAt: closed })).toEqual(closed)
    // A pool still filling has not gone to the lab: no clock, never overdue.
    expect(turnaroundStart({ kind: 'pooled', openedAt: opened, closedAt: null })).toBeNull()
    expect(
      tubeOverdue(
        round,
        { kind: 'pooled', openedAt: opened, closedAt: null, resultedAt: null },
        at('2026-12-05T00:00:00Z'),
      ),
    ).toBe(false)
  })

  it('takes the round’s target by kind: pooled, single, and recheck (single where the round has none)', () => {
    expect(turnaroundTargetHours(round, 'pooled')).toBe(24)
    expect(turnaroundTargetHours(round, 'single')).toBe(6)
    expect(turnaroundTargetHours(round, 'recheck')).toBe(4)
    expect(turnaroundTargetHours({ ...round, turnaroundRecheckHours: null }, 'recheck')).toBe(6)
  })

  it('gives the figure and "overdue" the same clock: a pool filled over five hours is late only 24 h after its close', () => {
    const tube = {
      kind: 'pooled',
      openedAt: at('2026-12-01T00:00:00Z'),
      closedAt: at('2026-12-01T05:00:00Z'),
      resultedAt: null,
    }
    expect(turnaroundDueAt(round, tube)).toEqual(at('2026-12-02T05:00:00Z'))
    // 25 h after the first swab, 20 h after the close: not overdue.
    expect(tubeOverdue(round, tube, at('2026-12-02T01:00:00Z'))).toBe(false)
    expect(tubeOverdue(round, tube, at('2026-12-02T05:00:01Z'))).toBe(true)
    // Resulted 23 h after its close: the figure says ≤24h, the same tube was never overdue.
    const resulted = { ...tube, resultedAt: at('2026-12-02T04:00:00Z') }
    expect(turnaroundHours(resulted)).toBe(23)
    expect(tubeOverdue(round, resulted, at('2026-12-03T00:00:00Z'))).toBe(false)
    expect(turnaroundBuckets([{ hours: turnaroundHours(resulted), n: 1 }])).toContainEqual({
      bucket: '≤24h',
      tubes: 1,
    })
  })

  it('counts elapsed hours across midnight, not calendar days', () => {
    // Swabbed 23:30 local (15:30Z), result 00:10 local the next day: 40 minutes, the first hour.
    const single = {
      kind: 'single',
      openedAt: at('2026-12-01T15:30:00Z'),
      closedAt: at('2026-12-01T15:30:00Z'),
      resultedAt: at('2026-12-01T16:10:00Z'),
    }
    expect(turnaroundHours(single)).toBe(1)
    // Swabbed 23:30 local without a result: due 05:30 local, overdue from then, not from midnight.
    const pending = { ...single, resultedAt: null }
    expect(turnaroundDueAt(round, pending)).toEqual(at('2026-12-01T21:30:00Z'))
    expect(tubeOverdue(round, pending, at('2026-12-01T21:29:00Z'))).toBe(false)
    expect(tubeOverdue(round, pending, at('2026-12-01T21:31:00Z'))).toBe(true)
    // A pool closed at 23:59 local and resulted at 00:01: the first hour as well.
    const pool = {
      kind: 'pooled',
      openedAt: at('2026-12-01T10:00:00Z'),
      closedAt: at('2026-12-01T15:59:00Z'),
      resultedAt: at('2026-12-01T16:01:00Z'),
    }
    expect(turnaroundHours(pool)).toBe(1)
  })

  it('says how late in whole hours, files a two-grid tube above both, and groups the sweep by hour', () => {
    const due = at('2026-12-01T10:00:00Z')
    expect(hoursLate(due, at('2026-12-01T10:01:00Z'))).toBe(1)
    expect(hoursLate(due, at('2026-12-01T13:30:00Z'))).toBe(3)
    expect(commonPath(['/32/01/07/', '/32/01/07/'])).toBe('/32/01/07/')
    expect(commonPath(['/32/01/07/', '/32/01/08/'])).toBe('/32/01/')
    expect(commonPath(['/32/011/', '/32/01/'])).toBe('/32/')
    expect(commonPath([])).toBe('/')
    expect(sweepHour(at('2026-12-01T10:59:59Z'))).toBe('2026-12-01T10:00:00.000Z')
  })
})
