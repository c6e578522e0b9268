import { definePolicy } from '../core/auth/authorize.js'

export const TESTING_PERMISSIONS = [
  'testing:read', // rounds, progress, tubes, rechecks
  'testing:manage', // open and close rounds, sites, key groups
  'testing:labs', // lab API accounts: deployment-level, admin only (results.service)
  'testing:sample', // scan people and tubes at a site or at the door
  'testing:results', // upload a lab's result file by hand
  'testing:missed', // record why someone has no specimen, export the missed-test list
  'testing:codes', // issue, print and revoke residents' codes
] as const

export const testingPolicy = definePolicy({
  permissions: TESTING_PERMISSIONS,
  grants: {
    admin: TESTING_PERMISSIONS,
    command: ['testing:read', 'testing:manage', 'testing:results'],
    community_lead: [
      'testing:read',
      'testing:manage',
      'testing:sample',
      'testing:results',
      'testing:missed',
      'testing:codes',
    ],
    grid_worker: ['testing:read', 'testing:sample', 'testing:missed', 'testing:codes'],
    sampler: ['testing:sample'],
    doctor: ['testing:read', 'testing:sample', 'testing:results'],
  },
})
