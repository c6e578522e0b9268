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
  'daughter_in_law',
  'son_in_law',
  'nanny',
  'caregiver',
  'co_resident',
  'tenant',
  'other',
] as const
export type Relation = (typeof RELATIONS)[number]

export const ID_TYPES = [
  'resident_id',
  'hk_macau_permit',
  'taiwan_permit',
  'foreigner_id',
  'hk_macau_travel_permit',
  'taiwan_travel_permit',
  'passport',
  'other',
] as const

export const SEXES = ['male', 'female'] as const
export type Sex = (typeof SEXES)[number]

/**
 * provisional: a walk-in registered at a sampling desk, awaiting reconciliation; passing_through:
 * reconciled as a non-resident (kept for tracing); merged: found to be another resident;
 * deceased (死亡, with the date), away_long (长期外出, where and since) and hukou_only (户在人不在:
 * registered here, living elsewhere) keep their household but nobody lives there for them. Only
 * 'active' residents are in a round's population (missed lists, progress, household tubes) and
 * inside a risk area.
 */
export const RESIDENT_STATUSES = [
  'active',
  'moved_out',
  'provisional',
  'passing_through',
  'merged',
  'deceased',
  'away_long',
  'hukou_only',
] as const
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number]

/** The statuses a worker sets and undoes on the resident page (back to 'active' is the undo). */
export const LIFE_STATUSES = ['active', 'deceased', 'away_long', 'hukou_only'] as const
export type LifeStatus = (typeof LIFE_STATUSES)[number]

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
  'status',
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

/**
 * A household's occupancy (以房管人): 自住, 出租, 空置, 群租, 商铺, 集体户. A vacant flat's
 * registered people are not in a round's population (nobody there to miss a test).
 */
export const HOUSEHOLD_OCCUPANCIES = [
  'owner_occupied',
  'rented',
  'vacant',
  'group_rented',
  'shop',
  'collective',
] as const
export type HouseholdOccupancy = (typeof HOUSEHOLD_OCCUPANCIES)[number]

/**
 * A collective household (集体户): a dormitory (宿舍), a building site's camp (工地), a care home
 * (养老院), a school or another institution, with its name ("某建筑工地项目部宿舍").
 */
export const COLLECTIVE_KINDS = ['dormitory', 'work_site', 'care_home', 'school', 'other'] as const
export type CollectiveKind = (typeof COLLECTIVE_KINDS)[number]

/** Who lets a 出租 / 群租 flat: the owner (房东) or a sub-landlord (二房东). */
export const LANDLORD_KINDS = ['landlord', 'sub_landlord'] as const
export type LandlordKind = (typeof LANDLORD_KINDS)[number]
/** The occupancies that have a landlord contact. */
export const LET_OCCUPANCIES: readonly HouseholdOccupancy[] = ['rented', 'group_rented']

/**
 * What a registry building is (domain.md §2): a block of flats (楼栋: units 单元 and rooms), a
 * rural villager group (村民小组: house numbers 门牌号, each a house, rooms optional for a
 * self-built house let room by room), or a street or lane of houses (街巷: the same, in a town
 * or 城中村). The kind follows from the code (registry.rules `buildingKindOf`): a group's code
 * ends in 组 ("3组", "王家湾组"), a street's in 路/街/巷/弄/胡同/村/屯.
 */
export const BUILDING_KINDS = ['block', 'villager_group', 'street'] as const
export type BuildingKind = (typeof BUILDING_KINDS)[number]
