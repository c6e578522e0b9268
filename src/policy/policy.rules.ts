import crypto from 'node:crypto'

/**
 * Pure decisions about policy profiles: the content hash that tells a changed bundled profile,
 * dot paths into a section, whether a local override is stricter or looser than national, and the
 * field-by-field difference of two profiles.
 */

/** JSON with object keys sorted, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** The content version of a profile: sha256 of its canonical JSON, first 16 hex digits. */
export function contentHash(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)
}

/** A dot path: object keys and array indexes, 'phases.0.days'. */
export const DOT_PATH = /^[A-Za-z_][\w]*(\.(\d+|[A-Za-z_][\w]*))*$/

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** The value at a dot path, or `{ found: false }` when the path does not exist. */
export function getPath(
  root: unknown,
  path: string,
): { found: true; value: unknown } | { found: false } {
  let at: unknown = root
  for (const seg of path.split('.')) {
    if (Array.isArray(at) && /^\d+$/.test(seg) && Number(seg) < at.length) at = at[Number(seg)]
    else if (isObject(at) && Object.prototype.hasOwnProperty.call(at, seg)) at = at[seg]
    else return { found: false }
  }
  return { found: true, value: at }
}

/** A copy of `root` with the value at an existing dot path replaced. */
export function setPath(root: unknown, path: string, value: unknown): unknown {
  const [seg, ...rest] = path.split('.')
  const inner = (v: unknown): unknown => (rest.length ? setPath(v, rest.join('.'), value) : value)
  if (Array.isArray(root)) return root.map((v, i) => (String(i) === seg ? inner(v) : v))
  if (isObject(root) && seg !== undefined) return { ...root, [seg]: inner(root[seg]) }
  return root
}

/* ------------------------------------------------------------------ stricter or looser */

/**
 * How a kind of value is stricter than national: a higher number (days of isolation), a lower one
 * (hours of a clock, pool size), more items in a list (test days), fewer (forbidden units), true
 * or false (a boolean that enables a restriction).
 */
export type StrictWay = 'higher' | 'lower' | 'more' | 'fewer' | 'true' | 'false'

/**
 * `match` is a dot path of the section with `*` for one segment (or part of one: `*Days`) and
 * `**` for any number of segments; the first rule that matches decides.
 */
export interface StrictnessRule {
  match: string
  stricter: StrictWay
}

export type Direction = 'same' | 'stricter' | 'looser' | 'unknown'

function segmentRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
}

function matches(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0
  const [p, ...prest] = pattern
  if (p === '**') {
    for (let i = 0; i <= path.length; i++) if (matches(prest, path.slice(i))) return true
    return false
  }
  if (path.length === 0) return false
  return segmentRegex(p!).test(path[0]!) && matches(prest, path.slice(1))
}

export function ruleFor(
  rules: readonly StrictnessRule[],
  path: string,
): StrictnessRule | undefined {
  const segs = path.split('.')
  return rules.find((r) => matches(r.match.split('.'), segs))
}

function combine(ds: Direction[]): Direction {
  const changed = ds.filter((d) => d !== 'same')
  if (changed.length === 0) return 'same'
  if (changed.every((d) => d === changed[0])) return changed[0]!
  return 'unknown'
}

/**
 * Whether `value` at `path` is stricter or looser than `national`. Objects and arrays without a
 * rule of their own are compared member by member (all stricter → stricter; mixed → unknown).
 * A change no rule covers is 'unknown'.
 */
export function direction(
  rules: readonly StrictnessRule[],
  path: string,
  national: unknown,
  value: unknown,
): Direction {
  if (canonicalJson(national) === canonicalJson(value)) return 'same'
  const rule = ruleFor(rules, path)
  if (rule) {
    const w = rule.stricter
    if (
      (w === 'higher' || w === 'lower') &&
      typeof national === 'number' &&
      typeof value === 'number'
    )
      return value > national === (w === 'higher') ? 'stricter' : 'looser'
    // null is no limit at all (no test proof asked, no negative round needed): the loosest.
    if ((w === 'higher' || w === 'lower') && (national === null || value === null))
      return value === null ? 'looser' : 'stricter'
    if ((w === 'true' || w === 'false') && typeof value === 'boolean')
      return value === (w === 'true') ? 'stricter' : 'looser'
    if ((w === 'more' || w === 'fewer') && Array.isArray(national) && Array.isArray(value)) {
      const a = new Set(national.map(canonicalJson))
      const b = new Set(value.map(canonicalJson))
      const aInB = [...a].every((x) => b.has(x))
      const bInA = [...b].every((x) => a.has(x))
      if (aInB && !bInA) return w === 'more' ? 'stricter' : 'looser'
      if (bInA && !aInB) return w === 'more' ? 'looser' : 'stricter'
      return 'unknown'
    }
    return 'unknown'
  }
  if (isObject(national) && isObject(value)) {
    const keys = new Set([...Object.keys(national), ...Object.keys(value)])
    return combine([...keys].map((k) => direction(rules, `${path}.${k}`, national[k], value[k])))
  }
  if (Array.isArray(national) && Array.isArray(value) && national.length === value.length)
    return combine(national.map((n, i) => direction(rules, `${path}.${i}`, n, value[i])))
  return 'unknown'
}

/* ------------------------------------------------------------------ overrides */

/**
 * What the profile says of local rules (profile.json `overrides.mode`): under 'floor' (v9) the
 * national values are a floor, so a looser override needs `belowFloor`; under 'national' (opt20,
 * new10) the national values are the rule in both directions: looser needs `belowFloor`, stricter
 * needs `stricter` (层层加码 was forbidden). A change whose direction the rules cannot tell counts
 * as the direction the mode guards against (looser under 'floor', stricter under 'national').
 */
export type OverrideMode = 'floor' | 'national'
export type OverrideFlag = 'below_floor' | 'stricter'

export function overrideFlag(
  mode: OverrideMode,
  d: Direction,
): { flag: OverrideFlag | null } | { same: true } {
  if (d === 'same') return { same: true }
  if (d === 'looser') return { flag: 'below_floor' }
  if (d === 'stricter') return { flag: mode === 'national' ? 'stricter' : null }
  return { flag: mode === 'floor' ? 'below_floor' : 'stricter' }
}

/* ------------------------------------------------------------------ diff */

export interface DiffRow {
  path: string
  a: unknown
  b: unknown
}

/**
 * Every leaf where two profiles differ, as dot paths (`section.key.0.days`); a value one side lacks
 * is null there. Arrays of scalars are compared as a whole.
 */
export function diffValues(a: unknown, b: unknown, path = ''): DiffRow[] {
  if (canonicalJson(a) === canonicalJson(b)) return []
  const scalarList = (v: unknown): boolean =>
    Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return keys.flatMap((k) => diffValues(a[k] ?? null, b[k] ?? null, path ? `${path}.${k}` : k))
  }
  if (Array.isArray(a) && Array.isArray(b) && !(scalarList(a) && scalarList(b))) {
    const n = Math.max(a.length, b.length)
    return Array.from({ length: n }, (_, i) =>
      diffValues(a[i] ?? null, b[i] ?? null, path ? `${path}.${i}` : String(i)),
    ).flat()
  }
  return [{ path, a: a ?? null, b: b ?? null }]
}
