import { definePolicy } from '../core/auth/authorize.js'

/**
 * Door sensors (门磁): an administrator or a community lead registers a household's sensor (and
 * gets its secret once) or revokes it; staff who watch isolated households list them. The
 * devices themselves post without a login, by signature (doors.service.ts).
 */
export const DOOR_PERMISSIONS = ['doors:manage', 'doors:read'] as const

export const doorsPolicy = definePolicy({
  permissions: DOOR_PERMISSIONS,
  grants: {
    admin: DOOR_PERMISSIONS,
    community_lead: DOOR_PERMISSIONS,
    command: ['doors:read'],
    grid_worker: ['doors:read'],
    doctor: ['doors:read'],
  },
})
