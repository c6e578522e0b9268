import { z } from 'zod'

/**
 * The door-sensor webhook (门磁, domain.md §7) and the registration of sensors. A device signs
 * each post with its own secret: `X-WG-Timestamp` is the Unix time in seconds and
 * `X-WG-Signature` is `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<raw body>` under the
 * secret. A post more than 5 minutes off, with a bad signature, from an unknown device or
 * repeating an event id is refused.
 */

export const DOOR_SIGNATURE_HEADER = 'x-wg-signature'
export const DOOR_TIMESTAMP_HEADER = 'x-wg-timestamp'

/** A device id as printed on the sensor: letters, digits and . _ : - */
const deviceId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:-]{3,64}$/)

export const registerSensorIn = z.object({
  deviceId,
  householdId: z.uuid(),
})
export type RegisterSensorIn = z.infer<typeof registerSensorIn>

export const sensorOut = z.object({
  id: z.string(),
  deviceId: z.string(),
  householdId: z.string(),
  /** "12栋1单元1201" */
  householdLabel: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** The sensor's latest accepted event, if any. */
  lastEvent: z
    .object({ event: z.enum(['open', 'close']), at: z.string(), alerted: z.boolean() })
    .nullable(),
  /** Whether someone of the household is under an active measure now. */
  underMeasure: z.boolean(),
})
export type SensorOut = z.infer<typeof sensorOut>

/** The registration's (and a rotation's) answer: the secret is shown this once and never again. */
export const sensorCreatedOut = sensorOut.extend({ secret: z.string() })
export type SensorCreatedOut = z.infer<typeof sensorCreatedOut>

export const sensorsOut = z.object({ items: z.array(sensorOut) })
export type SensorsOut = z.infer<typeof sensorsOut>

/** Sensors (revoked ones too) of a community or grid, or of one household, under my scope. */
export const sensorsQuery = z
  .object({
    divisionId: z.uuid().optional(),
    householdId: z.uuid().optional(),
  })
  .strict()
export type SensorsQuery = z.infer<typeof sensorsQuery>

/** Recent door events of households with someone under an active measure. */
export const doorEventsQuery = z
  .object({
    divisionId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type DoorEventsQuery = z.infer<typeof doorEventsQuery>

export const doorEventItem = z.object({
  id: z.number(),
  sensorId: z.string(),
  deviceId: z.string(),
  householdId: z.string(),
  householdLabel: z.string(),
  event: z.enum(['open', 'close']),
  occurredAt: z.string(),
  /** Whether this opening raised an alert (someone was in home isolation that day). */
  alerted: z.boolean(),
})
export const doorEventsOut = z.object({ items: z.array(doorEventItem) })
export type DoorEventsOut = z.infer<typeof doorEventsOut>

export const sensorIdParams = z.object({ id: z.uuid() })

export const doorEventIn = z.object({
  deviceId,
  householdId: z.uuid(),
  event: z.enum(['open', 'close']),
  /** When the door moved (ISO 8601 with an offset). */
  at: z.iso.datetime({ offset: true }),
  /** The device's id of this event; a second post with it is a replay. */
  eventId: z.string().trim().min(1).max(100),
})
export type DoorEventIn = z.infer<typeof doorEventIn>

export const doorEventHeaders = z.looseObject({
  [DOOR_TIMESTAMP_HEADER]: z.string().max(20).optional(),
  [DOOR_SIGNATURE_HEADER]: z.string().max(100).optional(),
})

export const doorEventOut = z.object({
  accepted: z.literal(true),
  /** Whether the opening raised an alert (someone of the household is in home isolation today). */
  alerted: z.boolean(),
})
export type DoorEventOut = z.infer<typeof doorEventOut>
