import { z } from 'zod'
import { isoDate } from '../core/http/dates.js'
import {
  BUILDING_KINDS,
  COLLECTIVE_KINDS,
  HOUSEHOLD_OCCUPANCIES,
  LANDLORD_KINDS,
  ID_TYPES,
  LIFE_STATUSES,
  KNOWN_TAGS,
  RELATIONS,
  RESIDENCE_TYPES,
  RESIDENT_EVENT_KINDS,
  RESIDENT_STATUSES,
  SEXES,
  TAG_PATTERN,
  TRANSFER_STATUSES,
} from './registry.vocab.js'

/**
 * The registry's contract: every endpoint's request and response, and the types the services
 * take and return (z.infer). The web app types its client (web/src/registry/api.ts) from here.
 */

export { TRANSFER_STATUSES }

const range = z
  .tuple([z.number().int().min(1).max(200), z.number().int().min(1).max(200)])
  .refine(([a, b]) => a <= b, 'from must not exceed to')

/** A reason as data: a catalogue code, the field it is about and the code's params. */
export const fieldReason = z.object({
  code: z.string(),
  field: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})

/** The `:id` of every registry route that names one record. */
export const idParams = z.object({ id: z.string().uuid() })

// Places

/** 门牌号 of a villager group or a street: up to 9,999. */
const houseRange = z
  .tuple([z.number().int().min(1).max(9999), z.number().int().min(1).max(9999)])
  .refine(([a, b]) => a <= b, 'from must not exceed to')

/**
 * A block: "building 12, units 1–3, floors 1–18, rooms 01–04". A villager group or a street:
 * `building` is its name ("三组", "新村路"), `units` its house numbers (门牌号 1–40), and
 * floors and rooms only for self-built houses let room by room ("18号201室"); without them
 * each house is one household.
 */
export const buildingLayoutIn = z
  .object({
    gridId: z.string().uuid(),
    kind: z.enum(BUILDING_KINDS).default('block'),
    building: z.string().trim().min(1).max(20),
    buildingName: z.string().trim().max(50).optional(),
    units: houseRange,
    floors: range.optional(),
    roomsPerFloor: range.optional(),
  })
  .strict()
/** What callers send (kind defaults to block), so tests and the CLI may leave it out. */
export type BuildingLayoutIn = z.input<typeof buildingLayoutIn>
export const buildingLayoutOut = z.object({
  buildingId: z.string(),
  households: z.number(),
  created: z.number(),
})
export type BuildingLayoutOut = z.infer<typeof buildingLayoutOut>

export const buildingOut = z.object({
  id: z.string(),
  gridId: z.string(),
  /** 楼栋, 村民小组 or 街巷: says whether its units are 单元 or 门牌号. */
  kind: z.enum(BUILDING_KINDS),
  code: z.string(),
  name: z.string(),
  units: z.number(),
  households: z.number(),
  residents: z.number(),
})
export type BuildingOut = z.infer<typeof buildingOut>
export const unitOut = z.object({
  id: z.string(),
  buildingId: z.string(),
  /** Its building's kind: a block's unit is a 单元, a group's or a street's a house (门牌号). */
  kind: z.enum(BUILDING_KINDS),
  code: z.string(),
  households: z.number(),
  residents: z.number(),
})
export type UnitOut = z.infer<typeof unitOut>
/** 出租 / 群租: the landlord's or 二房东's contact, phone masked; null when none recorded. */
export const householdLandlordOut = z
  .object({
    name: z.string(),
    kind: z.enum(LANDLORD_KINDS),
    phone: z.string().nullable(),
    tenancyStart: z.string().nullable(),
    tenancyEnd: z.string().nullable(),
  })
  .nullable()
export type HouseholdLandlordOut = z.infer<typeof householdLandlordOut>
/** 集体户: what it is and its name; null unless the occupancy is collective. */
export const householdCollective = z.object({
  kind: z.enum(COLLECTIVE_KINDS),
  name: z.string().trim().min(1).max(80),
})
export const householdOut = z.object({
  id: z.string(),
  unitId: z.string(),
  room: z.string(),
  floor: z.number().nullable(),
  label: z.string(),
  residents: z.number(),
  /** 以房管人; null when not recorded. */
  occupancy: z.enum(HOUSEHOLD_OCCUPANCIES).nullable(),
  /** 户代表: one of its active residents, or null. */
  representativeId: z.string().nullable(),
  landlord: householdLandlordOut,
  collective: householdCollective.nullable(),
})
export type HouseholdOut = z.infer<typeof householdOut>
/** What PUT /api/households/:id/occupancy answers: the household's facts as recorded. */
export const householdFactsOut = householdOut.pick({
  id: true,
  occupancy: true,
  representativeId: true,
  landlord: true,
  collective: true,
})
export type HouseholdFactsOut = z.infer<typeof householdFactsOut>

/** ?reveal=phone on a household's landlord: the phone in full (pii:reveal, audited). */
export const landlordQuery = z.object({ reveal: z.literal('phone').optional() }).strict()
export const householdLandlordAnswer = z.object({
  id: z.string(),
  landlord: householdLandlordOut,
  revealed: z.boolean(),
})
export type HouseholdLandlordAnswer = z.infer<typeof householdLandlordAnswer>

/** 出租 / 群租: who lets the flat (房东 or 二房东) and the tenancy's dates; end not before start. */
export const householdLandlordIn = z
  .object({
    name: z.string().trim().min(1).max(50),
    kind: z.enum(LANDLORD_KINDS),
    phone: z.string().trim().min(1).max(40),
    tenancyStart: isoDate().nullable().optional(),
    tenancyEnd: isoDate().nullable().optional(),
  })
  .strict()
export type HouseholdLandlordIn = z.infer<typeof householdLandlordIn>

/**
 * A household's facts: its occupancy; for 出租 / 群租 the landlord contact (null clears, left out
 * keeps); for 集体户 what it is and its name; its 户代表 (null clears, left out keeps).
 */
export const householdOccupancyIn = z
  .object({
    occupancy: z.enum(HOUSEHOLD_OCCUPANCIES),
    landlord: householdLandlordIn.nullable().optional(),
    representativeId: z.string().uuid().nullable().optional(),
    /** Required with occupancy collective (集体户); left out keeps the recorded one. */
    collective: householdCollective.strict().nullable().optional(),
  })
  .strict()
export type HouseholdOccupancyIn = z.infer<typeof householdOccupancyIn>
export const buildingListOut = z.object({ items: z.array(buildingOut) })
export const unitListOut = z.object({ items: z.array(unitOut) })
export const householdListOut = z.object({ items: z.array(householdOut) })

// Residents

const idTypes = z.enum(ID_TYPES)
const sex = z.enum(SEXES)
const relation = z.enum(RELATIONS)
const residenceType = z.enum(RESIDENCE_TYPES)
/** A GB/T 2260 county code: 6 digits (the province part is checked by the rules). */
const regionCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, '6 digits')
const tagIn = z.string().regex(TAG_PATTERN, 'lower-case letters, digits and _')
/** A known tag (domain.md §10), or a free code of the same form: the vocabulary stays open. */
export const tagOut = z.union([z.enum(KNOWN_TAGS), z.string().regex(TAG_PATTERN)])

export const registerResidentIn = z
  .object({
    householdId: z.string().uuid(),
    name: z.string().trim().min(1).max(50),
    idType: idTypes.optional(),
    idNumber: z.string().trim().min(1).max(30),
    phone: z.string().trim().max(20).optional(),
    sex: sex.optional(),
    birthDate: isoDate().optional(),
    relation: relation.optional(),
    residenceType,
    employer: z.string().trim().max(100).optional(),
    notes: z.string().trim().max(1000).optional(),
    tags: z.array(tagIn).max(20).optional(),
    /** 户籍地 as written; possibly another city (人在户不在). */
    hukouAddress: z.string().trim().min(2).max(200).optional(),
    /** The hukou address's GB/T 2260 county code. */
    hukouRegion: regionCode.optional(),
  })
  .strict()
export type RegisterResidentIn = z.infer<typeof registerResidentIn>

export const updateResidentIn = registerResidentIn
  .omit({ householdId: true, idNumber: true, idType: true, tags: true })
  .partial()
  .extend({
    phone: z.string().trim().max(20).nullable().optional(),
    hukouAddress: z.string().trim().min(2).max(200).nullable().optional(),
    hukouRegion: regionCode.nullable().optional(),
  })
  .strict()
export type UpdateResidentIn = z.infer<typeof updateResidentIn>

export const moveResidentIn = z
  .object({ householdId: z.string().uuid(), relation: relation.optional() })
  .strict()
export type MoveResidentIn = z.infer<typeof moveResidentIn>
export const moveOutIn = z.object({ reason: z.string().trim().min(2).max(200) }).strict()
export type MoveOutIn = z.infer<typeof moveOutIn>
/**
 * 死亡 (with the date), 长期外出 (where, since), 户在人不在 (since, where they live if known), or
 * back to living here (the undo). None of the three is in a round's population.
 */
export const residentStatusIn = z
  .object({
    status: z.enum(LIFE_STATUSES),
    /** deceased: the date of death (required); away_long / hukou_only: since (today if left out). */
    on: isoDate().optional(),
    /** away_long: where to (required); hukou_only: where they live. */
    place: z.string().trim().min(1).max(100).optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
export type ResidentStatusIn = z.infer<typeof residentStatusIn>
export const setTagsIn = z.object({ tags: z.array(tagIn).max(20) }).strict()
export type SetTagsIn = z.infer<typeof setTagsIn>

export const residentListQuery = z
  .object({
    q: z.string().trim().max(30).optional(),
    divisionId: z.string().uuid().optional(),
    householdId: z.string().uuid().optional(),
    tag: z.string().regex(TAG_PATTERN).optional(),
    minAge: z.coerce.number().int().min(0).max(130).optional(),
    maxAge: z.coerce.number().int().min(0).max(130).optional(),
    residenceType: residenceType.optional(),
    status: z.enum(RESIDENT_STATUSES).default('active'),
    after: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type ResidentListQuery = z.infer<typeof residentListQuery>

/** Which personal fields a reader asked to see in full (pii:reveal, audited). */
export const REVEALS = ['id', 'phone'] as const
export type Reveal = (typeof REVEALS)[number]
const revealList = z.string().regex(/^(id|phone)(,(id|phone))?$/)
export const revealQuery = z.object({ reveal: revealList.optional() }).strict()
/** `id,phone` → ['id', 'phone'] (the query schema has checked the form). */
export function revealsOf(list: string | undefined): Reveal[] {
  return list ? (list.split(',') as Reveal[]) : []
}

export const residentOut = z.object({
  id: z.string(),
  name: z.string(),
  idType: idTypes,
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  revealed: z.array(z.enum(REVEALS)),
  sex: sex.nullable(),
  birthDate: z.string().nullable(),
  age: z.number().nullable(),
  relation: relation.nullable(),
  residenceType,
  employer: z.string().nullable(),
  notes: z.string().nullable(),
  status: z.enum(RESIDENT_STATUSES),
  /** deceased: date of death; away_long / hukou_only: since when. */
  statusOn: z.string().nullable(),
  /** away_long: where; hukou_only: where they live. */
  statusPlace: z.string().nullable(),
  hukouAddress: z.string().nullable(),
  hukouRegion: z.string().nullable(),
  /**
   * 人户分离 as the grid worker sees it: hukou_elsewhere (人在户不在: lives here, registered
   * elsewhere), hukou_only (户在人不在: registered here, lives elsewhere); null otherwise.
   */
  separation: z.enum(['hukou_elsewhere', 'hukou_only']).nullable(),
  householdId: z.string().nullable(),
  householdLabel: z.string().nullable(),
  gridId: z.string().nullable(),
  tags: z.array(tagOut),
})
export type ResidentOut = z.infer<typeof residentOut>
export const residentPage = z.object({ items: z.array(residentOut), next: z.string().nullable() })
export type ResidentPage = z.infer<typeof residentPage>

/* Presence (在家 / 外出 / 返回), kept on the resident across rounds (domain.md §5). */
export const PRESENCE_STATUSES = ['home', 'away', 'returned'] as const
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number]

export const presenceIn = z.object({
  status: z.enum(PRESENCE_STATUSES),
  /** Where to (away: required). */
  destination: z.string().trim().max(100).optional(),
  /** Left on (away) or came back on (returned); today when left out. Local dates. */
  since: isoDate().optional(),
  /** Expected back on (away); open-ended when left out. */
  returnOn: isoDate().optional(),
  note: z.string().trim().max(300).optional(),
})
export type PresenceIn = z.infer<typeof presenceIn>

export const presenceOut = z.object({
  status: z.enum(PRESENCE_STATUSES),
  destination: z.string().nullable(),
  since: z.string().nullable(),
  returnOn: z.string().nullable(),
  note: z.string().nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
})
export type PresenceOut = z.infer<typeof presenceOut>

export const residentDetailOut = residentOut.extend({
  household: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      relation: relation.nullable(),
      age: z.number().nullable(),
    }),
  ),
  events: z.array(
    z.object({
      kind: z.enum(RESIDENT_EVENT_KINDS),
      at: z.string(),
      actorName: z.string(),
      fromHousehold: z.string().nullable(),
      toHousehold: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  tagDetails: z.array(z.object({ tag: tagOut, setBy: z.string(), setAt: z.string() })),
  /** Where the resident is; null: never marked (at home). */
  presence: presenceOut.nullable(),
})
export type ResidentDetailOut = z.infer<typeof residentDetailOut>

/**
 * `transfer_requested`: the ID number is registered in a community outside the caller's
 * scope. `resident` is then null and `transfer` echoes only what the caller typed.
 * `repaired`: what was repaired in the input, as codes (`REPAIR_ID_15_TO_18` on idNumber).
 */
export const registerOutcome = z.object({
  outcome: z.enum(['created', 'moved', 'unchanged', 'updated', 'transfer_requested']),
  resident: residentOut.nullable(),
  transfer: z
    .object({
      id: z.string(),
      status: z.enum(TRANSFER_STATUSES),
      name: z.string(),
      householdLabel: z.string(),
    })
    .optional(),
  repaired: z.array(fieldReason),
})
export type RegisterOutcome = z.infer<typeof registerOutcome>

/** The export takes the list's filters (no paging) and, for an unmasked file, what to reveal and why. */
export const exportQuery = residentListQuery.omit({ after: true, limit: true }).extend({
  reveal: revealList.optional(),
  reason: z.string().trim().max(200).optional(),
  lang: z.enum(['zh-CN', 'en']).optional(),
})
export type ExportFilter = Omit<ResidentListQuery, 'after' | 'limit'>

// Transfers between communities

export const transferListQuery = z
  .object({
    direction: z.enum(['in', 'out']).optional(),
    status: z.enum(TRANSFER_STATUSES).optional(),
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict()
export type TransferListQuery = z.infer<typeof transferListQuery>

/** What the registering side typed, kept (resident_transfer.typed) until the old side decides; the phone is sealed apart. */
export const transferTyped = z.object({
  name: z.string(),
  idType: idTypes,
  sex: sex.nullable(),
  birthDate: z.string().nullable(),
  relation: relation.nullable(),
  residenceType,
  employer: z.string().nullable(),
  notes: z.string().nullable(),
  tags: z.array(tagOut),
})
export type TransferTyped = z.infer<typeof transferTyped>

/**
 * One transfer as a side sees it. `in` (the registering side): what it typed and the status;
 * the old record (`residentId`, `residentName`, `fromHousehold`) only once confirmed.
 * `out` (the side the person is registered in): the record, where they now live, and the decision.
 */
export const transferOut = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  status: z.enum(TRANSFER_STATUSES),
  typedName: z.string(),
  typedPhone: z.string().nullable(),
  toHousehold: z.string(),
  toGrid: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  fromHousehold: z.string().nullable(),
  fromGrid: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  canDecide: z.boolean(),
})
export type TransferOut = z.infer<typeof transferOut>
export const transferPage = z.object({ items: z.array(transferOut), next: z.string().nullable() })
export type TransferPage = z.infer<typeof transferPage>
export const confirmTransferIn = z.object({ note: z.string().trim().max(200).optional() }).strict()
export type ConfirmTransferIn = z.infer<typeof confirmTransferIn>
export const disputeTransferIn = z.object({ reason: z.string().trim().min(2).max(200) }).strict()
export type DisputeTransferIn = z.infer<typeof disputeTransferIn>
