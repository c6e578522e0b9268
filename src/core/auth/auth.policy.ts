import { definePolicy } from './authorize.js'

export const CORE_PERMISSIONS = [
  'users:read',
  'users:manage',
  'audit:read',
  'tree:read',
  'tree:manage',
  'pii:reveal',
  'scope:break_glass',
  'data:export',
] as const

export type CorePermission = (typeof CORE_PERMISSIONS)[number]

/** Accounts, audit, the tree, personal data and exports: the permissions core itself checks. */
export const corePolicy = definePolicy({
  permissions: CORE_PERMISSIONS,
  grants: {
    admin: CORE_PERMISSIONS,
    command: ['users:read', 'audit:read', 'tree:read', 'pii:reveal', 'scope:break_glass', 'data:export'],
    community_lead: ['users:read', 'users:manage', 'audit:read', 'tree:read', 'tree:manage', 'pii:reveal', 'data:export'],
    // Grid workers print their own grid's lists for door-to-door rounds (masked unless revealed).
    grid_worker: ['tree:read', 'pii:reveal', 'data:export'],
    doctor: ['tree:read', 'pii:reveal'],
    building_head: ['tree:read'],
    checkpoint: ['tree:read'],
    sampler: ['tree:read'],
    resident: [],
  },
})

/** Which roles a user manager may hand out; admins any. */
export const ASSIGNABLE_ROLES: Record<string, readonly string[]> = {
  admin: ['admin', 'command', 'community_lead', 'grid_worker', 'building_head', 'checkpoint', 'sampler', 'doctor', 'resident'],
  community_lead: ['grid_worker', 'building_head', 'checkpoint', 'sampler', 'doctor', 'resident'],
}
