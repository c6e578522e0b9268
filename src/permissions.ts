/**
 * Every domain's permission table, composed in one place. `Permission` (the union of their
 * names) is what authorize(), requireAccess() and can() take on the server and what the web
 * app's can() takes, so an unknown permission is a compile error on both sides. Nothing here
 * runs at import: app.ts, boot.ts and the tests call installPermissions().
 *
 * A new domain adds its `<domain>.policy.ts` (definePolicy, a plain value) to POLICIES below.
 * This file and everything it imports stay free of Node APIs: the web app type-checks it.
 */
import { installPolicies, type Policy } from './core/auth/authorize.js'
import { authPolicy } from './core/auth/auth.policy.js'
import { treePolicy } from './core/tree/tree.policy.js'
import { auditPolicy } from './core/audit/audit.policy.js'
import { piiPolicy } from './core/pii/pii.policy.js'
import { registryPolicy } from './registry/registry.policy.js'
import { testingPolicy } from './testing/testing.policy.js'
import { alertsPolicy } from './alerts/alerts.policy.js'
import { doorsPolicy } from './measures/doors.policy.js'
import { policyPolicy } from './policy/policy.policy.js'
import { measuresPolicy } from './measures/measures.policy.js'
import { zonesPolicy } from './zones/zones.policy.js'
import { checkpointsPolicy } from './checkpoints/checkpoints.policy.js'
import { arrivalsPolicy } from './arrivals/arrivals.policy.js'

export const POLICIES = [
  authPolicy,
  treePolicy,
  auditPolicy,
  piiPolicy,
  registryPolicy,
  testingPolicy,
  alertsPolicy,
  doorsPolicy,
  policyPolicy,
  measuresPolicy,
  zonesPolicy,
  checkpointsPolicy,
  arrivalsPolicy,
] as const

type PolicyPermission<T> = T extends Policy<infer P> ? P : never
type AllPermissions = PolicyPermission<(typeof POLICIES)[number]>

declare module './core/auth/authorize.js' {
  // Interface merging is how core learns the domains' names without importing them.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface PermissionRegistry extends Record<AllPermissions, true> {}
}

export type { Permission } from './core/auth/authorize.js'

/** Installs every table (idempotent): the first thing an app, a CLI run or a test does. */
export function installPermissions(): void {
  installPolicies(POLICIES)
}
