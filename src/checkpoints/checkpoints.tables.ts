import { sql } from 'drizzle-orm'
import { division } from '../core/tree/tree.tables.js'
import {
  date,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * A checkpoint (卡口, domain.md §4): a gate of a compound or a road entry of one community, with
 * its staff (accounts with the checkpoint role) and hours. `token` is the unguessable part of the
 * poster's URL that opens the public self-report form; rotating it retires every printed poster.
 */
export const checkpoint = pgTable(
  'checkpoint',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => division.id),
    /** The community's path: scope applies to it like to every row of the tree. */
    communityPath: text('community_path').notNull(),
    name: text('name').notNull(),
    location: text('location').notNull().default(''),
    hours: text('hours').notNull().default(''),
    /** User ids of the staff working it. */
    staff: jsonb('staff')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    token: text('token').notNull(),
    tokenRotatedAt: ts('token_rotated_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    archivedAt: ts('archived_at'),
  },
  (t) => [
    uniqueIndex('checkpoint_token_idx').on(t.token),
    index('checkpoint_scope_idx').using('btree', t.communityPath.op('text_pattern_ops'), t.id),
  ],
)

export interface ItineraryPlace {
  place: string
  date: string
}

/**
 * An arrival's report (报备): filed by the person from the poster (channel 'self') or typed at
 * the gate ('gate'). ID number and phone are sealed like a resident's (encrypted, blind index,
 * last four). One person and report day is one row: a second report updates it.
 */
export const arrival = pgTable(
  'arrival',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    checkpointId: uuid('checkpoint_id')
      .notNull()
      .references(() => checkpoint.id),
    /** The checkpoint's community path (scope of the gate's staff). */
    communityPath: text('community_path').notNull(),
    /** Where the person will live: the destination household's grid path, or the other community's path (a handover); null when unknown. */
    destinationPath: text('destination_path'),
    destinationHouseholdId: uuid('destination_household_id'),
    destinationAddress: text('destination_address').notNull().default(''),
    reference: text('reference').notNull(),
    reportDay: date('report_day', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    name: text('name').notNull(),
    idType: text('id_type').notNull(),
    idEnc: text('id_enc').notNull(),
    idBidx: text('id_bidx').notNull(),
    idLast4: text('id_last4').notNull(),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    phoneLast4: text('phone_last4'),
    origin: text('origin').notNull(),
    originArea: text('origin_area').notNull().default(''),
    arrivalDate: date('arrival_date', { mode: 'string' }).notNull(),
    transport: text('transport').notNull().default(''),
    purpose: text('purpose').notNull().default(''),
    healthCode: text('health_code').notNull(),
    lastNegativeAt: ts('last_negative_at'),
    itinerary: jsonb('itinerary')
      .$type<ItineraryPlace[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Places the classification could not match, kept for a person to resolve. */
    unmatchedPlaces: jsonb('unmatched_places')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    status: text('status').notNull().default('reported'),
    /** The measure category the profile gives the arrival (null: none). */
    category: text('category'),
    confirmedBy: text('confirmed_by'),
    confirmedAt: ts('confirmed_at'),
    residentId: uuid('resident_id'),
    measureId: uuid('measure_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('arrival_person_day_idx').on(t.idBidx, t.reportDay),
    uniqueIndex('arrival_reference_idx').on(t.reference),
    index('arrival_scope_idx').using('btree', t.communityPath.op('text_pattern_ops'), t.reportDay),
    index('arrival_destination_idx').using('btree', t.destinationPath.op('text_pattern_ops')),
  ],
)
