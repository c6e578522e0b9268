import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { invalid, notFound } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import {
  deleteMissedReason,
  missedPage,
  missedResident,
  upsertMissedReason,
  type MissedCursor,
  type MissedRow,
} from './missed.repo.js'
import {
  MISSED_REASONS,
  missedCursor,
  type MissedItem,
  type MissedPage,
  type MissedQuery,
  type MissedReason,
  type RecordMissedOut,
} from './missed.schema.js'
import { testingSettings, visibleRound } from './testing.service.js'
import { roundDays } from './testing.repo.js'
import {
  ageInYears,
  inRoundPlaces,
  missedReasonRefusal,
  readTime,
  type TestingProfile,
} from './testing.rules.js'
import { localDate } from '../core/clock.js'
import { audit } from '../core/audit/audit.service.js'
import { raiseAlerts } from '../alerts/alerts.service.js'

/* ------------------------------------------------------------------ missed-test list */

function readCursor(after: string): MissedCursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'))
  } catch {
    throw invalid('after', 'MISSED_CURSOR_INVALID')
  }
  const checked = missedCursor.safeParse(parsed)
  if (!checked.success) throw invalid('after', 'MISSED_CURSOR_INVALID')
  return checked.data
}

const writeCursor = (last: MissedRow): string =>
  Buffer.from(
    JSON.stringify({ gridPath: last.gridPath, sortKey: last.sortKey, id: last.id }),
  ).toString('base64url')

export async function missedList(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  q: MissedQuery,
  now = new Date(),
): Promise<MissedPage> {
  requireAccess(actor, 'testing:missed')
  const round = await visibleRound(db, actor, roundId)
  const { settings } = await testingSettings(db)
  const after = q.after ? readCursor(q.after) : undefined
  const limit = Math.min(q.limit ?? 50, 500)
  const elsewhereHours = settings.missedReasons.tested_elsewhere?.withinHours ?? null
  const page = await missedPage(db, roundDays(round, elsewhereHours), actor, {
    gridPath: q.grid,
    after,
    limit: limit + 1,
    view: q.includeExcused ? 'all' : (q.view ?? 'missed'),
    search: q.q || undefined,
  })
  const items = page.slice(0, limit).map((r) => missedItem(ring, r, now, settings.missedReasons))
  return { items, next: page.length > limit ? writeCursor(page[limit - 1]!) : null }
}

function missedItem(
  ring: Keyring,
  r: MissedRow,
  now: Date,
  rules: TestingProfile['missedReasons'],
): MissedItem {
  const reason = r.reason as MissedReason | null
  const byPresence = r.excludes === null && r.presence === 'away' && r.excused
  return {
    residentId: r.id,
    name: r.name,
    phone: r.phoneEnc ? maskPhone(decryptValue(ring, r.phoneEnc)) : null,
    gridPath: r.gridPath,
    household: r.householdLabel,
    age: r.birthDate ? ageInYears(r.birthDate, localDate(now)) : null,
    reason,
    note: r.note,
    excused: r.excused,
    excusedBy: !r.excused
      ? null
      : byPresence
        ? 'presence'
        : r.excludes === null && r.elsewhere
          ? 'elsewhere'
          : 'reason',
    // A reason recorded under an earlier profile keeps its own meaning: excused or still owing.
    action:
      reason === null
        ? null
        : Object.hasOwn(rules, reason)
          ? rules[reason]!.action
          : r.excludes
            ? 'excuse'
            : null,
    recordedBy: r.recordedBy,
    recordedAt: r.recordedAt ? new Date(r.recordedAt).toISOString() : null,
    presence: r.presence
      ? {
          status: r.presence as 'home' | 'away' | 'returned',
          destination: r.destination,
          since: r.presenceSince,
          returnOn: r.returnOn,
        }
      : null,
  }
}

/** Every row of one view of the list, for an export (walks the keyset to the end). */
export async function* allMissed(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  filter: { grid?: string | undefined; q?: string | undefined; view: 'missed' | 'excused' },
): AsyncGenerator<MissedItem> {
  let after: string | undefined
  for (;;) {
    const page = await missedList(db, ring, actor, roundId, {
      grid: filter.grid,
      q: filter.q,
      after,
      limit: 500,
      view: filter.view,
    })
    yield* page.items
    if (!page.next) return
    after = page.next
  }
}

/** A resident of the round, in the caller's scope. */
async function roundResident(
  db: Db,
  actor: Actor,
  residentId: string,
): Promise<NonNullable<Awaited<ReturnType<typeof missedResident>>>> {
  const r = await missedResident(db, residentId)
  if (!r) throw notFound('MISSED_RESIDENT_NOT_FOUND')
  requireAccess(actor, 'testing:missed', { type: 'resident', id: residentId, path: r.gridPath })
  return r
}

const isMissedReason = (s: string): s is MissedReason =>
  (MISSED_REASONS as readonly string[]).includes(s)

/**
 * Records why a resident has no specimen: a reason the active profile lists, within its
 * parameters (an infant under its age, tested elsewhere or vaccinated within its window, a note
 * where it asks). What it leads to is the profile's (domain.md §5): excused; still to swab at the
 * door or at the fever clinic; a refusal escalated with an alert to the grid; moved out or
 * deceased sent to the registry. Only an excusing reason takes the person off the list.
 */
export async function recordMissedReason(
  tx: Tx,
  actor: Actor,
  roundId: string,
  residentId: string,
  input: { reason: string; note?: string | undefined; eventAt?: string | undefined },
  now = new Date(),
): Promise<RecordMissedOut> {
  requireAccess(actor, 'testing:missed')
  const round = await visibleRound(tx, actor, roundId)
  const { settings, profile } = await testingSettings(tx)
  const reason = input.reason
  // Own keys only: "toString" or "__proto__" is not a reason.
  const rule =
    isMissedReason(reason) && Object.hasOwn(settings.missedReasons, reason)
      ? settings.missedReasons[reason]
      : undefined
  if (!rule || !isMissedReason(reason))
    throw invalid('reason', 'MISSED_REASON_UNKNOWN', { profile })
  const note = input.note?.trim() || null
  const person = await roundResident(tx, actor, residentId)
  if (!inRoundPlaces(round, person)) throw invalid('residentId', 'MISSED_RESIDENT_OUTSIDE_ROUND')
  const eventAt = input.eventAt === undefined ? undefined : readTime(input.eventAt)
  if (input.eventAt !== undefined && !eventAt)
    throw invalid('eventAt', 'MISSED_REASON_TIME_INVALID')
  const refusal = missedReasonRefusal(reason, rule, {
    age: person.birthDate ? ageInYears(person.birthDate, localDate(now)) : null,
    note,
    eventAt,
    now,
  })
  if (refusal) throw invalid(refusal.field, refusal.code, refusal.params)
  await upsertMissedReason(tx, {
    roundId: round.id,
    residentId,
    reason,
    excludes: rule.excludes,
    note: eventAt ? [note, `@${eventAt.toISOString()}`].filter(Boolean).join(' ') : note,
    recordedBy: actor.username,
  })
  await audit(
    tx,
    actor,
    'testing.missed_reason',
    { type: 'resident', id: residentId, path: person.gridPath },
    { detail: { roundId: round.id, reason, action: rule.action } },
  )
  if (rule.action === 'escalate')
    await raiseAlerts(tx, [
      {
        scopePath: person.gridPath,
        kind: 'testing.test_refused',
        severity: 'warning',
        code: 'ALERT_TEST_REFUSED',
        params: { name: person.name, household: person.household ?? '—', round: round.name },
        detail: { roundId: round.id, residentId },
      },
    ])
  return { reason, excludes: rule.excludes, action: rule.action }
}

/** Takes a recorded reason back (the excused tab's undo): the person owes a swab again. */
export async function clearMissedReason(
  tx: Tx,
  actor: Actor,
  roundId: string,
  residentId: string,
): Promise<void> {
  requireAccess(actor, 'testing:missed')
  const round = await visibleRound(tx, actor, roundId)
  const person = await roundResident(tx, actor, residentId)
  if (await deleteMissedReason(tx, round.id, residentId))
    await audit(
      tx,
      actor,
      'testing.missed_reason_cleared',
      {
        type: 'resident',
        id: residentId,
        path: person.gridPath,
      },
      { detail: { roundId: round.id } },
    )
}
