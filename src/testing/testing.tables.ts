import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  doublePrecision,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { division } from '../core/tree/tree.tables.js'
import { resident } from '../registry/registry.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Mass and routine testing (domain.md §5). A round samples the residents of its scope; each
 * specimen sits in a tube; labs report tubes; a positive pool orders single-tube rechecks.
 * Specimens and rechecks carry the resident's grid path, so scoped counts and the missed-test
 * list group by grid without joining the registry twice.
 */
export const testRound = pgTable(
  'test_round',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** area (area-wide) / key_groups / routine */
    kind: text('kind').notNull(),
    /** The divisions the round covers, and their paths (the scope predicate of its lists). */
    scopeIds: uuid('scope_ids').array().notNull(),
    scopePaths: text('scope_paths').array().notNull(),
    startsAt: ts('starts_at').notNull(),
    deadline: ts('deadline').notNull(),
    /** Swabs per tube for the round (1, 5, 10 or 20: the profile's choices). */
    poolSize: integer('pool_size').notNull(),
    /** One tube per household instead of a fixed pool size. */
    householdPool: boolean('household_pool').notNull().default(false),
    /** The most swabs a one-household tube takes (the profile's householdTubeCapacity when the round opened; 50 before). */
    householdCapacity: integer('household_capacity').notNull().default(50),
    /** Why an area-wide round runs where the profile allows one only with a reason (opt20). */
    areaReason: text('area_reason'),
    /** Narrower than the divisions: only these buildings and units (empty: all of them). */
    buildingIds: uuid('building_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    unitIds: uuid('unit_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Residents with any of these tags are sampled in a single tube. */
    singleTubeTags: text('single_tube_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    profileName: text('profile_name').notNull(),
    /** The profile's turnaround targets when the round opened, in hours. */
    turnaroundPooledHours: integer('turnaround_pooled_hours').notNull(),
    turnaroundSingleHours: integer('turnaround_single_hours').notNull(),
    /** The profile's target for a recheck tube, swab to result (null: the single-tube target). */
    turnaroundRecheckHours: integer('turnaround_recheck_hours'),
    status: text('status').notNull().default('open'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('test_round_created_idx').on(t.createdAt),
    check('test_round_kind_check', sql`${t.kind} in ('area', 'key_groups', 'routine')`),
    check('test_round_status_check', sql`${t.status} in ('open', 'closed')`),
    check('test_round_pool_check', sql`${t.poolSize} between 1 and 50`),
    check('test_round_household_capacity_check', sql`${t.householdCapacity} between 1 and 50`),
  ],
)

/** 采样点: a fixed site with lanes and hours, or a door-to-door team. */
export const samplingSite = pgTable(
  'sampling_site',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    divisionId: uuid('division_id')
      .notNull()
      .references(() => division.id),
    divisionPath: text('division_path').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('fixed'),
    address: text('address'),
    lanes: integer('lanes').notNull().default(1),
    /** "07:00"–"20:00", local time. */
    opensAt: text('opens_at'),
    closesAt: text('closes_at'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('sampling_site_path_idx').on(t.divisionPath),
    check('sampling_site_kind_check', sql`${t.kind} in ('fixed', 'door_to_door')`),
  ],
)

/** Samplers and scanners assigned to a site (user ids of the auth tables). */
export const siteMember = pgTable(
  'site_member',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => samplingSite.id),
    userId: uuid('user_id').notNull(),
    duty: text('duty').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.userId] }),
    check('site_member_duty_check', sql`${t.duty} in ('sampler', 'scanner')`),
  ],
)

/** A resident's personal code: an opaque token printed as a QR code, never an ID number. */
export const residentCode = pgTable(
  'resident_code',
  {
    token: text('token').primaryKey(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    issuedBy: text('issued_by').notNull(),
    revokedAt: ts('revoked_at'),
  },
  // The plain index serves the foreign key (deleting or merging a resident); the partial one keeps one live code each.
  (t) => [
    uniqueIndex('resident_code_live_uq')
      .on(t.residentId)
      .where(sql`${t.revokedAt} is null`),
    index('resident_code_resident_idx').on(t.residentId),
  ],
)

/** A sampling tube. Its barcode is unique in the deployment. */
export const tube = pgTable(
  'tube',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => testRound.id),
    siteId: uuid('site_id'),
    /** pooled (capacity > 1) / single / recheck (a single tube for a recheck order) */
    kind: text('kind').notNull(),
    capacity: integer('capacity').notNull(),
    members: integer('members').notNull().default(0),
    /** For household pooling: the household the tube belongs to. */
    householdId: uuid('household_id'),
    status: text('status').notNull().default('open'),
    openedAt: ts('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    closedAt: ts('closed_at'),
    result: text('result'),
    /** The lab's own word for the result (阴性, 未检出, 单基因阳性, 样本不合格 …), as sent. */
    resultWord: text('result_word'),
    /** Cycle thresholds of the N and ORF1ab genes, when the lab sends them. */
    ctN: doublePrecision('ct_n'),
    ctOrf1ab: doublePrecision('ct_orf1ab'),
    resultedAt: ts('resulted_at'),
    lab: text('lab'),
  },
  (t) => [
    index('tube_round_idx').on(t.roundId, t.status),
    check('tube_kind_check', sql`${t.kind} in ('pooled', 'single', 'recheck')`),
    check('tube_status_check', sql`${t.status} in ('open', 'closed')`),
    check(
      'tube_result_check',
      sql`${t.result} is null or ${t.result} in ('negative', 'positive', 'abnormal', 'invalid')`,
    ),
  ],
)

/** One swab of one person in one tube. */
export const specimen = pgTable(
  'specimen',
  {
    id: uuid('id').primaryKey(),
    /** Made by the scanning device: a retried batch never creates a second specimen. */
    clientId: text('client_id').notNull().unique(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => testRound.id),
    /**
     * No foreign key: the scan batch writes a tube and its specimens in one statement, and the
     * per-row check against a tube table without statistics yet (a new deployment's first
     * round) was a sequential scan per specimen, quadratic in the round (bench/sampling).
     */
    tubeId: uuid('tube_id').notNull(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    gridPath: text('grid_path').notNull(),
    siteId: uuid('site_id'),
    samplerName: text('sampler_name').notNull(),
    specimenType: text('specimen_type').notNull().default('throat'),
    scannedAt: ts('scanned_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    outOfScope: boolean('out_of_scope').notNull().default(false),
    /** Sampled again in the same round (the scanner confirmed the warning). */
    repeat: boolean('repeat').notNull().default(false),
    /** pending → negative | pool_positive → recheck_negative | confirmed_positive */
    state: text('state').notNull().default('pending'),
    /** Set when this swab answers a recheck order. */
    recheckOrderId: uuid('recheck_order_id'),
  },
  (t) => [
    index('specimen_round_resident_idx').on(t.roundId, t.residentId),
    index('specimen_tube_idx').on(t.tubeId),
    index('specimen_resident_time_idx').on(t.residentId, t.scannedAt),
    index('specimen_round_grid_idx').on(t.roundId, t.gridPath),
    check(
      'specimen_state_check',
      sql`${t.state} in ('pending', 'negative', 'pool_positive', 'recheck_negative', 'confirmed_positive')`,
    ),
  ],
)

/** Every result a lab sent, applied or not: a conflicting second result is kept and flagged. */
export const tubeResult = pgTable(
  'tube_result',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tubeId: uuid('tube_id')
      .notNull()
      .references(() => tube.id),
    result: text('result').notNull(),
    resultWord: text('result_word'),
    ctN: doublePrecision('ct_n'),
    ctOrf1ab: doublePrecision('ct_orf1ab'),
    lab: text('lab').notNull(),
    retest: boolean('retest').notNull().default(false),
    /** applied / duplicate / conflict */
    outcome: text('outcome').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('tube_result_tube_idx').on(t.tubeId),
    index('tube_result_conflict_idx').on(t.outcome, t.receivedAt),
  ],
)

/**
 * Two results for one tube that disagree where the later one would make things less safe (a
 * negative retest over a positive pool, a result that is not marked as a retest): the safer
 * result holds, the members' states and open rechecks stay as they are, and a person with
 * results permission over all of the tube's members keeps it or accepts the new one (audited).
 */
export const resultConflict = pgTable(
  'result_conflict',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tubeId: uuid('tube_id')
      .notNull()
      .references(() => tube.id),
    roundId: uuid('round_id').notNull(),
    /** The result that holds until someone resolves the conflict, and the one that disagrees with it. */
    held: text('held').notNull(),
    incoming: text('incoming').notNull(),
    lab: text('lab').notNull(),
    retest: boolean('retest').notNull(),
    /** open → kept | accepted */
    status: text('status').notNull().default('open'),
    note: text('note'),
    resolvedBy: text('resolved_by'),
    resolvedAt: ts('resolved_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('result_conflict_round_idx').on(t.roundId, t.status),
    uniqueIndex('result_conflict_open_uq')
      .on(t.tubeId, t.incoming)
      .where(sql`${t.status} = 'open'`),
    check('result_conflict_status_check', sql`${t.status} in ('open', 'kept', 'accepted')`),
  ],
)

/** 单管复核: a person of a positive or abnormal pool, to be swabbed again alone, at home. */
export const recheckOrder = pgTable(
  'recheck_order',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => testRound.id),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    gridPath: text('grid_path').notNull(),
    sourceTubeId: uuid('source_tube_id').notNull(),
    sourceSpecimenId: uuid('source_specimen_id').notNull().unique(),
    /** ordered → sampled → negative | positive (an abnormal or invalid recheck goes back to ordered: swab again) */
    status: text('status').notNull().default('ordered'),
    /** Why: pool_positive (a positive or abnormal pool), abnormal or invalid (swab again). */
    reason: text('reason').notNull().default('pool_positive'),
    /** When the door-to-door swab is due (the profile's testing.recheckHours after the result). */
    deadline: ts('deadline'),
    /** Who swabs: the person's grid worker, reassignable (app_user id and display name). */
    assigneeId: uuid('assignee_id'),
    assigneeName: text('assignee_name'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sampledAt: ts('sampled_at'),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    index('recheck_order_round_idx').on(t.roundId, t.status),
    index('recheck_order_grid_idx').on(t.gridPath, t.status),
    index('recheck_order_resident_idx').on(t.residentId),
    check(
      'recheck_order_status_check',
      sql`${t.status} in ('ordered', 'sampled', 'negative', 'positive')`,
    ),
    check(
      'recheck_order_reason_check',
      sql`${t.reason} in ('pool_positive', 'abnormal', 'invalid')`,
    ),
  ],
)

/**
 * A single-tube positive of a person: a screening positive (初筛阳性) that must be reported online
 * within 2 hours, later confirmed as a case or an asymptomatic infection, or excluded, by a
 * person (the CDC's recheck). One per person and episode: further positives of an open episode
 * add nothing; after an exclusion a new positive opens the next episode.
 */
export const positiveCase = pgTable(
  'positive_case',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    roundId: uuid('round_id').notNull(),
    specimenId: uuid('specimen_id').notNull(),
    tubeCode: text('tube_code').notNull(),
    gridPath: text('grid_path').notNull(),
    /** 1 for a person's first episode, 2 after the first was excluded … */
    episode: integer('episode').notNull().default(1),
    /** screening → confirmed | asymptomatic | excluded */
    status: text('status').notNull().default('screening'),
    /** The 2-hour online report clock of a screening positive. */
    reportDueAt: ts('report_due_at'),
    reportedAt: ts('reported_at'),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    confirmedAt: ts('confirmed_at').notNull().defaultNow(),
    /** Set by the capability that takes the case on (rapid response). */
    consumedAt: ts('consumed_at'),
  },
  (t) => [
    uniqueIndex('positive_case_person_episode_uq').on(t.residentId, t.episode),
    // One open episode a person: a second positive while one is open is the same episode.
    uniqueIndex('positive_case_open_uq')
      .on(t.residentId)
      .where(sql`${t.status} <> 'excluded'`),
    index('positive_case_grid_idx').on(t.gridPath),
    check(
      'positive_case_status_check',
      sql`${t.status} in ('screening', 'confirmed', 'asymptomatic', 'excluded')`,
    ),
  ],
)

/** Why a resident of the round's scope has no specimen; excluding reasons take them out of the count. */
export const missedReason = pgTable(
  'missed_reason',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => testRound.id),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    reason: text('reason').notNull(),
    /** Whether the profile counts this reason as accounted for (copied when recorded). */
    excludes: boolean('excludes').notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.residentId] })],
)

/** A lab's API account: a bearer token (only its hash is kept) that may post results and nothing else. */
export const labAccount = pgTable('lab_account', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
  revokedAt: ts('revoked_at'),
})

/** Routine testing of key jobs: a group, how often its members must test, and who is in it. */
export const keyGroup = pgTable(
  'key_group',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** delivery / medical / cold_chain / transport / custom */
    kind: text('kind').notNull(),
    /** The profile's name of the frequency (daily, twice_weekly …); null for groups from before names. */
    frequency: text('frequency'),
    /** A member is due when they have fewer than `testsPerWindow` swabs in the last `frequencyDays` days. */
    frequencyDays: integer('frequency_days').notNull(),
    testsPerWindow: integer('tests_per_window').notNull().default(1),
    divisionId: uuid('division_id')
      .notNull()
      .references(() => division.id),
    divisionPath: text('division_path').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('key_group_path_idx').on(t.divisionPath),
    // Kinds are the profile's keyJobs (checked by routine.service), so a health office may add one.
    check('key_group_window_check', sql`${t.testsPerWindow} between 1 and 7`),
  ],
)

export const keyGroupMember = pgTable(
  'key_group_member',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => keyGroup.id),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    addedAt: ts('added_at').notNull().defaultNow(),
    addedBy: text('added_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.residentId] }),
    index('key_group_member_resident_idx').on(t.residentId),
  ],
)

/** The round's kinds, as the API and the screens name them. */
export const ROUND_KINDS = ['area', 'key_groups', 'routine'] as const
/** The key-job kinds the bundled profiles list and the screens label (a profile may name more). */
export const KEY_GROUP_KINDS = [
  'inbound_contact',
  'cold_chain',
  'fever_clinic',
  'medical',
  'delivery',
  'transport',
  'market',
  'hotel',
  'custom',
] as const
