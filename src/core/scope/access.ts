import { authorize, type Permission } from '../auth/authorize.js'
import type { Actor } from '../auth/actor.js'
import {
  assertPathInScope,
  assertScopeContains,
  type PathTarget,
  type PathsTarget,
} from './scope.js'

/**
 * What a permission is exercised on: one node (a resident, by their grid's path) must lie in
 * the actor's scope; a wider object (a street-wide round, a tube's members) must lie wholly in it.
 */
export type AccessTarget = PathTarget | PathsTarget

/**
 * The first line of a service function: the role must hold the permission (403 FORBIDDEN) and,
 * given a target, the target must lie in the actor's scope (403 OUT_OF_SCOPE, written to the
 * audit log by the error handler after the transaction has rolled back).
 */
export function requireAccess(actor: Actor, permission: Permission, target?: AccessTarget): void {
  authorize(actor, permission)
  if (target === undefined) return
  if ('paths' in target) assertScopeContains(actor, target)
  else assertPathInScope(actor, target)
}
