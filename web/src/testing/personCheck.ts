/**
 * What the sampling screen says about a scanned person before the tube (POST
 * /rounds/:id/person-check): the banner's tone and lines, and whether the person must go into a
 * single tube. Pure, so the wording rules are tested without a browser (test/sampling-screen.test.ts).
 */
import type { z } from 'zod'
import type { personCheckOut } from '../../../src/testing/personcheck.schema.js'

export type PersonCheck = z.infer<typeof personCheckOut>

/** Where the look-up of the last scanned person stands. */
export type CheckState =
  | { kind: 'checking' }
  | { kind: 'checked'; result: PersonCheck }
  /** No answer (no network, a timeout, a server error): the scan still queues; the server decides at ingest. */
  | { kind: 'unverified' }
  /** Refused with a reason the sampler can act on (not found in my area, a broken ID number). */
  | { kind: 'refused'; message: string }

export interface Banner {
  type: 'error' | 'warning' | 'success' | 'info'
  lines: string[]
  /** The person must go into a single tube, never the open pool. */
  singleTube: boolean
}

type T = (key: string, params?: Record<string, string | number>) => string

/** The banner for a check, in the UI language: `t` renders catalogue keys, `when` a deadline. */
export function bannerOf(state: CheckState, t: T, when: (iso: string) => string): Banner {
  if (state.kind === 'checking')
    return { type: 'info', lines: [t('sampling.check.checking')], singleTube: false }
  if (state.kind === 'unverified')
    return {
      type: 'warning',
      lines: [t('sampling.check.offline'), t('sampling.check.offlineHint')],
      singleTube: false,
    }
  if (state.kind === 'refused')
    return { type: 'warning', lines: [state.message], singleTube: false }
  const c = state.result.control
  const lines: string[] = []
  if (c.positive) lines.push(t('sampling.check.positive'))
  if (c.temporaryControl) {
    const d = c.temporaryControl.deadline
    lines.push(
      !d
        ? t('sampling.check.temporaryNoDeadline')
        : c.temporaryControl.overdue
          ? t('sampling.check.temporaryOverdue', { deadline: when(d) })
          : t('sampling.check.temporary', { deadline: when(d) }),
    )
  }
  if (c.underMeasure)
    lines.push(
      c.measures.length
        ? t('sampling.check.measureCategories', {
            categories: c.measures.map((m) => t(`measures.categories.${m}`)).join('、'),
          })
        : t('sampling.check.measure'),
    )
  if (c.pendingRecheck && !c.temporaryControl) lines.push(t('sampling.check.pendingRecheck'))
  if (!c.singleTube)
    return { type: 'success', lines: [t('sampling.check.clear')], singleTube: false }
  lines.push(t('sampling.check.singleTube'))
  return { type: 'error', lines, singleTube: true }
}
