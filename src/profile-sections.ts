/**
 * Every domain's section of a policy profile, composed in one place as src/permissions.ts
 * composes policies: the zod schema a section must pass (a bundled profile at start, an
 * override before it is stored) and how an override of it is judged stricter or looser than
 * national (docs/POLICY.md). Nothing here runs at import: app.ts and boot.ts call
 * installProfileSections(); policy itself imports no domain.
 *
 * A new domain adds `<domain>: { schema, strictness }` to PROFILE_SECTIONS.
 */
import { installSectionSpecs, type SectionSpec } from './policy/policy.service.js'
import type { StrictnessRule } from './policy/policy.rules.js'
import { testingProfile } from './testing/testing.rules.js'
import { measuresSection } from './measures/measures.profile.js'
import { zonesSection, zonesStrictness } from './zones/zones.profile.js'
import { checkpointsSection, checkpointsStrictness } from './policy/sections/checkpoints.profile.js'
import { tracingSection, tracingStrictness } from './policy/sections/tracing.profile.js'

/** §5: shorter clocks, smaller pools, more frequent routine tests and fewer excuses are stricter. */
const testingStrictness: StrictnessRule[] = [
  { match: '**.defaultPoolSize', stricter: 'lower' },
  { match: '**.*PoolSize', stricter: 'lower' },
  { match: 'turnaroundHours.*', stricter: 'lower' },
  { match: '**.*Hours', stricter: 'lower' },
  { match: 'routineFrequencyDays.*', stricter: 'lower' },
  { match: 'missedReasons.*.excludes', stricter: 'false' },
  { match: '**.infantMonths', stricter: 'lower' },
  { match: '**.infantAgeMonths', stricter: 'lower' },
]

/** §7: longer phases, more test days, a higher release Ct and no credit for days served are stricter. */
const measuresStrictness: StrictnessRule[] = [
  { match: 'categories.*.phases.*.days', stricter: 'higher' },
  { match: 'categories.*.phases.*.testDays', stricter: 'more' },
  { match: 'categories.*.releaseCt', stricter: 'higher' },
  { match: 'categories.*.releaseTests', stricter: 'higher' },
  { match: 'categories.*.testsWithin.count', stricter: 'higher' },
  { match: 'categories.*.testsWithin.days', stricter: 'lower' },
  { match: 'categories.*.testsWithin.minHoursApart', stricter: 'higher' },
  { match: 'categories.*.fillUp', stricter: 'false' },
  { match: 'checkinsPerDay', stricter: 'higher' },
  { match: '**.*Hours', stricter: 'lower' },
]

export const PROFILE_SECTIONS = {
  testing: { schema: testingProfile, strictness: testingStrictness },
  measures: { schema: measuresSection, strictness: measuresStrictness },
  zones: { schema: zonesSection, strictness: zonesStrictness },
  checkpoints: { schema: checkpointsSection, strictness: checkpointsStrictness },
  tracing: { schema: tracingSection, strictness: tracingStrictness },
} as const satisfies Record<string, SectionSpec>

export type ProfileSectionName = keyof typeof PROFILE_SECTIONS

/** Installs every section schema (idempotent): app.ts, boot.ts and the tests. */
export function installProfileSections(): void {
  installSectionSpecs(PROFILE_SECTIONS)
}
