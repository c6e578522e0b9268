import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'
import { KEY_GROUP_KINDS, ROUND_KINDS } from './testing.tables.js'

export const createRoundIn = z.object({
  name: z.string().trim().min(1).max(80),
  kind: z.enum(ROUND_KINDS),
  divisionIds: z.array(z.string().uuid()).min(1).max(200),
  startsAt: isoDateTime().optional(),
  deadline: isoDateTime(),
  poolSize: z.number().int().min(1).max(50).optional(),
  householdPool: z.boolean().optional(),
  singleTubeTags: z.array(z.string().max(40)).max(20).optional(),
})

export const roundOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  scope: z.array(z.object({ id: z.string(), name: z.string(), path: z.string() })),
  startsAt: z.string(),
  deadline: z.string(),
  poolSize: z.number(),
  householdPool: z.boolean(),
  singleTubeTags: z.array(z.string()),
  profileName: z.string(),
  turnaroundHours: z.object({ pooled: z.number(), single: z.number() }),
  status: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
})

const gridProgress = z.object({ gridPath: z.string(), gridName: z.string(), inScope: z.number(), sampled: z.number(), excused: z.number(), missed: z.number() })

export const progressOut = z.object({
  round: roundOut,
  now: z.string(),
  secondsLeft: z.number(),
  totals: z.object({ inScope: z.number(), sampled: z.number(), excused: z.number(), missed: z.number() }),
  byGrid: z.array(gridProgress),
  byHour: z.array(z.object({ hour: z.string(), specimens: z.number() })),
  counters: z.object({
    specimens: z.number(),
    tubesOpen: z.number(),
    tubesClosed: z.number(),
    tubesResulted: z.number(),
    poolPositiveTubes: z.number(),
    rechecksOrdered: z.number(),
    rechecksOpen: z.number(),
    confirmed: z.number(),
    conflicts: z.number(),
  }),
  turnaround: z.array(z.object({ bucket: z.string(), tubes: z.number() })),
  overdueTubes: z.number(),
})

export const scanIn = z.object({
  clientId: z.string().min(8).max(64),
  person: z.string().max(200),
  tube: z.string().max(200),
  scannedAt: z.string().max(40),
  siteId: z.string().uuid().optional(),
  specimenType: z.enum(['throat', 'nasal']).optional(),
})

export const tubeOut = z.object({ code: z.string(), members: z.number(), capacity: z.number(), status: z.string(), kind: z.string() })

export const scanOut = z.object({
  clientId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  specimenId: z.string().optional(),
  person: z.object({ name: z.string(), household: z.string().nullable() }).optional(),
  tube: tubeOut.optional(),
  warnings: z.array(z.enum(['already_sampled', 'out_of_scope', 'outside_sampler_scope', 'tube_closed', 'recheck'])),
  error: z.object({ field: z.enum(['person', 'tube', 'scannedAt', 'round']), reason: z.string() }).optional(),
})

export const resultIn = z.object({
  tubeCode: z.string().max(200),
  result: z.string().max(40),
  retest: z.boolean().optional(),
  resultedAt: z.string().max(40).optional(),
})

export const resultsReportOut = z.object({
  rows: z.number(),
  applied: z.number(),
  duplicates: z.number(),
  conflicts: z.number(),
  rejected: z.number(),
  cleared: z.number(),
  poolPositiveTubes: z.number(),
  rechecksOrdered: z.number(),
  confirmed: z.number(),
  problems: z.array(z.object({ rowNo: z.number(), tubeCode: z.string(), outcome: z.enum(['applied', 'duplicate', 'conflict', 'rejected']), reason: z.string().optional() })),
})

export const missedItemOut = z.object({
  residentId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  gridPath: z.string(),
  household: z.string().nullable(),
  age: z.number().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
})

export const recheckOut = z.object({
  id: z.string(),
  residentId: z.string(),
  name: z.string(),
  household: z.string().nullable(),
  phone: z.string().nullable(),
  gridPath: z.string(),
  sourceTube: z.string(),
  status: z.string(),
  createdAt: z.string(),
})

export const conflictOut = z.object({
  id: z.string(),
  tubeCode: z.string(),
  held: z.string(),
  incoming: z.string(),
  lab: z.string(),
  retest: z.boolean(),
  status: z.enum(['open', 'kept', 'accepted']),
  note: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  members: z.number(),
})

export const codeOut = z.object({ residentId: z.string(), name: z.string(), token: z.string(), issuedAt: z.string(), qrSvg: z.string() })

export const keyGroupKind = z.enum(KEY_GROUP_KINDS)

/** The `:id` of a route: a round, resident, household, site, key group or lab account. */
export const idParams = z.object({ id: z.string().uuid() })

export const siteOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['fixed', 'door_to_door']),
  division: z.object({ id: z.string(), name: z.string() }),
  address: z.string().nullable(),
  lanes: z.number(),
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  active: z.boolean(),
  staff: z.array(z.object({ userId: z.string(), username: z.string(), duty: z.string() })),
  residents: z.number(),
})

export const groupOut = z.object({ id: z.string(), name: z.string(), kind: z.string(), frequency: z.string(), frequencyDays: z.number(), division: z.object({ id: z.string(), name: z.string() }), members: z.number(), overdue: z.number() })
