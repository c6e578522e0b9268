import type { Database } from '../core/db/db.js'
import type { CopyValue } from '../core/db/bulk.js'
import { sealField } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { householdKeys, nameKeys } from './registry.rules.js'

/**
 * The registry's COPY paths, for generated data (the demo city, benchmarks): rows arrive
 * already valid, so they go straight in at the engine's bulk-load speed. Imports of people's
 * files go through roster.service, which checks every row.
 */

export interface BulkBuilding {
  id: string
  gridId: string
  gridPath: string
  code: string
  units: { id: string; code: string; households: { id: string; room: string; floor: number }[] }[]
}

export async function bulkLoadPlaces(database: Database, buildings: BulkBuilding[]): Promise<number> {
  await database.bulk.copyRows('building', ['id', 'grid_id', 'grid_path', 'code', 'name'], buildings.map((b) => [b.id, b.gridId, b.gridPath, b.code, `${b.code}栋`]))
  await database.bulk.copyRows('unit', ['id', 'building_id', 'code'], buildings.flatMap((b) => b.units.map((u) => [u.id, b.id, u.code])))
  return database.bulk.copyRows(
    'household',
    ['id', 'unit_id', 'building_id', 'grid_id', 'grid_path', 'room', 'floor', 'label', 'sort_key'],
    (function* () {
      for (const b of buildings)
        for (const u of b.units)
          for (const h of u.households) {
            const k = householdKeys(b.code, u.code, h.room)
            yield [h.id, u.id, b.id, b.gridId, b.gridPath, h.room, h.floor, k.label, k.sortKey]
          }
    })(),
  )
}

export interface BulkResident {
  id: string
  householdId: string
  gridId: string
  gridPath: string
  sortKey: string
  name: string
  idNumber: string
  phone: string | null
  sex: 'male' | 'female'
  birthDate: string
  relation: string
  residenceType: string
  tags: string[]
}

const RESIDENT_COLUMNS = [
  'id', 'household_id', 'grid_id', 'grid_path', 'sort_key', 'name', 'name_pinyin', 'name_initials', 'id_type',
  'id_enc', 'id_bidx', 'id_last4', 'phone_enc', 'phone_bidx', 'phone_last4',
  'sex', 'birth_date', 'relation', 'residence_type', 'status', 'created_at', 'updated_at',
] as const

/** Loads residents with their first history event and tags, 50,000 at a time: memory stays flat. */
export async function bulkLoadResidents(database: Database, ring: Keyring, people: AsyncIterable<BulkResident> | Iterable<BulkResident>, actorName: string): Promise<number> {
  const now = new Date()
  let residents: CopyValue[][] = []
  let events: CopyValue[][] = []
  let tags: CopyValue[][] = []
  let total = 0
  const flush = async (): Promise<void> => {
    total += await database.bulk.copyRows('resident', RESIDENT_COLUMNS, residents)
    await database.bulk.copyRows('resident_event', ['resident_id', 'kind', 'to_household_id', 'actor_name', 'at'], events)
    await database.bulk.copyRows('resident_tag', ['resident_id', 'tag', 'set_by', 'set_at'], tags)
    residents = []
    events = []
    tags = []
  }
  for await (const p of people) {
    const keys = nameKeys(p.name)
    const id = sealField(ring, p.idNumber)
    const phone = p.phone ? sealField(ring, p.phone) : null
    residents.push([
      p.id, p.householdId, p.gridId, p.gridPath, p.sortKey, p.name, keys.pinyin, keys.initials, 'resident_id',
      id.enc, id.bidx, id.last4, phone?.enc ?? null, phone?.bidx ?? null, phone?.last4 ?? null,
      p.sex, p.birthDate, p.relation, p.residenceType, 'active', now, now,
    ])
    events.push([p.id, 'registered', p.householdId, actorName, now])
    for (const t of p.tags) tags.push([p.id, t, actorName, now])
    if (residents.length >= 50_000) await flush()
  }
  await flush()
  return total
}
