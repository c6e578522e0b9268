import { and, eq, isNull, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { doorEvent, doorSensor } from './doors.tables.js'
import { measure } from './measures.tables.js'

/**
 * All SQL of door sensors. The household, its unit and building are read for the address an
 * alert names and for the grid a sensor belongs to (read-only joins, scripts/check-deps.mjs
 * ALLOWED_JOINS); active measures of the household from this domain's `measure`.
 */

export type SensorRow = typeof doorSensor.$inferSelect

export interface HouseholdPlace {
  id: string
  gridPath: string
  label: string
  building: string
  unit: string
  room: string
}

export async function findHouseholdPlace(db: Db, id: string): Promise<HouseholdPlace | undefined> {
  const [h] = await rows<HouseholdPlace>(
    db,
    sql`select h.id, h.grid_path as "gridPath", h.label, b.code as building, u.code as unit, h.room
        from household h join building b on b.id = h.building_id join unit u on u.id = h.unit_id
        where h.id = ${id}`,
  )
  return h
}

/** A new sensor; null when the device is already registered and not revoked. */
export async function insertSensor(
  db: Db,
  values: typeof doorSensor.$inferInsert,
): Promise<SensorRow | null> {
  const [s] = await db
    .insert(doorSensor)
    .values(values)
    .onConflictDoNothing({
      target: doorSensor.deviceId,
      where: sql`${doorSensor.revokedAt} is null`,
    })
    .returning()
  return s ?? null
}

export type SensorListRow = SensorRow & {
  householdLabel: string
  lastEvent: string | null
  lastEventAt: string | Date | null
  lastAlerted: boolean | null
  underMeasure: boolean
}

/** The columns of a listed sensor: its household's label, its latest event, whether someone is under a measure. */
const sensorColumns = sql`s.id, s.device_id as "deviceId", s.household_id as "householdId", s.grid_path as "gridPath",
               s.created_by as "createdBy", s.created_at as "createdAt", s.revoked_at as "revokedAt",
               h.label as "householdLabel", e.event as "lastEvent", e.occurred_at as "lastEventAt",
               e.alerted as "lastAlerted",
               exists (select 1 from measure m where m.household_id = s.household_id and m.status = 'active') as "underMeasure"`
const lastEventJoin = sql`left join lateral (
          select event, occurred_at, alerted from door_event where sensor_id = s.id
          order by occurred_at desc, id desc limit 1) e on true`

export async function listSensorsInScope(
  db: Db,
  actor: ScopedActor,
  q: { divisionPath?: string | undefined; householdId?: string | undefined } = {},
): Promise<SensorListRow[]> {
  return rows<SensorListRow>(
    db,
    sql`select ${sensorColumns}
        from door_sensor s join household h on h.id = s.household_id
        ${lastEventJoin}
        where ${scopeCondition(sql`s.grid_path`, actor)}
          ${q.divisionPath ? sql`and s.grid_path like ${likePrefix(q.divisionPath)}` : sql``}
          ${q.householdId ? sql`and s.household_id = ${q.householdId}` : sql``}
        order by h.sort_key, s.created_at
        limit 1000`,
  )
}

export async function findSensorById(db: Db, id: string): Promise<SensorListRow | undefined> {
  const [s] = await rows<SensorListRow>(
    db,
    sql`select ${sensorColumns}
        from door_sensor s join household h on h.id = s.household_id
        ${lastEventJoin}
        where s.id = ${id}`,
  )
  return s
}

/** Gives an active sensor a new secret; false when it is revoked. */
export async function replaceSensorSecret(db: Db, id: string, secretEnc: string): Promise<boolean> {
  const done = await db
    .update(doorSensor)
    .set({ secretEnc })
    .where(and(eq(doorSensor.id, id), isNull(doorSensor.revokedAt)))
    .returning({ id: doorSensor.id })
  return done.length > 0
}

export interface DoorEventRow {
  id: number
  sensorId: string
  deviceId: string
  householdId: string
  householdLabel: string
  event: string
  occurredAt: string | Date
  alerted: boolean
}

/**
 * The latest door events of households with someone under an active measure, under the actor's
 * scope (and the chosen division), newest first.
 */
export async function recentDoorEvents(
  db: Db,
  actor: ScopedActor,
  q: { divisionPath?: string | undefined; limit: number },
): Promise<DoorEventRow[]> {
  return rows<DoorEventRow>(
    db,
    sql`select e.id, e.sensor_id as "sensorId", s.device_id as "deviceId", s.household_id as "householdId",
               h.label as "householdLabel", e.event, e.occurred_at as "occurredAt", e.alerted
        from door_event e
        join door_sensor s on s.id = e.sensor_id
        join household h on h.id = s.household_id
        where ${scopeCondition(sql`s.grid_path`, actor)}
          ${q.divisionPath ? sql`and s.grid_path like ${likePrefix(q.divisionPath)}` : sql``}
          and exists (select 1 from measure m where m.household_id = s.household_id and m.status = 'active')
        order by e.occurred_at desc, e.id desc
        limit ${q.limit}`,
  )
}

export async function findActiveSensorByDevice(
  db: Db,
  deviceId: string,
): Promise<SensorRow | undefined> {
  const [s] = await db
    .select()
    .from(doorSensor)
    .where(and(eq(doorSensor.deviceId, deviceId), isNull(doorSensor.revokedAt)))
    .limit(1)
  return s
}

/** Revokes a sensor; false when it was revoked already. */
export async function markSensorRevoked(
  db: Db,
  id: string,
  by: string,
  at: Date,
): Promise<boolean> {
  const done = await db
    .update(doorSensor)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(doorSensor.id, id), isNull(doorSensor.revokedAt)))
    .returning({ id: doorSensor.id })
  return done.length > 0
}

/** Stores an event; null when the sensor sent this event id before (a replay). */
export async function insertDoorEvent(
  db: Db,
  values: typeof doorEvent.$inferInsert,
): Promise<number | null> {
  const [e] = await db
    .insert(doorEvent)
    .values(values)
    .onConflictDoNothing({ target: [doorEvent.sensorId, doorEvent.eventId] })
    .returning({ id: doorEvent.id })
  return e?.id ?? null
}

export async function markDoorEventAlerted(db: Db, id: number): Promise<void> {
  await db.update(doorEvent).set({ alerted: true }).where(eq(doorEvent.id, id))
}

/** The active measures of a household's people, with their dated plans. */
export async function activeMeasuresOfHousehold(
  db: Db,
  householdId: string,
): Promise<{ id: string; category: string; plan: Record<string, unknown> }[]> {
  return db
    .select({ id: measure.id, category: measure.category, plan: measure.plan })
    .from(measure)
    .where(and(eq(measure.householdId, householdId), eq(measure.status, 'active')))
}
