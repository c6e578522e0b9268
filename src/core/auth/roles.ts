/** The roles of domain.md §1. One role per account; the scope is one or more tree nodes. */
export const ROLES = [
  'admin',
  'command',
  'community_lead',
  'grid_worker',
  'building_head',
  'checkpoint',
  'sampler',
  'doctor',
  'resident',
] as const

export type Role = (typeof ROLES)[number]

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

/** Roles that may (and are encouraged to) protect their account with a TOTP second factor. */
export const TOTP_ROLES: readonly Role[] = ['admin', 'command']
