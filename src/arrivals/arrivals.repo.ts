import { and, desc, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { rows } from '../core/db/db.js'
import { externalRiskArea } from './arrivals.tables.js'

export type ExternalRow = typeof externalRiskArea.$inferSelect
export type ExternalInsert = typeof externalRiskArea.$inferInsert

export async function insertExternal(db: Db, row: ExternalInsert): Promise<ExternalRow> {
  const [r] = await db.insert(externalRiskArea).values(row).returning()
  return r!
}

/** Many entries at once (an import), in one statement per 1,000. */
export async function insertExternals(db: Db, list: ExternalInsert[]): Promise<void> {
  for (let i = 0; i < list.length; i += 1000)
    await db.insert(externalRiskArea).values(list.slice(i, i + 1000))
}

export async function updateExternal(
  db: Db,
  id: string,
  patch: Partial<ExternalInsert>,
): Promise<ExternalRow | undefined> {
  const [r] = await db
    .update(externalRiskArea)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(externalRiskArea.id, id))
    .returning()
  return r
}

export async function findExternal(db: Db, id: string): Promise<ExternalRow | undefined> {
  const [r] = await db.select().from(externalRiskArea).where(eq(externalRiskArea.id, id)).limit(1)
  return r
}

/**
 * The entries of these name keys still in force on or after `from` (no end day, or ending after
 * it), latest start first: what a re-import or a repeated entry updates.
 */
export async function openByKeys(
  db: Db,
  keys: readonly string[],
  from: string,
): Promise<ExternalRow[]> {
  if (keys.length === 0) return []
  const out: ExternalRow[] = []
  for (let i = 0; i < keys.length; i += 1000) {
    out.push(
      ...(await db
        .select()
        .from(externalRiskArea)
        .where(
          and(
            inArray(externalRiskArea.nameKey, keys.slice(i, i + 1000) as string[]),
            or(isNull(externalRiskArea.validTo), gt(externalRiskArea.validTo, from)),
          ),
        )
        .orderBy(desc(externalRiskArea.validFrom))),
    )
  }
  return out
}

export interface ExternalFilter {
  q?: string | undefined
  level?: string | undefined
  status?: 'active' | 'ended' | 'upcoming' | undefined
  before?: string | undefined
  limit: number
}

const statusWhere = (status: ExternalFilter['status'], today: string): SQL | undefined => {
  const t = externalRiskArea
  if (status === 'active')
    return and(lte(t.validFrom, today), or(isNull(t.validTo), gt(t.validTo, today)))
  if (status === 'ended') return lte(t.validTo, today)
  if (status === 'upcoming') return gt(t.validFrom, today)
  return undefined
}

/** Newest first (keyset on the uuidv7 id); `q` looks in every name and the source. */
export async function listExternal(
  db: Db,
  f: ExternalFilter,
  today: string,
): Promise<ExternalRow[]> {
  const t = externalRiskArea
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
  return db
    .select()
    .from(t)
    .where(
      and(
        f.level ? eq(t.level, f.level) : undefined,
        statusWhere(f.status, today),
        f.before ? lt(t.id, f.before) : undefined,
        like
          ? sql`(${t.province} || ' ' || ${t.city} || ' ' || ${t.district} || ' ' || ${t.street} || ' ' || ${t.place} || ' ' || ${t.source}) ilike ${like}`
          : undefined,
      ),
    )
    .orderBy(desc(t.id))
    .limit(f.limit)
}

export async function countActiveExternal(db: Db, today: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(externalRiskArea)
    .where(statusWhere('active', today))
  return r?.n ?? 0
}

/** Entries in force on some day of [from, to] (validTo exclusive): what a batch classifies against. */
export async function externalInForce(db: Db, from: string, to: string): Promise<ExternalRow[]> {
  const t = externalRiskArea
  return db
    .select()
    .from(t)
    .where(and(lte(t.validFrom, to), or(isNull(t.validTo), gt(t.validTo, from))))
}

export interface LocalExtentRow {
  areaId: string
  level: string
  /** As the driver returns it (a Date or its text). */
  startedAt: Date | string
  liftedAt: Date | string | null
  kind: string
  label: string
  path: string
}

/**
 * The parts of the local risk areas active at some time in [from, to) (read-only join of zones'
 * tables, ALLOWED_JOINS in scripts/check-deps.mjs): what the itinerary is matched against
 * besides the external list.
 */
export async function localExtentsActive(db: Db, from: Date, to: Date): Promise<LocalExtentRow[]> {
  return rows<LocalExtentRow>(
    db,
    sql`select a.id as "areaId", a.level, a.started_at as "startedAt", a.lifted_at as "liftedAt",
               e.kind, e.label, e.path
          from zone_area a
          join zone_extent e on e.area_id = a.id
         where a.started_at < ${to.toISOString()}::timestamptz
           and (a.lifted_at is null or a.lifted_at >= ${from.toISOString()}::timestamptz)`,
  )
}

/** Divisions (core's tree) by their paths: the names of a local area's district, street, community. */
export async function divisionsByPaths(
  db: Db,
  paths: readonly string[],
): Promise<{ path: string; name: string; level: string; code: string }[]> {
  if (paths.length === 0) return []
  return rows(
    db,
    sql`select path, name, level, code from division where path = any(${sql.param([...paths])}::text[])`,
  )
}
