import { definePolicy } from '../auth/authorize.js'

export const AUDIT_PERMISSIONS = ['audit:read'] as const

/** The audit log, read within one's scope (verifying the whole chain also needs the whole deployment). */
export const auditPolicy = definePolicy({
  permissions: AUDIT_PERMISSIONS,
  grants: {
    admin: AUDIT_PERMISSIONS,
    command: AUDIT_PERMISSIONS,
    community_lead: AUDIT_PERMISSIONS,
  },
})
