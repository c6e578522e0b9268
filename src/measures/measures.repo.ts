import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { rows, sqlState, type Db } from '../core/db/db.js'
import { likePrefix, scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { dutyColumns, type MeasurePlan } from './measures.rules.js'
import { measure, measureCheckin } from './measures.tables.js'

/**
 * All SQL of measures. Residents, households and buildings are read here for names, addresses
 * and walking order; specimens and tubes for the days a person was swabbed and their results
 * (read-only joins, scripts/check-deps.mjs ALLOWED_JOINS). Scope is inside every list's SQL.
 */

export type MeasureRow = typeof measure.$inferSelect
export type MeasureInsert = typeof measure.$inferInsert
export type CheckinRow = typeof measureCheckin.$inferSelect

export interface ResidentFacts {
  id: string
  name: string
  idEnc: string | null
  status: string
  gridPath: string
  householdId: string | null
  householdLabel: string | null
}

export async function findResidentFacts(db: Db, id: string): Promise<ResidentFacts | undefined> {
  const [r] = await rows<ResidentFacts>(
    db,
    sql`select r.id, r.name, r.id_enc as "idEnc", r.status, r.grid_path as "gridPath",
               r.household_id as "householdId", h.label as "householdLabel"
        from resident r left join household h on h.id = r.household_id
        where r.id = ${id}`,
  )
  return r
}

/** The names of the divisions on a path ('/a/b/c/' → names of a, a/b, a/b/c), top first. */
export async function divisionsOnPath(
  db: Db,
  path: string,
): Promise<{ name: string; level: string; path: string }[]> {
  return rows(
    db,
    sql`select name, level, path from division
        where ${path} like path || '%' order by length(path)`,
  )
}

export async function findDivisionPath(db: Db, id: string): Promise<string | undefined> {
  const [d] = await rows<{ path: string }>(db, sql`select path from division where id = ${id}`)
  return d?.path
}

/** The columns a measure row keeps beside its plan for the set-based duty queries (dutySql). */
export type DutyColumns = ReturnType<typeof dutyColumns> & {
  dayOffset: number
  checkinsPerDay: number
}

/**
 * The duty columns of a measure, written from its plan here for both insert sites (a person's
 * measure and temporary control set-wise): the plan stays the source, the columns only let SQL
 * answer "owes a test or a check-in today" over every measure at once.
 */
export function dutyColumnsOf(plan: MeasurePlan, checkinsPerDay: number): DutyColumns {
  return {
    ...dutyColumns(plan, checkinsPerDay),
    dayOffset: plan.dayZero === 'anchor_is_day_1' ? 1 : 0,
    checkinsPerDay,
  }
}

/** A measure to insert: its row with the plan, without the duty columns (written from the plan). */
export type MeasureStart = Omit<MeasureInsert, 'plan' | keyof DutyColumns> & {
  plan: MeasurePlan
  checkinsPerDay: number
}

/** Inserts a measure; false when the person already has an active one of the category (the unique index). */
export async function insertMeasure(db: Db, start: MeasureStart): Promise<MeasureRow | null> {
  const row: MeasureInsert = {
    ...start,
    plan: start.plan as unknown as Record<string, unknown>,
    ...dutyColumnsOf(start.plan, start.checkinsPerDay),
  }
  try {
    // A savepoint, so that the refusal leaves the caller's transaction usable.
    return await db.transaction(async (tx) => {
      const [m] = await tx.insert(measure).values(row).returning()
      return m!
    })
  } catch (err) {
    if (sqlState(err) === '23505') return null
    throw err
  }
}

export async function findMeasure(db: Db, id: string): Promise<MeasureRow | undefined> {
  const [m] = await db.select().from(measure).where(eq(measure.id, id))
  return m
}

/** Locks the measure's row for a release, cancel or check-in (a concurrent release waits). */
export async function lockMeasure(db: Db, id: string): Promise<MeasureRow | undefined> {
  const [m] = await db.select().from(measure).where(eq(measure.id, id)).for('update')
  return m
}

export async function measuresOfResident(db: Db, residentId: string): Promise<MeasureRow[]> {
  return db
    .select()
    .from(measure)
    .where(eq(measure.residentId, residentId))
    .orderBy(desc(measure.startedAt), desc(measure.id))
}

export async function endMeasure(
  db: Db,
  id: string,
  end: {
    status: 'released' | 'cancelled'
    by: string
    at: Date
    reason: string
    note: string | null
  },
): Promise<MeasureRow | undefined> {
  const [m] = await db
    .update(measure)
    .set({
      status: end.status,
      endedAt: end.at,
      endedBy: end.by,
      endReason: end.reason,
      endNote: end.note,
    })
    .where(and(eq(measure.id, id), eq(measure.status, 'active')))
    .returning()
  return m
}

export async function checkinsOf(db: Db, measureIds: string[]): Promise<CheckinRow[]> {
  if (measureIds.length === 0) return []
  return db
    .select()
    .from(measureCheckin)
    .where(inArray(measureCheckin.measureId, measureIds))
    .orderBy(desc(measureCheckin.localDate), desc(measureCheckin.slot))
}

/** One reading per measure, day and slot: a retry replaces the reading; `replaced` says whether one existed. */
export async function upsertCheckin(
  db: Db,
  c: {
    measureId: string
    residentId: string
    gridPath: string
    localDate: string
    slot: 'am' | 'pm'
    temperature: number
    symptoms: string[]
    reportedBy: string
    reporterRole: 'worker' | 'resident'
    reportedAt: Date
  },
): Promise<{ id: number; replaced: boolean }> {
  const [r] = await rows<{ id: number; replaced: boolean }>(
    db,
    sql`insert into measure_checkin (measure_id, resident_id, grid_path, local_date, slot, temperature, symptoms, reported_by, reporter_role, reported_at)
        values (${c.measureId}, ${c.residentId}, ${c.gridPath}, ${c.localDate}, ${c.slot}, ${c.temperature},
                string_to_array(${c.symptoms.join(',')}, ','), ${c.reportedBy}, ${c.reporterRole}, ${c.reportedAt})
        on conflict (measure_id, local_date, slot) do update set
          temperature = excluded.temperature, symptoms = excluded.symptoms,
          reported_by = excluded.reported_by, reporter_role = excluded.reporter_role,
          reported_at = excluded.reported_at
        returning id::int as id, (xmax <> 0) as replaced`,
  )
  return r!
}

/** Whether a resident account (by its phone's blind index) belongs to the household. */
export async function accountInHousehold(
  db: Db,
  userId: string,
  householdId: string,
): Promise<boolean> {
  const [r] = await rows<{ ok: boolean }>(
    db,
    sql`select exists (
          select 1 from app_user u join resident r on r.phone_bidx = u.phone_bidx
          where u.id = ${userId} and u.phone_bidx is not null
            and r.household_id = ${householdId} and r.status = 'active') as ok`,
  )
  return r?.ok ?? false
}

/** The local days (in the zone) a resident was swabbed from a day on. */
export async function swabDays(
  db: Db,
  residentId: string,
  from: Date,
  zone: string,
): Promise<string[]> {
  const list = await rows<{ day: string }>(
    db,
    sql`select distinct ((scanned_at at time zone ${zone})::date)::text as day
        from specimen where resident_id = ${residentId} and scanned_at >= ${from}
        order by 1`,
  )
  return list.map((r) => r.day)
}

export interface SwabResult {
  day: string
  result: string | null
  kind: string
  ctN: number | null
  ctOrf1ab: number | null
}

/** A resident's specimens from a day on with their tube's kind and result (null: not back). */
export async function swabResults(
  db: Db,
  residentId: string,
  from: Date,
  zone: string,
): Promise<SwabResult[]> {
  return rows(
    db,
    sql`select ((s.scanned_at at time zone ${zone})::date)::text as day, t.result, t.kind,
               t.ct_n as "ctN", t.ct_orf1ab as "ctOrf1ab"
        from specimen s join tube t on t.id = s.tube_id
        where s.resident_id = ${residentId} and s.scanned_at >= ${from}
        order by s.scanned_at`,
  )
}

/** Whether a check-in from a day on reported symptoms or a fever. */
export async function symptomsSince(
  db: Db,
  measureId: string,
  fromDate: string,
  fever: number,
): Promise<boolean> {
  const [r] = await rows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from measure_checkin where measure_id = ${measureId}
          and local_date >= ${fromDate} and (cardinality(symptoms) > 0 or temperature >= ${fever})) as any`,
  )
  return r?.any ?? false
}

/* ------------------------------------------------------------------ boards and indicators */

/** What "today" means to the set-based duty queries. */
export interface DutyDay {
  today: string
  /** The local day's first instant and the next day's. */
  dayStart: Date
  dayEnd: Date
  /** Check-in slots due so far today: 1 before 12:00, 2 after. */
  slotsDue: number
  zone: string
}

/**
 * The duty columns of a measure for a day, as SQL over `m` (a measure row) and `sw` (whether the
 * person was swabbed today): the same decisions as dutiesOn in measures.rules.ts, answered for
 * every measure at once from the columns the service stores at the start (test days, the
 * check-in window, an open-ended test, the planned end).
 */
function dutySql(d: DutyDay) {
  const today = sql`${d.today}::date`
  // Who was swabbed today and which slots are in: each read once for the whole scope (hash
  // joins), not per measure.
  const ctes = sql`with sw as (
      select distinct resident_id from specimen where scanned_at >= ${d.dayStart} and scanned_at < ${d.dayEnd}),
    ci as (
      select measure_id, bool_or(slot = 'am') as am, bool_or(slot = 'pm') as pm
      from measure_checkin where local_date = ${today} group by measure_id)`
  const joins = sql`left join sw on sw.resident_id = m.resident_id left join ci on ci.measure_id = m.id`
  const swabbed = sql`(sw.resident_id is not null)`
  // Only measures with an open-ended phase ask since when (a handful: temporary control).
  const swabbedSinceOpen = sql`exists (select 1 from specimen s where s.resident_id = m.resident_id and s.scanned_at >= (m.open_test_from::timestamp at time zone ${d.zone}) and s.scanned_at < ${d.dayEnd})`
  const testDue = sql`(${today} = any(m.test_days)
      or (m.daily_test_after is not null and ${today} > m.daily_test_after)
      or case when m.open_test_from is not null and m.open_test_from <= ${today}
              then ${swabbed} or not ${swabbedSinceOpen} else false end)`
  const inCheckinWindow = sql`(m.checkin_from is not null and m.checkin_from <= ${today} and (m.checkin_to is null or ${today} <= m.checkin_to) and m.checkins_per_day > 0)`
  const am = sql`coalesce(ci.am, false)`
  const pm = sql`coalesce(ci.pm, false)`
  // Owed so far today: the am slot from midnight, the pm slot from noon (one a day: either slot).
  const missing = sql`(${inCheckinWindow} and case
      when m.checkins_per_day >= 2 then (not ${am}) or (${d.slotsDue >= 2} and not ${pm})
      else not (${am} or ${pm}) end)`
  const releaseDue = sql`(m.planned_end is not null and ${today} >= m.planned_end)`
  return { today, ctes, joins, swabbed, testDue, missing, releaseDue, am, pm, inCheckinWindow }
}

export interface BoardRow {
  id: string
  residentId: string
  name: string
  idEnc: string | null
  householdLabel: string | null
  buildingId: string | null
  buildingLabel: string | null
  sortKey: string
  category: string
  anchorDate: string
  plannedEnd: string | null
  profileName: string
  dayNumber: number
  daysLeft: number | null
  testDue: boolean
  testDone: boolean
  releaseDue: boolean
  inCheckinWindow: boolean
  am: boolean
  pm: boolean
  checkinsPerDay: number
}

export interface BoardCursor {
  sortKey: string
  id: string
}

/**
 * One page of a board in walking order (the household's sort key: building, unit, room), keyset
 * by (sort key, id), under the actor's scope and the chosen division, filtered by the board's
 * duty in SQL.
 */
export async function boardPage(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  d: DutyDay,
  q: {
    list: 'active' | 'test_due' | 'release_due' | 'checkin_missing'
    divisionPath?: string | undefined
    category?: string | undefined
    after?: BoardCursor | undefined
    limit: number
  },
): Promise<BoardRow[]> {
  const x = dutySql(d)
  const filter: SQL =
    q.list === 'test_due'
      ? x.testDue
      : q.list === 'release_due'
        ? x.releaseDue
        : q.list === 'checkin_missing'
          ? x.missing
          : sql`true`
  return rows(
    db,
    sql`${x.ctes}
        select m.id, m.resident_id as "residentId", r.name, r.id_enc as "idEnc",
               h.label as "householdLabel", b.id as "buildingId",
               case when b.id is null then null else b.name end as "buildingLabel",
               coalesce(h.sort_key, '') as "sortKey", m.category, m.anchor_date::text as "anchorDate",
               m.planned_end::text as "plannedEnd", m.profile_name as "profileName",
               (${x.today} - m.anchor_date) + m.day_offset as "dayNumber",
               case when m.planned_end is null then null else greatest(0, m.planned_end - ${x.today}) end as "daysLeft",
               ${x.testDue} as "testDue", ${x.swabbed} as "testDone", ${x.releaseDue} as "releaseDue",
               ${x.inCheckinWindow} as "inCheckinWindow", ${x.am} as am, ${x.pm} as pm,
               m.checkins_per_day as "checkinsPerDay"
        from measure m
        join resident r on r.id = m.resident_id
        left join household h on h.id = m.household_id
        left join building b on b.id = h.building_id
        ${x.joins}
        where m.status = 'active' and ${scopeCondition(sql`m.grid_path`, actor)}
          ${q.divisionPath ? sql`and m.grid_path like ${likePrefix(q.divisionPath)}` : sql``}
          ${q.category ? sql`and m.category = ${q.category}` : sql``}
          ${q.after ? sql`and (coalesce(h.sort_key, ''), m.id) > (${q.after.sortKey}, ${q.after.id}::uuid)` : sql``}
          and ${filter}
        order by coalesce(h.sort_key, ''), m.id
        limit ${q.limit}`,
  )
}

export interface IndicatorRow {
  category: string
  people: number
  testsDue: number
  testsDone: number
  releasesDue: number
  checkinsMissing: number
}

/**
 * The home page's figures in one statement: per category, the people under an active measure,
 * tests due today and done, releases due and missing check-ins, under the actor's scope.
 */
export async function indicatorRows(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  d: DutyDay,
  divisionPath?: string,
): Promise<IndicatorRow[]> {
  const x = dutySql(d)
  return rows(
    db,
    sql`${x.ctes}
        select category, count(*)::int as people,
               count(*) filter (where due)::int as "testsDue",
               count(*) filter (where due and done)::int as "testsDone",
               count(*) filter (where release)::int as "releasesDue",
               count(*) filter (where missing)::int as "checkinsMissing"
        from (
          select m.category, ${x.testDue} as due, ${x.swabbed} as done,
                 ${x.releaseDue} as release, ${x.missing} as missing
          from measure m ${x.joins}
          where m.status = 'active' and ${scopeCondition(sql`m.grid_path`, actor)}
            ${divisionPath ? sql`and m.grid_path like ${likePrefix(divisionPath)}` : sql``}
        ) duty
        group by category order by category`,
  )
}
