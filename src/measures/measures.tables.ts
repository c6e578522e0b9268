import { sql } from 'drizzle-orm'
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { resident } from '../registry/registry.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Measures on people (隔离管控, domain.md §7): a person under a category (close contact, inbound
 * traveller, temporary control after a positive pool …) gets the measure the policy profile in
 * force gives that category. The measure keeps the rules it started under (`rules`, with the local
 * overrides that applied) and the dated plan computed from them (`plan`: phases, test days), so a
 * later change of profile changes new measures only. `grid_path` is the person's grid when the
 * measure started: scoped lists and the per-grid boards filter on it with the same prefix
 * predicate as every list.
 */
export const measure = pgTable(
  'measure',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    /** Null for a walk-in under temporary control who stays somewhere outside the registry's households. */
    householdId: uuid('household_id'),
    gridPath: text('grid_path').notNull(),
    /** close_contact / secondary_contact / inbound / high_risk_area / … / temporary_control */
    category: text('category').notNull(),
    /** active → released (a person released them) | ended (its end condition, e.g. a negative recheck) | cancelled */
    status: text('status').notNull().default('active'),
    /** The anchor instant (last exposure, arrival, leaving the area, the pool's result …). */
    anchorAt: ts('anchor_at').notNull(),
    /** Day 0 in the deployment's zone (Asia/Shanghai unless configured). */
    anchorDate: date('anchor_date', { mode: 'string' }).notNull(),
    /** The last day of the plan; null while the measure lasts until a condition (temporary control). */
    plannedEnd: date('planned_end', { mode: 'string' }),
    profileName: text('profile_name').notNull(),
    /** The category's rule from the profile in force at the start, with the overrides that applied. */
    rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
    /** The dated plan: phases with their first and last day and test days. */
    plan: jsonb('plan').$type<Record<string, unknown>>().notNull(),
    /** The plan's test days, so SQL answers "owes a test today" over every measure at once. */
    testDays: date('test_days', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    /** The days of the check-in window (phases at home); null to: until the measure ends. */
    checkinFrom: date('checkin_from', { mode: 'string' }),
    checkinTo: date('checkin_to', { mode: 'string' }),
    /** An open-ended phase from this day owes a test until the person is swabbed (temporary control). */
    openTestFrom: date('open_test_from', { mode: 'string' }),
    /** A measure that ends on a condition and runs past this day (its planned end) owes a test daily. */
    dailyTestAfter: date('daily_test_after', { mode: 'string' }),
    /** 1 when the anchor's day is day 1 (the profile's day counting), else 0. */
    dayOffset: integer('day_offset').notNull().default(0),
    /** Check-ins a day from the profile at the start (temperature twice daily). */
    checkinsPerDay: integer('checkins_per_day').notNull().default(2),
    /** Why home isolation fell back to centralized isolation (codes), if it did. */
    homeFallback: text('home_fallback').array(),
    /** manual / pool_positive / arrival / zone */
    source: text('source').notNull().default('manual'),
    /** What started it: a tube id, a recheck order, an arrival … */
    sourceRef: text('source_ref'),
    note: text('note'),
    startedBy: text('started_by').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
    endedBy: text('ended_by'),
    /** A code: RELEASED, NEGATIVE_RECHECK, CANCELLED_MISTAKE … */
    endReason: text('end_reason'),
    /** What the person who released or cancelled it wrote (a cancel's reason). */
    endNote: text('end_note'),
  },
  (t) => [
    index('measure_resident_idx').on(t.residentId, t.status),
    index('measure_scope_idx').using('btree', t.gridPath.op('text_pattern_ops'), t.status, t.id),
    index('measure_active_end_idx')
      .on(t.plannedEnd)
      .where(sql`${t.status} = 'active'`),
    // A person is never under two active measures of the same category at once.
    uniqueIndex('measure_active_category_uq')
      .on(t.residentId, t.category)
      .where(sql`${t.status} = 'active'`),
    check('measure_status_check', sql`${t.status} in ('active', 'released', 'ended', 'cancelled')`),
    check(
      'measure_source_check',
      sql`${t.source} in ('manual', 'pool_positive', 'arrival', 'zone')`,
    ),
  ],
)

/**
 * A health check-in of a person under a measure (temperature twice a day, symptoms), reported by
 * a grid worker or by the resident. One per measure, day and slot: a retried report replaces the
 * reading, never adds a second.
 */
export const measureCheckin = pgTable(
  'measure_checkin',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    measureId: uuid('measure_id')
      .notNull()
      .references(() => measure.id),
    residentId: uuid('resident_id').notNull(),
    gridPath: text('grid_path').notNull(),
    /** The day in the deployment's zone, and am / pm. */
    localDate: date('local_date', { mode: 'string' }).notNull(),
    slot: text('slot').notNull(),
    temperature: numeric('temperature', { precision: 4, scale: 1 }),
    symptoms: text('symptoms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    reportedBy: text('reported_by').notNull(),
    /** worker / resident */
    reporterRole: text('reporter_role').notNull(),
    reportedAt: ts('reported_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('measure_checkin_slot_uq').on(t.measureId, t.localDate, t.slot),
    index('measure_checkin_scope_idx').using(
      'btree',
      t.gridPath.op('text_pattern_ops'),
      t.localDate,
    ),
    check('measure_checkin_slot_check', sql`${t.slot} in ('am', 'pm')`),
    check('measure_checkin_role_check', sql`${t.reporterRole} in ('worker', 'resident')`),
  ],
)
