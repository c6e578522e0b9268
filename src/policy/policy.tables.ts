import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * Policy profiles (domain.md: every rule is data). A profile is one JSON document with a section
 * per domain ("testing", later "zones", "measures" …); each domain validates its own section.
 * Exactly one profile is active.
 */
export const policyProfile = pgTable('policy_profile', {
  name: text('name').primaryKey(),
  title: text('title').notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  active: boolean('active').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
})
