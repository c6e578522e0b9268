import type { Actor } from '../core/auth/actor.js'
import { daysBetween, localDate } from '../core/clock.js'
import type { Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskPhone } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { maskedHelperPhone } from '../registry/care.service.js'
import {
  countVulnerableInside,
  listInside,
  listVulnerableInside,
  type InsideRow,
} from './zones.inside.repo.js'
import type {
  InsidePage,
  InsidePersonOut,
  InsideQuery,
  VulnerablePage,
  VulnerableQuery,
} from './zones.inside.schema.js'
import { readableArea, settingsNow } from './zones.read.service.js'

/**
 * Who is inside a risk area (居住人员) and the vulnerable among them (重点人群, issue 11 items 2
 * and 6): people of the area's parts under the reader's scope, in walking order, phones masked.
 * Listing people needs registry:read beside zones:read (a reader of areas alone sees counts).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function encodeCursor(r: { sort_key: string; id: string }): string {
  return Buffer.from(JSON.stringify([r.sort_key, r.id])).toString('base64url')
}

function decodeCursor(raw: string | undefined): { sortKey: string; id: string } | undefined {
  if (raw === undefined) return undefined
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      v[0].length <= 200 &&
      typeof v[1] === 'string' &&
      UUID.test(v[1])
    )
      return { sortKey: v[0], id: v[1] }
  } catch {
    // falls through to the refusal
  }
  throw invalid('after', 'CURSOR_INVALID')
}

function person(ring: Keyring, r: InsideRow, today: string): InsidePersonOut {
  return {
    id: r.id,
    name: r.name,
    householdLabel: r.household_label,
    building: r.building,
    unit: r.unit,
    room: r.room,
    phone: r.phone_enc ? maskPhone(decryptValue(ring, r.phone_enc)) : null,
    proxy:
      !r.phone_enc && r.proxy_name
        ? {
            name: r.proxy_name,
            relation: r.proxy_relation,
            phone: r.proxy_phone_enc ? maskPhone(decryptValue(ring, r.proxy_phone_enc)) : null,
          }
        : null,
    tags: r.tags,
    measures: r.measures.map((m) => ({
      category: m.category,
      plannedEnd: m.plannedEnd,
      daysLeft: m.plannedEnd ? Math.max(0, daysBetween(today, m.plannedEnd)) : null,
    })),
  }
}

async function areaForPeople(db: Db, actor: Actor, id: string): Promise<void> {
  requireAccess(actor, 'zones:read')
  requireAccess(actor, 'registry:read')
  await readableArea(db, actor, id)
}

/** A page of the active residents inside the area (my part of it), with measures and tags. */
export async function listAreaResidents(
  db: Db,
  ring: Keyring,
  actor: Actor,
  areaId: string,
  q: InsideQuery,
): Promise<InsidePage> {
  await areaForPeople(db, actor, areaId)
  const limit = q.limit ?? 50
  const found = await listInside(db, areaId, actor, {
    q: q.q,
    underMeasure: q.underMeasure === undefined ? undefined : q.underMeasure === 'yes',
    after: decodeCursor(q.after),
    limit: limit + 1,
  })
  const page = found.slice(0, limit)
  const today = localDate(new Date())
  return {
    items: page.map((r) => person(ring, r, today)),
    next: found.length > limit ? encodeCursor(page.at(-1)!) : null,
  }
}

/** A page of the vulnerable inside (tags from the profile's zones section) with helper and hospital. */
export async function listAreaVulnerable(
  db: Db,
  ring: Keyring,
  actor: Actor,
  areaId: string,
  q: VulnerableQuery,
): Promise<VulnerablePage> {
  await areaForPeople(db, actor, areaId)
  const { settings } = await settingsNow(db)
  const tags = settings.vulnerable.tags
  const limit = q.limit ?? 50
  const [found, counts] = await Promise.all([
    listVulnerableInside(db, areaId, actor, {
      q: q.q,
      tags,
      withoutHelper: q.withoutHelper === 'yes',
      after: decodeCursor(q.after),
      limit: limit + 1,
    }),
    countVulnerableInside(db, areaId, actor, tags),
  ])
  const page = found.slice(0, limit)
  const today = localDate(new Date())
  return {
    items: page.map((r) => {
      const { measures: _m, ...p } = person(ring, r, today)
      return {
        ...p,
        vulnerableTags: r.tags.filter((t) => tags.includes(t)),
        helperName: r.helper_name,
        helperPhone: maskedHelperPhone(ring, r.helper_phone_enc),
        hospital: r.hospital,
        needs: r.needs,
      }
    }),
    next: found.length > limit ? encodeCursor(page.at(-1)!) : null,
    vulnerable: counts.vulnerable,
    withoutHelper: counts.withoutHelper,
    tags: [...tags],
  }
}
