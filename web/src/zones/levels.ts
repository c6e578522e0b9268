import { useCallback } from 'react'
import type { MessageParams } from '../../../src/core/i18n/messages.js'
import { useMessageText } from '../lib/apiError'
import type { AreaSummaryOut, ZoneLevel } from './api'

/** Each level's colour, dark enough for white text (WCAG AA 4.5:1); lifted areas grey. */
export const LEVEL_COLOUR: Record<ZoneLevel | 'lifted', string> = {
  high: '#cf1322',
  medium: '#ad4e00',
  low: '#0958d9',
  lifted: '#595959',
}

export const colourOf = (a: Pick<AreaSummaryOut, 'level' | 'status'>): string =>
  a.status === 'lifted' ? LEVEL_COLOUR.lifted : LEVEL_COLOUR[a.level]

/** `const z = useZoneText()`; `z('ZONE_UI_TITLE')`: a zones catalogue text in the UI language. */
export function useZoneText(): (code: string, params?: MessageParams) => string {
  const text = useMessageText()
  return useCallback((code: string, params?: MessageParams) => text(code, params) ?? '', [text])
}

/** A part of an area as a person reads it (a floor: its building and floor number). */
export function extentText(
  z: (code: string, params?: MessageParams) => string,
  e: { kind: string; label: string; floor: number | null },
): string {
  return e.kind === 'floor' && e.floor !== null
    ? z('ZONE_EXTENT_FLOOR', { label: e.label, floor: e.floor })
    : e.label
}

/** "第 3 天 · 还需 4 天" / "已满足降级条件": an area's countdown in one line. */
export function countdownText(
  z: (code: string, params?: MessageParams) => string,
  a: Pick<AreaSummaryOut, 'countdown' | 'status'>,
): string {
  const c = a.countdown
  if (a.status === 'lifted' || !c) return z('ZONE_LIFTED')
  if (c.eligible) return z(c.next === 'lifted' ? 'ZONE_UI_ELIGIBLE_LIFT' : 'ZONE_UI_ELIGIBLE_LOWER')
  const day = z('ZONE_UI_DAY', { n: c.cleanDays })
  return c.daysLeft === null || c.daysLeft === 0
    ? day
    : `${day} · ${z('ZONE_UI_DAYS_LEFT', { n: c.daysLeft })}`
}
