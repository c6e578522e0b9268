import { definePolicy } from '../auth/authorize.js'

export const PII_PERMISSIONS = ['pii:reveal', 'data:export'] as const

/** Full ID numbers and phones (audited), and lists taken out of the platform as files. */
export const piiPolicy = definePolicy({
  permissions: PII_PERMISSIONS,
  grants: {
    admin: PII_PERMISSIONS,
    command: PII_PERMISSIONS,
    community_lead: PII_PERMISSIONS,
    // Grid workers print their own grid's lists for door-to-door rounds (masked unless revealed).
    grid_worker: PII_PERMISSIONS,
    doctor: ['pii:reveal'],
  },
})
