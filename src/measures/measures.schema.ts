import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'
import { END_CONDITIONS, MEASURE_CATEGORIES, PHASE_KINDS } from './measures.profile.js'

/**
 * The measures contract (issue 10 item 2, domain.md §7): starting a measure on a person, their
 * timeline, the per-grid boards, check-ins, release and cancel, the two print notices and the
 * home page's indicators. The web app types its client (web/src/measures/api.ts) from here with
 * `import type`. Local dates are 'YYYY-MM-DD' in the deployment's zone (src/core/clock.ts).
 */

export { MEASURE_CATEGORIES, PHASE_KINDS }
export const MEASURE_STATUSES = ['active', 'released', 'ended', 'cancelled'] as const
export const MEASURE_SOURCES = ['manual', 'pool_positive', 'arrival', 'zone'] as const
export const CHECKIN_SLOTS = ['am', 'pm'] as const
export const REPORTER_ROLES = ['worker', 'resident'] as const
/** What a check-in may report besides the temperature (codes; labels SYMPTOM_<code>). */
export const SYMPTOMS = [
  'fever',
  'cough',
  'sore_throat',
  'fatigue',
  'loss_of_taste_smell',
  'diarrhea',
  'shortness_of_breath',
  'muscle_pain',
  'runny_nose',
  'other',
] as const
/** The boards of a community or grid. */
export const MEASURE_LISTS = ['active', 'test_due', 'release_due', 'checkin_missing'] as const
/** A test day's state in a timeline: done (swabbed that day), missed (past, not swabbed), due (today), planned (later). */
export const TEST_DAY_STATES = ['done', 'missed', 'due', 'planned'] as const
export const NOTICE_KINDS = ['start', 'release'] as const
/** Why a measure is no longer active (measure.end_reason). */
/** ZONE_*: the risk area a zone measure came from was lowered (or raised) or lifted. */
export const END_REASONS = [
  'RELEASED',
  'NEGATIVE_RECHECK',
  'CANCELLED_MISTAKE',
  'ZONE_LEVEL_CHANGED',
  'ZONE_LIFTED',
  /** A merged walk-in and the resident they turned out to be were both under it: the other one was kept. */
  'MERGED_DUPLICATE',
] as const
/** Where temperatures must lie to be recorded at all (°C); outside is a mistyped reading. */
export const TEMPERATURE_MIN = 34
export const TEMPERATURE_MAX = 43

export const measureCategory = z.enum(MEASURE_CATEGORIES)
export const phaseKind = z.enum(PHASE_KINDS)
export const measureStatus = z.enum(MEASURE_STATUSES)
export const checkinSlot = z.enum(CHECKIN_SLOTS)

const params = z.record(z.string(), z.union([z.string(), z.number()]))
/** A reason or a problem as data: a catalogue code and its params. */
export const codeOut = z.object({ code: z.string(), params: params.optional() })

/** A local override that changed the measure's rule ("7 天，本地规定，国家为 5 天"), as data. */
export const overrideOut = z.object({
  /** Dot path within the measures section: 'categories.close_contact.phases.0.days'. */
  path: z.string(),
  value: z.unknown(),
  national: z.unknown(),
  reason: z.string(),
  flag: z.enum(['below_floor', 'stricter']).nullable(),
  by: z.string(),
  at: z.string(),
})
export type OverrideOut = z.infer<typeof overrideOut>

export const idParams = z.object({ id: z.string().uuid() })
export const residentParams = z.object({ residentId: z.string().uuid() })

// Start

/** The categories the profile in force identifies, with their phases (the start form). */
export const categoriesOut = z.object({
  profile: z.string(),
  checkinsPerDay: z.number(),
  items: z.array(
    z.object({
      category: measureCategory,
      /** A phase is home isolation: the form asks the four home facts. */
      hasHomePhase: z.boolean(),
      fillUp: z.boolean(),
      endCondition: z.enum(END_CONDITIONS),
      phases: z.array(
        z.object({ kind: phaseKind, days: z.number().nullable(), testDays: z.array(z.number()) }),
      ),
      overrides: z.array(overrideOut),
    }),
  ),
})
export type CategoriesOut = z.infer<typeof categoriesOut>

/** What the home offers (home isolation needs all of it, domain.md §7). */
export const homeFactsIn = z
  .object({
    singleRoom: z.boolean(),
    ownBathroom: z.boolean(),
    sharedCentralAir: z.boolean(),
    coResidentsIsolated: z.boolean(),
  })
  .strict()
export type HomeFactsIn = z.infer<typeof homeFactsIn>

export const startMeasureIn = z
  .object({
    residentId: z.string().uuid(),
    category: measureCategory,
    /** The anchor instant: last exposure, entry, leaving the area, end of closed-loop work, first positive. */
    anchorAt: isoDateTime(),
    home: homeFactsIn.optional(),
    /** Days already spent in a low-risk place after the anchor that count toward the period (填平补齐). */
    daysAlreadyServed: z.number().int().min(0).max(60).optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
export type StartMeasureIn = z.infer<typeof startMeasureIn>

// What a measure is

export const testDayOut = z.object({
  date: z.string(),
  /** The day number counted from the anchor (day 0). */
  day: z.number(),
  state: z.enum(TEST_DAY_STATES),
})
export type TestDayOut = z.infer<typeof testDayOut>

export const phaseOut = z.object({
  kind: phaseKind,
  firstDay: z.string(),
  /** null: the phase lasts until the end condition (temporary control). */
  lastDay: z.string().nullable(),
  testDays: z.array(testDayOut),
})
export type PhaseOut = z.infer<typeof phaseOut>

/** Today's duty of a person under a measure (dutiesOn). */
export const dutiesOut = z.object({
  today: z.string(),
  dayNumber: z.number(),
  phaseKind: phaseKind.nullable(),
  testDueToday: z.boolean(),
  testDoneToday: z.boolean(),
  missedTestDays: z.array(z.string()),
  checkinsMissing: z.array(checkinSlot),
  releaseDue: z.boolean(),
  daysLeft: z.number().nullable(),
})
export type DutiesOut = z.infer<typeof dutiesOut>

export const checkinOut = z.object({
  id: z.number(),
  measureId: z.string(),
  date: z.string(),
  slot: checkinSlot,
  temperature: z.number().nullable(),
  /** At or above the fever line (37.3 °C). */
  fever: z.boolean(),
  symptoms: z.array(z.enum(SYMPTOMS)),
  reportedBy: z.string(),
  reporterRole: z.enum(REPORTER_ROLES),
  reportedAt: z.string(),
})
export type CheckinOut = z.infer<typeof checkinOut>

export const measureOut = z.object({
  id: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  /** Masked (first 6 + ******** + last 4); null when the person has no document on file. */
  idNumber: z.string().nullable(),
  /** Null for a walk-in who stays outside the registry's households (temporary control). */
  householdId: z.string().nullable(),
  householdLabel: z.string().nullable(),
  gridPath: z.string(),
  category: measureCategory,
  status: measureStatus,
  source: z.enum(MEASURE_SOURCES),
  anchorAt: z.string(),
  anchorDate: z.string(),
  /** The last day of the plan; null while it lasts until its end condition. */
  plannedEnd: z.string().nullable(),
  endCondition: z.enum(END_CONDITIONS),
  releaseCt: z.number().nullable(),
  daysCredited: z.number(),
  /** Why home isolation became centralized isolation (codes), [] if it did not. */
  homeFallback: z.array(z.string()),
  /** The profile the measure started under; it keeps that profile's rules. */
  profile: z.string(),
  /** The profile in force now. */
  profileNow: z.string(),
  /** The profile in force now is not the one the measure started under ("按开始时的方案 v9 执行"). */
  profileChanged: z.boolean(),
  /** The local overrides that changed this measure's rule. */
  overrides: z.array(overrideOut),
  note: z.string().nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  /** RELEASED, NEGATIVE_RECHECK, CANCELLED_MISTAKE … */
  endReason: z.enum(END_REASONS).nullable(),
  /** What a cancel said (free text of the person who cancelled). */
  endNote: z.string().nullable(),
})
export type MeasureOut = z.infer<typeof measureOut>

export const measureDetailOut = measureOut.extend({
  phases: z.array(phaseOut),
  testDays: z.array(testDayOut),
  /** Today's duty; null once the measure is no longer active. */
  duties: dutiesOut.nullable(),
  checkins: z.array(checkinOut),
})
export type MeasureDetailOut = z.infer<typeof measureDetailOut>

/** A person's measures, newest first (the timeline of the resident page). */
export const timelineOut = z.object({
  residentId: z.string(),
  residentName: z.string(),
  items: z.array(measureDetailOut),
})
export type TimelineOut = z.infer<typeof timelineOut>

// Boards

export const measureListQuery = z
  .object({
    list: z.enum(MEASURE_LISTS).default('active'),
    /** A community or grid (or any division) within the caller's scope; the whole scope if absent. */
    divisionId: z.string().uuid().optional(),
    category: measureCategory.optional(),
    /** Keyset cursor of the previous page's `next`. */
    after: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type MeasureListQuery = z.infer<typeof measureListQuery>

/** One row of a board: in walking order (building, unit, room), names shown, ID numbers masked. */
export const measureListItem = z.object({
  id: z.string(),
  residentId: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  householdLabel: z.string().nullable(),
  /** The building's code and name, to group the board by building. */
  buildingId: z.string().nullable(),
  buildingLabel: z.string().nullable(),
  category: measureCategory,
  anchorDate: z.string(),
  plannedEnd: z.string().nullable(),
  dayNumber: z.number(),
  daysLeft: z.number().nullable(),
  testDueToday: z.boolean(),
  testDoneToday: z.boolean(),
  releaseDue: z.boolean(),
  checkinsMissing: z.array(checkinSlot),
  profile: z.string(),
})
export type MeasureListItem = z.infer<typeof measureListItem>
export const measurePage = z.object({
  today: z.string(),
  items: z.array(measureListItem),
  next: z.string().nullable(),
})
export type MeasurePage = z.infer<typeof measurePage>

// Check-ins

export const checkinIn = z
  .object({
    /** Degrees Celsius, one decimal; 34.0–43.0 (outside is refused on `temperature`). */
    temperature: z.number(),
    symptoms: z.array(z.enum(SYMPTOMS)).max(SYMPTOMS.length).default([]),
    /** The slot; by default the current one in the deployment's zone (before 12:00 am, after pm). */
    slot: checkinSlot.optional(),
  })
  .strict()
export type CheckinIn = z.infer<typeof checkinIn>
export const checkinResult = z.object({
  checkin: checkinOut,
  /** A reading of the same measure, day and slot existed and was replaced. */
  replaced: z.boolean(),
})
export type CheckinResult = z.infer<typeof checkinResult>

// Release and cancel

/** The checks a release must pass, each failure a code (RELEASE_TEST_MISSING, RELEASE_SYMPTOMS …). */
export const releaseChecksOut = z.object({
  measureId: z.string(),
  ok: z.boolean(),
  problems: z.array(codeOut),
})
export type ReleaseChecksOut = z.infer<typeof releaseChecksOut>
export const releaseIn = z.object({ note: z.string().trim().max(200).optional() }).strict()
export type ReleaseIn = z.infer<typeof releaseIn>
export const cancelIn = z.object({ reason: z.string().trim().min(2).max(200) }).strict()
export type CancelIn = z.infer<typeof cancelIn>

// Notices (告知书 at the start, 解除通知书 at release)

export const noticeQuery = z
  .object({
    kind: z.enum(NOTICE_KINDS),
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict()
export type NoticeQuery = z.infer<typeof noticeQuery>

/** What a print page prints, its words already in the requester's language. */
export const noticeOut = z.object({
  kind: z.enum(NOTICE_KINDS),
  lang: z.enum(['zh-CN', 'en']),
  /** 隔离管控告知书 / 解除隔离管控通知书 */
  title: z.string(),
  measureId: z.string(),
  person: z.object({
    name: z.string(),
    /** Masked. */
    idNumber: z.string().nullable(),
    address: z.string().nullable(),
  }),
  category: measureCategory,
  categoryLabel: z.string(),
  anchorDate: z.string(),
  plannedEnd: z.string().nullable(),
  phases: z.array(
    z.object({
      kind: phaseKind,
      label: z.string(),
      firstDay: z.string(),
      lastDay: z.string().nullable(),
    }),
  ),
  testDays: z.array(z.string()),
  /** What the person must do, one sentence each. */
  duties: z.array(z.string()),
  /** The overrides that changed the rule, each as a sentence ("7 天，本地规定，国家为 5 天"). */
  overrides: z.array(z.string()),
  /** The issuing community (or grid when the person has no community above). */
  issuer: z.string(),
  profile: z.object({ name: z.string(), title: z.string() }),
  issuedAt: z.string(),
  /** The release: when and by whom (release notices only). */
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
})
export type NoticeOut = z.infer<typeof noticeOut>

// Indicators (home page)

export const indicatorsQuery = z.object({ divisionId: z.string().uuid().optional() }).strict()
export const indicatorsOut = z.object({
  today: z.string(),
  /** Active measures per category (categories with none are absent). */
  byCategory: z.array(z.object({ category: measureCategory, people: z.number() })),
  /** People under a measure of their own (isolation, monitoring, temporary control…), not a risk area's. */
  people: z.number(),
  /** People under a risk area's measure (封控 / 管控 / 防范), counted apart from `people`. */
  zone: z.object({ sealed: z.number(), controlled: z.number(), precaution: z.number() }),
  testsDueToday: z.number(),
  testsDoneToday: z.number(),
  releasesDue: z.number(),
  /** People with a check-in slot of today not reported yet (the pm slot counts from 12:00). */
  checkinsMissing: z.number(),
  temporaryControl: z.number(),
  /**
   * The clocks of the temporarily controlled: people whose door-to-door single-tube recheck is not
   * swabbed yet, how many of them are past its deadline, how many fall due within `dueSoonHours`,
   * and the nearest deadline still ahead.
   */
  recheck: z.object({
    open: z.number(),
    overdue: z.number(),
    dueSoon: z.number(),
    dueSoonHours: z.number(),
    nextDeadline: z.string().nullable(),
  }),
})
export type IndicatorsOut = z.infer<typeof indicatorsOut>
