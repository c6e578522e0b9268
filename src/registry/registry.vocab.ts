/**
 * The registry's closed vocabularies: the values a stored column may hold and the schemas
 * state as enums. Pure data (no pinyin, no Node APIs), so the web app may import it too.
 */

export const RESIDENCE_TYPES = ['registered', 'permanent', 'floating', 'tenant'] as const
export type ResidenceType = (typeof RESIDENCE_TYPES)[number]

export const RELATIONS = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'tenant',
  'other',
] as const
export type Relation = (typeof RELATIONS)[number]

export const ID_TYPES = [
  'resident_id',
  'hk_macau_permit',
  'taiwan_permit',
  'foreigner_id',
  'passport',
  'other',
] as const

export const SEXES = ['male', 'female'] as const
export type Sex = (typeof SEXES)[number]

/**
 * provisional: a walk-in registered at a sampling desk, awaiting reconciliation; passing_through:
 * reconciled as a non-resident (kept for tracing); merged: found to be another resident. Only
 * 'active' residents are in a round's population (missed lists, progress).
 */
export const RESIDENT_STATUSES = [
  'active',
  'moved_out',
  'provisional',
  'passing_through',
  'merged',
] as const

/** How a walk-in's registration stands (provisional_registration.status). */
export const PROVISIONAL_STATUSES = ['open', 'confirmed', 'merged', 'passing_through'] as const
export type ProvisionalStatus = (typeof PROVISIONAL_STATUSES)[number]

/** What a resident's history records (resident_event.kind). */
export const RESIDENT_EVENT_KINDS = [
  'registered',
  'moved',
  'updated',
  'moved_out',
  'tags',
  'presence',
] as const
export type ResidentEventKind = (typeof RESIDENT_EVENT_KINDS)[number]

export const TRANSFER_STATUSES = ['requested', 'confirmed', 'disputed'] as const
export type TransferStatus = (typeof TRANSFER_STATUSES)[number]

/**
 * Tags of domain.md §10 the screens and exports know by name. The vocabulary stays open (a
 * worker may add a free code, later domains add theirs), so a tag is one of these or a code
 * of TAG_PATTERN.
 */
export const KNOWN_TAGS = [
  'chronic_disease',
  'chronic_key',
  'chronic_sub_key',
  'dialysis',
  'chemotherapy',
  'pregnancy',
  'living_alone',
  'disabled',
  'minor_alone',
  'mental_illness',
  'bedridden',
  'key_job',
] as const
export type KnownTag = (typeof KNOWN_TAGS)[number]

export const TAG_PATTERN = /^[a-z][a-z0-9_]{1,39}$/
