import { describe, expect, it } from 'vitest'
import { classifyResult, nextSpecimenState, placeInTube, poolSizeFor, readPersonScan, readTime, RESIDENT_CODE, newResidentCode, type TubeState } from './testing.rules.js'

const round = { id: 'r1', poolSize: 10, householdPool: false, singleTubeTags: ['key_person'] }
const person = { tags: [] as string[], householdId: 'h1', recheck: false }
const open = (members: number, extra: Partial<TubeState> = {}): TubeState => ({ status: 'open', kind: 'pooled', capacity: 10, members, roundId: 'r1', householdId: null, ...extra })

describe('pool size policy', () => {
  it('uses the round’s pool size, a single tube for listed groups, and a zone’s size when given', () => {
    expect(poolSizeFor(round, { tags: [] })).toBe(10)
    expect(poolSizeFor(round, { tags: ['chronic_disease', 'key_person'] })).toBe(1)
    expect(poolSizeFor(round, { tags: [], zonePoolSize: 1 })).toBe(1)
    expect(poolSizeFor({ ...round, poolSize: 20 }, { tags: [] })).toBe(20)
  })
})

describe('tube state machine', () => {
  it('opens a new tube at the pool size and closes it with the tenth swab', () => {
    expect(placeInTube(undefined, round, person)).toEqual({ ok: true, open: true, capacity: 10, kind: 'pooled', closes: false })
    expect(placeInTube(open(8), round, person)).toMatchObject({ ok: true, open: false, closes: false })
    expect(placeInTube(open(9), round, person)).toMatchObject({ ok: true, open: false, closes: true })
  })
  it('refuses a closed, full or foreign tube', () => {
    expect(placeInTube(open(4, { status: 'closed' }), round, person)).toMatchObject({ ok: false, reason: expect.stringContaining('closed') })
    expect(placeInTube(open(10), round, person)).toMatchObject({ ok: false, reason: expect.stringContaining('full') })
    expect(placeInTube(open(1, { roundId: 'r2' }), round, person)).toMatchObject({ ok: false, reason: expect.stringContaining('another round') })
  })
  it('puts a listed person alone in a tube that closes at once, and never into a pool', () => {
    expect(placeInTube(undefined, round, { ...person, tags: ['key_person'] })).toEqual({ ok: true, open: true, capacity: 1, kind: 'single', closes: true })
    expect(placeInTube(open(3), round, { ...person, tags: ['key_person'] })).toMatchObject({ ok: false })
  })
  it('swabs a recheck alone in a recheck tube', () => {
    expect(placeInTube(undefined, round, { ...person, recheck: true })).toEqual({ ok: true, open: true, capacity: 1, kind: 'recheck', closes: true })
    expect(placeInTube(open(2), round, { ...person, recheck: true })).toMatchObject({ ok: false })
  })
  it('keeps a household-pooled tube to one household, closed by hand', () => {
    const hh = { ...round, householdPool: true }
    const first = placeInTube(undefined, hh, person)
    expect(first).toMatchObject({ ok: true, open: true, closes: false })
    expect(placeInTube(open(2, { householdId: 'h1', capacity: 50 }), hh, person)).toMatchObject({ ok: true })
    expect(placeInTube(open(2, { householdId: 'h1', capacity: 50 }), hh, { ...person, householdId: 'h2' })).toMatchObject({ ok: false, reason: expect.stringContaining('household') })
  })
})

describe('results and the person state machine', () => {
  it('applies a first result, ignores the same one again, flags a different one unless it is a retest', () => {
    expect(classifyResult(null, 'negative', false)).toBe('apply')
    expect(classifyResult('negative', 'negative', false)).toBe('duplicate')
    expect(classifyResult('negative', 'positive', false)).toBe('conflict')
    expect(classifyResult('negative', 'positive', true)).toBe('apply')
    expect(classifyResult('negative', 'abnormal', true)).toBe('apply')
  })
  it('never lets a retest make a tube less strict: positive or abnormal → negative, positive → abnormal are conflicts (从严)', () => {
    expect(classifyResult('positive', 'negative', true)).toBe('conflict')
    expect(classifyResult('abnormal', 'negative', true)).toBe('conflict')
    expect(classifyResult('positive', 'abnormal', true)).toBe('conflict')
    expect(classifyResult('abnormal', 'positive', true)).toBe('apply')
  })
  it('reads times with a real calendar day in 2000–2099 only', () => {
    expect(readTime('2026-11-29T14:05:00+08:00')?.toISOString()).toBe('2026-11-29T06:05:00.000Z')
    expect(readTime('2026-11-29T06:05:00.123Z')?.toISOString()).toBe('2026-11-29T06:05:00.123Z')
    for (const bad of ['2026-02-31T08:00:00Z', '0000-00-00', '0000-01-01T00:00:00Z', '275760-09-13', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '1999-12-31T23:59:59Z', 'now', '']) {
      expect(readTime(bad), bad).toBeUndefined()
    }
  })
  it('follows pending → negative | pool_positive → recheck_negative | confirmed_positive', () => {
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'negative' })).toBe('negative')
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'positive' })).toBe('pool_positive')
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'abnormal' })).toBe('pool_positive')
    expect(nextSpecimenState('pending', { tube: 'single', result: 'positive' })).toBe('confirmed_positive')
    expect(nextSpecimenState('pool_positive', { recheck: 'negative' })).toBe('recheck_negative')
    expect(nextSpecimenState('pool_positive', { recheck: 'positive' })).toBe('confirmed_positive')
    expect(nextSpecimenState('pool_positive', { recheck: 'abnormal' })).toBeUndefined()
    expect(nextSpecimenState('confirmed_positive', { tube: 'pooled', result: 'negative' })).toBeUndefined()
    expect(nextSpecimenState('negative', { recheck: 'positive' })).toBeUndefined()
  })
})

describe('scans', () => {
  it('reads a resident code, an ID number, and refuses noise', () => {
    const code = newResidentCode()
    expect(code).toMatch(RESIDENT_CODE)
    expect(readPersonScan(` ${code.toLowerCase()}\n`)).toEqual({ kind: 'code', token: code })
    expect(readPersonScan('11010519491231002x')).toEqual({ kind: 'id', idNumber: '11010519491231002X' })
    expect(readPersonScan(code.slice(0, 20))).toMatchObject({ kind: 'garbled', reason: expect.stringContaining('not a complete resident code') })
    expect(readPersonScan('!!##')).toMatchObject({ kind: 'garbled' })
  })
})
