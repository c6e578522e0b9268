import { describe, expect, it } from 'vitest'
import { interpolate } from '../core/i18n/messages.js'
import { alertsMessages } from '../alerts/alerts.messages.js'
import {
  judgeResultRow,
  readResultWord,
  recheckAlertText,
  screeningAlertText,
} from './results.rules.js'

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

describe('what a result file’s alerts say', () => {
  const person = (i: number, tube: string) => ({
    name: `居民${i}`,
    household: `${i}栋1单元10${i % 10}`,
    tube,
    deadline: new Date(Date.UTC(2026, 11, 1, 8 + (i % 3))).toISOString(),
    assignee: i % 2 ? '网格员小周' : '网格员小李',
  })
  const render = (r: {
    code: keyof typeof alertsMessages
    params: Record<string, string | number>
  }) => interpolate(alertsMessages[r.code]['zh-CN'], r.params)

  it('reads one tube as before and a grid’s many tubes as one alert with their count, codes and people', () => {
    const one = recheckAlertText([person(1, 'T-1'), person(2, 'T-1')], false)
    expect(one.code).toBe('ALERT_POOL_POSITIVE_CONTROL')
    expect(one.params).toMatchObject({ tube: 'T-1', people: 2, assignee: '网格员小周、网格员小李' })
    const many = Array.from({ length: 30 }, (_, i) => person(i, `T-${Math.floor(i / 10)}`))
    const grouped = recheckAlertText(many, false)
    expect(grouped.code).toBe('ALERT_POOL_POSITIVE_GROUP')
    expect(grouped.params).toMatchObject({
      tubes: 3,
      tubeList: 'T-0、T-1、T-2',
      people: 30,
      more: 10,
    })
    const text = render(grouped)
    expect(text).toContain('混管阳性 3 管')
    expect(text).toContain('居民0（0栋1单元100）')
    // The first 20 by name in the text (the alert lists every one when expanded), then an ellipsis.
    expect(text).toContain('居民19（')
    expect(text).not.toContain('居民20（')
    expect(text.endsWith('…')).toBe(true)
    // The earliest deadline, on the deployment's clock (08:00Z is 16:00 in Asia/Shanghai).
    expect(grouped.params.deadline).toBe('12-01 16:00')
    expect(recheckAlertText(many, true).code).toBe('ALERT_RESWAB_GROUP')
  })

  it('names one screening positive as before and several by count and names', () => {
    expect(screeningAlertText([person(1, 'S-1')])).toMatchObject({
      code: 'ALERT_SCREENING_POSITIVE',
      params: { name: '居民1', household: '1栋1单元101', tube: 'S-1' },
    })
    const two = screeningAlertText([person(1, 'S-1'), person(2, 'S-2')])
    expect(two.code).toBe('ALERT_SCREENING_POSITIVE_GROUP')
    expect(render(two)).toContain(
      '单管初筛阳性 2 人：居民1（1栋1单元101） S-1、居民2（2栋1单元102） S-2',
    )
  })
})
