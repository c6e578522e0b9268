import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { AppError } from '../errors.js'
import type { Role } from './roles.js'

/** Whoever is acting: a logged-in user for a request, or the system for the CLI. */
export interface Actor {
  userId: string | null
  username: string
  displayName: string
  role: Role
  /**
   * Materialised paths the actor may act within ("/" is the whole deployment). This is the
   * effective scope: narrowed by the scope switcher, widened by break-glass.
   */
  scopePaths: string[]
  ip: string | null
  sessionId: string | null
  breakGlassReason: string | null
}

export const ROOT_PATH = '/'

export function systemActor(name = 'system'): Actor {
  return {
    userId: null,
    username: name,
    displayName: name,
    role: 'admin',
    scopePaths: [ROOT_PATH],
    ip: null,
    sessionId: null,
    breakGlassReason: null,
  }
}

export function isWholeDeployment(actor: Actor): boolean {
  return actor.scopePaths.includes(ROOT_PATH)
}

export function pathInScope(actor: Actor, path: string): boolean {
  return actor.scopePaths.some((p) => path.startsWith(p))
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&')
}

/** The LIKE pattern for "this path and everything under it". */
export function likePrefix(path: string): string {
  return escapeLike(path) + '%'
}

/** `(col LIKE '/a/%' OR col LIKE '/b/%')` for any set of paths (a round's scope, say). */
export function pathsCondition(pathColumn: SQLWrapper, paths: readonly string[]): SQL {
  if (paths.length === 0) return sql`false`
  const parts = paths.map((p) => sql`${pathColumn} like ${likePrefix(p)}`)
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`
}

/**
 * Whether the actor's scope contains every one of these paths (the whole of an object: a
 * street-wide round, a tube's members). The test for writes on objects wider than one node.
 */
export function scopeContainsAll(actor: Actor, paths: readonly string[]): boolean {
  return paths.every((path) => pathInScope(actor, path))
}

/** Whether a node's path overlaps the actor's scope: under it, or above it (a street's group seen from a grid). */
export function pathOverlapsScope(actor: Actor, path: string): boolean {
  return actor.scopePaths.some((p) => path.startsWith(p) || p.startsWith(path))
}

/** `pathOverlapsScope` in SQL: rows whose node is under the actor's scope or above it. */
export function scopeOverlapCondition(pathColumn: SQLWrapper, actor: Actor): SQL {
  if (isWholeDeployment(actor)) return sql`true`
  if (actor.scopePaths.length === 0) return sql`false`
  const above = actor.scopePaths.map((p) => sql`${p} like ${pathColumn} || '%'`)
  return sql`(${scopeCondition(pathColumn, actor)} or ${sql.join(above, sql` or `)})`
}

/**
 * The scope predicate every list, count and search puts in its WHERE clause:
 * `(col LIKE '/a/%' OR col LIKE '/b/%')`, served by a text_pattern_ops index on the column.
 */
export function scopeCondition(pathColumn: SQLWrapper, actor: Actor): SQL {
  if (isWholeDeployment(actor)) return sql`true`
  return pathsCondition(pathColumn, actor.scopePaths)
}

/** A 403 that is also written to the audit log (after any transaction has rolled back). */
export function outOfScopeError(actor: Actor, target: { type: string; id: string; path: string }): AppError {
  const err = new AppError(403, 'OUT_OF_SCOPE', `${target.type} ${target.id} is outside your scope`)
  err.audit = {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'access.out_of_scope',
    targetType: target.type,
    targetId: target.id,
    scopePath: target.path,
    ip: actor.ip,
  }
  return err
}

/** A write on an object wider than the caller's scope: refused (403 OUT_OF_SCOPE, audited) unless the scope contains all of it. */
export function assertScopeContains(actor: Actor, target: { type: string; id: string; paths: readonly string[] }): void {
  const outside = target.paths.find((path) => !pathInScope(actor, path))
  if (outside !== undefined) throw outOfScopeError(actor, { type: target.type, id: target.id, path: outside })
}

export function assertPathInScope(actor: Actor, target: { type: string; id: string; path: string }): void {
  if (!pathInScope(actor, target.path)) throw outOfScopeError(actor, target)
}
