import { describe, expect, it } from 'vitest'
import { buildIdNumber } from '../../test/factories.js'
import {
  ageOn,
  birthBoundsForAges,
  buildingKindOf,
  checkIdentity,
  chineseNumber,
  householdKeys,
  villagerGroupCode,
  maskSearchTerm,
  nameKeys,
  searchTermOf,
} from './registry.rules.js'
import { maskIdNumber } from '../core/pii/mask.js'

describe('name keys', () => {
  it('gives pinyin and initials, so "zs" finds 张三', () => {
    expect(nameKeys('张三')).toEqual({ pinyin: 'zhangsan', initials: 'zs' })
    expect(nameKeys('欧阳 娜娜')).toEqual({ pinyin: 'ouyangnana', initials: 'oynn' })
  })
  it('reads surnames as surnames', () => {
    expect(nameKeys('单田芳').initials).toBe('stf')
    expect(nameKeys('曾小贤').pinyin).toBe('zengxiaoxian')
  })
  it('keeps Latin names searchable', () => {
    expect(nameKeys('John Smith').pinyin).toBe('johnsmith')
  })
})

describe('households', () => {
  it('labels and sorts in walking order', () => {
    const a = householdKeys('2', '1', '301')
    const b = householdKeys('12', '1', '1201')
    const c = householdKeys('12', '1', '201')
    expect(a.label).toBe('2栋1单元301')
    expect([b.sortKey, c.sortKey, a.sortKey].sort()).toEqual([a.sortKey, c.sortKey, b.sortKey])
  })
})

describe('rural addresses', () => {
  it('writes a villager group in one form, whatever workers typed', () => {
    for (const typed of ['三', '三组', '第三村民小组', '3', '3组', '３组', '第3小组'])
      expect(villagerGroupCode(typed), typed).toBe('3组')
    expect(villagerGroupCode('十二组')).toBe('12组')
    expect(villagerGroupCode('二十三组')).toBe('23组')
    expect(villagerGroupCode('王家湾')).toBe('王家湾组')
    expect(villagerGroupCode('王家湾组')).toBe('王家湾组')
    expect(villagerGroupCode('组')).toBeUndefined()
    expect(chineseNumber('十')).toBe(10)
    expect(chineseNumber('一〇')).toBe(10)
    expect(chineseNumber('百')).toBeUndefined()
  })

  it('tells a villager group and a street from a block by the code', () => {
    expect(buildingKindOf('3组')).toBe('villager_group')
    expect(buildingKindOf('新村路')).toBe('street')
    expect(buildingKindOf('东巷')).toBe('street')
    expect(buildingKindOf('12')).toBe('block')
    expect(buildingKindOf('东3')).toBe('block')
  })

  it('labels a house by its number and a self-built house by its rooms, in walking order', () => {
    expect(householdKeys('3组', '18', '').label).toBe('3组18号')
    expect(householdKeys('3组', '18', '201').label).toBe('3组18号201室')
    expect(householdKeys('新村路', '7', '').label).toBe('新村路7号')
    const order = [
      householdKeys('3组', '2', ''),
      householdKeys('3组', '18', ''),
      householdKeys('3组', '18', '201'),
      householdKeys('3组', '18', '1001'),
    ].map((k) => k.sortKey)
    expect([...order].reverse().sort()).toEqual(order)
  })
})

describe('identity', () => {
  const id = buildIdNumber({ birth: '19850615', sex: 'male' })
  it('derives sex and birth date from the ID number', () => {
    expect(checkIdentity({ idNumber: id })).toMatchObject({
      ok: true,
      sex: 'male',
      birthDate: '1985-06-15',
      idType: 'resident_id',
    })
  })
  it('names the field that contradicts the ID number', () => {
    expect(checkIdentity({ idNumber: id, sex: 'female' })).toMatchObject({
      ok: false,
      code: 'ID_SAYS_MALE',
      field: 'sex',
    })
    expect(checkIdentity({ idNumber: id, birthDate: '1985-06-16' })).toMatchObject({
      ok: false,
      code: 'ID_SAYS_BIRTH_DATE',
      field: 'birthDate',
      params: { expected: '1985-06-15' },
    })
  })
  it("passes the ID check's own code on, naming idNumber", () => {
    const bad = id.slice(0, 17) + (id[17] === '1' ? '2' : '1')
    expect(checkIdentity({ idNumber: bad })).toMatchObject({
      ok: false,
      code: 'ID_CHECK_CHARACTER',
      field: 'idNumber',
      params: { expected: id[17] },
    })
  })
  it('reports an old 15-digit number as repaired', () => {
    const r = checkIdentity({ idNumber: '110105491231002' })
    expect(r).toMatchObject({
      ok: true,
      idNumber: '11010519491231002X',
      repairs: [{ code: 'REPAIR_ID_15_TO_18', field: 'idNumber' }],
    })
  })
  it('accepts passports without deriving anything', () => {
    expect(checkIdentity({ idType: 'passport', idNumber: 'E1234 5678' })).toMatchObject({
      ok: true,
      idNumber: 'E12345678',
      sex: null,
    })
  })
})

describe('ages', () => {
  const today = new Date('2026-11-29T00:00:00Z')
  it('counts whole years', () => {
    expect(ageOn('1946-11-29', today)).toBe(80)
    expect(ageOn('1946-11-30', today)).toBe(79)
  })
  it('turns an age band into birth-date bounds', () => {
    const b = birthBoundsForAges(80, undefined, today)
    expect(b).toEqual({ to: '1946-11-29' })
    const band = birthBoundsForAges(60, 79, today)
    expect(ageOn(band.from!, today)).toBe(79)
    expect(ageOn(band.to!, today)).toBe(60)
    const dayBefore = new Date(Date.parse(band.from!) - 86_400_000).toISOString().slice(0, 10)
    expect(ageOn(dayBefore, today)).toBe(80)
  })
})

describe('search box', () => {
  it('reads a full phone, a full ID, a tail, pinyin or a name', () => {
    expect(searchTermOf(' 13812345678 ')).toEqual({ kind: 'phone', value: '13812345678' })
    expect(searchTermOf('11010519491231002x')).toEqual({
      kind: 'idNumber',
      value: '11010519491231002X',
    })
    expect(searchTermOf('5678')).toEqual({ kind: 'last4', value: '5678' })
    expect(searchTermOf('002x')).toEqual({ kind: 'idLast4', value: '002X' })
    expect(searchTermOf('ZS')).toEqual({ kind: 'pinyin', value: 'zs' })
    expect(searchTermOf('张_%')).toEqual({ kind: 'name', value: '张_%' })
    expect(searchTermOf('  ')).toBeUndefined()
  })

  it('reads full-width digits and ideographic spaces as the same phone or ID (NFKC)', () => {
    expect(searchTermOf('１３８\u3000１２３４\u3000５６７８')).toEqual({
      kind: 'phone',
      value: '13812345678',
    })
    expect(searchTermOf('１１０１０５１９４９１２３１００２ｘ')).toEqual({
      kind: 'idNumber',
      value: '11010519491231002X',
    })
    expect(searchTermOf('００２Ｘ')).toEqual({ kind: 'idLast4', value: '002X' })
    expect(maskSearchTerm('１１０１０５\u3000１９４９１２３１００２Ｘ')).toEqual({
      masked: maskIdNumber('11010519491231002X'),
      kind: 'id',
    })
  })
})
