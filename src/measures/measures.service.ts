import type { Actor } from '../core/auth/actor.js'
import type { Permission } from '../core/auth/authorize.js'
import { audit } from '../core/audit/audit.service.js'
import {
  addDays,
  daysBetween,
  deploymentZone,
  localDate,
  localHour,
  startOfLocalDay,
} from '../core/clock.js'
import type { Db, Tx } from '../core/db/db.js'
import { conflict, forbidden, invalid, notFound } from '../core/errors.js'
import { renderMessage, type Lang } from '../core/i18n/messages.js'
import { decryptValue } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { activeProfile, profileSection } from '../policy/policy.service.js'
import {
  measuresSection,
  type MeasureCategory,
  type MeasureCategoryRule,
  type MeasuresSettings,
} from './measures.profile.js'
import {
  accountInHousehold,
  boardPage,
  checkinsOf,
  divisionsOnPath,
  endMeasure,
  findMeasure,
  findResidentFacts,
  indicatorRows,
  insertMeasure,
  lockMeasure,
  measuresOfResident,
  swabDays,
  swabResults,
  symptomsSince,
  upsertCheckin,
  type BoardCursor,
  type CheckinRow,
  type DutyDay,
  type MeasureRow,
  type ResidentFacts,
} from './measures.repo.js'
import {
  dutiesOn,
  dutyColumns,
  planMeasure,
  releaseChecks,
  type MeasurePlan,
} from './measures.rules.js'
import { recheckClocks } from './indicators.repo.js'
import {
  TEMPERATURE_MAX,
  TEMPERATURE_MIN,
  type CancelIn,
  type CategoriesOut,
  type CheckinIn,
  type CheckinOut,
  type CheckinResult,
  type IndicatorsOut,
  type MeasureDetailOut,
  type MeasureListQuery,
  type MeasureOut,
  type MeasurePage,
  type NoticeOut,
  type OverrideOut,
  type ReleaseChecksOut,
  type ReleaseIn,
  type StartMeasureIn,
  type TestDayOut,
} from './measures.schema.js'

/**
 * Measures on people (domain.md §7, issue 10 item 2). A measure is planned once, at its start,
 * from the measures section of the profile in force (with its local overrides): the category's
 * rule and the overrides that applied are kept in `rules`, the dated plan in `plan`, and the
 * columns the boards need (test days, the check-in window) beside them, so a later change of
 * profile changes new measures only and SQL answers "who owes a test today" for every measure
 * at once. Every local date is the deployment's (src/core/clock.ts).
 */

/** At or above this a check-in is a fever (°C). */
export const FEVER = 37.3
/** How far back an anchor may lie (days): a measure started late is still started, within reason. */
const ANCHOR_MAX_AGE_DAYS = 60
/** A clock a few minutes fast at the desk is not a future anchor. */
const ANCHOR_FUTURE_SLACK_MS = 10 * 60_000

/** What a measure keeps of the profile it started under. */
export interface StoredRules {
  profile: string
  profileTitle: string
  rule: MeasureCategoryRule
  overrides: OverrideOut[]
  checkinsPerDay: number
  dayZero: MeasuresSettings['dayZero']
}

interface SectionInForce {
  profile: string
  settings: MeasuresSettings
  overrides: OverrideOut[]
}

async function measuresInForce(db: Db): Promise<SectionInForce> {
  const r = (await profileSection(db, 'measures', measuresSection)) as {
    profile: string
    settings: MeasuresSettings
    overrides?: OverrideOut[]
  }
  return { profile: r.profile, settings: r.settings, overrides: r.overrides ?? [] }
}

/** The overrides of the section that change a category's measure (its rule, the day counting, the check-ins). */
function overridesFor(all: OverrideOut[], category: MeasureCategory): OverrideOut[] {
  return all.filter(
    (o) =>
      o.path.startsWith(`categories.${category}.`) ||
      o.path === `categories.${category}` ||
      o.path === 'dayZero' ||
      o.path === 'checkinsPerDay',
  )
}

const rulesOf = (m: MeasureRow): StoredRules => m.rules as unknown as StoredRules
const planOf = (m: MeasureRow): MeasurePlan => m.plan as unknown as MeasurePlan

/** The day of the deployment's clock the duty queries answer for. */
export function dutyDay(now: Date): DutyDay {
  const zone = deploymentZone()
  const today = localDate(now, zone)
  return {
    today,
    dayStart: startOfLocalDay(today, zone),
    dayEnd: startOfLocalDay(addDays(today, 1), zone),
    slotsDue: localHour(now, zone) >= 12 ? 2 : 1,
    zone,
  }
}

/* ------------------------------------------------------------------ categories */

export async function listCategories(db: Db, actor: Actor): Promise<CategoriesOut> {
  requireAccess(actor, 'measures:start')
  const s = await measuresInForce(db)
  const items = Object.entries(s.settings.categories).flatMap(([category, rule]) =>
    rule
      ? [
          {
            category: category as MeasureCategory,
            hasHomePhase: rule.phases.some(
              (p) => p.kind === 'home_isolation' || p.alternative === 'home_isolation',
            ),
            fillUp: rule.fillUp,
            endCondition: rule.endCondition,
            phases: rule.phases.map((p) => ({ kind: p.kind, days: p.days, testDays: p.testDays })),
            overrides: overridesFor(s.overrides, category as MeasureCategory),
          },
        ]
      : [],
  )
  return { profile: s.profile, checkinsPerDay: s.settings.checkinsPerDay, items }
}

/* ------------------------------------------------------------------ start */

export async function startMeasure(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  input: StartMeasureIn,
  now: Date = new Date(),
  /** What started it: a person's form ('manual'), or another domain's record (an arrival at a checkpoint). */
  from: { source: 'manual' | 'arrival'; sourceRef: string | null } = {
    source: 'manual',
    sourceRef: null,
  },
): Promise<MeasureDetailOut> {
  requireAccess(actor, 'measures:start')
  const person = await findResidentFacts(tx, input.residentId)
  if (!person) throw notFound('MEASURE_RESIDENT_NOT_FOUND')
  requireAccess(actor, 'measures:start', {
    type: 'resident',
    id: person.id,
    path: person.gridPath,
  })
  if (!person.householdId || person.status !== 'active')
    throw invalid('residentId', 'MEASURE_RESIDENT_NO_HOUSEHOLD')
  const anchorAt = new Date(input.anchorAt)
  if (anchorAt.getTime() > now.getTime() + ANCHOR_FUTURE_SLACK_MS)
    throw invalid('anchorAt', 'MEASURE_ANCHOR_IN_FUTURE')
  const zone = deploymentZone()
  const anchorDate = localDate(anchorAt, zone)
  if (daysBetween(anchorDate, localDate(now, zone)) > ANCHOR_MAX_AGE_DAYS)
    throw invalid('anchorAt', 'MEASURE_ANCHOR_TOO_OLD', { days: ANCHOR_MAX_AGE_DAYS })

  const section = await measuresInForce(tx)
  const rule = section.settings.categories[input.category]
  if (!rule)
    throw invalid('category', 'MEASURE_CATEGORY_NOT_IDENTIFIED', {
      profile: section.profile,
      category: input.category,
    })
  if ((input.daysAlreadyServed ?? 0) > 0 && !rule.fillUp)
    throw invalid('daysAlreadyServed', 'MEASURE_FILL_UP_NOT_ALLOWED')
  const planned = planMeasure(section.settings, input.category, {
    anchorDate,
    ...(input.daysAlreadyServed !== undefined && { daysAlreadyServed: input.daysAlreadyServed }),
    ...(input.home && { home: input.home }),
  })
  if (!planned.ok)
    throw invalid('category', planned.code, { profile: section.profile, category: input.category })
  const plan = planned.plan
  const { title } = await activeProfile(tx)
  const rules: StoredRules = {
    profile: section.profile,
    profileTitle: section.profile === (await activeProfileName(tx)) ? title : section.profile,
    rule,
    overrides: overridesFor(section.overrides, input.category),
    checkinsPerDay: section.settings.checkinsPerDay,
    dayZero: section.settings.dayZero,
  }
  const row = await insertMeasure(tx, {
    residentId: person.id,
    householdId: person.householdId,
    gridPath: person.gridPath,
    category: input.category,
    anchorAt,
    anchorDate,
    plannedEnd: plan.plannedEnd,
    profileName: section.profile,
    rules: rules as unknown as Record<string, unknown>,
    plan,
    homeFallback: plan.homeFallback,
    checkinsPerDay: rules.checkinsPerDay,
    source: from.source,
    sourceRef: from.sourceRef,
    note: input.note ?? null,
    startedBy: actor.username,
    startedAt: now,
  })
  if (!row) throw conflict('MEASURE_ALREADY_ACTIVE', { category: input.category })
  await audit(
    tx,
    actor,
    'measure.start',
    { type: 'measure', id: row.id, path: row.gridPath },
    {
      detail: {
        residentId: person.id,
        category: input.category,
        profile: section.profile,
        anchorDate,
        plannedEnd: plan.plannedEnd,
      },
    },
  )
  return detail(tx, ring, row, person, section.profile, now)
}

async function activeProfileName(db: Db): Promise<string> {
  return (await activeProfile(db)).name
}

/* ------------------------------------------------------------------ reading */

/** Reading a measure: staff with measures:read in scope, a resident only their own household's. */
async function assertMayRead(
  db: Db,
  actor: Actor,
  m: Pick<MeasureRow, 'id' | 'gridPath' | 'householdId'>,
): Promise<void> {
  const target = { type: 'measure', id: m.id, path: m.gridPath }
  if (actor.role === 'resident') {
    requireAccess(actor, 'measures:self', target)
    if (
      !actor.userId ||
      !m.householdId ||
      !(await accountInHousehold(db, actor.userId, m.householdId))
    )
      throw forbidden('MEASURE_NOT_OWN_HOUSEHOLD')
    return
  }
  requireAccess(actor, 'measures:read', target)
}

function firstPermission(actor: Actor): 'measures:self' | 'measures:read' {
  return actor.role === 'resident' ? 'measures:self' : 'measures:read'
}

function maskedId(ring: Keyring, idEnc: string | null): string | null {
  return idEnc ? maskIdNumber(decryptValue(ring, idEnc)) : null
}

function shape(
  m: MeasureRow,
  person: ResidentFacts,
  ring: Keyring,
  profileNow: string,
): MeasureOut {
  const plan = planOf(m)
  const rules = rulesOf(m)
  return {
    id: m.id,
    residentId: m.residentId,
    residentName: person.name,
    idNumber: maskedId(ring, person.idEnc),
    householdId: m.householdId,
    householdLabel: person.householdLabel,
    gridPath: m.gridPath,
    category: m.category as MeasureCategory,
    status: m.status as MeasureOut['status'],
    source: m.source as MeasureOut['source'],
    anchorAt: m.anchorAt.toISOString(),
    anchorDate: m.anchorDate,
    plannedEnd: m.plannedEnd,
    endCondition: plan.endCondition,
    releaseCt: plan.releaseCt,
    daysCredited: plan.daysCredited,
    homeFallback: m.homeFallback ?? [],
    profile: m.profileName,
    profileNow,
    profileChanged: profileNow !== m.profileName,
    overrides: rules.overrides ?? [],
    note: m.note,
    startedBy: m.startedBy,
    startedAt: m.startedAt.toISOString(),
    endedAt: m.endedAt?.toISOString() ?? null,
    endedBy: m.endedBy,
    endReason: m.endReason as MeasureOut['endReason'],
    endNote: m.endNote,
  }
}

function checkinShape(c: CheckinRow): CheckinOut {
  const t = c.temperature === null ? null : Number(c.temperature)
  return {
    id: c.id,
    measureId: c.measureId,
    date: c.localDate,
    slot: c.slot as CheckinOut['slot'],
    temperature: t,
    fever: t !== null && t >= FEVER,
    symptoms: c.symptoms as CheckinOut['symptoms'],
    reportedBy: c.reportedBy,
    reporterRole: c.reporterRole as CheckinOut['reporterRole'],
    reportedAt: c.reportedAt.toISOString(),
  }
}

async function detail(
  db: Db,
  ring: Keyring,
  m: MeasureRow,
  person: ResidentFacts,
  profileNow: string,
  now: Date,
  checkins?: CheckinRow[],
): Promise<MeasureDetailOut> {
  const zone = deploymentZone()
  const today = localDate(now, zone)
  const plan = planOf(m)
  const swabs = await swabDays(db, m.residentId, startOfLocalDay(m.anchorDate, zone), zone)
  const swabSet = new Set(swabs)
  const mine = checkins ?? (await checkinsOf(db, [m.id]))
  const active = m.status === 'active'
  const dayOf = (date: string): number =>
    daysBetween(plan.anchorDate, date) + (plan.dayZero === 'anchor_is_day_1' ? 1 : 0)
  const state = (date: string): TestDayOut['state'] =>
    swabSet.has(date) ? 'done' : date < today ? 'missed' : date === today ? 'due' : 'planned'
  const testDay = (date: string): TestDayOut => ({ date, day: dayOf(date), state: state(date) })
  const duties = active
    ? dutiesOn(
        plan,
        today,
        {
          swabDays: swabs,
          checkins: mine.map((c) => ({ date: c.localDate, slot: c.slot as 'am' | 'pm' })),
        },
        m.checkinsPerDay,
      )
    : null
  return {
    ...shape(m, person, ring, profileNow),
    phases: plan.phases.map((p) => ({
      kind: p.kind,
      firstDay: p.firstDay,
      lastDay: p.lastDay,
      testDays: p.testDays.map(testDay),
    })),
    testDays: plan.testDays.map(testDay),
    duties: duties && {
      today,
      dayNumber: duties.dayNumber,
      phaseKind: duties.phase?.kind ?? null,
      testDueToday: duties.testDueToday,
      testDoneToday: duties.testDoneToday,
      missedTestDays: duties.missedTestDays,
      checkinsMissing: duties.checkinsMissing,
      releaseDue: duties.releaseDue,
      daysLeft: duties.daysLeft,
    },
    checkins: mine.map(checkinShape),
  }
}

async function measureInScope(db: Db, actor: Actor, id: string): Promise<MeasureRow> {
  const m = await findMeasure(db, id)
  if (!m) throw notFound('MEASURE_NOT_FOUND')
  await assertMayRead(db, actor, m)
  return m
}

async function personOf(db: Db, residentId: string): Promise<ResidentFacts> {
  const p = await findResidentFacts(db, residentId)
  if (!p) throw notFound('MEASURE_RESIDENT_NOT_FOUND')
  return p
}

export async function getMeasure(
  db: Db,
  ring: Keyring,
  actor: Actor,
  id: string,
  now: Date = new Date(),
): Promise<MeasureDetailOut> {
  requireAccess(actor, firstPermission(actor))
  const m = await measureInScope(db, actor, id)
  return detail(db, ring, m, await personOf(db, m.residentId), await activeProfileName(db), now)
}

/** A person's measures, newest first, each with its test days, today's duty and check-ins. */
export async function residentMeasures(
  db: Db,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  now: Date = new Date(),
): Promise<{ residentId: string; residentName: string; items: MeasureDetailOut[] }> {
  requireAccess(actor, firstPermission(actor))
  const person = await personOf(db, residentId)
  const target = { type: 'resident', id: person.id, path: person.gridPath }
  if (actor.role === 'resident') {
    requireAccess(actor, 'measures:self', target)
    if (
      !person.householdId ||
      !actor.userId ||
      !(await accountInHousehold(db, actor.userId, person.householdId))
    )
      throw forbidden('MEASURE_NOT_OWN_HOUSEHOLD')
  } else requireAccess(actor, 'measures:read', target)
  const list = await measuresOfResident(db, residentId)
  const checkins = await checkinsOf(
    db,
    list.map((m) => m.id),
  )
  const profileNow = await activeProfileName(db)
  const items: MeasureDetailOut[] = []
  for (const m of list)
    items.push(
      await detail(
        db,
        ring,
        m,
        person,
        profileNow,
        now,
        checkins.filter((c) => c.measureId === m.id),
      ),
    )
  return { residentId: person.id, residentName: person.name, items }
}

/* ------------------------------------------------------------------ boards */

function encodeCursor(c: BoardCursor): string {
  return Buffer.from(JSON.stringify([c.sortKey, c.id])).toString('base64url')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function decodeCursor(raw: string): BoardCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      v[0].length <= 200 &&
      typeof v[1] === 'string' &&
      UUID.test(v[1])
    )
      return { sortKey: v[0], id: v[1] }
  } catch {
    // falls through to the refusal
  }
  throw invalid('after', 'CURSOR_INVALID')
}

async function divisionPathIn(
  db: Db,
  actor: Actor,
  divisionId: string | undefined,
): Promise<string | undefined> {
  if (!divisionId) return undefined
  const d = await findDivisionById(db, divisionId)
  if (!d) throw invalid('divisionId', 'MEASURE_DIVISION_UNKNOWN')
  requireAccess(actor, 'measures:read', { type: 'division', id: d.id, path: d.path })
  return d.path
}

/** A board of a community or grid: every active measure, or those owing a test, a release or a check-in today. */
export async function listMeasures(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: MeasureListQuery,
  now: Date = new Date(),
): Promise<MeasurePage> {
  requireAccess(actor, 'measures:read')
  const divisionPath = await divisionPathIn(db, actor, q.divisionId)
  const after = q.after ? decodeCursor(q.after) : undefined
  const day = dutyDay(now)
  const list = await boardPage(db, actor, day, {
    list: q.list,
    divisionPath,
    category: q.category,
    after,
    limit: q.limit + 1,
  })
  const page = list.slice(0, q.limit)
  const last = page.at(-1)
  return {
    today: day.today,
    items: page.map((r) => ({
      id: r.id,
      residentId: r.residentId,
      name: r.name,
      idNumber: maskedId(ring, r.idEnc),
      householdLabel: r.householdLabel,
      buildingId: r.buildingId,
      buildingLabel: r.buildingLabel,
      category: r.category as MeasureCategory,
      anchorDate: r.anchorDate,
      plannedEnd: r.plannedEnd,
      dayNumber: r.dayNumber,
      daysLeft: r.daysLeft,
      testDueToday: r.testDue,
      testDoneToday: r.testDone,
      releaseDue: r.releaseDue,
      checkinsMissing: !r.inCheckinWindow
        ? []
        : r.checkinsPerDay >= 2
          ? (['am', 'pm'] as const).filter((s) => !r[s])
          : r.am || r.pm
            ? []
            : ['am'],
      profile: r.profileName,
    })),
    next:
      list.length > q.limit && last ? encodeCursor({ sortKey: last.sortKey, id: last.id }) : null,
  }
}

/** A recheck due within this many hours counts as "due soon" on the home page. */
export const RECHECK_DUE_SOON_HOURS = 2

/** The home page's measure figures under the actor's scope: one query, and one for the recheck clocks. */
export async function measureIndicators(
  db: Db,
  actor: Actor,
  q: { divisionId?: string | undefined },
  now: Date = new Date(),
): Promise<IndicatorsOut> {
  requireAccess(actor, 'measures:read')
  const divisionPath = await divisionPathIn(db, actor, q.divisionId)
  const day = dutyDay(now)
  const list = await indicatorRows(db, actor, day, divisionPath)
  const soon = new Date(now.getTime() + RECHECK_DUE_SOON_HOURS * 3_600_000)
  const clocks = await recheckClocks(db, actor, { now, soon }, divisionPath)
  const sum = (f: (r: (typeof list)[number]) => number): number =>
    list.reduce((n, r) => n + f(r), 0)
  return {
    today: day.today,
    byCategory: list.map((r) => ({ category: r.category as MeasureCategory, people: r.people })),
    people: sum((r) => (r.category.startsWith('zone_') ? 0 : r.people)),
    zone: {
      sealed: list.find((r) => r.category === 'zone_sealed')?.people ?? 0,
      controlled: list.find((r) => r.category === 'zone_controlled')?.people ?? 0,
      precaution: list.find((r) => r.category === 'zone_precaution')?.people ?? 0,
    },
    testsDueToday: sum((r) => r.testsDue),
    testsDoneToday: sum((r) => r.testsDone),
    releasesDue: sum((r) => r.releasesDue),
    checkinsMissing: sum((r) => r.checkinsMissing),
    temporaryControl: list.find((r) => r.category === 'temporary_control')?.people ?? 0,
    recheck: { ...clocks, dueSoonHours: RECHECK_DUE_SOON_HOURS },
  }
}

/* ------------------------------------------------------------------ check-ins */

/** The check-in slot of an instant in the deployment's zone: before 12:00 am, after pm. */
export function slotOf(now: Date): 'am' | 'pm' {
  return localHour(now, deploymentZone()) < 12 ? 'am' : 'pm'
}

export async function recordCheckin(
  tx: Tx,
  actor: Actor,
  measureId: string,
  input: CheckinIn,
  now: Date = new Date(),
): Promise<CheckinResult> {
  requireAccess(actor, actor.role === 'resident' ? 'measures:self' : 'measures:checkin')
  const m = await findMeasure(tx, measureId)
  if (!m) throw notFound('MEASURE_NOT_FOUND')
  const target = { type: 'measure', id: m.id, path: m.gridPath }
  if (actor.role === 'resident') await assertMayRead(tx, actor, m)
  else requireAccess(actor, 'measures:checkin', target)
  if (m.status !== 'active') throw conflict('MEASURE_NOT_ACTIVE')
  const t = Math.round(input.temperature * 10) / 10
  if (!Number.isFinite(t) || t < TEMPERATURE_MIN || t > TEMPERATURE_MAX)
    throw invalid('temperature', 'MEASURE_TEMPERATURE_OUT_OF_RANGE', {
      min: TEMPERATURE_MIN,
      max: TEMPERATURE_MAX,
    })
  const date = localDate(now, deploymentZone())
  const slot = input.slot ?? slotOf(now)
  const symptoms = [...new Set(input.symptoms)].sort()
  const r = await upsertCheckin(tx, {
    measureId: m.id,
    residentId: m.residentId,
    gridPath: m.gridPath,
    localDate: date,
    slot,
    temperature: t,
    symptoms,
    reportedBy: actor.username,
    reporterRole: actor.role === 'resident' ? 'resident' : 'worker',
    reportedAt: now,
  })
  return {
    checkin: {
      id: r.id,
      measureId: m.id,
      date,
      slot,
      temperature: t,
      fever: t >= FEVER,
      symptoms: symptoms as CheckinOut['symptoms'],
      reportedBy: actor.username,
      reporterRole: actor.role === 'resident' ? 'resident' : 'worker',
      reportedAt: now.toISOString(),
    },
    replaced: r.replaced,
  }
}

/* ------------------------------------------------------------------ release and cancel */

/** The release checks of a measure today: every failed check as a code with its params. */
async function checksOf(db: Db, m: MeasureRow, now: Date): Promise<ReleaseChecksOut> {
  const zone = deploymentZone()
  const today = localDate(now, zone)
  const plan = planOf(m)
  const swabs = await swabResults(db, m.residentId, startOfLocalDay(m.anchorDate, zone), zone)
  const pending = new Set(swabs.filter((s) => s.result === null).map((s) => s.day))
  const results = swabs
    .filter((s) => s.result !== null)
    .map((s) => ({
      day: s.day,
      result: s.result!,
      ctN: s.ctN,
      ctOrf1ab: s.ctOrf1ab,
      singleTube: s.kind !== 'pooled',
    }))
  const symptoms = await symptomsSince(db, m.id, addDays(today, -1), FEVER)
  const r = releaseChecks(plan, { results, symptoms, today })
  // A swab whose result is not back is not a missing test: say so.
  const problems = r.problems.map((p) =>
    p.code === 'MEASURE_RELEASE_TEST_MISSING' && pending.has(String(p.params?.day))
      ? { code: 'MEASURE_RELEASE_TEST_PENDING', params: { day: String(p.params?.day) } }
      : p,
  )
  return { measureId: m.id, ok: r.ok, problems }
}

/**
 * The active measure an action is taken on: the permission first, then the measure (locked for a
 * write, so a concurrent release waits), in the caller's scope by its grid, and still active.
 */
async function activeMeasureFor(
  db: Db,
  actor: Actor,
  permission: Permission,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<MeasureRow> {
  requireAccess(actor, permission)
  const m = await (lock ? lockMeasure(db, id) : findMeasure(db, id))
  if (!m) throw notFound('MEASURE_NOT_FOUND')
  requireAccess(actor, permission, { type: 'measure', id: m.id, path: m.gridPath })
  if (m.status !== 'active') throw conflict('MEASURE_NOT_ACTIVE')
  return m
}

export async function measureReleaseChecks(
  db: Db,
  actor: Actor,
  id: string,
  now: Date = new Date(),
): Promise<ReleaseChecksOut> {
  const m = await activeMeasureFor(db, actor, 'measures:release', id)
  return checksOf(db, m, now)
}

export async function releaseMeasure(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: ReleaseIn,
  now: Date = new Date(),
): Promise<MeasureDetailOut> {
  const m = await activeMeasureFor(tx, actor, 'measures:release', id, { lock: true })
  const checks = await checksOf(tx, m, now)
  if (!checks.ok)
    throw conflict('MEASURE_RELEASE_CHECKS_FAILED', {
      count: checks.problems.length,
      checks: checks.problems.map((p) => p.code).join(','),
    })
  const ended = await endMeasure(tx, m.id, {
    status: 'released',
    by: actor.username,
    at: now,
    reason: 'RELEASED',
    note: input.note ?? null,
  })
  if (!ended) throw conflict('MEASURE_NOT_ACTIVE')
  await audit(
    tx,
    actor,
    'measure.release',
    { type: 'measure', id: m.id, path: m.gridPath },
    { detail: { residentId: m.residentId, category: m.category, profile: m.profileName } },
  )
  return detail(tx, ring, ended, await personOf(tx, m.residentId), await activeProfileName(tx), now)
}

/** Cancels a measure started by mistake (with the reason, audited); it never counted. */
export async function cancelMeasure(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: CancelIn,
  now: Date = new Date(),
): Promise<MeasureDetailOut> {
  const m = await activeMeasureFor(tx, actor, 'measures:release', id, { lock: true })
  const ended = await endMeasure(tx, m.id, {
    status: 'cancelled',
    by: actor.username,
    at: now,
    reason: 'CANCELLED_MISTAKE',
    note: input.reason,
  })
  if (!ended) throw conflict('MEASURE_NOT_ACTIVE')
  await audit(
    tx,
    actor,
    'measure.cancel',
    { type: 'measure', id: m.id, path: m.gridPath },
    {
      reason: input.reason,
      detail: { residentId: m.residentId, category: m.category },
    },
  )
  return detail(tx, ring, ended, await personOf(tx, m.residentId), await activeProfileName(tx), now)
}

/* ------------------------------------------------------------------ notices */

const HOME_PHASES = ['home_isolation', 'centralized_isolation', 'designated_facility'] as const

function overrideSentence(lang: Lang, o: OverrideOut): string {
  const last = o.path.split('.').at(-1) ?? ''
  const what =
    last === 'days'
      ? 'NOTICE_OVERRIDE_DAYS'
      : last === 'testDays'
        ? 'NOTICE_OVERRIDE_TEST_DAYS'
        : 'NOTICE_OVERRIDE_VALUE'
  const text = (v: unknown): string =>
    Array.isArray(v) ? v.join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return renderMessage(lang, 'NOTICE_OVERRIDE', {
    what: renderMessage(lang, what),
    value: text(o.value),
    national: text(o.national),
    reason: o.reason,
  })
}

/** What the 告知书 (start) or 解除通知书 (release) prints, in the requester's language. */
export async function measureNotice(
  db: Db,
  ring: Keyring,
  actor: Actor,
  id: string,
  kind: 'start' | 'release',
  lang: Lang,
  now: Date = new Date(),
): Promise<NoticeOut> {
  requireAccess(actor, firstPermission(actor))
  const m = await measureInScope(db, actor, id)
  if (kind === 'release' && m.status !== 'released') throw conflict('MEASURE_NOTICE_NOT_RELEASED')
  const person = await personOf(db, m.residentId)
  const plan = planOf(m)
  const rules = rulesOf(m)
  const divisions = await divisionsOnPath(db, m.gridPath)
  const community = divisions.find((d) => d.level === 'community') ?? divisions.at(-1)
  const address = [
    ...divisions.filter((d) => d.level === 'community' || d.level === 'grid').map((d) => d.name),
    person.householdLabel,
  ]
    .filter(Boolean)
    .join(' ')
  const cols = dutyColumns(plan, m.checkinsPerDay)
  const duties: string[] = []
  if (kind === 'release') {
    duties.push(renderMessage(lang, 'NOTICE_DUTY_RELEASED', { date: localDate(m.endedAt ?? now) }))
  } else {
    if (plan.phases.some((p) => (HOME_PHASES as readonly string[]).includes(p.kind)))
      duties.push(renderMessage(lang, 'NOTICE_DUTY_STAY_HOME'))
    if (plan.phases.some((p) => p.kind === 'home_health_monitoring'))
      duties.push(renderMessage(lang, 'NOTICE_DUTY_MONITORING'))
    if (cols.checkinFrom !== null) duties.push(renderMessage(lang, 'NOTICE_DUTY_TEMPERATURE'))
    if (plan.testDays.length > 0)
      duties.push(
        renderMessage(lang, 'NOTICE_DUTY_TESTS', {
          days: plan.testDays.join(lang === 'zh-CN' ? '、' : ', '),
        }),
      )
    duties.push(renderMessage(lang, 'NOTICE_DUTY_SYMPTOMS'))
  }
  return {
    kind,
    lang,
    title: renderMessage(lang, kind === 'start' ? 'NOTICE_TITLE_start' : 'NOTICE_TITLE_release'),
    measureId: m.id,
    person: {
      name: person.name,
      idNumber: maskedId(ring, person.idEnc),
      address: address || null,
    },
    category: m.category as MeasureCategory,
    categoryLabel: renderMessage(lang, `MEASURE_CATEGORY_${m.category}`),
    anchorDate: m.anchorDate,
    plannedEnd: m.plannedEnd,
    phases: plan.phases.map((p) => ({
      kind: p.kind,
      label: renderMessage(lang, `MEASURE_PHASE_${p.kind}`),
      firstDay: p.firstDay,
      lastDay: p.lastDay,
    })),
    testDays: plan.testDays,
    duties,
    overrides: (rules.overrides ?? []).map((o) => overrideSentence(lang, o)),
    issuer: community?.name ?? '',
    profile: { name: m.profileName, title: rules.profileTitle ?? m.profileName },
    issuedAt: (kind === 'release' ? (m.endedAt ?? now) : m.startedAt).toISOString(),
    releasedAt: kind === 'release' ? (m.endedAt?.toISOString() ?? null) : null,
    releasedBy: kind === 'release' ? m.endedBy : null,
  }
}
