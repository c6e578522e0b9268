import { definePolicy } from '../core/auth/authorize.js'

/**
 * Who may do what with risk areas (issue 11 item 1). Reading an area (its level, countdown,
 * history and how many live inside; no person) is for everyone who works the area, building heads
 * included: they deliver to sealed households. Drawing, widening, lowering and lifting an area is
 * command's and the community lead's decision; deciding against failed checks (an override with
 * its reason) is theirs alone too, and audited.
 */
export const ZONE_PERMISSIONS = [
  'zones:read', // the areas of my scope, an area's page
  'zones:manage', // draw, widen, change level, lift (when the checks pass)
  'zones:override', // lower or lift against failed checks, with a reason
] as const

const LEAD = ['zones:read', 'zones:manage', 'zones:override'] as const

export const zonesPolicy = definePolicy({
  permissions: ZONE_PERMISSIONS,
  grants: {
    admin: LEAD,
    command: LEAD,
    community_lead: LEAD,
    grid_worker: ['zones:read'],
    doctor: ['zones:read'],
    building_head: ['zones:read'],
  },
})
