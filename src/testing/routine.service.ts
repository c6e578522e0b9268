import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Db, Tx } from '../core/db/db.js'
import { invalid, notFound } from '../core/errors.js'
import { renderReason } from '../core/i18n/messages.js'
import { blindIndexCandidates } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { pathOverlapsScope, pathUnderAny, scopeContainsAll } from '../core/scope/scope.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  deleteKeyGroupMember,
  findKeyGroup,
  findResidentByIdIndex,
  insertKeyGroup,
  insertKeyGroupMember,
  listKeyGroupRows,
  overdueMemberRows,
  residentGridPath,
  type KeyGroupRow,
} from './routine.repo.js'
import type {
  AddMembersOut,
  KeyGroupIn,
  KeyGroupOut,
  OverdueItemOut,
  OverdueQuery,
} from './testing.schema.js'
import { testingSettings } from './testing.service.js'
import { frequencyWindow, windowStart } from './testing.rules.js'
import { localDate, startOfLocalDay } from '../core/clock.js'

/**
 * Routine testing of key jobs (domain.md §5): groups of a key-job kind the profile lists, at a
 * frequency from the profile (daily, every N days, twice a week, a share of the group every N
 * days), their members, and who is overdue, by grid, counted by the profile's day convention.
 */

export async function createKeyGroup(
  tx: Tx,
  actor: Actor,
  input: KeyGroupIn,
): Promise<KeyGroupOut> {
  requireAccess(actor, 'testing:manage')
  const { settings, profile } = await testingSettings(tx)
  // Own keys only: "constructor" or "__proto__" is neither a kind nor a frequency.
  const job = Object.hasOwn(settings.keyJobs, input.kind) ? settings.keyJobs[input.kind] : undefined
  if (!job)
    throw invalid('kind', 'KEY_GROUP_KIND', {
      options: Object.keys(settings.keyJobs).join(', '),
      profile,
    })
  const frequency = input.frequency ?? job.frequency
  const f = Object.hasOwn(settings.routineFrequencies, frequency)
    ? settings.routineFrequencies[frequency]
    : undefined
  if (!f)
    throw invalid('frequency', 'KEY_GROUP_FREQUENCY', {
      options: Object.keys(settings.routineFrequencies).join(', '),
      profile,
    })
  const window = frequencyWindow(f)
  const d = await findDivisionById(tx, input.divisionId)
  if (!d) throw invalid('divisionId', 'KEY_GROUP_DIVISION_UNKNOWN')
  requireAccess(actor, 'testing:manage', { type: 'division', id: d.id, path: d.path })
  const g = await insertKeyGroup(tx, {
    name: input.name.trim(),
    kind: input.kind,
    frequency,
    frequencyDays: window.days,
    testsPerWindow: window.tests,
    divisionId: d.id,
    divisionPath: d.path,
  })
  await audit(
    tx,
    actor,
    'testing.key_group_create',
    { type: 'key_group', id: g.id, path: d.path },
    { detail: { name: g.name, frequency, days: window.days, tests: window.tests } },
  )
  const [view] = await groupViews(tx, actor, new Date(), g.id)
  return view!
}

/** From when swabs count at `now` for each window length, under the profile's day-counting convention. */
async function windowBase(db: Db, now: Date): Promise<Date> {
  const { settings } = await testingSettings(db)
  return windowStart(settings.dayCounting.convention, 0, now, startOfLocalDay(localDate(now)))
}

async function groupViews(
  db: Db,
  actor: Actor,
  now: Date,
  onlyId?: string,
): Promise<KeyGroupOut[]> {
  const found = await listKeyGroupRows(db, actor, await windowBase(db, now), onlyId)
  return found.map((g) => ({
    id: g.id,
    name: g.name,
    kind: g.kind,
    // Groups from before frequencies had names: named by their days.
    frequency: g.frequency ?? `every_${g.frequencyDays}_days`,
    frequencyDays: g.frequencyDays,
    testsPerWindow: g.testsPerWindow,
    division: { id: g.divisionId, name: g.divisionName },
    members: g.members,
    overdue: g.overdue,
  }))
}

export async function listKeyGroups(
  db: Db,
  actor: Actor,
  now = new Date(),
): Promise<KeyGroupOut[]> {
  requireAccess(actor, 'testing:read')
  return groupViews(db, actor, now)
}

async function groupInScope(db: Db, actor: Actor, id: string): Promise<KeyGroupRow> {
  const g = await findKeyGroup(db, id)
  if (!g) throw notFound('KEY_GROUP_NOT_FOUND')
  // A group of the area above the caller (a street's delivery riders) is theirs to manage for their part.
  if (!pathOverlapsScope(actor, g.divisionPath))
    requireAccess(actor, 'testing:manage', { type: 'key_group', id, path: g.divisionPath })
  return g
}

type Rejected = AddMembersOut['rejected'][number]

function rejectedLine(
  line: number,
  value: string,
  code: string,
  params?: Record<string, string | number>,
  field?: string,
): Rejected {
  const reason = renderReason('en', { code, field, params }) ?? code
  // The line is repeated masked, as every answer shows an ID number: a number typed from an employer's list may be anyone's.
  return {
    line,
    value: maskIdNumber(value),
    code,
    ...(field ? { field } : {}),
    ...(params ? { params } : {}),
    reason,
  }
}

/** Adds members by ID number (as a list arrives from an employer); each line is added or rejected with its reason. */
export async function addKeyGroupMembers(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  groupId: string,
  idNumbers: string[],
  now = new Date(),
): Promise<AddMembersOut> {
  requireAccess(actor, 'testing:manage')
  const g = await groupInScope(tx, actor, groupId)
  const out: AddMembersOut = { added: 0, already: 0, rejected: [] }
  for (const [i, raw] of idNumbers.entries()) {
    const value = raw.trim()
    if (!value) continue
    const parsed = parseIdNumber(value, now)
    if (!parsed.ok) {
      out.rejected.push(rejectedLine(i + 1, value, parsed.code, parsed.params, parsed.field))
      continue
    }
    // Looked up under the caller's scope only: a number registered elsewhere gets the same answer as one registered nowhere.
    const r = await findResidentByIdIndex(
      tx,
      blindIndexCandidates(ring, parsed.value.number),
      actor,
    )
    if (!r) {
      out.rejected.push(rejectedLine(i + 1, value, 'MEMBER_NOT_IN_MY_REGISTRY'))
      continue
    }
    if (!pathUnderAny(r.gridPath, [g.divisionPath])) {
      out.rejected.push(rejectedLine(i + 1, value, 'MEMBER_OUTSIDE_GROUP_AREA'))
      continue
    }
    if (await insertKeyGroupMember(tx, groupId, r.id, actor.username)) out.added++
    else out.already++
  }
  return out
}

export async function removeKeyGroupMember(
  tx: Tx,
  actor: Actor,
  groupId: string,
  residentId: string,
): Promise<void> {
  requireAccess(actor, 'testing:manage')
  const g = await groupInScope(tx, actor, groupId)
  // A caller who holds only part of a wider group removes only the members who live in their part.
  if (!scopeContainsAll(actor, [g.divisionPath])) {
    const gridPath = await residentGridPath(tx, residentId)
    if (!gridPath) throw notFound('KEY_GROUP_MEMBER_NOT_FOUND')
    requireAccess(actor, 'testing:manage', { type: 'resident', id: residentId, path: gridPath })
  }
  await deleteKeyGroupMember(tx, groupId, residentId)
}

/** The most overdue members one answer lists; a grid's list is far shorter. */
const OVERDUE_LIMIT = 2000

/** Members whose last swab is older than their group's frequency (or who never had one), by grid and household. */
export async function overdueMembers(
  db: Db,
  actor: Actor,
  q: OverdueQuery,
  now = new Date(),
): Promise<OverdueItemOut[]> {
  requireAccess(actor, 'testing:read')
  const found = await overdueMemberRows(
    db,
    actor,
    { groupId: q.groupId, underPath: q.grid },
    await windowBase(db, now),
    OVERDUE_LIMIT,
  )
  return found.map((r) => {
    const last = r.lastAt ? new Date(r.lastAt) : null
    return {
      residentId: r.id,
      name: r.name,
      household: r.label,
      gridPath: r.gridPath,
      group: r.groupName,
      frequencyDays: r.frequencyDays,
      testsPerWindow: r.testsPerWindow,
      testsInWindow: r.testsInWindow,
      lastSampledAt: last?.toISOString() ?? null,
      daysOverdue: last
        ? Math.floor((now.getTime() - last.getTime()) / 86_400_000) - r.frequencyDays
        : null,
    }
  })
}
