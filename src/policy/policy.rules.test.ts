import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  contentHash,
  diffValues,
  direction,
  getPath,
  overrideFlag,
  setPath,
  type StrictnessRule,
} from './policy.rules.js'

const rules: StrictnessRule[] = [
  { match: 'categories.*.phases.*.days', stricter: 'higher' },
  { match: 'categories.*.phases.*.testDays', stricter: 'more' },
  { match: '**.*Hours', stricter: 'lower' },
  { match: 'gate.healthCodeChecked', stricter: 'true' },
]

describe('content version', () => {
  it('is the same for the same content in any key order and changes with any value', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}')
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }))
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }))
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/)
  })
})

describe('dot paths', () => {
  const s = { categories: { cc: { phases: [{ days: 7 }, { days: 3 }] } } }
  it('finds keys and array indexes, and says when a path does not exist', () => {
    expect(getPath(s, 'categories.cc.phases.1.days')).toEqual({ found: true, value: 3 })
    expect(getPath(s, 'categories.cc.phases.2.days')).toEqual({ found: false })
    expect(getPath(s, 'categories.cc.phases.0.hours')).toEqual({ found: false })
    expect(getPath(s, 'categories.toString')).toEqual({ found: false })
  })
  it('replaces one value and leaves the original alone', () => {
    const t = setPath(s, 'categories.cc.phases.0.days', 10)
    expect(getPath(t, 'categories.cc.phases.0.days')).toEqual({ found: true, value: 10 })
    expect(s.categories.cc.phases[0]!.days).toBe(7)
  })
})

describe('stricter or looser than national', () => {
  it.each([
    ['categories.close_contact.phases.0.days', 7, 10, 'stricter'],
    ['categories.close_contact.phases.0.days', 7, 5, 'looser'],
    ['categories.close_contact.phases.0.testDays', [1, 2, 3], [1, 2, 3, 5], 'stricter'],
    ['categories.close_contact.phases.0.testDays', [1, 2, 3, 5, 7], [1, 3], 'looser'],
    ['categories.close_contact.phases.0.testDays', [1, 2], [1, 3], 'unknown'],
    ['turnaroundHours', 24, 12, 'stricter'],
    ['gate.negativeTestHours', 48, 72, 'looser'],
    ['gate.negativeTestHours', null, 48, 'stricter'],
    ['gate.negativeTestHours', 48, null, 'looser'],
    ['gate.healthCodeChecked', false, true, 'stricter'],
    ['other', 1, 2, 'unknown'],
    ['categories.close_contact.phases.0.days', 7, 7, 'same'],
  ] as const)('%s: %j → %j is %s', (path, national, value, d) => {
    expect(direction(rules, path, national, value)).toBe(d)
  })
  it('judges a whole object member by member', () => {
    const national = { days: 7, testDays: [1, 2, 3] }
    const path = 'categories.cc.phases.0'
    expect(direction(rules, path, national, { days: 8, testDays: [1, 2, 3, 4] })).toBe('stricter')
    expect(direction(rules, path, national, { days: 8, testDays: [1] })).toBe('unknown')
  })
  it('needs belowFloor for looser under every mode, stricter only where 层层加码 is forbidden', () => {
    expect(overrideFlag('floor', 'looser')).toEqual({ flag: 'below_floor' })
    expect(overrideFlag('floor', 'stricter')).toEqual({ flag: null })
    expect(overrideFlag('floor', 'unknown')).toEqual({ flag: 'below_floor' })
    expect(overrideFlag('national', 'stricter')).toEqual({ flag: 'stricter' })
    expect(overrideFlag('national', 'looser')).toEqual({ flag: 'below_floor' })
    expect(overrideFlag('national', 'unknown')).toEqual({ flag: 'stricter' })
    expect(overrideFlag('national', 'same')).toEqual({ same: true })
  })
})

describe('diff', () => {
  it('lists each differing leaf by dot path, with null where one side lacks it', () => {
    const a = { m: { cc: { phases: [{ days: 7, testDays: [1, 2, 3, 5, 7] }] } }, x: 1 }
    const b = { m: { cc: { phases: [{ days: 5, testDays: [1, 2, 3, 5] }, { days: 3 }] } }, x: 1 }
    expect(diffValues(a, b)).toEqual([
      { path: 'm.cc.phases.0.days', a: 7, b: 5 },
      { path: 'm.cc.phases.0.testDays', a: [1, 2, 3, 5, 7], b: [1, 2, 3, 5] },
      { path: 'm.cc.phases.1', a: null, b: { days: 3 } },
    ])
    expect(diffValues(a, a)).toEqual([])
  })
})
