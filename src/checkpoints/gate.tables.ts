import { sql } from 'drizzle-orm'
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { checkpoint } from './checkpoints.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** One reason a gate refused (or noted about) a passage: a catalogue code and its params. */
export interface GateReason {
  code: string
  params: Record<string, string | number>
}

/**
 * The entry/exit log of a checkpoint (issue 11 item 5): every attempt, allowed or refused, with
 * the reasons the gate rules gave. The person is a resident (by id, with their household) or a
 * visitor whose ID number and phone are sealed like a resident's. `client_id` is the phone's id of
 * the scan: a scan queued offline and sent twice is logged once.
 */
export const gatePassage = pgTable(
  'gate_passage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    checkpointId: uuid('checkpoint_id')
      .notNull()
      .references(() => checkpoint.id),
    /** The checkpoint's community path: the scope of the log. */
    communityPath: text('community_path').notNull(),
    /** out (出) or in (返回). */
    direction: text('direction').notNull(),
    residentId: uuid('resident_id'),
    householdId: uuid('household_id'),
    /** The name shown on the log (a resident's, or what a visitor gave). */
    name: text('name').notNull().default(''),
    visitorIdEnc: text('visitor_id_enc'),
    visitorIdBidx: text('visitor_id_bidx'),
    visitorIdLast4: text('visitor_id_last4'),
    visitorPhoneEnc: text('visitor_phone_enc'),
    visitorPhoneLast4: text('visitor_phone_last4'),
    exitPassId: uuid('exit_pass_id'),
    allowed: boolean('allowed').notNull(),
    reasons: jsonb('reasons')
      .$type<GateReason[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The area measure the rules were judged under (sealed / controlled / precaution), null: none. */
    zone: text('zone'),
    /** The local day of the attempt (the pass day, today's list). */
    day: date('day', { mode: 'string' }).notNull(),
    clientId: text('client_id').notNull(),
    at: ts('at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    actor: text('actor').notNull(),
  },
  (t) => [
    uniqueIndex('gate_passage_client_idx').on(t.clientId),
    index('gate_passage_checkpoint_idx').on(t.checkpointId, t.day, t.at),
    index('gate_passage_scope_idx').using('btree', t.communityPath.op('text_pattern_ops'), t.day),
  ],
)

/**
 * A household's exit pass (出门证) for one day, issued by a grid worker or lead up to the
 * profile's count; the token is what its QR carries; scanning it at a gate for an allowed exit
 * uses it (`used_at`).
 */
export const exitPass = pgTable(
  'exit_pass',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id').notNull(),
    /** The household's grid path (scope). */
    householdPath: text('household_path').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** 1..the profile's passes per household per day. */
    seq: integer('seq').notNull(),
    token: text('token').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    usedAt: ts('used_at'),
    usedAtCheckpoint: uuid('used_at_checkpoint'),
  },
  (t) => [
    uniqueIndex('exit_pass_token_idx').on(t.token),
    uniqueIndex('exit_pass_household_day_idx').on(t.householdId, t.day, t.seq),
  ],
)
