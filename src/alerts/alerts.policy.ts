import { definePolicy } from '../core/auth/authorize.js'

export const ALERT_PERMISSIONS = ['alerts:read', 'alerts:acknowledge'] as const

definePolicy(
  {
    admin: ALERT_PERMISSIONS,
    command: ALERT_PERMISSIONS,
    community_lead: ALERT_PERMISSIONS,
    grid_worker: ALERT_PERMISSIONS,
    doctor: ALERT_PERMISSIONS,
  },
  ALERT_PERMISSIONS,
)
