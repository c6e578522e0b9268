import { describe, expect, it } from 'vitest'
import {
  cellText,
  ctColumnOf,
  isHeader,
  labColumnsOf,
  labRowOf,
  localTime,
} from './labresults.rules.js'

describe('a lab result file’s columns', () => {
  it('finds the columns by their Chinese or English names, whatever the spacing, case or notes in brackets', () => {
    expect(labColumnsOf(['序号', '试管编码', '检测结果（阴/阳）', '检测时间'])).toEqual({
      tubeCode: 1,
      result: 2,
      retest: -1,
      resultedAt: 3,
      ctN: -1,
      ctOrf1ab: -1,
    })
    expect(labColumnsOf(['Tube Code', 'RESULT', 'Retest'])).toEqual({
      tubeCode: 0,
      result: 1,
      retest: 2,
      resultedAt: -1,
      ctN: -1,
      ctOrf1ab: -1,
    })
  })

  it('finds the Ct columns of the N and ORF1ab genes however labs write them', () => {
    for (const h of ['N基因Ct值', 'Ct(N)', 'CT（N）', 'N Ct', 'Ct值-N基因', 'N gene Ct', 'ct_n'])
      expect(ctColumnOf(h), h).toBe('ctN')
    for (const h of ['ORF1ab Ct', 'ORF1ab基因Ct值', 'Ct(ORF1ab)', 'CT值（ORF1ab）', 'orf1ab_ct'])
      expect(ctColumnOf(h), h).toBe('ctOrf1ab')
    // Neither a Ct of another gene, a bare "Ct", nor a column that only names the gene.
    for (const h of ['E基因Ct值', 'Ct值', 'N基因', 'ORF1ab', '内参Ct', '结果'])
      expect(ctColumnOf(h), h).toBeUndefined()
    expect(labColumnsOf(['管码', '结果', 'ORF1ab Ct', 'N基因Ct值'])).toMatchObject({
      tubeCode: 0,
      result: 1,
      ctN: 3,
      ctOrf1ab: 2,
    })
  })

  it('takes as the header only a row naming both a tube and a result column (not a title above it)', () => {
    expect(isHeader(labColumnsOf(['金域检测 2026-11-29 核酸检测结果']))).toBe(false)
    expect(isHeader(labColumnsOf(['管码', '判定']))).toBe(false)
    expect(isHeader(labColumnsOf(['管码', '结果']))).toBe(true)
  })
})

describe('a lab result file’s rows', () => {
  const columns = labColumnsOf(['管码', '结果', '复检', '报告时间'])

  it('reads a row through the header, with Beijing time for a time without a zone', () => {
    expect(labRowOf(3, ['T-0001', '阳性', '是', '2026/11/29 14:05'], columns)).toEqual({
      rowNo: 3,
      tubeCode: 'T-0001',
      result: '阳性',
      retest: true,
      resultedAt: '2026-11-29T14:05+08:00',
    })
    expect(labRowOf(4, ['T-0002', '阴性', '', ''], columns)).toEqual({
      rowNo: 4,
      tubeCode: 'T-0002',
      result: '阴性',
      retest: false,
      resultedAt: undefined,
    })
  })

  it('reads the Ct cells as the lab wrote them, and leaves an empty Ct cell out', () => {
    const withCt = labColumnsOf(['管码', '结果', 'Ct(N)', 'Ct(ORF1ab)'])
    expect(labRowOf(2, ['T-1', '阳性', '28.4', '30.1'], withCt)).toMatchObject({
      ctN: '28.4',
      ctOrf1ab: '30.1',
    })
    const negative = labRowOf(3, ['T-2', '阴性', '', ''], withCt)!
    expect(negative).not.toHaveProperty('ctN')
    expect(negative).not.toHaveProperty('ctOrf1ab')
    expect(labRowOf(4, ['T-3', '阳性', '未检出', '高'], withCt)).toMatchObject({
      ctN: '未检出',
      ctOrf1ab: '高',
    })
  })

  it('skips a row with neither tube nor result, and keeps one with only one of them (for its reason)', () => {
    expect(labRowOf(5, ['', '', '是', ''], columns)).toBeUndefined()
    expect(labRowOf(6, ['', '阴性'], columns)).toMatchObject({ tubeCode: '', result: '阴性' })
  })

  it('keeps a time that already has a zone as it is, and reads cells as trimmed text', () => {
    expect(localTime('2026-11-29T14:05:00Z')).toBe('2026-11-29T14:05:00Z')
    expect([
      cellText('  T-1 '),
      cellText(null),
      cellText(12),
      cellText(new Date('2026-11-29T06:05:00Z')),
    ]).toEqual(['T-1', '', '12', '2026-11-29T06:05:00.000Z'])
  })
})
