import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, type Actor } from '../core/auth/actor.js'
import { invalid, notFound } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import { missedPage, upsertMissedReason, type MissedRow } from './testing.repo.js'
import { scopeOn, testingSettings, visibleRound } from './testing.service.js'

/* ------------------------------------------------------------------ missed-test list */

/** The keyset cursor this list hands out; anything else is refused as `after` (never reaches SQL). */
const missedCursor = z.strictObject({
  gridPath: z.string().max(400).refine((s) => !s.includes('\0')),
  sortKey: z.string().max(400).refine((s) => !s.includes('\0')),
  id: z.string().uuid(),
})

export interface MissedItem {
  residentId: string
  name: string
  phone: string | null
  gridPath: string
  household: string | null
  age: number | null
  reason: string | null
  note: string | null
}

export async function missedList(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  q: { grid?: string; after?: string; limit?: number; includeExcused?: boolean },
  now = new Date(),
): Promise<{ items: MissedItem[]; next: string | null }> {
  authorize(actor, 'testing:missed')
  const round = await visibleRound(db, actor, roundId)
  let after: z.infer<typeof missedCursor> | undefined
  if (q.after) {
    let parsed: unknown
    try {
      parsed = JSON.parse(Buffer.from(q.after, 'base64url').toString('utf8'))
    } catch {
      throw invalid('after', 'not a cursor from this list')
    }
    const checked = missedCursor.safeParse(parsed)
    if (!checked.success) throw invalid('after', 'not a cursor from this list')
    after = checked.data
  }
  const limit = Math.min(q.limit ?? 50, 500)
  const page = await missedPage(db, round, scopeOn(actor), { gridPath: q.grid, after, limit: limit + 1, includeExcused: q.includeExcused })
  const items = page.slice(0, limit).map((r) => missedItem(ring, r, now))
  const last = page.length > limit ? page[limit - 1]! : undefined
  return { items, next: last ? Buffer.from(JSON.stringify({ gridPath: last.gridPath, sortKey: last.sortKey, id: last.id })).toString('base64url') : null }
}

function missedItem(ring: Keyring, r: MissedRow, now: Date): MissedItem {
  const age = r.birthDate ? Math.floor((now.getTime() - new Date(r.birthDate).getTime()) / (365.25 * 86_400_000)) : null
  return {
    residentId: r.id,
    name: r.name,
    phone: r.phoneEnc ? maskPhone(decryptValue(ring, r.phoneEnc)) : null,
    gridPath: r.gridPath,
    household: r.householdLabel,
    age,
    reason: r.reason,
    note: r.note,
  }
}

/** Every missed row for an export (walks the keyset to the end). */
export async function* allMissed(db: Db, ring: Keyring, actor: Actor, roundId: string, grid?: string): AsyncGenerator<MissedItem> {
  let after: string | undefined
  for (;;) {
    const page = await missedList(db, ring, actor, roundId, { grid, after, limit: 500, includeExcused: false })
    yield* page.items
    if (!page.next) return
    after = page.next
  }
}

export async function recordMissedReason(db: Db, actor: Actor, roundId: string, residentId: string, input: { reason: string; note?: string }): Promise<{ reason: string; excludes: boolean }> {
  authorize(actor, 'testing:missed')
  const round = await visibleRound(db, actor, roundId)
  const { settings, profile } = await testingSettings(db)
  // Own keys only: "toString" or "__proto__" is not a reason.
  const rule = Object.hasOwn(settings.missedReasons, input.reason) ? settings.missedReasons[input.reason] : undefined
  if (!rule) throw invalid('reason', `one of ${Object.keys(settings.missedReasons).join(', ')} (profile ${profile})`)
  if (rule.needsNote && !input.note?.trim()) throw invalid('note', `"${input.reason}" needs a note (where, and the proof)`)
  const [r] = await rows<{ id: string; grid_path: string }>(db, sql`select id, grid_path from resident where id = ${residentId}`)
  if (!r) throw notFound('Resident')
  assertPathInScope(actor, { type: 'resident', id: r.id, path: r.grid_path })
  if (!round.scopePaths.some((p) => r.grid_path.startsWith(p))) throw invalid('residentId', 'this resident is not in the round\u2019s scope')
  await upsertMissedReason(db, { roundId: round.id, residentId: r.id, reason: input.reason, excludes: rule.excludes, note: input.note?.trim() || null, recordedBy: actor.username })
  return { reason: input.reason, excludes: rule.excludes }
}

export async function clearMissedReason(db: Db, actor: Actor, roundId: string, residentId: string): Promise<void> {
  authorize(actor, 'testing:missed')
  await visibleRound(db, actor, roundId)
  const [r] = await rows<{ grid_path: string }>(db, sql`select grid_path from resident where id = ${residentId}`)
  if (!r) throw notFound('Resident')
  assertPathInScope(actor, { type: 'resident', id: residentId, path: r.grid_path })
  await db.execute(sql`delete from missed_reason where round_id = ${roundId} and resident_id = ${residentId}`)
}
