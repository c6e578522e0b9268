import { sql } from 'drizzle-orm'
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { division } from '../core/tree/tree.tables.js'
import type { ResidentEventKind, TransferStatus } from './registry.vocab.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * The registry (domain.md §2): grid → building → unit → household → resident.
 * Every row below the grid carries its grid's materialised path (`grid_path`, collation "C",
 * migration 0005), so scope is the same one indexed prefix predicate as for the tree.
 */
export const building = pgTable(
  'building',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => division.id),
    gridPath: text('grid_path').notNull(),
    /** 楼栋号 as people write it: "12", "12A", "东3". */
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('building_grid_code_uq').on(t.gridId, t.code),
    index('building_grid_path_idx').on(t.gridPath),
  ],
)

export const unit = pgTable(
  'unit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    buildingId: uuid('building_id')
      .notNull()
      .references(() => building.id),
    code: text('code').notNull(),
  },
  (t) => [uniqueIndex('unit_building_code_uq').on(t.buildingId, t.code)],
)

export const household = pgTable(
  'household',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => unit.id),
    buildingId: uuid('building_id')
      .notNull()
      .references(() => building.id),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => division.id),
    gridPath: text('grid_path').notNull(),
    /** 房号 / 门牌号: "1201". */
    room: text('room').notNull(),
    floor: integer('floor'),
    /** "12栋1单元1201": shown everywhere a household is named. */
    label: text('label').notNull(),
    /** Sortable form of the address ("0012|0001|1201"), for lists in walking order. */
    sortKey: text('sort_key').notNull(),
    /** 以房管人: owner_occupied / rented / vacant / group_rented / shop / collective (registry.vocab HOUSEHOLD_OCCUPANCIES); null = not recorded. */
    occupancy: text('occupancy'),
    /** 户代表: one of its active residents (the service checks membership); null = not named. */
    representativeId: uuid('representative_id'),
    /** 出租 / 群租: the landlord's or 二房东's contact (kind landlord | sub_landlord), phone sealed like residents'. */
    landlordName: text('landlord_name'),
    landlordKind: text('landlord_kind'),
    landlordPhoneEnc: text('landlord_phone_enc'),
    landlordPhoneBidx: text('landlord_phone_bidx'),
    landlordPhoneLast4: text('landlord_phone_last4'),
    tenancyStart: date('tenancy_start', { mode: 'string' }),
    tenancyEnd: date('tenancy_end', { mode: 'string' }),
    /** 集体户: what it is (registry.vocab COLLECTIVE_KINDS) and its name; null unless occupancy is collective. */
    collectiveKind: text('collective_kind'),
    collectiveName: text('collective_name'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('household_unit_room_uq').on(t.unitId, t.room),
    index('household_grid_path_idx').on(t.gridPath, t.sortKey),
    // Who lives in a building (a risk area drawn at a building, its inside list: bench/zones).
    index('household_building_idx').on(t.buildingId),
  ],
)

export const resident = pgTable(
  'resident',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id').references(() => household.id),
    gridId: uuid('grid_id').references(() => division.id),
    /** The grid's path while the resident lives in the deployment; the last one after moving out. */
    gridPath: text('grid_path').notNull(),
    /** Copied from the household, for keyset lists in walking order. */
    sortKey: text('sort_key').notNull(),
    name: text('name').notNull(),
    /** "zhangsan" and "zs": search by pinyin and by initials. */
    namePinyin: text('name_pinyin').notNull(),
    nameInitials: text('name_initials').notNull(),
    idType: text('id_type').notNull(),
    idEnc: text('id_enc'),
    idBidx: text('id_bidx'),
    idLast4: text('id_last4'),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    phoneLast4: text('phone_last4'),
    sex: text('sex'),
    birthDate: date('birth_date', { mode: 'string' }),
    /** 与户主关系: head, spouse, child, parent, other … */
    relation: text('relation'),
    /** registered / permanent / floating / tenant */
    residenceType: text('residence_type').notNull(),
    employer: text('employer'),
    notes: text('notes'),
    status: text('status').notNull().default('active'),
    /** deceased: the date of death; away_long / hukou_only: since when (local date). */
    statusOn: date('status_on', { mode: 'string' }),
    /** away_long: where the person is; hukou_only: where they actually live (if known). */
    statusPlace: text('status_place'),
    /** 户籍地: the registered (hukou) address as written, possibly in another city. */
    hukouAddress: text('hukou_address'),
    /** The hukou address's GB/T 2260 county code (6 digits), when known. */
    hukouRegion: text('hukou_region'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // One person is one resident: a second registration of the same ID is a move.
    uniqueIndex('resident_id_bidx_uq').on(t.idBidx),
    index('resident_scope_order_idx').on(t.gridPath, t.sortKey, t.id),
    index('resident_household_idx').on(t.householdId),
    index('resident_phone_last4_idx').on(t.phoneLast4),
    index('resident_id_last4_idx').on(t.idLast4),
    index('resident_phone_bidx_idx').on(t.phoneBidx),
    index('resident_initials_idx').on(t.nameInitials),
    check(
      'resident_residence_type_check',
      sql`${t.residenceType} in ('registered', 'permanent', 'floating', 'tenant')`,
    ),
    // provisional: registered at a sampling desk (walk-in), not yet reconciled (provisional.tables.ts);
    // passing_through: reconciled as a non-resident, kept for tracing; merged: the same person as another resident.
    // deceased (死亡), away_long (长期外出), hukou_only (户在人不在): kept in their household, out of every population.
    check(
      'resident_status_check',
      sql`${t.status} in ('active', 'moved_out', 'provisional', 'passing_through', 'merged', 'deceased', 'away_long', 'hukou_only')`,
    ),
  ],
)

export const residentTag = pgTable(
  'resident_tag',
  {
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    tag: text('tag').notNull(),
    setBy: text('set_by').notNull(),
    setAt: ts('set_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.residentId, t.tag] }),
    index('resident_tag_tag_idx').on(t.tag, t.residentId),
  ],
)

/** Moves in, moves out and household changes: kept, never overwritten. */
export const residentEvent = pgTable(
  'resident_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    kind: text('kind').$type<ResidentEventKind>().notNull(),
    fromHouseholdId: uuid('from_household_id'),
    toHouseholdId: uuid('to_household_id'),
    at: ts('at').notNull().defaultNow(),
    actorName: text('actor_name').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('resident_event_resident_idx').on(t.residentId, t.id)],
)

/**
 * A registration of a person whose record lives outside the registering user's scope
 * (人户分离 / a move between communities): the new side records where the person now lives,
 * the old side confirms (the resident then moves) or disputes. What the new side typed is
 * kept here (the phone sealed like the resident's), so nothing of the old record is shown to
 * the new side before confirmation.
 */
export const residentTransfer = pgTable(
  'resident_transfer',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    fromHouseholdId: uuid('from_household_id'),
    fromGridId: uuid('from_grid_id'),
    fromGridPath: text('from_grid_path').notNull(),
    toHouseholdId: uuid('to_household_id')
      .notNull()
      .references(() => household.id),
    toGridId: uuid('to_grid_id').notNull(),
    toGridPath: text('to_grid_path').notNull(),
    /** requested → confirmed (the resident moved) or disputed (with a reason). */
    status: text('status').$type<TransferStatus>().notNull().default('requested'),
    /** What the new side typed: name, relation, residence type, employer, notes, tags, sex, birth date. */
    typed: jsonb('typed').$type<Record<string, unknown>>().notNull(),
    phoneEnc: text('phone_enc'),
    requestedById: uuid('requested_by_id'),
    requestedByName: text('requested_by_name').notNull(),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    decidedByName: text('decided_by_name'),
    decidedAt: ts('decided_at'),
    /** The dispute's reason, or a note with the confirmation. */
    reason: text('reason'),
  },
  (t) => [
    index('resident_transfer_from_idx').using(
      'btree',
      t.fromGridPath.op('text_pattern_ops'),
      t.requestedAt,
    ),
    index('resident_transfer_to_idx').using(
      'btree',
      t.toGridPath.op('text_pattern_ops'),
      t.requestedAt,
    ),
    // One open request per person and destination: a second registration finds the first.
    uniqueIndex('resident_transfer_open_uq')
      .on(t.residentId, t.toHouseholdId)
      .where(sql`${t.status} = 'requested'`),
    check(
      'resident_transfer_status_check',
      sql`${t.status} in ('requested', 'confirmed', 'disputed')`,
    ),
  ],
)

/**
 * Where a resident is (domain.md §5): at home, away (with destination and expected return) or
 * back. Kept across rounds, so grid workers mark a long-term absentee once, not every day; each
 * change is also a `presence` resident event. No row means at home.
 */
export const residentPresence = pgTable(
  'resident_presence',
  {
    residentId: uuid('resident_id')
      .primaryKey()
      .references(() => resident.id),
    /** home (在家) / away (外出) / returned (返回) */
    status: text('status').notNull(),
    destination: text('destination'),
    /** Local dates (YYYY-MM-DD): left on, expected back on (away), came back on (returned). */
    since: date('since', { mode: 'string' }),
    returnOn: date('return_on', { mode: 'string' }),
    note: text('note'),
    updatedBy: text('updated_by').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('resident_presence_status_check', sql`${t.status} in ('home', 'away', 'returned')`),
    check(
      'resident_presence_away_check',
      sql`${t.status} <> 'away' or ${t.destination} is not null`,
    ),
  ],
)
