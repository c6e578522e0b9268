import { addDays } from '../core/clock.js'
import type { ARRIVAL_CATEGORIES, ORIGINS, CheckpointsSettings } from '../policy/policy.service.js'

/**
 * Itinerary classification (domain.md §4, §7): the places an arrival stayed in over the profile's
 * window are matched against the external risk-area list (other cities' areas) and the local
 * areas (this city's zones); the most severe origin the profile classifies becomes the arrival's
 * origin, with its measures category from `profile.classify`. Pure: no database, no clock — the
 * caller passes the arrival date (local, YYYY-MM-DD) and the lists.
 *
 * Decisions where the brief is silent (docs/GLOSSARY.md "itinerary classification"):
 * - an entry counts for a stay when it was in force on some day of the stay inside the window:
 *   `validFrom ≤ stay end` and `validTo` (the day it stops counting, exclusive) `> stay start`;
 *   a place without dates is taken as stayed over the whole window (the stricter reading);
 * - an entry covers a place when the place has the entry's finest name (province → city →
 *   district → street → place) and no coarser name that differs; names are compared after
 *   normalisation (NFKC, so 全角 becomes half-width; spaces dropped; 省/市/区/县/街道/镇/小区 …
 *   suffixes stripped, so 南京 matches 南京市); a free-text place matches when it contains the
 *   entry's names;
 * - a place in a district that has an active high or medium area (and itself in none) is
 *   `low_risk_area_in_risk_county`;
 * - severity, most first: overseas, hk_macau_taiwan, high, medium, low in a risk county, low;
 * - `stricterLocalRule`: a stay matched an origin the profile does not classify (a medium area
 *   under opt20, a high area under new10): a local rule putting a measure on it would be
 *   stricter than the profile, so it is flagged for a person, never applied here;
 * - `unmatched`: domestic places inside the window that matched no entry (nor a risk county),
 *   kept and flagged for a person to look at, never dropped.
 */

export type Origin = (typeof ORIGINS)[number]
export type ArrivalCategory = (typeof ARRIVAL_CATEGORIES)[number]
export type RiskLevel = 'high' | 'medium' | 'low'
export const RISK_LEVELS = ['high', 'medium', 'low'] as const satisfies readonly RiskLevel[]

/** The administrative names of a place or an area, coarsest first; any may be missing. */
export interface AreaNames {
  province?: string | null
  city?: string | null
  district?: string | null
  street?: string | null
  /** Compound, village, building or venue (小区 / 村 / 场所). */
  place?: string | null
}

/** One place of an itinerary, as the arrival or the gate staff entered it. */
export interface ItineraryPlace extends AreaNames {
  /** Free text when the place was not split into names (南京市鼓楼区湖南路). */
  text?: string | null
  /** First and last day stayed (YYYY-MM-DD, local); missing: the whole window. */
  from?: string | null
  to?: string | null
  overseas?: boolean
  /** ISO 3166-1 alpha-2; HK / MO / TW are hk_macau_taiwan, any other but CN overseas. */
  countryCode?: string | null
}

/** An entry of the external risk-area list, in force from `validFrom` until `validTo` (exclusive). */
export interface ExternalArea extends AreaNames {
  id: string
  level: RiskLevel
  validFrom: string
  /** The day it stops counting (YYYY-MM-DD); null: still in force. */
  validTo?: string | null
}

/** A local risk area (src/zones) with the names of where it lies and its active days. */
export interface LocalAreaRef extends AreaNames {
  id: string
  level: RiskLevel
  /** The local day it started (YYYY-MM-DD). */
  validFrom: string
  /** The local day it was lifted; null: active. */
  validTo?: string | null
}

/** What classification reads of the checkpoints section. */
export type CheckpointsProfile = Pick<CheckpointsSettings, 'itineraryWindowDays' | 'classify'>

export interface ItineraryMatch {
  placeIndex: number
  areaId: string
  level: RiskLevel
  source: 'external' | 'local'
  /** What the match makes of the place (a risk county's district: low_risk_area_in_risk_county). */
  origin: Origin
}

export interface Classification {
  /** The most severe origin the profile classifies; null: none. */
  origin: Origin | null
  /** The measures category (§7) of that origin, from profile.classify. */
  category: ArrivalCategory | null
  /** The most severe origin found, classified or not (what a person reads beside the result). */
  observed: Origin | null
  matches: ItineraryMatch[]
  /** Places in the window that match nothing: kept and flagged for a person. */
  unmatched: number[]
  /** Places whose stay ended before the window (not matched, not flagged). */
  outsideWindow: number[]
  /** A stay matched an origin the profile does not classify (a local rule would be stricter). */
  stricterLocalRule?: boolean
  /** The first day of the window (arrival date − N). */
  windowStart: string
}

export interface ClassifyInput {
  places: ItineraryPlace[]
  arrivedOn: string
  externalAreas: ExternalArea[]
  localAreas: LocalAreaRef[]
  profile: CheckpointsProfile
}

const SEVERITY: readonly Origin[] = [
  'overseas',
  'hk_macau_taiwan',
  'high_risk_area',
  'medium_risk_area',
  'low_risk_area_in_risk_county',
  'low_risk_area',
]
const rank = (o: Origin): number => SEVERITY.indexOf(o)

const NAME_FIELDS = ['province', 'city', 'district', 'street', 'place'] as const
type NameField = (typeof NAME_FIELDS)[number]

/** Suffixes stripped per level, longest first (the core must keep at least one character). */
const SUFFIXES: Record<NameField, readonly string[]> = {
  province: ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'],
  city: ['自治州', '地区', '盟', '市'],
  district: ['自治县', '新区', '区', '县', '市', '旗'],
  street: ['街道办事处', '街道', '镇', '乡', '街'],
  place: ['小区', '社区', '村委会', '村'],
}
/** What stands for "no city" under a municipality (北京市 → 市辖区). */
const EMPTY_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划'])

/** NFKC (全角 → half-width), no spaces or dots, lower case. */
export function cleanText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s·・.,，、()（）\-—_]/g, '')
    .toLowerCase()
}

/** A name reduced to its core at a level: 南京市 → 南京, 鼓楼区 → 鼓楼, 湖南路街道 → 湖南路. */
export function normaliseName(field: NameField, name: string | null | undefined): string {
  if (!name) return ''
  const c = cleanText(name)
  if (!c || EMPTY_NAMES.has(c)) return ''
  for (const suf of SUFFIXES[field]) {
    if (c.endsWith(suf) && c.length > suf.length) return c.slice(0, -suf.length)
  }
  return c
}

type Normalised = Record<NameField, string>

export function normaliseNames(n: AreaNames): Normalised {
  return {
    province: normaliseName('province', n.province),
    city: normaliseName('city', n.city),
    district: normaliseName('district', n.district),
    street: normaliseName('street', n.street),
    place: normaliseName('place', n.place),
  }
}

/** The finest named level of a set of names; null when it has none. */
function finest(n: Normalised): NameField | null {
  for (let i = NAME_FIELDS.length - 1; i >= 0; i--) if (n[NAME_FIELDS[i]!]) return NAME_FIELDS[i]!
  return null
}

/** Whether an entry covers a place (see the header); `upTo` limits the entry to a coarser level. */
function covers(entry: Normalised, place: Normalised, text: string, upTo?: NameField): boolean {
  const depth = upTo ? NAME_FIELDS.indexOf(upTo) : NAME_FIELDS.length - 1
  let deepest = -1
  for (let i = 0; i <= depth; i++) if (entry[NAME_FIELDS[i]!]) deepest = i
  if (deepest < 0) return false
  for (let i = 0; i <= deepest; i++) {
    const f = NAME_FIELDS[i]!
    const want = entry[f]
    if (!want) continue
    const have = place[f]
    if (have) {
      if (have !== want) return false
    } else if (text) {
      if (!text.includes(want)) {
        if (i === deepest) return false
      }
    } else if (i === deepest) return false
  }
  return true
}

const HMT = new Set(['HK', 'MO', 'TW'])
const HMT_NAMES = ['香港', '澳门', '澳門', '台湾', '臺灣', '台灣']

/** overseas / hk_macau_taiwan from the country code, the flag or the province name; else null. */
function foreignOrigin(p: ItineraryPlace, n: Normalised, text: string): Origin | null {
  const cc = p.countryCode?.trim().toUpperCase()
  if (cc && HMT.has(cc)) return 'hk_macau_taiwan'
  if (HMT_NAMES.some((h) => n.province.startsWith(h) || (!n.province && text.startsWith(h))))
    return 'hk_macau_taiwan'
  if (cc && cc !== 'CN') return 'overseas'
  if (p.overseas) return 'overseas'
  return null
}

interface Indexed<T> {
  entry: T
  names: Normalised
  source: 'external' | 'local'
}

/** Whether an entry was in force on some day of [start, end] (validTo exclusive). */
const inForce = (e: { validFrom: string; validTo?: string | null }, start: string, end: string) =>
  e.validFrom <= end && (e.validTo == null || e.validTo > start)

/**
 * A reusable index of the lists: built once per batch (classifyArrival over many arrivals), it
 * buckets entries by their normalised district and city, so a place is compared with the entries
 * of its own district (plus the coarser entries and any whose district the place does not name).
 */
export class AreaIndex {
  private readonly byDistrict = new Map<string, Indexed<ExternalArea | LocalAreaRef>[]>()
  private readonly byCity = new Map<string, Indexed<ExternalArea | LocalAreaRef>[]>()
  private readonly byCityAll = new Map<string, Indexed<ExternalArea | LocalAreaRef>[]>()
  private readonly noCity: Indexed<ExternalArea | LocalAreaRef>[] = []
  private readonly coarse: Indexed<ExternalArea | LocalAreaRef>[] = []
  /** By the finest and the district name (free-text places), with the lengths of those names. */
  private readonly byKey = new Map<string, Indexed<ExternalArea | LocalAreaRef>[]>()
  private readonly keyLengths = new Set<number>()
  readonly all: Indexed<ExternalArea | LocalAreaRef>[] = []

  constructor(externalAreas: readonly ExternalArea[], localAreas: readonly LocalAreaRef[]) {
    const add = (entry: ExternalArea | LocalAreaRef, source: 'external' | 'local') => {
      const names = normaliseNames(entry)
      const deepest = finest(names)
      if (!deepest) return
      const it = { entry, names, source }
      this.all.push(it)
      if (names.district) push(this.byDistrict, names.district, it)
      else if (names.city) push(this.byCity, names.city, it)
      else this.coarse.push(it)
      if (names.city) push(this.byCityAll, names.city, it)
      else this.noCity.push(it)
      const keys = new Set([names[deepest], names.district].filter(Boolean))
      for (const k of keys) {
        push(this.byKey, k, it)
        this.keyLengths.add(k.length)
      }
    }
    for (const e of externalAreas) add(e, 'external')
    for (const e of localAreas) add(e, 'local')
  }

  /** The entries that may cover a place with these names (a superset; `covers` decides). */
  candidates(place: Normalised, text = ''): Indexed<ExternalArea | LocalAreaRef>[] {
    if (place.district) {
      const out = [...(this.byDistrict.get(place.district) ?? []), ...this.coarse]
      if (place.city) out.push(...(this.byCity.get(place.city) ?? []))
      else for (const l of this.byCity.values()) out.push(...l)
      return out
    }
    if (place.city) return [...(this.byCityAll.get(place.city) ?? []), ...this.noCity]
    if (text && !place.street && !place.place) {
      // Free text: an entry covers it only if the text holds its finest name (or, for a risk
      // county, its district name): look up every piece of the text of a name's length.
      const out = new Set<Indexed<ExternalArea | LocalAreaRef>>()
      for (const len of this.keyLengths)
        for (let i = 0; i + len <= text.length; i++)
          for (const it of this.byKey.get(text.slice(i, i + len)) ?? []) out.add(it)
      return [...out]
    }
    return this.all
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k)
  if (l) l.push(v)
  else m.set(k, [v])
}

/** Classify an arrival's itinerary (see the header for every rule). */
export function classifyItinerary(input: ClassifyInput, index?: AreaIndex): Classification {
  const { places, arrivedOn, profile } = input
  const idx = index ?? new AreaIndex(input.externalAreas, input.localAreas)
  const windowStart = addDays(arrivedOn, -profile.itineraryWindowDays)
  const matches: ItineraryMatch[] = []
  const unmatched: number[] = []
  const outsideWindow: number[] = []
  const seen = new Set<Origin>()
  const see = (o: Origin) => seen.add(o)

  places.forEach((p, placeIndex) => {
    const stayEnd = p.to && p.to < arrivedOn ? p.to : arrivedOn
    const stayStart = p.from && p.from > windowStart ? p.from : windowStart
    if (stayEnd < windowStart || stayStart > arrivedOn) {
      outsideWindow.push(placeIndex)
      return
    }
    const names = normaliseNames(p)
    const text = p.text ? cleanText(p.text) : ''
    const foreign = foreignOrigin(p, names, text)
    if (foreign) {
      see(foreign)
      return
    }
    if (!finest(names) && !text) {
      unmatched.push(placeIndex)
      return
    }
    let found = false
    let riskCounty: Indexed<ExternalArea | LocalAreaRef> | null = null
    for (const c of idx.candidates(names, text)) {
      if (!inForce(c.entry, stayStart, stayEnd)) continue
      if (covers(c.names, names, text)) {
        const origin: Origin =
          c.entry.level === 'high'
            ? 'high_risk_area'
            : c.entry.level === 'medium'
              ? 'medium_risk_area'
              : 'low_risk_area'
        matches.push({
          placeIndex,
          areaId: c.entry.id,
          level: c.entry.level,
          source: c.source,
          origin,
        })
        found = true
      } else if (
        !riskCounty &&
        c.entry.level !== 'low' &&
        c.names.district &&
        covers(c.names, names, text, 'district')
      ) {
        riskCounty = c
      }
    }
    const own = matches.filter((m) => m.placeIndex === placeIndex)
    const worst = own.reduce<Origin | null>(
      (w, m) => (w === null || rank(m.origin) < rank(w) ? m.origin : w),
      null,
    )
    if (riskCounty && (worst === null || worst === 'low_risk_area')) {
      // In a district with an active high or medium area, in none of them itself.
      for (const m of own)
        if (m.origin === 'low_risk_area') m.origin = 'low_risk_area_in_risk_county'
      if (own.length === 0)
        matches.push({
          placeIndex,
          areaId: riskCounty.entry.id,
          level: riskCounty.entry.level,
          source: riskCounty.source,
          origin: 'low_risk_area_in_risk_county',
        })
      found = true
    }
    for (const m of matches) if (m.placeIndex === placeIndex) see(m.origin)
    if (!found) unmatched.push(placeIndex)
  })

  const classified = new Map(profile.classify.map((r) => [r.origin, r.category] as const))
  const found = SEVERITY.filter((o) => seen.has(o))
  const origin = found.find((o) => classified.has(o)) ?? null
  const stricterLocalRule = found.some((o) => o !== 'low_risk_area' && !classified.has(o))
  const out: Classification = {
    origin,
    category: origin ? (classified.get(origin) ?? null) : null,
    observed: found[0] ?? null,
    matches,
    unmatched,
    outsideWindow,
    windowStart,
  }
  if (stricterLocalRule) out.stricterLocalRule = true
  return out
}
