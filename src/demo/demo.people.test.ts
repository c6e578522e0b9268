import { describe, expect, it } from 'vitest'
import { parseIdNumber } from '../core/pii/identifiers.js'
import {
  birthDateFor,
  chineseName,
  randomAge,
  seededRng,
  syntheticId,
  syntheticMobile,
} from './demo.people.js'

describe('demo people', () => {
  it('is the same for the same seed and different for another', () => {
    const a = seededRng(7)
    const b = seededRng(7)
    const c = seededRng(8)
    const draw = (r: () => number) => [chineseName(r, 'male'), randomAge(r), syntheticMobile(r)]
    expect(draw(a)).toEqual(draw(b))
    expect(draw(seededRng(7))).not.toEqual(draw(c))
  })
  it('makes valid ID numbers whose sex and birth date agree with the person', () => {
    const rng = seededRng(1)
    const today = new Date('2026-11-29T00:00:00Z')
    for (let i = 0; i < 2000; i++) {
      const sex = rng() < 0.5 ? 'male' : 'female'
      const birth = birthDateFor(rng, randomAge(rng), today)
      const parsed = parseIdNumber(syntheticId('320102', birth, sex, i), today)
      expect(parsed.ok && parsed.value).toMatchObject({ sex, birthDate: birth })
    }
  })
  it('draws an older population than a young city: about a fifth aged 60+', () => {
    const rng = seededRng(3)
    const ages = Array.from({ length: 20000 }, () => randomAge(rng))
    const share = ages.filter((a) => a >= 60).length / ages.length
    expect(share).toBeGreaterThan(0.18)
    expect(share).toBeLessThan(0.26)
    expect(ages.filter((a) => a >= 80).length / ages.length).toBeGreaterThan(0.02)
  })
})
