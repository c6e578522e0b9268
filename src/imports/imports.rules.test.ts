import { describe, expect, it } from 'vitest'
import { recogniseHeaders } from './imports.headers.js'
import {
  columnOf,
  errorFilePath,
  normaliseDate,
  parseRosterRow,
  lostNumberText,
  readIdentifier,
  type ParsedRow,
  type RowContext,
} from './imports.rules.js'
import { describeReasons, importText, toRejection } from './imports.text.js'
import type { RowReason } from './imports.schema.js'

describe('village rosters', () => {
  it('reads 组 / 门牌号 / 房间号: the house number is the unit, the room may be left out', () => {
    const g = recogniseHeaders(['姓名', '身份证号', '村民小组', '门牌号', '房间号'])
    expect(g.mapping).toEqual({ name: 0, idNumber: 1, building: 2, unit: 3, room: 4 })
    expect(g).toMatchObject({ missing: [], houses: 'villager_group' })
    expect(recogniseHeaders(['姓名', '身份证号', '组', '门牌号'])).toMatchObject({
      mapping: { building: 2, unit: 3 },
      missing: [],
    })
    // A block's roster keeps 门牌号 as the room, and needs all three.
    expect(recogniseHeaders(['姓名', '身份证号', '楼栋', '单元', '门牌号'])).toMatchObject({
      mapping: { building: 2, unit: 3, room: 4 },
      houses: undefined,
    })
    expect(recogniseHeaders(['姓名', '身份证号', '楼栋', '门牌号']).missing).toEqual(['unit'])
  })

  it('writes the group as the registry does and accepts a house without rooms', () => {
    const mapping = { name: 0, idNumber: 1, building: 2, unit: 3, room: 4 }
    const ctx: RowContext = {
      lastBuilding: undefined,
      lastUnit: undefined,
      houses: 'villager_group',
    }
    const idNo = '110105194912310021'
    const a = parseRosterRow(['王大山', idNo, '3', '17号', ''], mapping, 2, ctx)
    expect(a).toMatchObject({ ok: true, row: { building: '3组', unit: '17', room: '' } })
    // Merged cells: the group and the house carry down; a room of a self-built house.
    const b = parseRosterRow(['租客', '110105194912310021', '', '', '201'], mapping, 3, ctx)
    expect(b).toMatchObject({ row: { building: '3组', unit: '17', room: '201' } })
    // "五组" in a block-style 楼栋 column is a group too; a block still needs its room.
    const plain: RowContext = { lastBuilding: undefined, lastUnit: undefined }
    expect(parseRosterRow(['甲', idNo, '五组', '2', ''], mapping, 4, plain)).toMatchObject({
      ok: true,
      row: { building: '5组' },
    })
    const block = parseRosterRow(['乙', idNo, '12', '1', ''], mapping, 5, plain)
    if (block.ok === 'empty') throw new Error('not empty')
    expect(block.reasons).toContainEqual({ code: 'ROW_EMPTY', field: 'room' })
  })
})

describe('header recognition', () => {
  it('recognises Chinese headers with required marks and notes in brackets', () => {
    const g = recogniseHeaders([
      '序号',
      '*姓名',
      '身份证号码',
      '联系电话（手机）',
      '性别',
      '出生日期',
      '楼号',
      '单元',
      '门牌号',
      '与户主关系',
      '人员类型',
      '备注',
    ])
    expect(g.mapping).toMatchObject({
      name: 1,
      idNumber: 2,
      phone: 3,
      sex: 4,
      birthDate: 5,
      building: 6,
      unit: 7,
      room: 8,
      relation: 9,
      residenceType: 10,
      notes: 11,
    })
    expect(g.unknown).toEqual(['序号'])
    expect(g.missing).toEqual([])
  })
  it('recognises English headers and reports what is missing', () => {
    const g = recogniseHeaders(['Name', 'ID Number', 'Mobile', 'Building'])
    expect(g.mapping).toEqual({ name: 0, idNumber: 1, phone: 2, building: 3 })
    expect(g.missing).toEqual(['unit', 'room'])
  })
  it('lets a saved mapping override the guess', () => {
    expect(
      recogniseHeaders(['姓名', '证件', '栋', '单元', '室号'], { idNumber: 1, room: 4 }).missing,
    ).toEqual([])
  })
})

type Row = Extract<ParsedRow, { row: unknown }>

describe('row repair and rejection', () => {
  const headers = [
    '姓名',
    '身份证号',
    '联系电话',
    '性别',
    '出生日期',
    '楼栋',
    '单元',
    '房号',
    '户主关系',
    '人员类型',
    '标签',
  ]
  const { mapping } = recogniseHeaders(headers)
  const ctx = (): RowContext => ({ lastBuilding: undefined, lastUnit: undefined })
  const row = (...cells: unknown[]): Row => parseRosterRow(cells as never, mapping, 2, ctx()) as Row
  const codes = (r: Row): string[] => r.reasons.map((x) => `${x.field}:${x.code}`)

  it('reads a clean row and normalises address parts and vocabulary', () => {
    const r = row(
      '张 三',
      '11010519491231002X',
      '13800138000',
      '女',
      '1949/12/31',
      '12栋',
      '1单元',
      '1201室',
      '户主',
      '户籍',
      '独居、慢性病',
    )
    expect(r).toMatchObject({
      ok: true,
      row: {
        name: '张三',
        building: '12',
        unit: '1',
        room: '1201',
        relation: 'head',
        residenceType: 'registered',
        tags: ['living_alone', 'chronic_disease'],
        sex: 'female',
        birthDate: '1949-12-31',
      },
    })
    expect(r.repairs).toEqual([])
  })

  it('rejects an ID that Excel turned into 1.10105E+17, with the value as a param', () => {
    const r = row('张三', '1.10105E+17', '', '', '', '12', '1', '101')
    expect(r.ok).toBe(false)
    expect(r.reasons).toEqual([
      { code: 'ROW_LOST_DIGITS', field: 'idNumber', params: { value: '1.10105E+17' } },
    ])
    expect(row('张三', 110105194912310020, '', '', '', '12', '1', '101').reasons).toEqual([
      { code: 'ROW_LOST_DIGITS', field: 'idNumber', params: { value: '1.1010519491231E+17' } },
    ])
  })

  it('shows a number that lost digits as Excel does, never as a plausible 18-digit ID', () => {
    // 320102198808295761 as a spreadsheet number: String() would give 320102198808296000.
    expect(lostNumberText(Number('320102198808295761'))).toBe('3.20102198808296E+17')
    expect(lostNumberText(1.10105e17)).toBe('1.10105E+17')
    expect(lostNumberText(12345)).toBe('12345')
    expect(row('张三', Number('320102198808295761'), '', '', '', '12', '1', '101').reasons).toEqual(
      [{ code: 'ROW_LOST_DIGITS', field: 'idNumber', params: { value: '3.20102198808296E+17' } }],
    )
  })

  it('reports every problem of a row, not only the first', () => {
    const r = row(
      '',
      '1.10105E+17',
      '',
      '未知',
      '1985-02-30',
      '12',
      '',
      '',
      '邻居哥们',
      '外星人',
      '火星人',
    )
    expect(codes(r)).toEqual([
      'name:ROW_EMPTY',
      'idNumber:ROW_LOST_DIGITS',
      'sex:ROW_UNKNOWN_SEX',
      'birthDate:ROW_DATE_DOES_NOT_EXIST',
      'unit:ROW_EMPTY',
      'room:ROW_EMPTY',
      'relation:ROW_UNKNOWN_RELATION',
      'residenceType:ROW_UNKNOWN_RESIDENCE_TYPE',
      'tags:ROW_UNKNOWN_TAG',
    ])
    expect(r.reasons.find((x) => x.field === 'sex')?.params).toEqual({ value: '未知' })
  })

  it('repairs numbers that are exact: a 15-digit ID and an 11-digit phone stored as numbers', () => {
    const r = row('张三', 110105491231002, 13800138000, '', '', 12, 1, 1201)
    expect(r).toMatchObject({
      ok: true,
      row: { idNumber: '110105491231002', phone: '13800138000', building: '12', room: '1201' },
    })
    expect(r.repairs).toEqual([
      { code: 'REPAIR_NUMBER_AS_TEXT', field: 'idNumber' },
      { code: 'REPAIR_NUMBER_AS_TEXT', field: 'phone' },
    ])
  })

  it('reports the repairs of identifiers: lowercase x, +86, spaces and full-width digits', () => {
    const r = row('张三', '110105 19491231 002x', '+86 138-0013-8000', '', '', '１２', '1', '1201')
    expect(r.row).toMatchObject({
      idNumber: '11010519491231002X',
      phone: '13800138000',
      building: '12',
    })
    expect(r.repairs).toEqual([
      { code: 'REPAIR_SPACES_REMOVED', field: 'idNumber' },
      { code: 'REPAIR_LOWERCASE_X', field: 'idNumber' },
      { code: 'REPAIR_COUNTRY_CODE', field: 'phone', params: { prefix: '+86' } },
    ])
    expect(readIdentifier('１１０１０５１９４９１２３１００２Ｘ', 'idNumber')).toEqual({
      value: '11010519491231002X',
      repairs: [{ code: 'REPAIR_FULL_WIDTH', field: 'idNumber' }],
    })
    expect(readIdentifier('0086 13800138000', 'phone')).toEqual({
      value: '13800138000',
      repairs: [{ code: 'REPAIR_COUNTRY_CODE', field: 'phone', params: { prefix: '0086' } }],
    })
  })

  it('fills building and unit down from the row above (merged cells) and says so', () => {
    const c = ctx()
    parseRosterRow(['甲', 'x', '', '', '', '12', '1', '101'] as never, mapping, 2, c)
    const r = parseRosterRow(['乙', 'y', '', '', '', '', '', '102'] as never, mapping, 3, c) as Row
    expect(r).toMatchObject({ ok: true, row: { building: '12', unit: '1', room: '102' } })
    expect(r.repairs).toEqual([
      { code: 'REPAIR_MERGED_CELL', field: 'building', params: { value: '12' } },
      { code: 'REPAIR_MERGED_CELL', field: 'unit', params: { value: '1' } },
    ])
  })

  it('skips empty rows', () => {
    expect(
      parseRosterRow(['', '', null, undefined, '', '', '', ''] as never, mapping, 2, ctx()),
    ).toEqual({ ok: 'empty' })
  })

  it('reads dates as people write them', () => {
    expect(normaliseDate('1985年6月15日')).toEqual({ value: '1985-06-15' })
    expect(normaliseDate('19850615')).toEqual({ value: '1985-06-15' })
    expect(normaliseDate(31213)).toEqual({
      value: '1985-06-15',
      repair: { code: 'REPAIR_EXCEL_DATE', field: 'birthDate', params: { value: '1985-06-15' } },
    })
    expect(normaliseDate('1985-02-30')).toEqual({
      reason: {
        code: 'ROW_DATE_DOES_NOT_EXIST',
        field: 'birthDate',
        params: { value: '1985-02-30' },
      },
    })
  })
})

describe('the words of a report', () => {
  const headers = ['姓名', '证件号码', '手机', '楼号', '单元', '门牌号']
  const { mapping } = recogniseHeaders(headers)

  it("names the file's own column headers, not the internal field names", () => {
    expect(columnOf('idNumber', mapping, headers)).toBe('证件号码')
    expect(columnOf('room', mapping, headers)).toBe('门牌号')
    expect(columnOf('grid', mapping, headers)).toBe('网格')
  })

  it('writes reasons in Chinese by default and in English when asked, every reason of the row', () => {
    const reasons: RowReason[] = [
      { code: 'ID_CHECK_CHARACTER', field: 'idNumber', params: { expected: '6' } },
      { code: 'PHONE_LENGTH', field: 'phone', params: { length: 5 } },
    ]
    const zh = toRejection('zh-CN', 4, reasons, mapping, headers)
    expect(zh).toMatchObject({ rowNo: 4, column: '证件号码、手机', code: 'ID_CHECK_CHARACTER' })
    expect(zh.reason).toBe(
      '证件号码：校验位不对（应为 6），请核对号码；手机：手机号应为 11 位，实际 5 位',
    )
    expect(zh.reasons.map((r) => r.column)).toEqual(['证件号码', '手机'])
    expect(describeReasons('en', reasons, mapping, headers).reason).toBe(
      '证件号码: Wrong check character (expected 6); check the number; 手机: Must have 11 digits, got 5',
    )
    expect(importText('en', 'ROW_DUPLICATE', { row: 3 })).toBe('The same person as row 3')
  })
})

describe('the CLI error file', () => {
  it('writes no file next to the input on a dry run unless told where', () => {
    expect(errorFilePath('/data/roster.xlsx', { dryRun: true })).toBeUndefined()
    expect(errorFilePath('/data/roster.xlsx', { dryRun: true, errors: '/tmp/e.xlsx' })).toBe(
      '/tmp/e.xlsx',
    )
    expect(errorFilePath('/data/roster.csv', { dryRun: false })).toBe('/data/roster.rejected.xlsx')
  })
})
