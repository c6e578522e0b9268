import { deploymentZone } from '../core/clock.js'
import { readTime, TUBE_CODE } from './testing.rules.js'
import type { ResultIn, ResultProblem, ResultRowCode, TubeResult } from './results.schema.js'

/** Pure decisions of lab results: what a result word means and what one row of a lab's file does. */

/** The words labs write (domain.md §5), Chinese and English, lower-cased and without spaces. */
const RESULT_WORDS: Record<string, TubeResult> = {
  negative: 'negative',
  neg: 'negative',
  notdetected: 'negative',
  阴性: 'negative',
  未检出: 'negative',
  '-': 'negative',
  positive: 'positive',
  pos: 'positive',
  detected: 'positive',
  阳性: 'positive',
  检出: 'positive',
  '+': 'positive',
  abnormal: 'abnormal',
  singlegenepositive: 'abnormal',
  greyzone: 'abnormal',
  grayzone: 'abnormal',
  inconclusive: 'abnormal',
  异常: 'abnormal',
  单基因阳性: 'abnormal',
  灰区: 'abnormal',
  可疑: 'abnormal',
  待复核: 'abnormal',
  invalid: 'invalid',
  unqualified: 'invalid',
  rejected: 'invalid',
  无效: 'invalid',
  不合格: 'invalid',
  样本不合格: 'invalid',
}

/** How much a result asks of the tube's people (从严: the higher holds). */
export const STRICTNESS: Record<TubeResult, number> = {
  negative: 0,
  invalid: 1,
  abnormal: 2,
  positive: 3,
}

export function readResultWord(raw: string): TubeResult | undefined {
  // NFKC: full-width letters and signs from a spreadsheet read like their ASCII forms.
  const word = raw.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
  // Own keys only: "constructor" or "toString" from a lab's file is not a result.
  return Object.hasOwn(RESULT_WORDS, word) ? RESULT_WORDS[word] : undefined
}

export interface RowReason {
  code: ResultRowCode
  field: ResultProblem['field']
  params?: Record<string, string | number>
}

/** A Ct value as a lab writes it: a number 0–50, or empty / a dash / "N/A" for none; undefined if unreadable. */
export function readCt(raw: number | string | null | undefined): number | null | undefined {
  if (raw === null || raw === undefined) return null
  if (typeof raw === 'number')
    return Number.isFinite(raw) && raw >= 0 && raw <= 50 ? raw : undefined
  const s = raw.normalize('NFKC').trim()
  if (s === '' || /^(-+|—+|n\/?a|无|未检出|undetermined|ud)$/i.test(s)) return null
  if (!/^\d{1,2}(\.\d{1,3})?$/.test(s)) return undefined
  const n = Number(s)
  return n <= 50 ? n : undefined
}

export interface Cts {
  ctN: number | null
  ctOrf1ab: number | null
}

export type RowDecision =
  | { kind: 'rejected'; reason: RowReason }
  | { kind: 'duplicate'; result: TubeResult }
  /** A less strict result than the one held: the held one stays until a person resolves it. */
  | { kind: 'conflict'; result: TubeResult; held: TubeResult; reason: RowReason }
  /**
   * Applied. `disputes`: the result it replaces without a retest mark (a positive after a
   * negative): the stricter one applies at once and a conflict stays open for a person.
   */
  | { kind: 'apply'; result: TubeResult; resultedAt: Date; cts: Cts; disputes?: TubeResult }

/**
 * What one row does to its tube. `held` is the result the tube holds now (an earlier row of the
 * same file counts); `known` says whether the tube exists for this sender (a tube outside a
 * hand uploader's scope reads exactly like an unknown one).
 */
export function judgeResultRow(
  row: ResultIn,
  tube: { known: boolean; held: TubeResult | null },
  now: Date,
): RowDecision {
  const result = readResultWord(row.result)
  if (!result)
    return {
      kind: 'rejected',
      reason: {
        code: 'RESULT_WORD_UNKNOWN',
        field: 'result',
        params: { value: row.result.slice(0, 40) },
      },
    }
  if (!tube.known)
    return {
      kind: 'rejected',
      reason: {
        code: TUBE_CODE.test(row.tubeCode.trim())
          ? 'RESULT_TUBE_UNKNOWN'
          : 'RESULT_NOT_A_TUBE_CODE',
        field: 'tubeCode',
      },
    }
  const resultedAt = row.resultedAt ? readTime(row.resultedAt) : now
  if (!resultedAt)
    return { kind: 'rejected', reason: { code: 'RESULT_TIME_INVALID', field: 'resultedAt' } }
  const ctN = readCt(row.ctN)
  const ctOrf1ab = readCt(row.ctOrf1ab)
  for (const [field, v] of [
    ['ctN', ctN],
    ['ctOrf1ab', ctOrf1ab],
  ] as const)
    if (v === undefined)
      return {
        kind: 'rejected',
        reason: {
          code: 'RESULT_CT_INVALID',
          field,
          params: { value: String(row[field]).slice(0, 20) },
        },
      }
  const cts: Cts = { ctN: ctN ?? null, ctOrf1ab: ctOrf1ab ?? null }
  const retest = row.retest ?? false
  const held = tube.held
  if (held === null) return { kind: 'apply', result, resultedAt, cts }
  if (held === result) return { kind: 'duplicate', result }
  if (STRICTNESS[result] > STRICTNESS[held])
    // 从严: the stricter result holds at once; without a retest mark a person still looks at it.
    return retest
      ? { kind: 'apply', result, resultedAt, cts }
      : { kind: 'apply', result, resultedAt, cts, disputes: held }
  return {
    kind: 'conflict',
    result,
    held,
    reason: {
      code: retest ? 'RESULT_CONFLICT_LESS_STRICT' : 'RESULT_CONFLICT_NOT_RETEST',
      field: 'result',
      params: { held, incoming: result },
    },
  }
}

/** A time as alerts show it, in the deployment's zone: "12-02 14:30" (the same in both languages). */
export function localClock(at: Date, zone: string = deploymentZone()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

/* ------------------------------------------------------------------ what a result file's alerts say */

/** One person of a grouped alert: name and household (an address, never an ID number), tube, due time (ISO), assignee. */
export type AlertPerson = Record<string, string | number | null>

/** How many people and tubes an alert's text names; expanding it lists them all. */
export const NAMES_PER_ALERT = 20
const TUBES_PER_ALERT = 10

const str = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v)

/** 张三（3栋1单元201）: how an alert names a person. */
export function personLabel(p: AlertPerson): string {
  const name = str(p.name) ?? '—'
  const household = str(p.household)
  return household ? `${name}（${household}）` : name
}

const listOf = (values: readonly string[], max: number): string =>
  values.slice(0, max).join('、') + (values.length > max ? '…' : '')

const earliest = (items: readonly AlertPerson[], field: string): string => {
  const times = items.flatMap((i) => {
    const v = str(i[field])
    return v ? [new Date(v).getTime()] : []
  })
  return times.length ? localClock(new Date(Math.min(...times))) : '—'
}

/**
 * The text of a grid's recheck alert for one result file: one tube reads as before (管 T-1 …),
 * several name their count and codes; both name the people, the earliest deadline and the assignees.
 */
export function recheckAlertText(
  items: readonly AlertPerson[],
  invalid: boolean,
): {
  code:
    | 'ALERT_POOL_POSITIVE_CONTROL'
    | 'ALERT_RESWAB'
    | 'ALERT_POOL_POSITIVE_GROUP'
    | 'ALERT_RESWAB_GROUP'
  params: Record<string, string | number>
} {
  const tubes = [...new Set(items.flatMap((i) => (str(i.tube) ? [String(i.tube)] : [])))]
  const assignees = [
    ...new Set(items.flatMap((i) => (str(i.assignee) ? [String(i.assignee)] : []))),
  ]
  const common = {
    people: items.length,
    names: listOf(items.map(personLabel), NAMES_PER_ALERT),
    more: Math.max(0, items.length - NAMES_PER_ALERT),
    deadline: earliest(items, 'deadline'),
    assignee: assignees.join('、') || '—',
  }
  if (tubes.length <= 1)
    return {
      code: invalid ? 'ALERT_RESWAB' : 'ALERT_POOL_POSITIVE_CONTROL',
      params: { tube: tubes[0] ?? '—', ...common },
    }
  return {
    code: invalid ? 'ALERT_RESWAB_GROUP' : 'ALERT_POOL_POSITIVE_GROUP',
    params: { tubes: tubes.length, tubeList: listOf(tubes, TUBES_PER_ALERT), ...common },
  }
}

/** The text of a grid's screening-positive alert for one result file: one person as before, several by count and names. */
export function screeningAlertText(items: readonly AlertPerson[]): {
  code: 'ALERT_SCREENING_POSITIVE' | 'ALERT_SCREENING_POSITIVE_GROUP'
  params: Record<string, string | number>
} {
  const first = items[0] ?? {}
  if (items.length <= 1)
    return {
      code: 'ALERT_SCREENING_POSITIVE',
      params: {
        name: str(first.name) ?? '—',
        household: str(first.household) ?? '—',
        tube: str(first.tube) ?? '—',
        due: earliest(items, 'deadline'),
      },
    }
  return {
    code: 'ALERT_SCREENING_POSITIVE_GROUP',
    params: {
      people: items.length,
      names: listOf(
        items.map((i) => `${personLabel(i)} ${str(i.tube) ?? ''}`.trim()),
        NAMES_PER_ALERT,
      ),
      due: earliest(items, 'deadline'),
    },
  }
}
