/**
 * The web app reads the server's answers through types inferred from its zod schemas. This file
 * is checked by `tsc -p web/tsconfig.json` (never bundled: nothing imports it) and proves that a
 * field the server does not send is a compile error in the browser code, so a rename on the
 * server cannot ship with a screen that still reads the old name.
 */
import type { Me, Division, User, AuditEntry, AuditVerify, RoleRow } from './core/api'
import type { Resident, ResidentDetail, Transfer } from './registry/api'
import type {
  Round,
  RoundProgress,
  ScanResult,
  MissedItem,
  Site,
  KeyGroup,
  TestingProfile,
  OverdueMember,
  AddMembersResult,
} from './testing/api'
import { registryApi, type Relation } from './registry/api'
import { allOf } from './lib/contract'
import type { AlertItem } from './alerts/api'
import { testingApi } from './testing/api'

declare const me: Me
declare const division: Division
declare const user: User
declare const resident: Resident
declare const detail: ResidentDetail
declare const transfer: Transfer
declare const round: Round
declare const progress: RoundProgress
declare const scan: ScanResult
declare const missed: MissedItem
declare const site: Site
declare const group: KeyGroup
declare const alert: AlertItem
declare const profile: TestingProfile
declare const overdue: OverdueMember
declare const added: AddMembersResult
declare const entry: AuditEntry
declare const verified: AuditVerify
declare const roleRow: RoleRow

// The fields the pages read exist, with the server's types.
export const ok: readonly unknown[] = [
  me.selectedScope?.name satisfies string | undefined,
  me.role satisfies
    | 'admin'
    | 'command'
    | 'community_lead'
    | 'grid_worker'
    | 'building_head'
    | 'checkpoint'
    | 'sampler'
    | 'doctor'
    | 'resident',
  division.level satisfies 'district' | 'street' | 'community' | 'grid',
  user.phoneRevealed satisfies boolean,
  resident.householdLabel satisfies string | null,
  detail.events[0]?.at satisfies string | undefined,
  transfer.status satisfies 'requested' | 'confirmed' | 'disputed',
  round.deadline satisfies string,
  progress.totals.missed satisfies number,
  scan.status satisfies 'accepted' | 'duplicate' | 'rejected',
  missed.residentId satisfies string,
  site.kind satisfies 'fixed' | 'door_to_door',
  group.overdue satisfies number,
  alert.severity satisfies 'info' | 'warning' | 'critical',
  profile.profile satisfies string,
  overdue.daysOverdue satisfies number | null,
  added.rejected[0]?.code satisfies string | undefined,
  entry.targetLabel satisfies string | null,
  verified.problems[0]?.problem satisfies
    | 'hash_mismatch'
    | 'broken_link'
    | 'unkeyed_entry'
    | 'checkpoint_forged'
    | 'checkpoint_entry_missing'
    | 'checkpoint_hash_mismatch'
    | 'checkpoint_count_mismatch'
    | 'no_checkpoint'
    | undefined,
  roleRow.assignable satisfies boolean,
]

// A name the server does not send is an error, as a renamed field would be.
export const wrong: readonly unknown[] = [
  // @ts-expect-error the session has `displayName`, not `fullName`
  me.fullName,
  // @ts-expect-error a round has `deadline`, not `endsAt`
  round.endsAt,
  // @ts-expect-error a resident has `householdLabel`, not `household`
  resident.household,
  // @ts-expect-error progress counts are under `totals`
  progress.missed,
  // @ts-expect-error a transfer status is one of three, not any string
  transfer.status satisfies 'pending',
  // @ts-expect-error the testing profile's values are under `settings`
  profile.poolSize,
  // @ts-expect-error an overdue member's days are `daysOverdue`, not `overdueDays`
  overdue.overdueDays,
  // @ts-expect-error the add-members answer counts `already`, not `duplicates`
  added.duplicates,
  // @ts-expect-error an audit entry has `actorName`, not `actor`
  entry.actor,
  // @ts-expect-error verify counts the entries it `checked`, not `total`
  verified.total,
  // @ts-expect-error a role row's role is one of the server's ROLES
  roleRow.role satisfies 'superuser',
]

// Requests are typed too: a body the server's schema would refuse does not compile.
export async function requests(): Promise<void> {
  // @ts-expect-error `residenceType` is required and `phoneNumber` is not a field
  await registryApi.register({ householdId: 'x', name: 'n', idNumber: '1', phoneNumber: '1' })
  await testingApi.createRound({
    name: 'r',
    // @ts-expect-error a round's kind is one of the server's ROUND_KINDS
    kind: 'weekly',
    divisionIds: ['x'],
    deadline: '2026-01-01T00:00:00Z',
  })
}

// A select's list of the server's values must name each of them: one missing, or one the server
// does not know, is an error.
export const relations = allOf<Relation>()([
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'daughter_in_law',
  'son_in_law',
  'nanny',
  'caregiver',
  'co_resident',
  'tenant',
  'other',
])
// @ts-expect-error 'other' is missing
export const missingOne = allOf<Relation>()([
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'daughter_in_law',
  'son_in_law',
  'nanny',
  'caregiver',
  'co_resident',
  'tenant',
])
export const unknownOne = allOf<Relation>()([
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'daughter_in_law',
  'son_in_law',
  'nanny',
  'caregiver',
  'co_resident',
  'tenant',
  'other',
  // @ts-expect-error 'cousin' is not a relation the server knows
  'cousin',
])
