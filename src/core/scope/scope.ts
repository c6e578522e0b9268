import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { AppError } from '../errors.js'

/**
 * The one scope module. Every node of the tree has a materialised path (`/320102/…/`); an actor
 * may act on a node whose path starts with one of their scope paths. Lists and counts put
 * `scopeCondition` in their SQL; single records are checked with `assertPathInScope`; writes on
 * objects wider than one node (a street-wide round) with `assertScopeContains`. No other file
 * tests paths by hand or escapes LIKE patterns of its own.
 */

/** The path of the whole deployment: an actor bound to it sees everything. */
export const ROOT_PATH = '/'

/**
 * What the scope rules read of an actor (auth/actor.ts's Actor has all of it; declared here so
 * that the actor module can re-export this one without an import cycle).
 */
export interface ScopedActor {
  userId: string | null
  username: string
  ip: string | null
  scopePaths: readonly string[]
}

/** A target that is one node of the tree (a resident's grid, a division). */
export interface PathTarget {
  type: string
  id: string
  path: string
}

/** A target that spans several nodes (a round over two communities, a tube's members). */
export interface PathsTarget {
  type: string
  id: string
  paths: readonly string[]
}

export function isWholeDeployment(actor: Pick<ScopedActor, 'scopePaths'>): boolean {
  return actor.scopePaths.includes(ROOT_PATH)
}

/** Whether `path` lies under (or is) one of `paths`: the rule behind every scope check. */
export function pathUnderAny(path: string, paths: readonly string[]): boolean {
  return paths.some((p) => path.startsWith(p))
}

export function pathInScope(actor: Pick<ScopedActor, 'scopePaths'>, path: string): boolean {
  return pathUnderAny(path, actor.scopePaths)
}

/** Whether a node's path overlaps the actor's scope: under it, or above it (a street's group seen from a grid). */
export function pathOverlapsScope(actor: Pick<ScopedActor, 'scopePaths'>, path: string): boolean {
  return actor.scopePaths.some((p) => path.startsWith(p) || p.startsWith(path))
}

/**
 * Whether the actor's scope contains every one of these paths (the whole of an object: a
 * street-wide round, a tube's members). The test for writes on objects wider than one node.
 * An object with no paths (an empty tube) lies nowhere and is contained by every scope.
 */
export function scopeContainsAll(
  actor: Pick<ScopedActor, 'scopePaths'>,
  paths: readonly string[],
): boolean {
  return paths.every((path) => pathInScope(actor, path))
}

/** `s` with LIKE's metacharacters (`\`, `%`, `_`) escaped, for a pattern that matches it literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&')
}

/** The LIKE pattern for "this path and everything under it". */
export function likePrefix(path: string): string {
  return escapeLike(path) + '%'
}

/** The LIKE pattern for "contains this text anywhere" (searches by name or username). */
export function likeContains(text: string): string {
  return '%' + escapeLike(text) + '%'
}

/** `(col LIKE '/a/%' OR col LIKE '/b/%')` for any set of paths (a round's scope, say). */
export function pathsCondition(pathColumn: SQLWrapper, paths: readonly string[]): SQL {
  if (paths.length === 0) return sql`false`
  const parts = paths.map((p) => sql`${pathColumn} like ${likePrefix(p)}`)
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`
}

/**
 * The scope predicate every list, count and search puts in its WHERE clause:
 * `(col LIKE '/a/%' OR col LIKE '/b/%')`, served by a text_pattern_ops index on the column.
 */
export function scopeCondition(
  pathColumn: SQLWrapper,
  actor: Pick<ScopedActor, 'scopePaths'>,
): SQL {
  if (isWholeDeployment(actor)) return sql`true`
  return pathsCondition(pathColumn, actor.scopePaths)
}

/** `pathOverlapsScope` in SQL: rows whose node is under the actor's scope or above it. */
export function scopeOverlapCondition(
  pathColumn: SQLWrapper,
  actor: Pick<ScopedActor, 'scopePaths'>,
): SQL {
  if (isWholeDeployment(actor)) return sql`true`
  if (actor.scopePaths.length === 0) return sql`false`
  // The column is the prefix here, so its own metacharacters would need escaping; paths are
  // codes and slashes (tree.service checks), so `_` and `%` cannot occur in a stored path.
  const above = actor.scopePaths.map((p) => sql`${p} like ${pathColumn} || '%'`)
  return sql`(${scopeCondition(pathColumn, actor)} or ${sql.join(above, sql` or `)})`
}

/** A 403 that is also written to the audit log (after any transaction has rolled back). */
export function outOfScopeError(
  actor: ScopedActor,
  target: PathTarget,
  action = 'access.out_of_scope',
): AppError {
  const err = new AppError(403, 'OUT_OF_SCOPE', `${target.type} ${target.id} is outside your scope`)
  err.audit = {
    actorId: actor.userId,
    actorName: actor.username,
    action,
    targetType: target.type,
    targetId: target.id,
    scopePath: target.path,
    ip: actor.ip,
  }
  return err
}

export function assertPathInScope(actor: ScopedActor, target: PathTarget): void {
  if (!pathInScope(actor, target.path)) throw outOfScopeError(actor, target)
}

/** A write on an object wider than the caller's scope: refused (403 OUT_OF_SCOPE, audited) unless the scope contains all of it. */
export function assertScopeContains(actor: ScopedActor, target: PathsTarget): void {
  const outside = target.paths.find((path) => !pathInScope(actor, path))
  if (outside !== undefined)
    throw outOfScopeError(actor, { type: target.type, id: target.id, path: outside })
}
