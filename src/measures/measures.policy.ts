import { definePolicy } from '../core/auth/authorize.js'

/**
 * Who may do what with measures (issue 10 item 2). Grid workers, community doctors and leads
 * start measures and record check-ins; releasing a person (and cancelling a measure started by
 * mistake) is a health decision: community doctors, leads and administrators only. Command
 * reads. A resident account holds `measures:self`: it reads and checks in the measures of its
 * own household only (the service matches the account's phone to a member of the household).
 */
export const MEASURE_PERMISSIONS = [
  'measures:read', // a person's timeline, the boards, the notices, the indicators
  'measures:start', // put a person under a measure
  'measures:checkin', // record a check-in for anyone in scope
  'measures:release', // release (after its checks) or cancel a measure
  'measures:self', // a resident: read and check in the measures of their own household
] as const

const STAFF = ['measures:read', 'measures:start', 'measures:checkin'] as const

export const measuresPolicy = definePolicy({
  permissions: MEASURE_PERMISSIONS,
  grants: {
    admin: [...STAFF, 'measures:release'],
    command: ['measures:read'],
    community_lead: [...STAFF, 'measures:release'],
    doctor: [...STAFF, 'measures:release'],
    grid_worker: STAFF,
    // Building heads see the least personal data (domain.md §1): no one's measures; the services
    // they deliver to sealed households come with issue 11's zones.
    resident: ['measures:self'],
  },
})
