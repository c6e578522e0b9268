import crypto from 'node:crypto'
import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { audit } from '../core/audit/audit.service.js'
import { conflict, invalid, notFound, unauthenticated } from '../core/errors.js'
import { decryptValue, encryptValue } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { localDate, startOfLocalDay } from '../core/clock.js'
import { raiseAlerts } from '../alerts/alerts.service.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { phaseOn, type MeasurePlan } from './measures.rules.js'
import {
  activeMeasuresOfHousehold,
  findActiveSensorByDevice,
  findHouseholdPlace,
  findSensorById,
  insertDoorEvent,
  insertSensor,
  listSensorsInScope,
  markDoorEventAlerted,
  markSensorRevoked,
  recentDoorEvents,
  replaceSensorSecret,
  type SensorListRow,
} from './doors.repo.js'
import type {
  DoorEventIn,
  DoorEventOut,
  DoorEventsOut,
  DoorEventsQuery,
  RegisterSensorIn,
  SensorCreatedOut,
  SensorOut,
  SensorsOut,
  SensorsQuery,
} from './doors.schema.js'

/**
 * Door sensors (门磁, domain.md §7). A sensor belongs to a household; its secret is made here,
 * shown once and kept encrypted under the keyring. A device's event is accepted only with a valid
 * signature from a fresh timestamp and a new event id; an opening while someone of the household
 * is in home isolation that day raises an alert for the household's grid, naming the building,
 * unit and room.
 */

/** How far a device's clock (its signing time) may be from ours. */
export const DOOR_CLOCK_SKEW_MS = 5 * 60_000

const iso = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString()

const sensorOut = (s: SensorListRow): SensorOut => ({
  id: s.id,
  deviceId: s.deviceId,
  householdId: s.householdId,
  householdLabel: s.householdLabel,
  createdBy: s.createdBy,
  createdAt: iso(s.createdAt)!,
  revokedAt: iso(s.revokedAt),
  lastEvent:
    s.lastEvent && s.lastEventAt
      ? {
          event: s.lastEvent === 'open' ? 'open' : 'close',
          at: iso(s.lastEventAt)!,
          alerted: s.lastAlerted ?? false,
        }
      : null,
  underMeasure: s.underMeasure,
})

const newSecret = (): string => 'wgdoor_' + crypto.randomBytes(32).toString('base64url')

export async function registerSensor(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  input: RegisterSensorIn,
): Promise<SensorCreatedOut> {
  requireAccess(actor, 'doors:manage')
  const h = await findHouseholdPlace(tx, input.householdId)
  if (!h) throw notFound('DOOR_HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'doors:manage', { type: 'household', id: h.id, path: h.gridPath })
  const secret = newSecret()
  const s = await insertSensor(tx, {
    deviceId: input.deviceId,
    householdId: h.id,
    gridPath: h.gridPath,
    secretEnc: encryptValue(ring, secret),
    createdBy: actor.username,
  })
  if (!s) throw conflict('DOOR_SENSOR_TAKEN', { deviceId: input.deviceId })
  await audit(
    tx,
    actor,
    'doors.register',
    { type: 'door_sensor', id: s.id, path: h.gridPath },
    { detail: { deviceId: s.deviceId, household: h.label } },
  )
  const listed = await findSensorById(tx, s.id)
  return { ...sensorOut(listed!), secret }
}

/** The division a list is narrowed to, in the reader's scope. */
async function divisionPathIn(
  db: Db,
  actor: Actor,
  divisionId: string | undefined,
): Promise<string | undefined> {
  if (!divisionId) return undefined
  const d = await findDivisionById(db, divisionId)
  if (!d) throw invalid('divisionId', 'DOOR_DIVISION_UNKNOWN')
  requireAccess(actor, 'doors:read', { type: 'division', id: d.id, path: d.path })
  return d.path
}

/** Sensors under my scope, of a community or grid, or of one household (whose path is in scope by the SQL). */
export async function listSensors(db: Db, actor: Actor, q: SensorsQuery = {}): Promise<SensorsOut> {
  requireAccess(actor, 'doors:read')
  const divisionPath = await divisionPathIn(db, actor, q.divisionId)
  const list = await listSensorsInScope(db, actor, { divisionPath, householdId: q.householdId })
  return { items: list.map(sensorOut) }
}

/** Revokes a sensor: its later posts are refused as from an unknown device. Twice is not an error. */
export async function revokeSensor(tx: Tx, actor: Actor, id: string): Promise<void> {
  requireAccess(actor, 'doors:manage')
  const s = await findSensorById(tx, id)
  if (!s) throw notFound('DOOR_SENSOR_NOT_FOUND')
  const target = { type: 'door_sensor', id, path: s.gridPath }
  requireAccess(actor, 'doors:manage', target)
  if (await markSensorRevoked(tx, id, actor.username, new Date()))
    await audit(tx, actor, 'doors.revoke', target, { detail: { deviceId: s.deviceId } })
}

/**
 * Gives an active sensor a new secret, shown this once: posts signed with the old one are refused
 * from now on (a secret that leaked, a device re-flashed). A revoked sensor is registered again instead.
 */
export async function rotateSensorSecret(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
): Promise<SensorCreatedOut> {
  requireAccess(actor, 'doors:manage')
  const s = await findSensorById(tx, id)
  if (!s) throw notFound('DOOR_SENSOR_NOT_FOUND')
  const target = { type: 'door_sensor', id, path: s.gridPath }
  requireAccess(actor, 'doors:manage', target)
  const secret = newSecret()
  if (!(await replaceSensorSecret(tx, id, encryptValue(ring, secret))))
    throw conflict('DOOR_SENSOR_REVOKED', { deviceId: s.deviceId })
  await audit(tx, actor, 'doors.rotate', target, {
    detail: { deviceId: s.deviceId, household: s.householdLabel },
  })
  return { ...sensorOut(s), secret }
}

/** The latest door events of households under a measure, under my scope (newest first). */
export async function listDoorEvents(
  db: Db,
  actor: Actor,
  q: DoorEventsQuery,
): Promise<DoorEventsOut> {
  requireAccess(actor, 'doors:read')
  const divisionPath = await divisionPathIn(db, actor, q.divisionId)
  const list = await recentDoorEvents(db, actor, { divisionPath, limit: q.limit })
  return {
    items: list.map((e) => ({
      id: e.id,
      sensorId: e.sensorId,
      deviceId: e.deviceId,
      householdId: e.householdId,
      householdLabel: e.householdLabel,
      event: e.event === 'open' ? 'open' : 'close',
      occurredAt: iso(e.occurredAt)!,
      alerted: e.alerted,
    })),
  }
}

/** The signature a device sends: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
export function doorSignature(secret: string, timestamp: string, rawBody: string): string {
  return (
    'sha256=' +
    crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')
  )
}

function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && crypto.timingSafeEqual(a, b)
}

/** "HH:mm" of an instant in the deployment's zone. */
function localTime(at: Date): string {
  const minutes = Math.floor((at.getTime() - startOfLocalDay(localDate(at)).getTime()) / 60_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

/** Whether a stored plan is in a home-isolation phase on the day (a plan of another shape: no). */
function homeIsolatedOn(plan: Record<string, unknown>, day: string): boolean {
  if (!Array.isArray(plan.phases)) return false
  return phaseOn(plan as unknown as MeasurePlan, day)?.kind === 'home_isolation'
}

export interface SignedPost {
  rawBody: string
  timestamp: string | undefined
  signature: string | undefined
  now: Date
}

/**
 * A device's event (the webhook; no login): refused as from an unknown device, with a bad or
 * missing signature, signed more than 5 minutes from now, for another household than the
 * sensor's, or as a replay of an event id already received. Runs in the caller's transaction, so
 * the event and its alert are stored together.
 */
export async function receiveDoorEvent(
  tx: Tx,
  ring: Keyring,
  post: SignedPost,
  event: DoorEventIn,
): Promise<DoorEventOut> {
  const sensor = await findActiveSensorByDevice(tx, event.deviceId)
  if (!sensor) throw unauthenticated('DOOR_SENSOR_UNKNOWN')
  const secret = decryptValue(ring, sensor.secretEnc)
  if (
    !post.timestamp ||
    !post.signature ||
    !signatureMatches(doorSignature(secret, post.timestamp, post.rawBody), post.signature.trim())
  )
    throw unauthenticated('DOOR_SIGNATURE_INVALID')
  const signedAt = /^\d{1,12}$/.test(post.timestamp) ? Number(post.timestamp) * 1000 : NaN
  if (!Number.isFinite(signedAt) || Math.abs(post.now.getTime() - signedAt) > DOOR_CLOCK_SKEW_MS)
    throw unauthenticated('DOOR_TIMESTAMP_OUT_OF_WINDOW', { minutes: DOOR_CLOCK_SKEW_MS / 60_000 })
  if (event.householdId !== sensor.householdId)
    throw invalid('householdId', 'DOOR_HOUSEHOLD_MISMATCH')
  const occurredAt = new Date(event.at)
  const id = await insertDoorEvent(tx, {
    sensorId: sensor.id,
    eventId: event.eventId,
    event: event.event,
    occurredAt,
  })
  if (id === null) throw conflict('DOOR_EVENT_REPLAYED', { eventId: event.eventId })
  if (event.event !== 'open') return { accepted: true, alerted: false }

  const day = localDate(occurredAt)
  const isolated = (await activeMeasuresOfHousehold(tx, sensor.householdId)).filter((m) =>
    homeIsolatedOn(m.plan, day),
  )
  if (isolated.length === 0) return { accepted: true, alerted: false }
  const h = await findHouseholdPlace(tx, sensor.householdId)
  if (!h) return { accepted: true, alerted: false }
  await raiseAlerts(tx, [
    {
      scopePath: h.gridPath,
      kind: 'measures.door_open',
      severity: 'critical',
      code: 'ALERT_DOOR_OPENED',
      params: { building: h.building, unit: h.unit, room: h.room, time: localTime(occurredAt) },
      detail: {
        householdId: h.id,
        household: h.label,
        sensorId: sensor.id,
        eventId: event.eventId,
        measureIds: isolated.map((m) => m.id),
        at: occurredAt.toISOString(),
      },
    },
  ])
  await markDoorEventAlerted(tx, id)
  return { accepted: true, alerted: true }
}
