import type { Db, Tx } from '../core/db/db.js'
import { localDate } from '../core/clock.js'
import { profileSection } from '../policy/policy.service.js'
import {
  endTemporaryControls,
  insertTemporaryControls,
  moveMeasures,
  residentsUnderMeasure,
  type ControlStart,
} from './control.repo.js'
import { measuresSection } from './measures.profile.js'
import { planMeasure, type MeasurePlan } from './measures.rules.js'

/**
 * Temporary control (临时管控, domain.md §5): a positive or abnormal pool puts every member under
 * the profile's temporary control at once, and a negative single-tube result ends it. Testing calls
 * these inside the transaction of the lab's result (the lab's token or the uploader was checked
 * there), so the control exists exactly when the result does; measures never imports testing.
 */

/** The end reason of a control lifted by a negative single tube (a catalogue code). */
export const NEGATIVE_RECHECK = 'NEGATIVE_RECHECK'

/**
 * The rule and dated plan a temporary control keeps (it lasts until its negative single tube). A
 * profile that does not name the category still controls the pool's members (domain.md §5 says a
 * positive pool always does): the plan is then the bare open-ended control.
 */
async function controlRules(
  db: Db,
  anchorDate: string,
): Promise<{
  profile: string
  rules: Record<string, unknown>
  plan: MeasurePlan
  checkinsPerDay: number
}> {
  const section = await profileSection(db, 'measures', measuresSection)
  const { profile, settings } = section
  // The local overrides in force (once the policy layer gives them; none before).
  const overrides = (section as { overrides?: { path: string }[] }).overrides
  const rule = settings.categories.temporary_control
  const planned = planMeasure(settings, 'temporary_control', { anchorDate })
  const applied = (overrides ?? []).filter((o) =>
    o.path.startsWith('categories.temporary_control.'),
  )
  const plan: MeasurePlan = planned.ok
    ? planned.plan
    : {
        category: 'temporary_control',
        anchorDate,
        phases: [{ kind: 'temporary_control', firstDay: anchorDate, lastDay: null, testDays: [] }],
        plannedEnd: null,
        testDays: [],
        endCondition: 'negative_single_tube',
        releaseCt: null,
        testsWithin: null,
        daysCredited: 0,
        homeFallback: [],
        dayZero: settings.dayZero,
        releaseTests: 1,
      }
  return {
    profile,
    rules: { category: 'temporary_control', rule: rule ?? null, overrides: applied },
    plan,
    checkinsPerDay: settings.checkinsPerDay,
  }
}

/**
 * Puts the members of positive or abnormal pools under temporary control, set-wise; someone
 * already under it is not put under it twice. Returns the people newly controlled.
 */
export async function startTemporaryControl(
  tx: Tx,
  people: readonly ControlStart[],
  opts: { at: Date; by: string },
): Promise<string[]> {
  if (people.length === 0) return []
  const anchorDate = localDate(opts.at)
  const { profile, rules, plan, checkinsPerDay } = await controlRules(tx, anchorDate)
  return insertTemporaryControls(tx, people, {
    at: opts.at,
    anchorDate,
    profileName: profile,
    rules,
    plan,
    checkinsPerDay,
    startedBy: opts.by,
  })
}

/** Ends the temporary control of people whose single tube came back negative; returns who. */
export async function endTemporaryControl(
  tx: Tx,
  residentIds: readonly string[],
  opts: { at: Date; by: string },
): Promise<string[]> {
  return endTemporaryControls(tx, residentIds, {
    at: opts.at,
    endedBy: opts.by,
    reason: NEGATIVE_RECHECK,
  })
}

/** Of these people, the active measure categories of each one under any (for the sampling desk). */
export async function measuresOf(
  db: Db,
  residentIds: readonly string[],
): Promise<Map<string, string[]>> {
  return residentsUnderMeasure(db, residentIds)
}

/**
 * A walk-in merged into a registered resident (registry's merge, inside its transaction): their
 * active measures and check-ins move to the resident; an overlapping measure of the same category
 * is kept once (the longer one) and the count says so (`measuresMerged`).
 */
export async function moveMeasuresOfMerged(
  tx: Tx,
  fromId: string,
  to: { id: string; gridPath: string },
  opts: { at: Date; by: string },
): Promise<{ measures: number; measuresMerged: number; checkins: number }> {
  return moveMeasures(tx, fromId, to, opts)
}
