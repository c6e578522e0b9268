import { definePolicy } from '../auth/authorize.js'

export const TREE_PERMISSIONS = ['tree:read', 'tree:manage'] as const

/** The administrative tree: every working role reads its part; admins and community leads add nodes. */
export const treePolicy = definePolicy({
  permissions: TREE_PERMISSIONS,
  grants: {
    admin: TREE_PERMISSIONS,
    command: ['tree:read'],
    community_lead: TREE_PERMISSIONS,
    grid_worker: ['tree:read'],
    doctor: ['tree:read'],
    building_head: ['tree:read'],
    checkpoint: ['tree:read'],
    sampler: ['tree:read'],
  },
})
