import { z } from 'zod'
import { isoDate, isoDateTime } from '../core/http/dates.js'

export const GATE_DIRECTIONS = ['out', 'in'] as const

const text = (max: number) => z.string().trim().max(max)

export const passageIn = z
  .object({
    /** The phone's id of this scan: a scan queued offline and sent again is logged once. */
    clientId: z.string().min(8).max(80),
    direction: z.enum(GATE_DIRECTIONS),
    /** What was scanned or typed: a resident code, an exit pass, an ID number or another document. */
    scan: text(200).min(1).optional(),
    /** Someone who does not live here (no scan that names a resident). */
    visitor: z
      .object({
        name: text(40).min(1),
        idNumber: text(40).optional(),
        phone: text(30).optional(),
      })
      .strict()
      .optional(),
    /** When the scan was made on the phone (a queued scan keeps its time); default now. */
    at: isoDateTime().optional(),
  })
  .strict()
export type PassageIn = z.infer<typeof passageIn>

export const gateReason = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
})

export const passageOut = z.object({
  id: z.string(),
  checkpointId: z.string(),
  direction: z.enum(GATE_DIRECTIONS),
  kind: z.enum(['resident', 'visitor', 'pass_holder']),
  /** Masked (张*三). */
  name: z.string(),
  household: z.string().nullable(),
  /** A visitor's ID number and phone, masked. */
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  allowed: z.boolean(),
  reasons: z.array(gateReason),
  /** The lockdown the rules were judged under (the strictest area measure), null: none. */
  zone: z.enum(['sealed', 'controlled', 'precaution']).nullable(),
  usedPass: z.boolean(),
  clientId: z.string(),
  at: z.string(),
  actor: z.string(),
})
export type PassageOut = z.infer<typeof passageOut>

export const passageListQuery = z
  .object({
    day: isoDate().optional(),
    refused: z.enum(['true', 'false']).optional(),
  })
  .strict()
export type PassageListQuery = z.infer<typeof passageListQuery>

export const passageList = z.object({
  day: z.string(),
  items: z.array(passageOut),
  counts: z.object({ total: z.number(), refused: z.number() }),
})
export type PassageList = z.infer<typeof passageList>

export const householdIdParams = z.object({ id: z.string().uuid() }).strict()

export const exitPassIssueIn = z.object({ day: isoDate().optional() }).strict()
export type ExitPassIssueIn = z.infer<typeof exitPassIssueIn>

export const exitPassQuery = z.object({ day: isoDate().optional() }).strict()

export const exitPassOut = z.object({
  id: z.string(),
  seq: z.number().int(),
  day: z.string(),
  token: z.string(),
  qrSvg: z.string(),
  usedAt: z.string().nullable(),
})

export const exitPassList = z.object({
  householdId: z.string(),
  household: z.string(),
  day: z.string(),
  /** The profile's count a day; null: no pass is needed under it. */
  perDay: z.number().int().nullable(),
  items: z.array(exitPassOut),
})
export type ExitPassList = z.infer<typeof exitPassList>

export const gateIndicatorsOut = z.object({
  day: z.string(),
  refusedExits: z.number().int(),
  arrivalsByOrigin: z.array(z.object({ origin: z.string(), count: z.number().int() })),
  arrivalsWithoutMeasure: z.number().int(),
})
export type GateIndicatorsOut = z.infer<typeof gateIndicatorsOut>
