import { definePolicy } from '../core/auth/authorize.js'

/**
 * Who may do what with the external risk-area list (issue 11 items 3, 4). Everyone who works a
 * gate or an arrival reads the list and classifies an itinerary against it; command keeps the
 * list (it follows other cities' notices for the whole city), with admins.
 */
export const ARRIVAL_PERMISSIONS = [
  'arrivals:read', // the list with its filters, classify an itinerary
  'arrivals:manage_external', // enter, edit, end, import entries of the list
] as const

export const arrivalsPolicy = definePolicy({
  permissions: ARRIVAL_PERMISSIONS,
  grants: {
    admin: ARRIVAL_PERMISSIONS,
    command: ARRIVAL_PERMISSIONS,
    community_lead: ['arrivals:read'],
    grid_worker: ['arrivals:read'],
    checkpoint: ['arrivals:read'],
    doctor: ['arrivals:read'],
  },
})
