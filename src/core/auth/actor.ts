import { ROOT_PATH } from '../scope/scope.js'
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

/**
 * @deprecated The scope rules moved to `core/scope/scope.ts`; import them from there. These
 * re-exports keep older imports compiling until every domain has switched.
 */
export {
  ROOT_PATH,
  isWholeDeployment,
  pathInScope,
  pathOverlapsScope,
  scopeContainsAll,
  escapeLike,
  likePrefix,
  pathsCondition,
  scopeCondition,
  scopeOverlapCondition,
  outOfScopeError,
  assertPathInScope,
  assertScopeContains,
} from '../scope/scope.js'
