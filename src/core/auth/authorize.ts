import { forbidden } from '../errors.js'
import type { Role } from './roles.js'

/**
 * One permission table per domain (`<domain>.policy.ts` calls definePolicy at import) and one
 * shared authorize(). Permissions are strings `<domain>:<verb>`.
 */
export type PolicyTable = Partial<Record<Role, readonly string[]>>

const grants = new Map<Role, Set<string>>()
const known = new Set<string>()

export function definePolicy(table: PolicyTable, permissions: readonly string[]): void {
  for (const p of permissions) known.add(p)
  for (const [role, perms] of Object.entries(table) as [Role, readonly string[]][]) {
    const set = grants.get(role) ?? new Set<string>()
    for (const p of perms) {
      if (!known.has(p)) throw new Error(`policy: ${role} granted unknown permission ${p}`)
      set.add(p)
    }
    grants.set(role, set)
  }
}

export function can(role: Role, permission: string): boolean {
  return grants.get(role)?.has(permission) ?? false
}

export function permissionsOf(role: Role): string[] {
  return [...(grants.get(role) ?? [])].sort()
}

export interface Subject {
  role: Role
}

/** The first line of every service function that needs a permission. */
export function authorize(actor: Subject, permission: string): void {
  if (!known.has(permission)) throw new Error(`authorize: unknown permission ${permission}`)
  if (!can(actor.role, permission)) throw forbidden(`Your role (${actor.role}) may not ${permission}`)
}
