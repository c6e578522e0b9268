import { beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../core/errors.js'
import { installProfileSections, PROFILE_SECTIONS } from '../profile-sections.js'
import { installAllMessages } from '../messages.js'
import { bundledProfiles, validateProfile, type ProfileDocument } from './policy.service.js'

beforeAll(() => {
  installAllMessages()
  installProfileSections()
})

const byName = (name: string): ProfileDocument => bundledProfiles().find((p) => p.name === name)!

describe('bundled profiles', () => {
  it('offers v9, opt20 and new10 in the order they were issued, each replacing the one before', () => {
    const ps = bundledProfiles()
    expect(ps.map((p) => p.name)).toEqual(['v9', 'opt20', 'new10'])
    expect(ps.map((p) => p.meta.issued)).toEqual(['2022-06-27', '2022-11-11', '2022-12-07'])
    expect(byName('opt20').meta.replaces).toBe('v9')
    expect(byName('new10').meta.replaces).toBe('opt20')
  })

  it('has every section of every domain, and each passes its schema', () => {
    for (const p of bundledProfiles()) {
      expect(Object.keys(p.settings).sort()).toEqual(Object.keys(PROFILE_SECTIONS).sort())
      expect(() => validateProfile(p)).not.toThrow()
    }
  })

  it('cites its section of domain.md on every section and rule of zones, checkpoints and tracing', () => {
    for (const p of bundledProfiles()) {
      for (const section of ['zones', 'checkpoints', 'tracing']) {
        const s = p.settings[section] as Record<string, unknown>
        const want = { zones: '§6', checkpoints: '§4', tracing: '§8' }[section]!
        expect(String(s.cite)).toContain(want)
        const rules = [
          ...((s.levels ?? []) as { cite: string }[]),
          ...((s.transitions ?? []) as { cite: string }[]),
          ...((s.classify ?? []) as { cite: string }[]),
          ...((s.clocks ?? []) as { cite: string }[]),
          ...((s.healthCode ?? []) as { cite: string }[]),
          ...((s.templates ?? []) as { cite: string }[]),
          ...(['gate', 'closeContact', 'secondaryContact'] as const)
            .filter((k) => s[k] !== undefined)
            .map((k) => s[k] as { cite: string }),
        ]
        expect(rules.length).toBeGreaterThan(2)
        for (const r of rules) expect(r.cite).toMatch(/§\d/)
      }
    }
  })

  it('says how overrides are judged: v9 a floor, opt20 and new10 national in both directions', () => {
    expect(bundledProfiles().map((p) => (p.meta.overrides as { mode: string }).mode)).toEqual([
      'floor',
      'national',
      'national',
    ])
  })

  it('holds the values of domain.md §4, §6 and §8', () => {
    const z = (n: string) => byName(n).settings.zones as Record<string, unknown>
    expect(z('v9').areaUnits).toEqual(['compound', 'village'])
    expect(z('v9').transitions).toMatchObject([
      { from: 'high', to: 'medium', cleanDays: 7, negativeRoundOnDay: 7 },
      { from: 'medium', to: 'low', startedAs: 'high', cleanDays: 3 },
      { from: 'medium', to: 'low', startedAs: 'medium', cleanDays: 7, negativeRoundOnDay: 7 },
    ])
    expect((z('opt20').levels as { level: string }[]).map((l) => l.level)).toEqual(['high', 'low'])
    expect(z('opt20').transitions).toMatchObject([
      { from: 'high', to: 'lifted', cleanDays: 5, negativeRoundOnDay: 5 },
    ])
    expect(z('new10').forbiddenUnits).toEqual(['compound', 'community', 'street'])
    expect(z('new10').transitions).toMatchObject([
      { cleanDays: 5, negativeRoundOnDay: null, promptly: true },
    ])
    const c = (n: string) => byName(n).settings.checkpoints as Record<string, unknown>
    expect(c('v9').itineraryWindowDays).toBe(7)
    expect((c('v9').classify as { origin: string }[]).map((r) => r.origin)).toContain(
      'low_risk_area_in_risk_county',
    )
    expect((c('opt20').classify as { origin: string }[]).map((r) => r.origin)).toEqual([
      'high_risk_area',
      'overseas',
      'hk_macau_taiwan',
    ])
    expect(c('new10').classify).toEqual([])
    const t = (n: string) => byName(n).settings.tracing as Record<string, unknown>
    expect((t('v9').clocks as { hours: number }[]).map((x) => x.hours)).toEqual([2, 4, 24, 24])
    expect(t('v9').closeContact).toMatchObject({ lookBackDays: 4, asymptomaticFrom: 'sample' })
    expect(t('opt20').secondaryContact).toMatchObject({ identified: false })
  })
})

describe('a profile that fails validation', () => {
  const broken = (edit: (p: ProfileDocument) => void): ProfileDocument => {
    const p = structuredClone(byName('v9'))
    edit(p)
    return p
  }
  const refusal = (p: ProfileDocument): AppError => {
    try {
      validateProfile(p)
    } catch (err) {
      if (err instanceof AppError) return err
      throw err
    }
    throw new Error('accepted')
  }

  it('is refused with the path of the bad field', () => {
    const e = refusal(
      broken((p) => {
        ;(p.settings.zones as { transitions: { cleanDays: unknown }[] }).transitions[1]!.cleanDays =
          'three'
      }),
    )
    expect(e.status).toBe(400)
    expect(e.code).toBe('POLICY_PROFILE_INVALID')
    expect(e.field).toBe('profile.zones.transitions.1.cleanDays')
    expect(e.params).toMatchObject({
      profile: 'v9',
      section: 'zones',
      path: 'transitions.1.cleanDays',
    })
  })

  it('names a level the profile does not have, a rule twice, and a bad head', () => {
    expect(
      refusal(
        broken((p) => {
          ;(p.settings.zones as { levels: unknown[] }).levels.splice(1, 1) // no medium level
        }),
      ).field,
    ).toBe('profile.zones.transitions.0.to')
    expect(
      refusal(
        broken((p) => {
          const c = p.settings.checkpoints as { classify: unknown[] }
          c.classify.push(c.classify[0])
        }),
      ).field,
    ).toBe('profile.checkpoints.classify.5.origin')
    expect(
      refusal(
        broken((p) => {
          p.meta.overrides = { mode: 'loose', cite: 'x' }
        }),
      ).field,
    ).toBe('profile.overrides.mode')
    expect(
      refusal(
        broken((p) => {
          ;(
            p.settings.measures as { categories: Record<string, { phases: { days: number }[] }> }
          ).categories.close_contact!.phases[0]!.days = 0
        }),
      ).field,
    ).toBe('profile.measures.categories.close_contact.phases.0.days')
  })
})
