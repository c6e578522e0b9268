/** Masking of personal identifiers (domain.md §15). */
import { compactIdentifier } from './identifiers.js'

/** `110105********002X`: first 6 and last 4 kept; shorter documents keep their last 4 only. */
export function maskIdNumber(value: string): string {
  if (value.length >= 15) return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4)
  if (value.length <= 4) return '*'.repeat(value.length)
  return '*'.repeat(value.length - 4) + value.slice(-4)
}

/**
 * `138****1234` for an 11-digit mobile, `0571-****4321` for a landline (its extension left
 * out), `+852****4567` for a Hong Kong / Macau / Taiwan number; other values keep the last 4.
 */
export function maskPhone(value: string): string {
  if (value.length === 11) return value.slice(0, 3) + '****' + value.slice(-4)
  const landline = /^(0\d{2,3})-(\d{7,8})(?:-\d+)?$/.exec(value)
  if (landline)
    return `${landline[1]}-${'*'.repeat(landline[2]!.length - 4)}${landline[2]!.slice(-4)}`
  const intl = /^(\+85[23]|\+886)(\d{8,9})$/.exec(value)
  if (intl) return intl[1]! + '*'.repeat(intl[2]!.length - 4) + intl[2]!.slice(-4)
  if (value.length <= 4) return '*'.repeat(value.length)
  return '*'.repeat(value.length - 4) + value.slice(-4)
}

/**
 * A search term as the audit log may keep it: full mobiles and ID numbers masked the usual
 * way, any other run of five or more digits (a partial ID, a passport) cut to its last four.
 * `kind` says what was masked, so a blind index can be stored beside it for correlation.
 */
export function maskSearchTerm(q: string): { masked: string; kind: 'phone' | 'id' | null } {
  const id = compactIdentifier(q)
  if (/^1[3-9]\d{9}$/.test(id)) return { masked: maskPhone(id), kind: 'phone' }
  if (/^\d{17}[\dXx]$/.test(id) || /^\d{15}$/.test(id))
    return { masked: maskIdNumber(id.toUpperCase()), kind: 'id' }
  const s = q.trim().normalize('NFKC')
  return {
    masked: s.replace(/[A-Za-z]?\d{5,}[Xx]?/g, (run) => '*'.repeat(run.length - 4) + run.slice(-4)),
    kind: null,
  }
}

/** 张三 → 张*, 欧阳娜娜 → 欧**娜: enough for a scanner or gate staff to check the person in front of them. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  if (chars.length === 2) return chars[0] + '*'
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}
