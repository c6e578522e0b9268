/** Client-side checks that mirror src/core/pii/identifiers.ts, so forms validate as you type. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export function idProblem(value: string): string | null {
  const s = value.trim().replace(/\s+/g, '').toUpperCase()
  if (/^\d{15}$/.test(s)) return null
  if (s.length !== 18) return 'length'
  if (!/^\d{17}[\dX]$/.test(s)) return 'chars'
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i]!
  if (CHECK[sum % 11] !== s[17]) return 'check'
  if (s.startsWith('9')) return null
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  const dt = new Date(Date.UTC(y, m - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || dt > new Date()) return 'date'
  return null
}

export function phoneProblem(value: string): string | null {
  let s = value.trim().replace(/[\s\-()]/g, '')
  if (s === '') return null
  if (s.startsWith('+86')) s = s.slice(3)
  return /^1[3-9]\d{9}$/.test(s) ? null : 'phone'
}
