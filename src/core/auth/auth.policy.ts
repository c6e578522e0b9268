import { definePolicy } from './authorize.js'

export const AUTH_PERMISSIONS = ['users:read', 'users:manage', 'scope:break_glass'] as const

/** Accounts and acting outside one's scope (break-glass, with a typed reason). */
export const authPolicy = definePolicy({
  permissions: AUTH_PERMISSIONS,
  grants: {
    admin: AUTH_PERMISSIONS,
    command: ['users:read', 'scope:break_glass'],
    community_lead: ['users:read', 'users:manage'],
  },
})

/** Which roles a user manager may hand out; admins any. */
export const ASSIGNABLE_ROLES: Record<string, readonly string[]> = {
  admin: [
    'admin',
    'command',
    'community_lead',
    'grid_worker',
    'building_head',
    'checkpoint',
    'sampler',
    'doctor',
    'resident',
  ],
  community_lead: ['grid_worker', 'building_head', 'checkpoint', 'sampler', 'doctor', 'resident'],
}
