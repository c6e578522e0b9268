import { definePolicy } from '../core/auth/authorize.js'

export const POLICY_PERMISSIONS = ['policy:read', 'policy:manage'] as const

/** Admins switch profiles and keep local overrides; command and community leads read them. */
export const policyPolicy = definePolicy({
  permissions: POLICY_PERMISSIONS,
  grants: {
    admin: POLICY_PERMISSIONS,
    command: ['policy:read'],
    community_lead: ['policy:read'],
  },
})
