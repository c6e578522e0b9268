import { describe, expect, it } from 'vitest'
import { recogniseHeaders } from './imports.headers.js'
import { normaliseDate, parseRosterRow, type RowContext } from './imports.rows.js'

describe('header recognition', () => {
  it('recognises Chinese headers with required marks and notes in brackets', () => {
    const g = recogniseHeaders(['序号', '*姓名', '身份证号码', '联系电话（手机）', '性别', '出生日期', '楼号', '单元', '门牌号', '与户主关系', '人员类型', '备注'])
    expect(g.mapping).toMatchObject({ name: 1, idNumber: 2, phone: 3, sex: 4, birthDate: 5, building: 6, unit: 7, room: 8, relation: 9, residenceType: 10, notes: 11 })
    expect(g.unknown).toEqual(['序号'])
    expect(g.missing).toEqual([])
  })
  it('recognises English headers and reports what is missing', () => {
    const g = recogniseHeaders(['Name', 'ID Number', 'Mobile', 'Building'])
    expect(g.mapping).toEqual({ name: 0, idNumber: 1, phone: 2, building: 3 })
    expect(g.missing).toEqual(['unit', 'room'])
  })
  it('lets a saved mapping override the guess', () => {
    expect(recogniseHeaders(['姓名', '证件', '栋', '单元', '室号'], { idNumber: 1, room: 4 }).missing).toEqual([])
  })
})

describe('row repair and rejection', () => {
  const headers = ['姓名', '身份证号', '联系电话', '性别', '出生日期', '楼栋', '单元', '房号', '户主关系', '人员类型', '标签']
  const { mapping } = recogniseHeaders(headers)
  const ctx = (): RowContext => ({ lastBuilding: undefined, lastUnit: undefined })
  const row = (...cells: unknown[]) => parseRosterRow(cells as never, mapping, 2, ctx())

  it('reads a clean row and normalises address parts and vocabulary', () => {
    const r = row('张 三', '11010519491231002x', '138 0013 8000', '女', '1949/12/31', '12栋', '1单元', '1201室', '户主', '户籍', '独居、慢性病')
    expect(r).toMatchObject({ ok: true, row: { name: '张三', building: '12', unit: '1', room: '1201', relation: 'head', residenceType: 'registered', tags: ['living_alone', 'chronic_disease'], sex: 'female', birthDate: '1949-12-31' } })
  })

  it('rejects an ID that Excel turned into 1.10105E+17, naming the column', () => {
    const r = row('张三', '1.10105E+17', '', '', '', '12', '1', '101')
    expect(r).toMatchObject({ ok: false, rejection: { rowNo: 2, column: '身份证号' } })
    expect((r as { rejection: { reason: string } }).rejection.reason).toMatch(/format the column as Text/)
    const big = row('张三', 110105194912310020, '', '', '', '12', '1', '101')
    expect(big).toMatchObject({ ok: false, rejection: { column: '身份证号' } })
  })

  it('repairs numbers that are exact: a 15-digit ID and an 11-digit phone stored as numbers', () => {
    const r = row('张三', 110105491231002, 13800138000, '', '', 12, 1, 1201)
    expect(r).toMatchObject({ ok: true, row: { idNumber: '110105491231002', phone: '13800138000', building: '12', room: '1201' } })
    expect((r as { repairs: string[] }).repairs).toEqual(['idNumber: was stored as a number; read as text', 'phone: was stored as a number; read as text'])
  })

  it('fills building and unit down from the row above (merged cells) and says so', () => {
    const c = ctx()
    parseRosterRow(['甲', 'x', '', '', '', '12', '1', '101'] as never, mapping, 2, c)
    const r = parseRosterRow(['乙', 'y', '', '', '', '', '', '102'] as never, mapping, 3, c)
    expect(r).toMatchObject({ ok: true, row: { building: '12', unit: '1', room: '102' }, repairs: ['building: empty, taken from the row above (merged cell) as 12', 'unit: empty, taken from the row above (merged cell) as 1'] })
  })

  it('skips empty rows and rejects unknown vocabulary with the value', () => {
    expect(row('', '', null, undefined, '', '', '', '')).toEqual({ ok: 'empty' })
    expect(row('张三', 'x', '', '未知', '', '1', '1', '1')).toMatchObject({ ok: false, rejection: { column: '性别', reason: '"未知" is neither 男 nor 女' } })
    expect(row('张三', 'x', '', '', '', '1', '1', '1', '', '外星人')).toMatchObject({ ok: false, rejection: { column: '人员类型' } })
  })

  it('reads dates as people write them', () => {
    const repairs: string[] = []
    expect(normaliseDate('1985年6月15日', repairs)).toEqual({ value: '1985-06-15' })
    expect(normaliseDate('19850615', repairs)).toEqual({ value: '1985-06-15' })
    expect(normaliseDate(31213, repairs)).toEqual({ value: '1985-06-15' })
    expect(repairs).toEqual(['birthDate: Excel date serial converted'])
    expect(normaliseDate('1985-02-30', repairs)).toEqual({ reason: '1985-02-30 does not exist' })
  })
})
