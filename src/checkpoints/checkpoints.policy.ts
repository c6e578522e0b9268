import { definePolicy } from '../core/auth/authorize.js'

/**
 * Who may do what at checkpoints (issue 11 item 4). Community leads set up a community's gates
 * and their posters; the gate's staff (the checkpoint role), grid workers and leads work the
 * desk: confirm an arrival, register one without a phone; grid workers and leads start the
 * proposed measure (it registers the person where they live). Command
 * and doctors read the arrivals.
 */
export const CHECKPOINT_PERMISSIONS = [
  'checkpoints:read', // the checkpoints and the arrivals of my scope
  'checkpoints:manage', // create, edit, retire a checkpoint, rotate its poster
  'checkpoints:desk', // the gate desk: look up, confirm, register at the gate
  // Start an arrival's measure: the person is registered into their household and put under the
  // measure, so it takes registry:write and measures:start too (grid workers, leads).
  'checkpoints:start_measure',
  'checkpoints:gate', // log entries and exits at a gate (its staff, grid workers, leads)
  'checkpoints:exit_pass', // issue a household's exit passes of a day (grid workers, leads)
] as const

const DESK = ['checkpoints:read', 'checkpoints:desk', 'checkpoints:gate'] as const
const STARTS = [...DESK, 'checkpoints:start_measure', 'checkpoints:exit_pass'] as const

export const checkpointsPolicy = definePolicy({
  permissions: CHECKPOINT_PERMISSIONS,
  grants: {
    admin: CHECKPOINT_PERMISSIONS,
    community_lead: CHECKPOINT_PERMISSIONS,
    grid_worker: STARTS,
    checkpoint: DESK,
    command: ['checkpoints:read'],
    doctor: ['checkpoints:read'],
  },
})
