import { AppError } from '../errors.js'
import type { Role } from './roles.js'

/**
 * Who may do what. Each domain declares its table in `<domain>.policy.ts` with definePolicy (a
 * plain value, no side effect); `src/permissions.ts` composes every table, names the union of
 * their permissions (by augmenting PermissionRegistry below, so that core names no domain) and
 * installs them at start (app.ts, boot.ts, tests). Permissions are strings `<domain>:<verb>`;
 * an unknown one is a compile error wherever `Permission` is the parameter type.
 */

/** Filled in by `src/permissions.ts`: one key per permission of every installed policy. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PermissionRegistry {}

/** Every permission name of the platform (a string-literal union). */
export type Permission = Extract<keyof PermissionRegistry, string>

/** One domain's table: the permissions it defines and which roles hold which. */
export interface Policy<P extends string = string> {
  readonly permissions: readonly P[]
  readonly grants: Partial<Record<Role, readonly P[]>>
}

/**
 * A domain's permission table as a value. Grants may only name the permissions the table
 * defines (a typo in a grant is a compile error); nothing is installed until installPolicies.
 */
export function definePolicy<const P extends string>(policy: {
  permissions: readonly P[]
  grants: Partial<Record<Role, readonly NoInfer<P>[]>>
}): Policy<P> {
  return policy
}

let grants: Map<Role, Set<string>> | null = null
const known = new Set<string>()

/**
 * Installs the composed tables (src/permissions.ts calls this). Installing again replaces what
 * was there, so it is safe to call from every entry point. A permission defined by two tables,
 * or a grant of a permission no table defines, is a programming error and throws.
 */
export function installPolicies(policies: readonly Policy[]): void {
  const nextKnown = new Set<string>()
  for (const policy of policies) {
    for (const p of policy.permissions) {
      if (nextKnown.has(p)) throw new Error(`policy: permission ${p} is defined twice`)
      nextKnown.add(p)
    }
  }
  const next = new Map<Role, Set<string>>()
  for (const policy of policies) {
    for (const [role, perms] of Object.entries(policy.grants) as [Role, readonly string[]][]) {
      const set = next.get(role) ?? new Set<string>()
      for (const p of perms) {
        if (!nextKnown.has(p)) throw new Error(`policy: ${role} granted unknown permission ${p}`)
        set.add(p)
      }
      next.set(role, set)
    }
  }
  known.clear()
  for (const p of nextKnown) known.add(p)
  grants = next
}

function installed(): Map<Role, Set<string>> {
  if (grants === null)
    throw new Error(
      'permissions are not installed: call installPermissions() from src/permissions.ts at start',
    )
  return grants
}

export function can(role: Role, permission: Permission): boolean {
  return installed().get(role)?.has(permission) ?? false
}

export function permissionsOf(role: Role): Permission[] {
  return [...(installed().get(role) ?? [])].sort() as Permission[]
}

export interface Subject {
  role: Role
}

/** Throws 403 FORBIDDEN unless the subject's role holds the permission. */
export function authorize(actor: Subject, permission: Permission): void {
  installed()
  // The type already rules out unknown names; this catches a string cast past it at runtime.
  if (!known.has(permission)) throw new Error(`authorize: unknown permission ${permission}`)
  if (!can(actor.role, permission))
    throw new AppError(403, 'FORBIDDEN', `Your role (${actor.role}) may not ${permission}`, {
      params: { role: actor.role, permission },
    })
}
