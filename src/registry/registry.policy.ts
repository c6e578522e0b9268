import { definePolicy } from '../core/auth/authorize.js'

export const REGISTRY_PERMISSIONS = [
  'registry:read',
  'registry:write',
  // Register a walk-in provisionally at a sampling desk (samplers have no other registry right).
  'registry:provisional',
] as const

export const registryPolicy = definePolicy({
  permissions: REGISTRY_PERMISSIONS,
  grants: {
    admin: REGISTRY_PERMISSIONS,
    command: ['registry:read'],
    community_lead: REGISTRY_PERMISSIONS,
    grid_worker: REGISTRY_PERMISSIONS,
    // Building heads see who lives where (masked); they cannot reveal or change records.
    building_head: ['registry:read'],
    doctor: ['registry:read', 'registry:provisional'],
    sampler: ['registry:provisional'],
  },
})
