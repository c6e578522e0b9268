import { describe, expect, it } from 'vitest'
import {
  classifyResult,
  decodeRoundCursor,
  encodeRoundCursor,
  inRound,
  maskName,
  newResidentCode,
  nextSpecimenState,
  personRefusal,
  placeInTube,
  poolSizeFor,
  readPersonScan,
  readTime,
  RESIDENT_CODE,
  scanTime,
  scanWarnings,
  turnaroundBuckets,
  type TubeState,
} from './testing.rules.js'

const round = {
  id: 'r1',
  poolSize: 10,
  householdPool: false,
  householdCapacity: 20,
  singleTubeTags: ['key_person'],
}
const person = { tags: [] as string[], householdId: 'h1', recheck: false }
const open = (members: number, extra: Partial<TubeState> = {}): TubeState => ({
  status: 'open',
  kind: 'pooled',
  capacity: 10,
  members,
  roundId: 'r1',
  householdId: null,
  ...extra,
})

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
    expect(placeInTube(undefined, round, person)).toEqual({
      ok: true,
      open: true,
      capacity: 10,
      kind: 'pooled',
      closes: false,
    })
    expect(placeInTube(open(8), round, person)).toMatchObject({
      ok: true,
      open: false,
      closes: false,
    })
    expect(placeInTube(open(9), round, person)).toMatchObject({
      ok: true,
      open: false,
      closes: true,
    })
  })
  it('refuses a closed, full or foreign tube', () => {
    expect(placeInTube(open(4, { status: 'closed' }), round, person)).toEqual({
      ok: false,
      code: 'TUBE_CLOSED',
      params: { members: 4 },
    })
    expect(placeInTube(open(10), round, person)).toEqual({
      ok: false,
      code: 'TUBE_FULL',
      params: { capacity: 10 },
    })
    expect(placeInTube(open(1, { roundId: 'r2' }), round, person)).toEqual({
      ok: false,
      code: 'TUBE_OTHER_ROUND',
    })
  })
  it('puts a listed person alone in a tube that closes at once, and never into a pool', () => {
    expect(placeInTube(undefined, round, { ...person, tags: ['key_person'] })).toEqual({
      ok: true,
      open: true,
      capacity: 1,
      kind: 'single',
      closes: true,
    })
    expect(placeInTube(open(3), round, { ...person, tags: ['key_person'] })).toEqual({
      ok: false,
      code: 'TUBE_SINGLE_PERSON',
    })
  })
  it('swabs a recheck alone in a recheck tube', () => {
    expect(placeInTube(undefined, round, { ...person, recheck: true })).toEqual({
      ok: true,
      open: true,
      capacity: 1,
      kind: 'recheck',
      closes: true,
    })
    expect(placeInTube(open(2), round, { ...person, recheck: true })).toEqual({
      ok: false,
      code: 'TUBE_RECHECK_ALONE',
    })
  })
  it('keeps a household-pooled tube to one household, closed by hand', () => {
    const hh = { ...round, householdPool: true }
    const first = placeInTube(undefined, hh, person)
    // The profile's household capacity (20 under v9: never more than its largest pool), not 50.
    expect(first).toMatchObject({ ok: true, open: true, closes: false, capacity: 20 })
    expect(placeInTube(undefined, { ...hh, householdCapacity: 10 }, person)).toMatchObject({
      capacity: 10,
    })
    expect(placeInTube(open(20, { householdId: 'h1', capacity: 20 }), hh, person)).toEqual({
      ok: false,
      code: 'TUBE_FULL',
      params: { capacity: 20 },
    })
    expect(placeInTube(open(2, { householdId: 'h1', capacity: 50 }), hh, person)).toMatchObject({
      ok: true,
    })
    expect(
      placeInTube(open(2, { householdId: 'h1', capacity: 50 }), hh, {
        ...person,
        householdId: 'h2',
      }),
    ).toEqual({ ok: false, code: 'TUBE_OTHER_HOUSEHOLD' })
  })

  it("a household's tube takes no one else, and nobody joins a pool larger than their own", () => {
    // A sealed household's tube in a round that is not household-pooled.
    expect(
      placeInTube(open(1, { householdId: 'h1', capacity: 20 }), round, {
        ...person,
        householdId: 'h2',
      }),
    ).toEqual({ ok: false, code: 'TUBE_OTHER_HOUSEHOLD' })
    // A controlled area's person (pools of 10) and a tube of 20.
    expect(placeInTube(open(1, { capacity: 20 }), { ...round, poolSize: 10 }, person)).toEqual({
      ok: false,
      code: 'TUBE_ZONE_POOL',
      params: { capacity: 10 },
    })
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
    for (const bad of [
      '2026-02-31T08:00:00Z',
      '0000-00-00',
      '0000-01-01T00:00:00Z',
      '275760-09-13',
      '-271821-04-20T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '1999-12-31T23:59:59Z',
      'now',
      '',
    ]) {
      expect(readTime(bad), bad).toBeUndefined()
    }
  })
  it('follows pending → negative | pool_positive → recheck_negative | confirmed_positive', () => {
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'negative' })).toBe('negative')
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'positive' })).toBe(
      'pool_positive',
    )
    expect(nextSpecimenState('pending', { tube: 'pooled', result: 'abnormal' })).toBe(
      'pool_positive',
    )
    expect(nextSpecimenState('pending', { tube: 'single', result: 'positive' })).toBe(
      'confirmed_positive',
    )
    expect(nextSpecimenState('pool_positive', { recheck: 'negative' })).toBe('recheck_negative')
    expect(nextSpecimenState('pool_positive', { recheck: 'positive' })).toBe('confirmed_positive')
    expect(nextSpecimenState('pool_positive', { recheck: 'abnormal' })).toBeUndefined()
    expect(
      nextSpecimenState('confirmed_positive', { tube: 'pooled', result: 'negative' }),
    ).toBeUndefined()
    expect(nextSpecimenState('negative', { recheck: 'positive' })).toBeUndefined()
  })
})

describe('scans', () => {
  it('reads a resident code, an ID number, and refuses noise', () => {
    const code = newResidentCode()
    expect(code).toMatch(RESIDENT_CODE)
    expect(readPersonScan(` ${code.toLowerCase()}\n`)).toEqual({ kind: 'code', token: code })
    // A scanner wedge on a full-width input method, or a pasted number with an ideographic space.
    expect(readPersonScan('１１０１０５\u3000１９４９１２３１００２ｘ')).toEqual({
      kind: 'id',
      idNumber: '11010519491231002X',
    })
    expect(readPersonScan('11010519491231002x')).toEqual({
      kind: 'id',
      idNumber: '11010519491231002X',
    })
    expect(readPersonScan(code.slice(0, 20))).toEqual({
      kind: 'garbled',
      code: 'SCAN_CODE_INCOMPLETE',
    })
    expect(readPersonScan('!!##')).toEqual({ kind: 'garbled', code: 'SCAN_NOT_A_PERSON' })
  })
})

describe('the decisions of a scan batch', () => {
  const now = new Date('2026-11-29T06:00:00Z')
  const open = { status: 'open', closedAt: null }
  it('takes a scan time up to ten minutes ahead of the server, and refuses a later one, a non-time or one after the round closed', () => {
    expect(scanTime('2026-11-29T06:09:00Z', now, open)).toEqual({
      ok: true,
      at: new Date('2026-11-29T06:09:00Z'),
    })
    expect(scanTime('2026-11-29T06:11:00Z', now, open)).toEqual({
      ok: false,
      refusal: { field: 'scannedAt', code: 'SCAN_TIME_FUTURE' },
    })
    expect(scanTime('yesterday', now, open)).toEqual({
      ok: false,
      refusal: { field: 'scannedAt', code: 'SCAN_TIME_INVALID' },
    })
    const closed = { status: 'closed', closedAt: new Date('2026-11-29T05:00:00Z') }
    // A device's queue from before the close still counts; a swab after it does not.
    expect(scanTime('2026-11-29T04:59:00Z', now, closed)).toMatchObject({ ok: true })
    expect(scanTime('2026-11-29T05:01:00Z', now, closed)).toEqual({
      ok: false,
      refusal: { field: 'round', code: 'SCAN_ROUND_CLOSED' },
    })
  })
  it('says why a person is refused: a garbled read, an invalid ID number by its own code, an unknown code or ID', () => {
    expect(personRefusal({ kind: 'garbled', code: 'SCAN_NOT_A_PERSON' }, undefined, false)).toEqual(
      { field: 'person', code: 'SCAN_NOT_A_PERSON' },
    )
    expect(
      personRefusal(
        { kind: 'id', idNumber: '110105194912310021' },
        { ok: false, code: 'ID_CHECK_CHARACTER', params: { expected: 'X' } },
        false,
      ),
    ).toEqual({ field: 'person', code: 'ID_CHECK_CHARACTER', params: { expected: 'X' } })
    expect(
      personRefusal({ kind: 'id', idNumber: '11010519491231002X' }, { ok: true }, false),
    ).toEqual({ field: 'person', code: 'SCAN_PERSON_NOT_REGISTERED' })
    expect(personRefusal({ kind: 'code', token: 'WG' + '0'.repeat(32) }, undefined, false)).toEqual(
      { field: 'person', code: 'SCAN_CODE_UNKNOWN' },
    )
    expect(
      personRefusal({ kind: 'code', token: 'WG' + '0'.repeat(32) }, undefined, true),
    ).toBeUndefined()
  })
  it('puts a person in a round by the round’s paths and only while they live there', () => {
    const round = { scopePaths: ['/32/01/'], buildingIds: [], unitIds: [] }
    const home = { buildingId: 'b1', unitId: 'u1' }
    expect(inRound(round, { ...home, gridPath: '/32/01/07/', status: 'active' })).toBe(true)
    expect(inRound(round, { ...home, gridPath: '/32/011/07/', status: 'active' })).toBe(false)
    expect(inRound(round, { ...home, gridPath: '/32/01/07/', status: 'moved_out' })).toBe(false)
    // A walk-in registered at the desk belongs where they were placed.
    expect(inRound(round, { ...home, gridPath: '/32/01/07/', status: 'provisional' })).toBe(true)
  })
  it('puts a person in a round of buildings and units only when they live in one of them', () => {
    const person = (buildingId: string | null, unitId: string | null) => ({
      gridPath: '/32/01/07/',
      status: 'active',
      buildingId,
      unitId,
    })
    const round = { scopePaths: ['/32/01/'], buildingIds: ['b1'], unitIds: ['u7'] }
    expect(inRound(round, person('b1', 'u1'))).toBe(true)
    expect(inRound(round, person('b2', 'u7'))).toBe(true)
    expect(inRound(round, person('b2', 'u2'))).toBe(false)
    // Without a household nobody lives in a building.
    expect(inRound(round, person(null, null))).toBe(false)
    // A building of the round outside its divisions does not widen it.
    expect(inRound(round, { ...person('b1', 'u1'), gridPath: '/32/02/01/' })).toBe(false)
  })
  it('lists the warnings of an accepted swab in one fixed order', () => {
    expect(
      scanWarnings({ repeat: false, inRound: true, mine: true, closesTube: false, recheck: false }),
    ).toEqual([])
    expect(
      scanWarnings({ repeat: true, inRound: false, mine: false, closesTube: true, recheck: true }),
    ).toEqual([
      'already_sampled',
      'out_of_scope',
      'outside_sampler_scope',
      'tube_closed',
      'recheck',
    ])
  })
  it('masks a name enough for the scanner to recognise the person and no more', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧**娜')
    expect(maskName('李')).toBe('李')
  })
})

describe('round progress and the round list', () => {
  it('counts resulted tubes into turnaround buckets, every bucket present, tubes without a result left out', () => {
    expect(
      turnaroundBuckets([
        { hours: 1, n: 2 },
        { hours: 6, n: 1 },
        { hours: 7, n: 4 },
        { hours: 60, n: 1 },
        { hours: null, n: 9 },
      ]),
    ).toEqual([
      { bucket: '≤2h', tubes: 2 },
      { bucket: '≤6h', tubes: 1 },
      { bucket: '≤12h', tubes: 4 },
      { bucket: '≤24h', tubes: 0 },
      { bucket: '≤48h', tubes: 0 },
      { bucket: '>48h', tubes: 1 },
    ])
  })
  it('reads back only its own cursors', () => {
    const c = { at: '2026-11-29 06:05:00.123456+00', id: '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b' }
    expect(decodeRoundCursor(encodeRoundCursor(c))).toEqual(c)
    expect(decodeRoundCursor('garbage')).toBeUndefined()
    expect(
      decodeRoundCursor(
        Buffer.from(JSON.stringify(["2026-11-29'; drop table x", c.id])).toString('base64url'),
      ),
    ).toBeUndefined()
    expect(
      decodeRoundCursor(Buffer.from(JSON.stringify([c.at, 'not-a-uuid'])).toString('base64url')),
    ).toBeUndefined()
  })
})
