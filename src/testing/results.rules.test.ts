import { describe, expect, it } from 'vitest'
import { judgeResultRow, readResultWord } from './results.rules.js'

const now = new Date('2026-11-29T06:00:00Z')
const known = (held: 'negative' | 'positive' | 'abnormal' | null = null) => ({ known: true, held })

describe('result words', () => {
  it('reads the words labs write, in Chinese and English, and nothing else', () => {
    expect(['阴性', 'Negative', ' neg ', '-'].map(readResultWord)).toEqual(
      Array(4).fill('negative'),
    )
    expect(['阳性', 'POSITIVE', '+'].map(readResultWord)).toEqual(Array(3).fill('positive'))
    expect(['异常', '可疑', '待复核'].map(readResultWord)).toEqual(Array(3).fill('abnormal'))
    expect(['constructor', 'toString', '__proto__', '', '阴'].map(readResultWord)).toEqual(
      Array(5).fill(undefined),
    )
  })
})

describe('one row of a lab’s results', () => {
  it('rejects a word it cannot read, naming the field and the value', () => {
    expect(judgeResultRow({ tubeCode: 'T-000001', result: '弱阳' }, known(), now)).toEqual({
      kind: 'rejected',
      reason: { code: 'RESULT_WORD_UNKNOWN', field: 'result', params: { value: '弱阳' } },
    })
  })

  it('tells an unknown tube from something that is not a barcode at all', () => {
    expect(
      judgeResultRow({ tubeCode: 'T-000009', result: '阴性' }, { known: false, held: null }, now),
    ).toMatchObject({
      kind: 'rejected',
      reason: { code: 'RESULT_TUBE_UNKNOWN', field: 'tubeCode' },
    })
    expect(
      judgeResultRow({ tubeCode: '管 1', result: '阴性' }, { known: false, held: null }, now),
    ).toMatchObject({
      kind: 'rejected',
      reason: { code: 'RESULT_NOT_A_TUBE_CODE', field: 'tubeCode' },
    })
  })

  it('rejects an impossible result time and takes now when none is given', () => {
    expect(
      judgeResultRow(
        { tubeCode: 'T-000001', result: '阴性', resultedAt: '2026-02-31T08:00:00Z' },
        known(),
        now,
      ),
    ).toMatchObject({
      kind: 'rejected',
      reason: { code: 'RESULT_TIME_INVALID', field: 'resultedAt' },
    })
    expect(judgeResultRow({ tubeCode: 'T-000001', result: '阴性' }, known(), now)).toEqual({
      kind: 'apply',
      result: 'negative',
      resultedAt: now,
      cts: { ctN: null, ctOrf1ab: null },
    })
  })

  it('reports the same result twice as a duplicate', () => {
    expect(
      judgeResultRow({ tubeCode: 'T-000001', result: 'negative' }, known('negative'), now),
    ).toEqual({ kind: 'duplicate', result: 'negative' })
  })

  it('holds the safer result: a less strict result is a conflict; a stricter one not marked as a retest applies and is disputed', () => {
    expect(
      judgeResultRow(
        { tubeCode: 'T-000001', result: '阴性', retest: true },
        known('positive'),
        now,
      ),
    ).toMatchObject({
      kind: 'conflict',
      held: 'positive',
      result: 'negative',
      reason: {
        code: 'RESULT_CONFLICT_LESS_STRICT',
        field: 'result',
        params: { held: 'positive', incoming: 'negative' },
      },
    })
    expect(
      judgeResultRow({ tubeCode: 'T-000001', result: '阴性' }, known('abnormal'), now),
    ).toMatchObject({ kind: 'conflict', reason: { code: 'RESULT_CONFLICT_NOT_RETEST' } })
    // A positive after a negative: the positive holds at once (members are not left negative).
    expect(
      judgeResultRow({ tubeCode: 'T-000001', result: '阳性' }, known('negative'), now),
    ).toMatchObject({ kind: 'apply', result: 'positive', disputes: 'negative' })
  })

  it('applies a stricter retest over the result that holds', () => {
    expect(
      judgeResultRow(
        { tubeCode: 'T-000001', result: '阳性', retest: true },
        known('negative'),
        now,
      ),
    ).toMatchObject({ kind: 'apply', result: 'positive' })
  })
})

describe('the words labs write', () => {
  it.each([
    ['阴性', 'negative'],
    ['未检出', 'negative'],
    ['Not detected', 'negative'],
    ['阳性', 'positive'],
    ['检出', 'positive'],
    ['DETECTED', 'positive'],
    ['异常', 'abnormal'],
    ['单基因阳性', 'abnormal'],
    ['灰区', 'abnormal'],
    ['single gene positive', 'abnormal'],
    ['无效', 'invalid'],
    ['不合格', 'invalid'],
    ['样本不合格', 'invalid'],
    ['Invalid', 'invalid'],
    ['ｎｅｇａｔｉｖｅ', 'negative'],
  ])('reads %s as %s', (word, result) => {
    expect(readResultWord(word)).toBe(result)
  })

  it('keeps Ct values of both genes and refuses one that is not a number', () => {
    expect(
      judgeResultRow(
        { tubeCode: 'T-000001', result: '阳性', ctN: '28.5', ctOrf1ab: 31 },
        known(),
        now,
      ),
    ).toMatchObject({ kind: 'apply', cts: { ctN: 28.5, ctOrf1ab: 31 } })
    expect(
      judgeResultRow({ tubeCode: 'T-000001', result: '阴性', ctN: '—' }, known(), now),
    ).toMatchObject({ kind: 'apply', cts: { ctN: null } })
    expect(
      judgeResultRow({ tubeCode: 'T-000001', result: '阳性', ctOrf1ab: 'high' }, known(), now),
    ).toMatchObject({ kind: 'rejected', reason: { code: 'RESULT_CT_INVALID', field: 'ctOrf1ab' } })
  })
})
