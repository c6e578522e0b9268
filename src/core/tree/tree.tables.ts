import { sql } from 'drizzle-orm'
import {
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'

/**
 * The administrative tree: district → street → community → grid (domain.md §2).
 * `path` is the materialised path of codes ("/320102/320102001/"), so "everything under this
 * node" is the one indexed predicate `path LIKE '<node path>%'`.
 */
export const division = pgTable(
  'division',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => division.id),
    path: text('path').notNull().unique(),
    /** Kept by a trigger (migration 0003): lists show it on every row, a subquery per row cost a quarter of the throughput. */
    childCount: integer('child_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('division_path_prefix_idx').using('btree', t.path.op('text_pattern_ops')),
    index('division_parent_idx').on(t.parentId, t.code),
    check('division_level_check', sql`${t.level} in ('district', 'street', 'community', 'grid')`),
  ],
)
