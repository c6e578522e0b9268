import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { pathUnderAny } from '../core/scope/scope.js'
import { invalid, notFound } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import {
  deleteMissedReason,
  missedPage,
  residentGridPath,
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
  const after = q.after ? readCursor(q.after) : undefined
  const limit = Math.min(q.limit ?? 50, 500)
  const page = await missedPage(db, round, actor, {
    gridPath: q.grid,
    after,
    limit: limit + 1,
    includeExcused: q.includeExcused,
  })
  const items = page.slice(0, limit).map((r) => missedItem(ring, r, now))
  return { items, next: page.length > limit ? writeCursor(page[limit - 1]!) : null }
}

/** Ages in whole years at `now`. */
function ageAt(birthDate: string | null, now: Date): number | null {
  return birthDate
    ? Math.floor((now.getTime() - new Date(birthDate).getTime()) / (365.25 * 86_400_000))
    : null
}

function missedItem(ring: Keyring, r: MissedRow, now: Date): MissedItem {
  return {
    residentId: r.id,
    name: r.name,
    phone: r.phoneEnc ? maskPhone(decryptValue(ring, r.phoneEnc)) : null,
    gridPath: r.gridPath,
    household: r.householdLabel,
    age: ageAt(r.birthDate, now),
    reason: r.reason as MissedReason | null,
    note: r.note,
  }
}

/** Every missed row for an export (walks the keyset to the end). */
export async function* allMissed(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  grid?: string,
): AsyncGenerator<MissedItem> {
  let after: string | undefined
  for (;;) {
    const page = await missedList(db, ring, actor, roundId, {
      grid,
      after,
      limit: 500,
      includeExcused: false,
    })
    yield* page.items
    if (!page.next) return
    after = page.next
  }
}

/** A resident of the round, in the caller's scope: their grid. */
async function roundResident(db: Db, actor: Actor, residentId: string): Promise<string> {
  const gridPath = await residentGridPath(db, residentId)
  if (!gridPath) throw notFound('MISSED_RESIDENT_NOT_FOUND')
  requireAccess(actor, 'testing:missed', { type: 'resident', id: residentId, path: gridPath })
  return gridPath
}

const isMissedReason = (s: string): s is MissedReason =>
  (MISSED_REASONS as readonly string[]).includes(s)

/** Records why a resident has no specimen: a reason the active profile lists (some need a note). */
export async function recordMissedReason(
  tx: Tx,
  actor: Actor,
  roundId: string,
  residentId: string,
  input: { reason: string; note?: string | undefined },
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
  if (rule.needsNote && !note) throw invalid('note', 'MISSED_REASON_NEEDS_NOTE')
  const gridPath = await roundResident(tx, actor, residentId)
  if (!pathUnderAny(gridPath, round.scopePaths))
    throw invalid('residentId', 'MISSED_RESIDENT_OUTSIDE_ROUND')
  await upsertMissedReason(tx, {
    roundId: round.id,
    residentId,
    reason,
    excludes: rule.excludes,
    note,
    recordedBy: actor.username,
  })
  return { reason, excludes: rule.excludes }
}

export async function clearMissedReason(
  tx: Tx,
  actor: Actor,
  roundId: string,
  residentId: string,
): Promise<void> {
  requireAccess(actor, 'testing:missed')
  const round = await visibleRound(tx, actor, roundId)
  await roundResident(tx, actor, residentId)
  await deleteMissedReason(tx, round.id, residentId)
}
