import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { citeInLanguage, isCitePath, pathLabel } from './pathLabels'

const PROFILES = path.resolve(import.meta.dirname, '../../../src/policy/profiles')

/** Every leaf path of every bundled profile section, as the diff names them ("testing.turnaroundHours.recheck"). */
function bundledPaths(): string[] {
  const out = new Set<string>()
  const walk = (v: unknown, at: string): void => {
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`)
    else out.add(at)
  }
  for (const profile of fs.readdirSync(PROFILES))
    for (const file of fs.readdirSync(path.join(PROFILES, profile)))
      if (file.endsWith('.json') && file !== 'profile.json')
        walk(
          JSON.parse(fs.readFileSync(path.join(PROFILES, profile, file), 'utf8')),
          file.replace('.json', ''),
        )
  return [...out]
}

describe('policy path labels', () => {
  it('labels a known path in Chinese and English, never as the raw path', () => {
    expect(pathLabel('testing.turnaroundHours.recheck', 'zh-CN')).toBe(
      '核酸检测 · 复核管出结果时限（小时）',
    )
    expect(pathLabel('testing.turnaroundHours.recheck', 'en')).toBe(
      'Testing · Recheck tube turnaround (hours)',
    )
    expect(pathLabel('measures.categories.close_contact.phases.0.days', 'zh-CN')).toBe(
      '管控措施 · 人员类别 · 密切接触者 · 阶段 · 第1项 · 天数',
    )
  })

  it('keeps an unknown key as one identifier (no English sentence) between labelled parts', () => {
    expect(pathLabel('zones.someNewRule.days', 'zh-CN')).toBe('风险区 · someNewRule · 天数')
  })

  it('names the section of every bundled profile path in Chinese, and no Chinese label is left with a space-separated English phrase', () => {
    for (const p of bundledPaths()) {
      const label = pathLabel(p, 'zh-CN')
      expect(label, p).not.toBe(p)
      expect(label, p).not.toMatch(/[A-Za-z]+ [A-Za-z]+/)
    }
  })

  it('shows a citation only in the UI language', () => {
    expect(isCitePath('testing.turnaroundHours.cite')).toBe(true)
    expect(isCitePath('testing.recheckCite')).toBe(true)
    expect(isCitePath('testing.recheckHours')).toBe(false)
    const zh = '《新型冠状病毒肺炎防控方案（第九版）》；见 domain.md §5'
    const en = '§7: the later profiles forbade stricter local rules (层层加码)'
    expect([citeInLanguage(zh, 'zh-CN'), citeInLanguage(en, 'zh-CN')]).toEqual([true, false])
    expect([citeInLanguage(zh, 'en'), citeInLanguage(en, 'en')]).toEqual([false, false])
    expect(citeInLanguage('Local practice: 6 hours', 'en')).toBe(true)
  })
})
