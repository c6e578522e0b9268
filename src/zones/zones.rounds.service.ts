import type { Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { addDays, localDate, startOfLocalDay } from '../core/clock.js'
import { conflict } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { createRound } from '../testing/testing.service.js'
import { readableArea, settingsNow } from './zones.read.service.js'
import { findArea, findOpenRoundOver, roundPlacesOf } from './zones.repo.js'
import type { AreaRoundIn, AreaRoundOut } from './zones.schema.js'

/**
 * 发起本区域核酸 (issue 11 item 2, domain.md §5–6): a daily round of an active area, narrowed to its
 * buildings and units (an area with a grid or community drawn whole covers those divisions), at
 * the pool of the area's level from the profile (sealed: one tube per household). Testing opens
 * it (testing:manage in scope, audited there). Pressed again the same day, it answers the area's
 * round still open over the same places at its level (existing: true) instead of a second one;
 * after that round closed, or once the level changed, it opens a new round.
 */
const HOUR = 3_600_000

export async function startAreaRound(
  tx: Tx,
  actor: Actor,
  id: string,
  input: AreaRoundIn,
  now = new Date(),
): Promise<AreaRoundOut> {
  requireAccess(actor, 'zones:read')
  const a = await readableArea(tx, actor, id)
  if (a.status !== 'active') throw conflict('ZONE_AREA_LIFTED')
  // Two leads pressing at once decide one after the other (the second finds the first's round).
  await findArea(tx, id, { lock: true })
  const { settings } = await settingsNow(tx)
  const measure = settings.levels.find((l) => l.level === a.level)?.measure ?? 'sealed'
  const places = await roundPlacesOf(tx, id)
  const today = localDate(now)
  const dayStart = startOfLocalDay(today)
  const from = a.levelSince > dayStart ? a.levelSince : dayStart
  const open = await findOpenRoundOver(
    tx,
    places.whole ? { ...places, buildingIds: [], unitIds: [] } : places,
    from,
    startOfLocalDay(addDays(today, 1)),
  )
  if (open)
    return {
      roundId: open.id,
      name: open.name,
      poolSize: open.pool_size,
      householdPool: open.household_pool,
      existing: true,
    }
  const round = await createRound(
    tx,
    actor,
    {
      name: `${a.name} ${today}`.slice(0, 80),
      kind: 'routine',
      divisionIds: places.divisionIds,
      deadline: input.deadline ?? new Date(now.getTime() + 12 * HOUR).toISOString(),
      zoneLevel: measure,
      ...(places.whole ? {} : { buildingIds: places.buildingIds, unitIds: places.unitIds }),
    },
    now,
  )
  return {
    roundId: round.id,
    name: round.name,
    poolSize: round.poolSize,
    householdPool: round.householdPool,
    existing: false,
  }
}
