import type { TFunction } from 'i18next'
import type { CategoryRule, MeasureDetailOut, OverrideOut } from './api'

type Phase = { kind: string }

/** A value of an override as a person reads it: 7 天 · 第 1、2、3 天 · Ct ≥ 35. */
function valueText(field: string, value: unknown, t: TFunction): string {
  if (field === 'days' && typeof value === 'number') return t('measures.person.days', { n: value })
  if (field === 'testDays' && Array.isArray(value))
    return t('measures.person.testDayList', { days: value.join('、') })
  if (field === 'releaseCt' && typeof value === 'number')
    return t('measures.person.ct', { ct: value })
  if (value === null || value === undefined) return '—'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value as string | number | boolean)
}

/**
 * "集中隔离：7 天，本地规定，国家为 5 天": a local override that changed a measure's rule, from its
 * dot path within the measures section ('categories.close_contact.phases.0.days').
 */
export function overrideText(
  o: OverrideOut,
  category: string,
  phases: readonly Phase[],
  t: TFunction,
): string {
  const parts = o.path.split('.')
  const field = parts[parts.length - 1] ?? ''
  const p = parts.indexOf('phases')
  const phase = p >= 0 ? phases[Number(parts[p + 1])] : undefined
  const subject = phase
    ? t(`measures.phases.${phase.kind}`)
    : t(`measures.categories.${category}`, { defaultValue: category })
  return t('measures.person.override', {
    subject,
    value: valueText(field, o.value, t),
    national: valueText(field, o.national, t),
  })
}

/** 集中隔离 7 天（第 1、2、3、5、7 天检测） → 居家健康监测 3 天（第 3 天检测）: a category's rule. */
export function ruleText(rule: CategoryRule, t: TFunction): string {
  return rule.phases
    .map((p) => {
      const name = t(`measures.phases.${p.kind}`)
      const len =
        p.days === null
          ? t('measures.person.untilCondition')
          : t('measures.person.days', { n: p.days })
      const tests = p.testDays.length
        ? `（${t('measures.person.ruleTests', { days: p.testDays.join('、') })}）`
        : ''
      return `${name} ${len}${tests}`
    })
    .join(' → ')
}

/** The slots of today without a check-in: 上午、下午. */
export function slotsText(slots: readonly string[], t: TFunction): string {
  return slots.map((s) => t(`measures.slots.${s}`)).join('、')
}

/** Whether the measure is still running (its duties are today's). */
export const isActive = (m: MeasureDetailOut): boolean => m.status === 'active'
