import { sql } from 'drizzle-orm'
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { positiveCase } from '../testing/testing.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Risk areas (风险区, domain.md §6): a set of extents (households, floors, units, buildings, grids
 * or communities) with a level, a start, a reason and the case that caused it. The level is the
 * profile's key (high / medium / low); what it is called comes from the profile in force.
 * `lowered_from` is the level the area came down from to its current one (v9: a medium area that
 * was high lowers after 3 more days), null when it started at or was raised to it. Nothing about
 * the countdown is stored: it is computed on demand from cases and rounds.
 */
export const zoneArea = pgTable(
  'zone_area',
  {
    /** Time-ordered (uuidv7): the keyset of the list, newest first. */
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    startedLevel: text('started_level').notNull(),
    loweredFrom: text('lowered_from'),
    startedAt: ts('started_at').notNull(),
    levelSince: ts('level_since').notNull(),
    reason: text('reason').notNull(),
    caseId: uuid('case_id').references(() => positiveCase.id),
    profileName: text('profile_name').notNull(),
    /** active → lifted */
    status: text('status').notNull().default('active'),
    liftedAt: ts('lifted_at'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('zone_area_level_check', sql`${t.level} in ('high', 'medium', 'low')`),
    check('zone_area_started_level_check', sql`${t.startedLevel} in ('high', 'medium', 'low')`),
    check('zone_area_status_check', sql`${t.status} in ('active', 'lifted')`),
  ],
)

/**
 * One part of an area. `ref_id` is the household, unit or building (a floor: its building, with
 * `floor`), or the grid or community division; `path` is its grid's path (a community: its own),
 * so areas are listed under a reader's scope with the prefix predicate of every list.
 */
export const zoneExtent = pgTable(
  'zone_extent',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => zoneArea.id),
    kind: text('kind').notNull(),
    refId: uuid('ref_id').notNull(),
    floor: integer('floor'),
    path: text('path').notNull(),
    /** What a person reads (building 3, unit 1, room 302; a grid's name), as when it was added. */
    label: text('label').notNull(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('zone_extent_part_uq').on(t.areaId, t.kind, t.refId, sql`coalesce(${t.floor}, -1)`),
    index('zone_extent_path_idx').using('btree', t.path.op('text_pattern_ops'), t.areaId),
    index('zone_extent_ref_idx').on(t.refId),
    check(
      'zone_extent_kind_check',
      sql`${t.kind} in ('household', 'floor', 'unit', 'building', 'grid', 'community')`,
    ),
  ],
)

/** The history of an area: created, level changed, widened, lifted; each with who, when and why. */
export const zoneEvent = pgTable(
  'zone_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => zoneArea.id),
    kind: text('kind').notNull(),
    fromLevel: text('from_level'),
    toLevel: text('to_level'),
    reason: text('reason').notNull(),
    /** Set when a lead decided against failed checks: why. */
    overrideReason: text('override_reason'),
    /** The checks as judged at the decision (codes and params), and the extents a widening added. */
    detail: jsonb('detail')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    actorName: text('actor_name').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('zone_event_area_idx').on(t.areaId, t.id),
    check('zone_event_kind_check', sql`${t.kind} in ('created', 'level', 'widened', 'lifted')`),
  ],
)
