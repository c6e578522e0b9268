import { sql } from 'drizzle-orm'
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Alerts for the people responsible for a part of the tree: a pool-positive tube tells the grid
 * workers of every member's grid at once. `scope_path` is the grid's (or community's) path, so
 * a user sees the alerts under their scope with the same prefix predicate as every list.
 */
export const alert = pgTable(
  'alert',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    scopePath: text('scope_path').notNull(),
    /** e.g. testing.pool_positive, testing.confirmed_positive, testing.result_conflict */
    kind: text('kind').notNull(),
    severity: text('severity').notNull().default('warning'),
    /** What a person reads, as data: a code of alerts.messages.ts and its params (rendered in the reader's language). */
    code: text('code'),
    params: jsonb('params')
      .$type<Record<string, string | number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The text in Chinese when raised (alerts from before codes have only this). */
    title: text('title').notNull(),
    detail: jsonb('detail')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /**
     * Alerts of one burst share a group (a result file, an hour of the overdue sweep): a later
     * part of the same group joins the open alert of its kind and scope instead of adding one.
     */
    groupKey: text('group_key'),
    createdAt: ts('created_at').notNull().defaultNow(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    index('alert_scope_idx').using('btree', t.scopePath.op('text_pattern_ops'), t.id),
    index('alert_created_idx').on(t.createdAt),
    index('alert_open_group_idx')
      .on(t.kind, t.scopePath, t.groupKey)
      .where(sql`${t.groupKey} is not null and ${t.acknowledgedAt} is null`),
  ],
)
