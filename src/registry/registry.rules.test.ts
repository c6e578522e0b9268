import { describe, expect, it } from 'vitest'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { ageOn, birthBoundsForAges, checkIdentity, householdKeys, nameKeys } from './registry.rules.js'

const makeId = (first17: string): string => first17 + idCheckCharacter(first17)

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

describe('identity', () => {
  const id = makeId('32010219850615003')
  it('derives sex and birth date from the ID number', () => {
    expect(checkIdentity({ idNumber: id })).toMatchObject({ ok: true, sex: 'male', birthDate: '1985-06-15', idType: 'resident_id' })
  })
  it('names the field that contradicts the ID number', () => {
    expect(checkIdentity({ idNumber: id, sex: 'female' })).toEqual({ ok: false, field: 'sex', reason: 'the ID number says male' })
    expect(checkIdentity({ idNumber: id, birthDate: '1985-06-16' })).toMatchObject({ ok: false, field: 'birthDate' })
  })
  it('reports an old 15-digit number as repaired', () => {
    const r = checkIdentity({ idNumber: '110105491231002' })
    expect(r).toMatchObject({ ok: true, idNumber: '11010519491231002X', repaired: ['idNumber: old 15-digit number converted to 18'] })
  })
  it('accepts passports without deriving anything', () => {
    expect(checkIdentity({ idType: 'passport', idNumber: 'E1234 5678' })).toMatchObject({ ok: true, idNumber: 'E12345678', sex: null })
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
