import type { Database } from '../core/db/db.js'
import type { Keyring } from '../core/pii/keyring.js'
import {
  copyPlaces,
  copyResidents,
  type HouseholdCopy,
  type ResidentCopy,
} from './registry.repo.js'
import { buildingNameOf, householdKeys, nameKeys } from './registry.rules.js'
import { sealedIdColumns, sealedPhoneColumns } from './registry.seal.js'

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

export async function bulkLoadPlaces(
  database: Database,
  buildings: BulkBuilding[],
): Promise<number> {
  function* households(): Generator<HouseholdCopy> {
    for (const b of buildings)
      for (const u of b.units)
        for (const h of u.households) {
          const k = householdKeys(b.code, u.code, h.room)
          yield {
            id: h.id,
            unitId: u.id,
            buildingId: b.id,
            gridId: b.gridId,
            gridPath: b.gridPath,
            room: h.room,
            floor: h.floor,
            label: k.label,
            sortKey: k.sortKey,
          }
        }
  }
  return copyPlaces(
    database.bulk,
    buildings.map((b) => ({
      id: b.id,
      gridId: b.gridId,
      gridPath: b.gridPath,
      code: b.code,
      name: buildingNameOf(b.code),
    })),
    buildings.flatMap((b) => b.units.map((u) => ({ id: u.id, buildingId: b.id, code: u.code }))),
    households(),
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

/** Loads residents with their first history event and tags, 50,000 at a time: memory stays flat. */
export async function bulkLoadResidents(
  database: Database,
  ring: Keyring,
  people: AsyncIterable<BulkResident> | Iterable<BulkResident>,
  actorName: string,
): Promise<number> {
  const now = new Date()
  let batch: ResidentCopy[] = []
  let total = 0
  for await (const p of people) {
    const keys = nameKeys(p.name)
    batch.push({
      id: p.id,
      householdId: p.householdId,
      gridId: p.gridId,
      gridPath: p.gridPath,
      sortKey: p.sortKey,
      name: p.name,
      namePinyin: keys.pinyin,
      nameInitials: keys.initials,
      idType: 'resident_id',
      ...sealedIdColumns(ring, p.idNumber),
      ...sealedPhoneColumns(ring, p.phone),
      sex: p.sex,
      birthDate: p.birthDate,
      relation: p.relation,
      residenceType: p.residenceType,
      at: now,
      actorName,
      tags: p.tags,
    })
    if (batch.length >= 50_000) {
      total += await copyResidents(database.bulk, batch)
      batch = []
    }
  }
  total += await copyResidents(database.bulk, batch)
  return total
}
