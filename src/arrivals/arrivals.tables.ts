import { sql } from 'drizzle-orm'
import {
  check,
  date,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * The external risk-area list (issue 11 item 3): other cities' areas, as their health
 * commissions publish them, with a level and the days they are in force. Entered by hand or
 * imported from a .csv/.xlsx with the usual 省/市/区/街道/小区 columns. `valid_to` is the local day
 * an entry stops counting (exclusive; null: still in force); whether an entry is in force is
 * computed on read, in the deployment's zone, never stored. `name_key` is the normalised names
 * (itinerary.rules normaliseNames) joined: a re-import of the same list finds the entry still in
 * force under the same key and updates it, and at most one open entry (no end day) has a key.
 */
export const externalRiskArea = pgTable(
  'external_risk_area',
  {
    /** Time-ordered (uuidv7): the keyset of the list, newest first. */
    id: uuid('id').primaryKey(),
    province: text('province').notNull().default(''),
    city: text('city').notNull().default(''),
    district: text('district').notNull().default(''),
    street: text('street').notNull().default(''),
    /** Compound, village or venue (小区 / 村 / 场所). */
    place: text('place').notNull().default(''),
    nameKey: text('name_key').notNull(),
    level: text('level').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    /** Who published it (a notice, a city's health commission), as entered. */
    source: text('source').notNull().default(''),
    enteredBy: text('entered_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('external_risk_area_level_check', sql`${t.level} in ('high', 'medium', 'low')`),
    check(
      'external_risk_area_valid_check',
      sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`,
    ),
    uniqueIndex('external_risk_area_open_uq')
      .on(t.nameKey)
      .where(sql`${t.validTo} is null`),
    index('external_risk_area_key_idx').on(t.nameKey, t.validFrom),
    index('external_risk_area_to_idx').on(t.validTo),
  ],
)
