import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'
import { SPECIMEN_TYPES, testingProfile, ZONE_LEVELS } from './testing.rules.js'
import { ROUND_KINDS } from './testing.tables.js'

/**
 * The contract of the testing endpoints of rounds, sampling, codes, sites and key groups (lab
 * results, conflicts and rechecks: results.schema.ts; the missed-test list: missed.schema.ts).
 * Services take and return these types; the web app's client (web/src/testing/api.ts) too.
 */

export const ROUND_STATUSES = ['open', 'closed'] as const
export const TUBE_STATUSES = ['open', 'closed'] as const
export const TUBE_KINDS = ['pooled', 'single', 'recheck'] as const
export const SITE_KINDS = ['fixed', 'door_to_door'] as const
export const SITE_DUTIES = ['sampler', 'scanner'] as const
/**
 * `out_of_scope`: the person is outside the round. `outside_sampler_scope`: outside the scope
 * the sampler's account was given (their sites' area): still sampled (应检尽检), but audited,
 * and the answer names them by masked name only, without their address. The web app renders
 * each from its locale (sampling.warnings.<code>).
 */
export const SCAN_WARNINGS = [
  'already_sampled',
  'out_of_scope',
  'outside_sampler_scope',
  'tube_closed',
  'recheck',
] as const

/** The `:id` of a route: a round, resident, household, site, key group or lab account. */
export const idParams = z.object({ id: z.string().uuid() })

/** A row-level reason: a catalogue code (testing.messages.ts) with its field and params. */
const reasonParams = z.record(z.string(), z.union([z.string(), z.number()]))

/* ------------------------------------------------------------------ profile */

export const testingSettingsOut = z.object({ profile: z.string(), settings: testingProfile })
export type TestingSettingsOut = z.infer<typeof testingSettingsOut>

/* ------------------------------------------------------------------ rounds */

export const createRoundIn = z.object({
  name: z.string().trim().min(1).max(80),
  kind: z.enum(ROUND_KINDS),
  divisionIds: z.array(z.string().uuid()).min(1).max(200),
  startsAt: isoDateTime().optional(),
  deadline: isoDateTime(),
  poolSize: z.number().int().min(1).max(50).optional(),
  householdPool: z.boolean().optional(),
  singleTubeTags: z.array(z.string().max(40)).max(20).optional(),
  /** The control zone the round samples: the profile's pool for it (sealed: one household a tube). */
  zoneLevel: z.enum(ZONE_LEVELS).optional(),
  /** Why an area-wide round is run where the profile allows one only with a reason (opt20). */
  areaReason: z.string().trim().max(300).optional(),
  /** Narrower than the divisions: only these buildings and these units (none: all of the divisions). */
  buildingIds: z.array(z.string().uuid()).max(500).optional(),
  unitIds: z.array(z.string().uuid()).max(2000).optional(),
})
export type CreateRoundIn = z.infer<typeof createRoundIn>

/** What the area-wide stop rule advises for a round's area now (domain.md §5: 3 clean rounds, wait 3 days, one more, stop). */
export const stopAdviceOut = z.object({
  next: z.enum(['continue', 'wait', 'final', 'stop']),
  /** wait: the local day the last round may run on. */
  until: z.string().nullable(),
  /** Closed rounds of the area with every result in and no positive, in a row up to now. */
  cleanRounds: z.number(),
  /** Closed rounds of the area still waiting for results (not counted). */
  pendingRounds: z.number(),
  rule: z.object({ cleanRounds: z.number(), waitDays: z.number(), finalRounds: z.number() }),
})
export type StopAdviceOut = z.infer<typeof stopAdviceOut>

/** A building or unit a round is narrowed to. */
const roundPlaceOut = z.object({ id: z.string(), name: z.string() })

export const roundOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ROUND_KINDS),
  scope: z.array(z.object({ id: z.string(), name: z.string(), path: z.string() })),
  startsAt: z.string(),
  deadline: z.string(),
  poolSize: z.number(),
  householdPool: z.boolean(),
  /** The most swabs a one-household tube takes in this round (the profile's, when it opened). */
  householdCapacity: z.number(),
  singleTubeTags: z.array(z.string()),
  areaReason: z.string().nullable(),
  /** The buildings and units the round is narrowed to (both empty: all of its divisions). */
  buildings: z.array(roundPlaceOut),
  units: z.array(roundPlaceOut),
  /** Area-wide rounds under a profile with a stop rule: what it advises for this area now. */
  stopAdvice: stopAdviceOut.nullable(),
  profileName: z.string(),
  /** The round's turnaround targets (swab, or a pooled tube's close, to result), in hours, by tube kind. */
  turnaroundHours: z.object({ pooled: z.number(), single: z.number(), recheck: z.number() }),
  status: z.enum(ROUND_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
})
export type RoundOut = z.infer<typeof roundOut>

export const listRoundsQuery = z.object({
  status: z.enum(ROUND_STATUSES).optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
})
export type ListRoundsQuery = z.infer<typeof listRoundsQuery>

/** One keyset page of rounds; `next` is the `after` of the following page (null: no more). */
export const roundsPageOut = z.object({ items: z.array(roundOut), next: z.string().nullable() })
export type RoundsPageOut = z.infer<typeof roundsPageOut>

export const roundsOut = z.object({ items: z.array(roundOut) })

/** Closed rounds the sampling screen still takes recheck swabs into, with the rechecks left in my scope. */
export const recheckRoundsOut = z.object({
  items: z.array(roundOut.extend({ openRechecks: z.number() })),
})
export type RecheckRoundsOut = z.infer<typeof recheckRoundsOut>

/** The buildings (with their units) a new round may be narrowed to, under the chosen divisions. */
export const roundPlacesQuery = z.object({
  /** Division ids, comma-separated. */
  divisionIds: z
    .string()
    .min(1)
    .max(200 * 37),
})
export type RoundPlacesQuery = z.infer<typeof roundPlacesQuery>
export const roundPlacesOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      gridName: z.string(),
      units: z.array(roundPlaceOut),
    }),
  ),
  /** More buildings than the form offers: choose a community or grid first. */
  truncated: z.boolean(),
})
export type RoundPlacesOut = z.infer<typeof roundPlacesOut>

const gridProgress = z.object({
  gridPath: z.string(),
  gridName: z.string(),
  inScope: z.number(),
  sampled: z.number(),
  excused: z.number(),
  missed: z.number(),
})

export const progressOut = z.object({
  round: roundOut,
  now: z.string(),
  secondsLeft: z.number(),
  totals: z.object({
    inScope: z.number(),
    sampled: z.number(),
    excused: z.number(),
    missed: z.number(),
  }),
  byGrid: z.array(gridProgress),
  byHour: z.array(z.object({ hour: z.string(), specimens: z.number() })),
  counters: z.object({
    specimens: z.number(),
    tubesOpen: z.number(),
    tubesClosed: z.number(),
    tubesResulted: z.number(),
    poolPositiveTubes: z.number(),
    rechecksOrdered: z.number(),
    rechecksOpen: z.number(),
    confirmed: z.number(),
    conflicts: z.number(),
  }),
  turnaround: z.array(z.object({ bucket: z.string(), tubes: z.number() })),
  overdueTubes: z.number(),
})
export type ProgressOut = z.infer<typeof progressOut>

/* ------------------------------------------------------------------ sampling */

export const scanIn = z.object({
  clientId: z.string().min(8).max(64),
  person: z.string().max(200),
  tube: z.string().max(200),
  scannedAt: z.string().max(40),
  siteId: z.string().uuid().optional(),
  /** throat, nasal, nasopharyngeal, or antigen_self where the profile allows antigen (new10). */
  specimenType: z.enum(SPECIMEN_TYPES).optional(),
})
export type ScanIn = z.infer<typeof scanIn>

export const scanBatchIn = z.object({ scans: z.array(scanIn).min(1).max(1000) })

export const tubeOut = z.object({
  code: z.string(),
  members: z.number(),
  capacity: z.number(),
  status: z.enum(TUBE_STATUSES),
  kind: z.enum(TUBE_KINDS),
})
export type TubeOut = z.infer<typeof tubeOut>

export const openTubeOut = tubeOut.omit({ status: true }).extend({ openedAt: z.string() })
export type OpenTubeOut = z.infer<typeof openTubeOut>

export const SCAN_FIELDS = ['person', 'tube', 'scannedAt', 'round', 'specimenType'] as const

/** Why a scan was refused: the part of the scan at fault and a catalogue code; `reason` is its English text. */
export const scanErrorOut = z.object({
  field: z.enum(SCAN_FIELDS),
  code: z.string(),
  params: reasonParams.optional(),
  reason: z.string(),
})
export type ScanErrorOut = z.infer<typeof scanErrorOut>

export const scanOut = z.object({
  clientId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  specimenId: z.string().optional(),
  person: z.object({ name: z.string(), household: z.string().nullable() }).optional(),
  tube: tubeOut.optional(),
  warnings: z.array(z.enum(SCAN_WARNINGS)),
  error: scanErrorOut.optional(),
})
export type ScanOut = z.infer<typeof scanOut>
export type ScanWarning = ScanOut['warnings'][number]

export const scanResultsOut = z.object({ results: z.array(scanOut) })

export const tubeParams = z.object({ id: z.string().uuid(), code: z.string().max(40) })
export const openTubesQuery = z.object({ siteId: z.string().uuid().optional() })

/* ------------------------------------------------------------------ resident codes */

export const codeOut = z.object({
  residentId: z.string(),
  name: z.string(),
  token: z.string(),
  issuedAt: z.string(),
  qrSvg: z.string(),
})
export type CodeOut = z.infer<typeof codeOut>

export const reissueCodeIn = z.object({ reason: z.string().trim().min(2).max(200) })

/** A household's printable cards: the members who have a code, and how many active members have none yet. */
export const householdCardsOut = z.object({
  household: z.string(),
  cards: z.array(codeOut),
  missing: z.number(),
})
export type HouseholdCardsOut = z.infer<typeof householdCardsOut>

/* ------------------------------------------------------------------ sampling sites */

export const siteIn = z.object({
  name: z.string().trim().min(1).max(80),
  kind: z.enum(SITE_KINDS),
  divisionId: z.string().uuid(),
  address: z.string().max(200).optional(),
  lanes: z.number().int().min(1).max(100).optional(),
  opensAt: z.string().max(5).optional(),
  closesAt: z.string().max(5).optional(),
})
export type SiteIn = z.infer<typeof siteIn>

export const siteStaffIn = z.object({ username: z.string().max(80), duty: z.enum(SITE_DUTIES) })
export type SiteStaffIn = z.infer<typeof siteStaffIn>
export const siteStaffParams = z.object({ id: z.string().uuid(), userId: z.string().uuid() })

export const siteOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SITE_KINDS),
  division: z.object({ id: z.string(), name: z.string() }),
  address: z.string().nullable(),
  lanes: z.number(),
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  active: z.boolean(),
  staff: z.array(z.object({ userId: z.string(), username: z.string(), duty: z.enum(SITE_DUTIES) })),
  residents: z.number(),
})
export type SiteOut = z.infer<typeof siteOut>

/* ------------------------------------------------------------------ key groups (routine testing) */

/**
 * A key-job kind: one the profile's `keyJobs` lists (testing.tables KEY_GROUP_KINDS are those the screens label;
 * a health office's profile may name more).
 */
export const keyGroupKind = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/)

export const keyGroupIn = z.object({
  name: z.string().trim().min(1).max(80),
  kind: keyGroupKind,
  /** A key of the profile's routineFrequencies; the kind's own frequency when left out. */
  frequency: z.string().max(40).optional(),
  divisionId: z.string().uuid(),
})
export type KeyGroupIn = z.infer<typeof keyGroupIn>

export const groupOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: keyGroupKind,
  frequency: z.string(),
  /** The window a member's swabs are counted in, and how many it needs (twice a week: 2 in 7 days). */
  frequencyDays: z.number(),
  testsPerWindow: z.number(),
  division: z.object({ id: z.string(), name: z.string() }),
  members: z.number(),
  overdue: z.number(),
})
export type KeyGroupOut = z.infer<typeof groupOut>

export const addMembersIn = z.object({ idNumbers: z.array(z.string().max(40)).min(1).max(5000) })

/** A refused member line: its number, what it said, and why (a catalogue code; `reason` is its English text). */
export const rejectedMemberOut = z.object({
  line: z.number(),
  value: z.string(),
  code: z.string(),
  field: z.string().optional(),
  params: reasonParams.optional(),
  reason: z.string(),
})
export const addMembersOut = z.object({
  added: z.number(),
  already: z.number(),
  rejected: z.array(rejectedMemberOut),
})
export type AddMembersOut = z.infer<typeof addMembersOut>

export const memberParams = z.object({ id: z.string().uuid(), residentId: z.string().uuid() })

export const overdueQuery = z.object({
  groupId: z.string().uuid().optional(),
  grid: z.string().max(200).optional(),
})
export type OverdueQuery = z.infer<typeof overdueQuery>

export const overdueItemOut = z.object({
  residentId: z.string(),
  name: z.string(),
  household: z.string().nullable(),
  gridPath: z.string(),
  group: z.string(),
  frequencyDays: z.number(),
  testsPerWindow: z.number(),
  /** Swabs inside the window, fewer than testsPerWindow. */
  testsInWindow: z.number(),
  lastSampledAt: z.string().nullable(),
  daysOverdue: z.number().nullable(),
})
export type OverdueItemOut = z.infer<typeof overdueItemOut>
