import { and, asc, eq, gt, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm'
import { hotReaderOf, type Db } from '../db/db.js'
import { likeContains, likePrefix, scopeCondition, type ScopedActor } from '../scope/scope.js'
import { division } from './tree.tables.js'

export type DivisionRow = typeof division.$inferSelect
/** What a list shows of a node. */
export type DivisionListRow = Omit<DivisionRow, 'createdAt'>

export interface DivisionListFilter {
  parentId?: string | null
  level?: string | undefined
  q?: string | undefined
  after?: string | undefined
  limit: number
  /** Whose scope the list is limited to (its predicate is applied here, in SQL). */
  reader: Pick<ScopedActor, 'scopePaths'>
}

/**
 * The hottest list — a node's children, first page, for a reader with one scope path — as a
 * named prepared statement that PostgreSQL parses once per connection, run on the driver with
 * rows as arrays (bench/http: Drizzle's query path and row mapping were a tenth of the
 * request's cost). Inside a transaction, Drizzle's prepared statement. Same rows as the general
 * query (tree.routes.test.ts, both engines).
 */
const CHILDREN_IN_SCOPE =
  'select id, code, name, level, parent_id, path, child_count from division' +
  ' where path like $1 and parent_id = $2 order by code limit $3'
const childrenStatements = new WeakMap<Db, ReturnType<typeof prepareChildren>>()
function prepareChildren(db: Db) {
  return db
    .select()
    .from(division)
    .where(
      and(
        like(division.path, sql.placeholder('scope')),
        eq(division.parentId, sql.placeholder('parentId')),
      ),
    )
    .orderBy(asc(division.code))
    .limit(sql.placeholder('limit'))
    .prepare('division_children_in_scope')
}

/** Keyset by code, within the reader's scope. */
export async function listDivisions(db: Db, f: DivisionListFilter): Promise<DivisionListRow[]> {
  if (
    typeof f.parentId === 'string' &&
    !f.level &&
    !f.q &&
    !f.after &&
    f.reader.scopePaths.length === 1
  ) {
    // One scope path: `path LIKE '<path>%'` is scopeCondition's predicate for it (the root path '/' matches every node).
    const scope = likePrefix(f.reader.scopePaths[0]!)
    const hot = hotReaderOf(db)
    if (hot) {
      const rows = await hot.rows('division_children_in_scope_hot', CHILDREN_IN_SCOPE, [
        scope,
        f.parentId,
        f.limit,
      ])
      return rows.map((r) => ({
        id: r[0] as string,
        code: r[1] as string,
        name: r[2] as string,
        level: r[3] as string,
        parentId: r[4] as string | null,
        path: r[5] as string,
        childCount: r[6] as number,
      }))
    }
    let statement = childrenStatements.get(db)
    if (!statement) childrenStatements.set(db, (statement = prepareChildren(db)))
    return statement.execute({ scope, parentId: f.parentId, limit: f.limit })
  }
  const conds: (SQL | undefined)[] = [scopeCondition(division.path, f.reader)]
  if (f.parentId !== undefined)
    conds.push(f.parentId === null ? isNull(division.parentId) : eq(division.parentId, f.parentId))
  if (f.level) conds.push(eq(division.level, f.level))
  if (f.q) {
    const pattern = likeContains(f.q)
    conds.push(or(like(division.name, pattern), like(division.code, pattern)))
  }
  if (f.after) conds.push(gt(division.code, f.after))
  return db
    .select()
    .from(division)
    .where(and(...conds))
    .orderBy(asc(division.code))
    .limit(f.limit)
}

export async function findDivisionById(db: Db, id: string): Promise<DivisionRow | undefined> {
  const [row] = await db.select().from(division).where(eq(division.id, id)).limit(1)
  return row
}

export async function findDivisionByCode(db: Db, code: string): Promise<DivisionRow | undefined> {
  const [row] = await db.select().from(division).where(eq(division.code, code)).limit(1)
  return row
}

export async function findDivisionsByPaths(db: Db, paths: string[]): Promise<DivisionRow[]> {
  if (paths.length === 0) return []
  return db
    .select()
    .from(division)
    .where(sql`${division.path} in ${paths}`)
    .orderBy(asc(division.code))
}

export async function insertDivision(
  db: Db,
  values: typeof division.$inferInsert,
): Promise<DivisionRow> {
  const [row] = await db.insert(division).values(values).returning()
  return row!
}

export async function countDivisionsUnder(db: Db, scope: SQL): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(division)
    .where(scope)
  return r?.n ?? 0
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export async function divisionNamesByIds(
  db: Db,
  ids: string[],
): Promise<Map<string, { label: string; paths: string[] }>> {
  const valid = ids.filter((id) => UUID.test(id))
  if (valid.length === 0) return new Map()
  const found = await db
    .select({ id: division.id, code: division.code, name: division.name, path: division.path })
    .from(division)
    .where(inArray(division.id, valid))
  return new Map(found.map((d) => [d.id, { label: `${d.name} (${d.code})`, paths: [d.path] }]))
}

export async function countDivisions(db: Db): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(division)
  return r?.n ?? 0
}
