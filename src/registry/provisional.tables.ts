import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { resident } from './registry.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * A walk-in registered at a sampling desk (domain.md §5, §12): the person is a `resident` row with
 * status 'provisional' (in their household's grid, or the grid they stay in with the address as
 * typed), so codes, sampling, results and measures work unchanged; this row keeps where they were
 * registered and how they were reconciled: confirmed as a resident of a household, merged into an
 * existing resident (their specimens moved over), or passing through (kept for tracing).
 */
export const provisionalRegistration = pgTable(
  'provisional_registration',
  {
    residentId: uuid('resident_id')
      .primaryKey()
      .references(() => resident.id),
    /** The grid's path the person was placed under (scope of the reconcile list). */
    gridPath: text('grid_path').notNull(),
    /** Where they stay, as typed at the desk, when no household of the registry was chosen. */
    address: text('address'),
    roundId: uuid('round_id'),
    siteId: uuid('site_id'),
    registeredBy: text('registered_by').notNull(),
    registeredAt: ts('registered_at').notNull().defaultNow(),
    /** open → confirmed | merged | passing_through */
    status: text('status').notNull().default('open'),
    mergedInto: uuid('merged_into').references(() => resident.id),
    decidedBy: text('decided_by'),
    decidedAt: ts('decided_at'),
    note: text('note'),
  },
  (t) => [
    index('provisional_registration_scope_idx').using(
      'btree',
      t.gridPath.op('text_pattern_ops'),
      t.registeredAt,
    ),
    check(
      'provisional_registration_status_check',
      sql`${t.status} in ('open', 'confirmed', 'merged', 'passing_through')`,
    ),
  ],
)
