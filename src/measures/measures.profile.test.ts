import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MEASURE_CATEGORIES, measuresSection } from './measures.profile.js'

const read = (profile: string): unknown =>
  JSON.parse(
    fs.readFileSync(
      new URL(`../policy/profiles/${profile}/measures.json`, import.meta.url),
      'utf8',
    ),
  ) as unknown

describe('the bundled measures sections', () => {
  it.each(['v9', 'opt20', 'new10'])('%s parses, and every category cites its source', (name) => {
    const parsed = measuresSection.safeParse(read(name))
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    const s = parsed.data!
    expect(s.dayZero).toBe('anchor_is_day_0')
    expect(s.checkinsPerDay).toBe(2)
    for (const rule of Object.values(s.categories)) expect(rule.cite).toMatch(/§[57]/)
  })

  it('identifies the categories of each profile and no other (domain.md §7)', () => {
    const cats = (name: string) => Object.keys(measuresSection.parse(read(name)).categories).sort()
    expect(cats('v9')).toEqual([...MEASURE_CATEGORIES].sort())
    expect(cats('opt20')).toEqual(
      [
        'close_contact',
        'closed_loop_worker',
        'high_risk_area',
        'inbound',
        'infected',
        'temporary_control',
        'zone_sealed',
        'zone_precaution',
      ].sort(),
    )
    expect(cats('new10')).toEqual(
      [
        'close_contact',
        'inbound',
        'infected',
        'temporary_control',
        'zone_sealed',
        'zone_precaution',
      ].sort(),
    )
  })

  it('every zone level of a profile has its measure as a category (zones.levels[].measure, §6)', () => {
    for (const name of ['v9', 'opt20', 'new10']) {
      const zones = JSON.parse(
        fs.readFileSync(new URL(`../policy/profiles/${name}/zones.json`, import.meta.url), 'utf8'),
      ) as { levels: { measure: string }[] }
      const categories = measuresSection.parse(read(name)).categories
      for (const l of zones.levels) {
        const rule = categories[`zone_${l.measure}` as keyof typeof categories]
        expect(rule, `${name} zone_${l.measure}`).toMatchObject({
          anchor: 'area_level',
          endCondition: 'area_change',
        })
      }
    }
  })

  it('new10 inbound is opt20 inbound, identified until 2023-01-08', () => {
    const opt20 = measuresSection.parse(read('opt20')).categories.inbound!
    const new10 = measuresSection.parse(read('new10')).categories.inbound!
    expect(new10.phases).toEqual(opt20.phases)
    expect(new10.releaseCt).toBe(35)
    expect(new10.identifiedBefore).toBe('2023-01-08')
  })

  it('refuses a test day after the end of its phase, naming the path', () => {
    const bad = structuredClone(read('v9')) as {
      categories: { close_contact: { phases: { testDays: number[] }[] } }
    }
    bad.categories.close_contact.phases[0]!.testDays = [1, 8]
    const parsed = measuresSection.safeParse(bad)
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path.join('.')).toBe(
      'categories.close_contact.phases.0.testDays',
    )
  })

  it('refuses an unknown category and an unknown phase kind', () => {
    const unknownCategory = structuredClone(read('v9')) as { categories: Record<string, unknown> }
    unknownCategory.categories.visitor = unknownCategory.categories.close_contact
    expect(measuresSection.safeParse(unknownCategory).success).toBe(false)
    const unknownKind = structuredClone(read('v9')) as {
      categories: { close_contact: { phases: { kind: string }[] } }
    }
    unknownKind.categories.close_contact.phases[0]!.kind = 'hotel'
    expect(measuresSection.safeParse(unknownKind).success).toBe(false)
  })

  it('refuses ct_at_least without a release Ct', () => {
    const bad = structuredClone(read('new10')) as {
      categories: { infected: { releaseCt: unknown } }
    }
    bad.categories.infected.releaseCt = null
    expect(measuresSection.safeParse(bad).success).toBe(false)
  })
})
