import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { division } from '../tree/tree.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const appUser = pgTable(
  'app_user',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    /** Phone through core/pii: ciphertext, blind index and last four digits. */
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    phoneLast4: text('phone_last4'),
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabled: boolean('totp_enabled').notNull().default(false),
    /** The last TOTP time step accepted at login: a code of that step or an earlier one is refused (no replay). */
    totpLastStep: integer('totp_last_step'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
  },
  (t) => [index('app_user_phone_bidx_idx').on(t.phoneBidx)],
)

export const userScope = pgTable(
  'user_scope',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    divisionId: uuid('division_id')
      .notNull()
      .references(() => division.id),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.divisionId] }),
    index('user_scope_division_idx').on(t.divisionId),
  ],
)

export const userSession = pgTable(
  'user_session',
  {
    /** SHA-256 of the cookie token: a stolen table cannot be replayed as cookies. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    selectedDivisionId: uuid('selected_division_id').references(() => division.id),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('user_session_user_idx').on(t.userId)],
)

/**
 * Failed-login counters (kept for unknown names too, so nobody can probe which exist):
 * `pair:<name>|<address>` locks one account from one address; `acct:<name>` is the account's
 * higher ceiling over a longer window.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: ts('locked_until'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
})
