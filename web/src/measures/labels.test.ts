import { describe, expect, it } from 'vitest'
import i18n from '../i18n'
import { overrideText, ruleText, slotsText } from './labels'
import type { CategoryRule, OverrideOut } from './api'
import { localDayText } from './days'

const zh = i18n.getFixedT('zh-CN')
const en = i18n.getFixedT('en')

const override = (path: string, value: unknown, national: unknown): OverrideOut => ({
  path,
  value,
  national,
  reason: '本市规定',
  flag: 'stricter',
  by: 'admin',
  at: '2026-12-01T08:00:00+08:00',
})
const phases = [{ kind: 'centralized_isolation' }, { kind: 'home_health_monitoring' }]

describe('measure texts a person reads', () => {
  it('an override says the local value, that it is local, and the national one', () => {
    const o = override('categories.close_contact.phases.0.days', 7, 5)
    expect(overrideText(o, 'close_contact', phases, zh)).toBe(
      '集中隔离：7 天，本地规定，国家为 5 天',
    )
    expect(overrideText(o, 'close_contact', phases, en)).toBe(
      'Centralized isolation: 7 days, local rule; national 5 days',
    )
    expect(
      overrideText(
        override('categories.close_contact.phases.1.testDays', [1, 3], [3]),
        'close_contact',
        phases,
        zh,
      ),
    ).toBe('居家健康监测：第 1、3 天，本地规定，国家为 第 3 天')
    expect(
      overrideText(override('categories.infected.releaseCt', 37, 35), 'infected', [], zh),
    ).toBe('感染者：Ct ≥ 37，本地规定，国家为 Ct ≥ 35')
  })

  it('a rule reads as its phases with their test days', () => {
    const rule = {
      category: 'close_contact',
      hasHomePhase: false,
      fillUp: false,
      endCondition: 'duration',
      phases: [
        { kind: 'centralized_isolation', days: 7, testDays: [1, 2, 3, 5, 7] },
        { kind: 'home_health_monitoring', days: 3, testDays: [3] },
      ],
      overrides: [],
    } satisfies CategoryRule
    expect(ruleText(rule, zh)).toBe(
      '集中隔离 7 天（第 1、2、3、5、7 天检测） → 居家健康监测 3 天（第 3 天检测）',
    )
  })

  it('slots and local days', () => {
    expect(slotsText(['am', 'pm'], zh)).toBe('上午、下午')
    // A plain date is that day in Shanghai, whatever the zone of the machine.
    expect(localDayText('2026-12-31', 'zh-CN')).toBe('2026年12月31日')
    expect(localDayText('2026-12-31', 'zh-CN', true)).toBe('12月31日')
    expect(localDayText('2026-12-31T16:30:00Z', 'zh-CN')).toBe('2027年1月1日')
    expect(localDayText(null, 'zh-CN')).toBe('—')
  })
})
