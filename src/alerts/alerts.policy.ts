import { definePolicy } from '../core/auth/authorize.js'

export const ALERT_PERMISSIONS = ['alerts:read', 'alerts:acknowledge'] as const

export const alertsPolicy = definePolicy({
  permissions: ALERT_PERMISSIONS,
  grants: {
    admin: ALERT_PERMISSIONS,
    command: ALERT_PERMISSIONS,
    community_lead: ALERT_PERMISSIONS,
    grid_worker: ALERT_PERMISSIONS,
    doctor: ALERT_PERMISSIONS,
  },
})
