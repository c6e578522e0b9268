import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { zonesSection } from './zones.profile.js'

const read = (profile: string): unknown =>
  JSON.parse(
    fs.readFileSync(new URL(`../policy/profiles/${profile}/zones.json`, import.meta.url), 'utf8'),
  ) as unknown

describe('the bundled zones sections', () => {
  it.each(['v9', 'opt20', 'new10'])(
    '%s parses, and its naming and drawing rules cite §6',
    (name) => {
      const parsed = zonesSection.safeParse(read(name))
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
      expect(parsed.data!.levelNames.cite).toMatch(/§6/)
      expect(parsed.data!.smallerUnits.cite).toMatch(/§6/)
    },
  )

  it('names v9 levels by risk and the later ones by measure; only v9 draws below its units', () => {
    const s = (name: string) => zonesSection.parse(read(name))
    expect(['v9', 'opt20', 'new10'].map((n) => s(n).levelNames.by)).toEqual([
      'risk',
      'measure',
      'measure',
    ])
    expect(['v9', 'opt20', 'new10'].map((n) => s(n).smallerUnits.allowed)).toEqual([
      true,
      false,
      false,
    ])
  })

  it('reads a section stored before the naming and drawing rules as by risk, at its units only', () => {
    const old = structuredClone(read('v9')) as Record<string, unknown>
    delete old.levelNames
    delete old.smallerUnits
    const s = zonesSection.parse(old)
    expect(s.levelNames.by).toBe('risk')
    expect(s.smallerUnits.allowed).toBe(false)
  })
})
