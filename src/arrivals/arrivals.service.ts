import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { addDays, localDate, startOfLocalDay } from '../core/clock.js'
import { invalid, notFound } from '../core/errors.js'
import { uuidv7 } from '../core/ids.js'
import { requireAccess } from '../core/scope/access.js'
import { checkpointsSection, profileSection } from '../policy/policy.service.js'
import {
  countActiveExternal,
  divisionsByPaths,
  externalInForce,
  findExternal,
  insertExternal,
  insertExternals,
  listExternal,
  localExtentsActive,
  openByKeys,
  updateExternal,
  type ExternalInsert,
  type ExternalRow,
} from './arrivals.repo.js'
import type {
  ClassificationOut,
  ClassifyIn,
  ExternalAreaIn,
  ExternalAreaOut,
  ExternalAreaPatch,
  ExternalImportReport,
  ExternalListQuery,
  ExternalPage,
} from './arrivals.schema.js'
import {
  externalColumnsOf,
  isExternalHeader,
  nameKeyOf,
  parseExternalRow,
  statusOn,
  type ExternalColumns,
  type ExternalRowValues,
} from './external.rules.js'
import {
  AreaIndex,
  classifyItinerary,
  type CheckpointsProfile,
  type Classification,
  type ExternalArea,
  type ItineraryPlace,
  type LocalAreaRef,
  type RiskLevel,
} from './itinerary.rules.js'
import { provinceOfCode } from './provinces.js'

/**
 * The external risk-area list (issue 11 item 3) and itinerary classification (item 4): other
 * cities' areas entered by hand or imported, edited and ended, listed with filters; an arrival's
 * places classified against the entries in force and the local risk areas under the profile in
 * force. Entries are city-wide (no scope path): every desk classifies against the same list.
 */

export type { Classification, ItineraryPlace } from './itinerary.rules.js'

const TARGET = 'external_area'
const today = () => localDate(new Date())

function toOut(r: ExternalRow, on: string): ExternalAreaOut {
  return {
    id: r.id,
    province: r.province,
    city: r.city,
    district: r.district,
    street: r.street,
    place: r.place,
    level: r.level as RiskLevel,
    validFrom: r.validFrom,
    validTo: r.validTo,
    status: statusOn(r, on),
    source: r.source,
    enteredBy: r.enteredBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

export async function listExternalAreas(
  db: Db,
  actor: Actor,
  q: ExternalListQuery,
): Promise<ExternalPage> {
  requireAccess(actor, 'arrivals:read')
  const on = today()
  const limit = q.limit ?? 50
  const found = await listExternal(
    db,
    { q: q.q, level: q.level, status: q.status, before: q.before, limit: limit + 1 },
    on,
  )
  const page = found.slice(0, limit)
  return {
    items: page.map((r) => toOut(r, on)),
    next: found.length > limit ? page[page.length - 1]!.id : null,
    active: await countActiveExternal(db, on),
  }
}

const namesOf = (v: {
  province?: string | undefined
  city?: string | undefined
  district?: string | undefined
  street?: string | undefined
  place?: string | undefined
}) => ({
  province: v.province ?? '',
  city: v.city ?? '',
  district: v.district ?? '',
  street: v.street ?? '',
  place: v.place ?? '',
})

/** The entry an upsert of these names from `from` updates: the latest still in force then. */
function openOf(found: readonly ExternalRow[], key: string): ExternalRow | undefined {
  return found.find((r) => r.nameKey === key)
}

/**
 * Enter an area by hand. The same names entered again while the first entry is still in force
 * (a retry, a second person) update that entry instead of adding another.
 */
export async function createExternalArea(
  tx: Tx,
  actor: Actor,
  input: ExternalAreaIn,
): Promise<{ area: ExternalAreaOut; updated: boolean }> {
  requireAccess(actor, 'arrivals:manage_external')
  const names = namesOf(input)
  const nameKey = nameKeyOf(names)
  const values = {
    level: input.level,
    validFrom: input.validFrom,
    validTo: input.validTo ?? null,
    source: input.source ?? '',
  }
  const existing = openOf(await openByKeys(tx, [nameKey], input.validFrom), nameKey)
  let row: ExternalRow
  if (existing) {
    row = (await updateExternal(tx, existing.id, { ...names, ...values }))!
  } else {
    row = await insertExternal(tx, {
      id: uuidv7(),
      ...names,
      nameKey,
      ...values,
      enteredBy: actor.username,
    })
  }
  await audit(
    tx,
    actor,
    existing ? 'arrivals.external_update' : 'arrivals.external_create',
    { type: TARGET, id: row.id },
    { detail: { level: row.level, validFrom: row.validFrom, validTo: row.validTo } },
  )
  return { area: toOut(row, today()), updated: !!existing }
}

export async function updateExternalArea(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: ExternalAreaPatch,
): Promise<ExternalAreaOut> {
  requireAccess(actor, 'arrivals:manage_external')
  const cur = await findExternal(tx, id)
  if (!cur) throw notFound('EXTERNAL_AREA_NOT_FOUND')
  const names = {
    province: patch.province ?? cur.province,
    city: patch.city ?? cur.city,
    district: patch.district ?? cur.district,
    street: patch.street ?? cur.street,
    place: patch.place ?? cur.place,
  }
  if (!names.city && !names.district && !names.street && !names.place)
    throw invalid('place', 'EXTERNAL_AREA_NAMES_MISSING')
  const validFrom = patch.validFrom ?? cur.validFrom
  const validTo = patch.validTo === undefined ? cur.validTo : patch.validTo
  if (validTo && validTo <= validFrom) throw invalid('validTo', 'EXTERNAL_AREA_DATES_ORDER')
  const nameKey = nameKeyOf(names)
  if (nameKey !== cur.nameKey && validTo === null) {
    const clash = (await openByKeys(tx, [nameKey], validFrom)).find(
      (r) => r.id !== id && r.validTo === null,
    )
    if (clash) throw invalid('place', 'EXTERNAL_AREA_EXISTS')
  }
  const row = (await updateExternal(tx, id, {
    ...names,
    nameKey,
    level: patch.level ?? cur.level,
    validFrom,
    validTo,
    source: patch.source ?? cur.source,
  }))!
  await audit(
    tx,
    actor,
    'arrivals.external_update',
    { type: TARGET, id },
    { detail: { fields: Object.keys(patch) } },
  )
  return toOut(row, today())
}

/** End an entry: it stops counting on `on` (today by default); ending it again changes nothing. */
export async function endExternalArea(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { on?: string | undefined },
): Promise<ExternalAreaOut> {
  requireAccess(actor, 'arrivals:manage_external')
  const cur = await findExternal(tx, id)
  if (!cur) throw notFound('EXTERNAL_AREA_NOT_FOUND')
  const on = input.on ?? today()
  if (cur.validTo !== null && cur.validTo <= on) return toOut(cur, today())
  if (on <= cur.validFrom) throw invalid('on', 'EXTERNAL_AREA_DATES_ORDER')
  const row = (await updateExternal(tx, id, { validTo: on }))!
  await audit(tx, actor, 'arrivals.external_end', { type: TARGET, id }, { detail: { on } })
  return toOut(row, today())
}

/** The most rows a list file may have (a whole country's list is a few thousand). */
export const MAX_EXTERNAL_ROWS = 50_000

/**
 * Import a list file, already read into rows of cell text (imports' readSheetRows): the header
 * is the first of the first ten non-empty rows naming a level and a place column; each good row
 * is inserted, or updates the entry still in force under the same names (so importing the same
 * file twice adds nothing); a bad row is reported with its row number, field and reason, and the
 * good rows are kept.
 */
export async function importExternalAreas(
  tx: Tx,
  actor: Actor,
  sheet: AsyncIterable<{ rowNo: number; cells: string[] }>,
): Promise<ExternalImportReport> {
  requireAccess(actor, 'arrivals:manage_external')
  const on = today()
  let cols: ExternalColumns | undefined
  let seen = 0
  let rowsRead = 0
  const good: { rowNo: number; value: ExternalRowValues; key: string }[] = []
  const rejected: ExternalImportReport['rejected'] = []
  for await (const r of sheet) {
    if (!r.cells.some((c) => c !== '')) continue
    if (!cols) {
      const found = externalColumnsOf(r.cells)
      if (isExternalHeader(found)) cols = found
      else if (++seen >= 10) break
      continue
    }
    rowsRead++
    if (rowsRead > MAX_EXTERNAL_ROWS)
      throw invalid('file', 'EXTERNAL_FILE_TOO_MANY_ROWS', { max: MAX_EXTERNAL_ROWS })
    const parsed = parseExternalRow(r.cells, cols, on)
    if (parsed.ok) good.push({ rowNo: r.rowNo, value: parsed.value, key: nameKeyOf(parsed.value) })
    else {
      const text = [cols.district, cols.street, cols.place]
        .map((i) => (i === undefined ? '' : (r.cells[i] ?? '')))
        .filter(Boolean)
        .join(' ')
        .slice(0, 120)
      for (const reason of parsed.reasons)
        rejected.push({ row: r.rowNo, field: reason.field, code: reason.code, text })
    }
  }
  if (!cols) throw invalid('file', 'EXTERNAL_FILE_COLUMNS_MISSING')
  // The same names twice in one file: the later row wins.
  const byKey = new Map<string, (typeof good)[number]>()
  for (const g of good) byKey.set(g.key, g)
  const minFrom = [...byKey.values()].reduce(
    (m, g) => (g.value.validFrom < m ? g.value.validFrom : m),
    on,
  )
  const open = await openByKeys(tx, [...byKey.keys()], minFrom)
  const openByKey = new Map<string, ExternalRow>()
  for (const r of open) if (!openByKey.has(r.nameKey)) openByKey.set(r.nameKey, r)
  const inserts: ExternalInsert[] = []
  let updated = 0
  for (const g of byKey.values()) {
    const cur = openByKey.get(g.key)
    if (cur && (cur.validTo === null || cur.validTo > g.value.validFrom)) {
      const same =
        cur.level === g.value.level &&
        cur.validFrom === g.value.validFrom &&
        cur.validTo === g.value.validTo &&
        cur.source === g.value.source
      if (!same) await updateExternal(tx, cur.id, g.value)
      updated++
    } else {
      inserts.push({ id: uuidv7(), ...g.value, nameKey: g.key, enteredBy: actor.username })
    }
  }
  await insertExternals(tx, inserts)
  const report = { rows: rowsRead, inserted: inserts.length, updated, rejected }
  await audit(tx, actor, 'arrivals.external_import', undefined, {
    detail: { rows: rowsRead, inserted: inserts.length, updated, rejected: rejected.length },
  })
  return report
}

/** The names of the local risk areas' parts (district, street, community from core's tree). */
async function localAreaRefs(db: Db, from: string, to: string): Promise<LocalAreaRef[]> {
  const parts = await localExtentsActive(db, startOfLocalDay(from), startOfLocalDay(addDays(to, 1)))
  if (parts.length === 0) return []
  const prefixes = new Set<string>()
  for (const p of parts) {
    const codes = p.path.split('/').filter(Boolean)
    for (let i = 1; i <= Math.min(codes.length, 3); i++)
      prefixes.add(`/${codes.slice(0, i).join('/')}/`)
  }
  const divisions = new Map((await divisionsByPaths(db, [...prefixes])).map((d) => [d.path, d]))
  return parts.map((p) => {
    const codes = p.path.split('/').filter(Boolean)
    const at = (i: number) => divisions.get(`/${codes.slice(0, i).join('/')}/`)
    const district = at(1)
    const community = at(3)
    const whole = p.kind === 'community' || p.kind === 'grid'
    return {
      id: p.areaId,
      level: p.level as RiskLevel,
      province: district ? provinceOfCode(district.code) : null,
      district: district?.name ?? null,
      street: at(2)?.name ?? null,
      // A whole community (or a grid of it) is its community; a building, unit, floor or
      // household is named with its community, so a stay in the community alone does not
      // match it (it is flagged for a person instead).
      place: community ? (whole ? community.name : `${community.name}${p.label}`) : null,
      validFrom: localDate(new Date(p.startedAt)),
      validTo: p.liftedAt ? localDate(new Date(p.liftedAt)) : null,
    }
  })
}

/**
 * What classification needs, loaded once for a batch of arrivals between two days: the profile's
 * checkpoints section, the external entries and local areas in force at some time of the
 * widest window, indexed by their normalised names.
 */
export interface Classifier {
  profile: CheckpointsProfile
  classify: (arrival: { places: ItineraryPlace[]; arrivedOn: string }) => Classification
}

export async function loadClassifier(
  db: Db,
  firstArrival: string,
  lastArrival: string,
): Promise<Classifier> {
  const { settings } = await profileSection(db, 'checkpoints', checkpointsSection)
  const profile: CheckpointsProfile = settings
  const from = addDays(firstArrival, -profile.itineraryWindowDays)
  const external: ExternalArea[] = (await externalInForce(db, from, lastArrival)).map((r) => ({
    id: r.id,
    province: r.province,
    city: r.city,
    district: r.district,
    street: r.street,
    place: r.place,
    level: r.level as RiskLevel,
    validFrom: r.validFrom,
    validTo: r.validTo,
  }))
  const local = await localAreaRefs(db, from, lastArrival)
  const index = new AreaIndex(external, local)
  return {
    profile,
    classify: (a) =>
      classifyItinerary(
        {
          places: a.places,
          arrivedOn: a.arrivedOn,
          externalAreas: external,
          localAreas: local,
          profile,
        },
        index,
      ),
  }
}

/** Classify one arrival against the list and the local areas in force (domain.md §4). */
export async function classifyArrival(
  db: Db,
  arrival: { places: ItineraryPlace[]; arrivedOn: string },
): Promise<Classification> {
  return (await loadClassifier(db, arrival.arrivedOn, arrival.arrivedOn)).classify(arrival)
}

/** Classify many arrivals: the lists are loaded and indexed once. */
export async function classifyArrivals(
  db: Db,
  arrivals: readonly { places: ItineraryPlace[]; arrivedOn: string }[],
): Promise<Classification[]> {
  if (arrivals.length === 0) return []
  let first = arrivals[0]!.arrivedOn
  let last = first
  for (const a of arrivals) {
    if (a.arrivedOn < first) first = a.arrivedOn
    if (a.arrivedOn > last) last = a.arrivedOn
  }
  const c = await loadClassifier(db, first, last)
  return arrivals.map((a) => c.classify(a))
}

/** The classify route: what the desk shows before a person confirms (read-only, no person stored). */
export async function classifyForDesk(
  db: Db,
  actor: Actor,
  input: ClassifyIn,
): Promise<ClassificationOut> {
  requireAccess(actor, 'arrivals:read')
  return classifyArrival(db, input)
}
