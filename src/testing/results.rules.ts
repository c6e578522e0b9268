import { classifyResult, readTime, TUBE_CODE } from './testing.rules.js'
import type { ResultIn, ResultProblem, ResultRowCode, TubeResult } from './results.schema.js'

/** Pure decisions of lab results: what a result word means and what one row of a lab's file does. */

const RESULT_WORDS: Record<string, TubeResult> = {
  negative: 'negative',
  neg: 'negative',
  阴性: 'negative',
  '-': 'negative',
  positive: 'positive',
  pos: 'positive',
  阳性: 'positive',
  '+': 'positive',
  abnormal: 'abnormal',
  异常: 'abnormal',
  可疑: 'abnormal',
  待复核: 'abnormal',
}

export function readResultWord(raw: string): TubeResult | undefined {
  const word = raw.trim().toLowerCase()
  // Own keys only: "constructor" or "toString" from a lab's file is not a result.
  return Object.hasOwn(RESULT_WORDS, word) ? RESULT_WORDS[word] : undefined
}

export interface RowReason {
  code: ResultRowCode
  field: ResultProblem['field']
  params?: Record<string, string | number>
}

export type RowDecision =
  | { kind: 'rejected'; reason: RowReason }
  | { kind: 'duplicate'; result: TubeResult }
  | { kind: 'conflict'; result: TubeResult; held: TubeResult; reason: RowReason }
  | { kind: 'apply'; result: TubeResult; resultedAt: Date }

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
  const retest = row.retest ?? false
  const verdict = classifyResult(tube.held, result, retest)
  if (verdict === 'duplicate') return { kind: 'duplicate', result }
  if (verdict === 'conflict') {
    const held = tube.held!
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
  return { kind: 'apply', result, resultedAt }
}
