import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Policy profiles (domain.md: every rule is data). A profile is one JSON document with a section
 * per domain ("testing", "zones", "measures" …); each domain validates its own section. `meta` is
 * profile.json less name and title (issued, replaces, cite, the override mode); `content_hash`
 * the version of meta and settings together, so a changed bundled profile is noticed at start.
 * Which profile is in force is `policy_activation`; `active` is only read once, to carry an older
 * deployment's choice into its first activation.
 */
export const policyProfile = pgTable('policy_profile', {
  name: text('name').primaryKey(),
  title: text('title').notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  active: boolean('active').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
  meta: jsonb('meta')
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  contentHash: text('content_hash'),
  /** 'bundled': shipped in src/policy/profiles and kept in step with it at every start. */
  source: text('source').notNull().default('bundled'),
})

/** Every content a profile has had, in order: what changed when, and the text it had then. */
export const policyProfileVersion = pgTable(
  'policy_profile_version',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    profile: text('profile')
      .notNull()
      .references(() => policyProfile.name),
    contentHash: text('content_hash').notNull(),
    title: text('title').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('policy_profile_version_profile_idx').on(t.profile, t.id)],
)

/**
 * Which profile is in force: at an instant, the latest activation effective at or before it
 * (ties: the later row). Appended, never changed.
 */
export const policyActivation = pgTable(
  'policy_activation',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    profile: text('profile')
      .notNull()
      .references(() => policyProfile.name),
    effectiveFrom: ts('effective_from').notNull(),
    /** The content version in force when it was activated. */
    contentHash: text('content_hash'),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('policy_activation_effective_idx').on(t.effectiveFrom, t.id)],
)

/**
 * Local overrides: one value of a section of one profile replaced, with who, when and why.
 * Withdrawn, never deleted; at most one in force per profile, section and path.
 */
export const policyOverride = pgTable(
  'policy_override',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    profile: text('profile')
      .notNull()
      .references(() => policyProfile.name),
    section: text('section').notNull(),
    /** Dot path within the section: 'categories.close_contact.phases.0.days'. */
    path: text('path').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    /** The national value when it was added (the profile's own may change later). */
    national: jsonb('national').$type<unknown>().notNull(),
    reason: text('reason').notNull(),
    /** 'below_floor' (looser than national) or 'stricter' (层层加码 under opt20/new10), or null. */
    flag: text('flag'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    withdrawnAt: ts('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    withdrawnReason: text('withdrawn_reason'),
  },
  (t) => [
    uniqueIndex('policy_override_in_force_idx')
      .on(t.profile, t.section, t.path)
      .where(sql`${t.withdrawnAt} is null`),
    index('policy_override_profile_idx').on(t.profile, t.section, t.id),
  ],
)
