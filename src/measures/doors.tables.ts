import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { household } from '../registry/registry.tables.js'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * Door sensors (门磁) on households under isolation (domain.md §7): a device posts its door's
 * openings and closings, signed with its own secret (HMAC-SHA256). The secret is shown once at
 * registration and kept encrypted under the keyring (`secret_enc`), never hashed: the server
 * needs it to check each signature. `grid_path` is the household's grid, for scoped lists.
 */
export const doorSensor = pgTable(
  'door_sensor',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The device's own id, as printed on it and sent in each event. */
    deviceId: text('device_id').notNull(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => household.id),
    gridPath: text('grid_path').notNull(),
    secretEnc: text('secret_enc').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    // One active registration per device; a revoked device may be registered again.
    uniqueIndex('door_sensor_device_uq')
      .on(t.deviceId)
      .where(sql`${t.revokedAt} is null`),
    index('door_sensor_scope_idx').using('btree', t.gridPath.op('text_pattern_ops'), t.id),
  ],
)

/**
 * Every accepted event of a sensor. The device's event id is unique per sensor: a second post of
 * the same event is a replay and is refused.
 */
export const doorEvent = pgTable(
  'door_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sensorId: uuid('sensor_id')
      .notNull()
      .references(() => doorSensor.id),
    eventId: text('event_id').notNull(),
    /** open / close */
    event: text('event').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    /** Whether an opening raised an alert (someone of the household was in home isolation). */
    alerted: boolean('alerted').notNull().default(false),
  },
  (t) => [
    uniqueIndex('door_event_sensor_event_uq').on(t.sensorId, t.eventId),
    // A sensor's latest event (the management screen) and the recent events of a household.
    index('door_event_sensor_time_idx').on(t.sensorId, t.occurredAt),
  ],
)
