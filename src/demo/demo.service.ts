import { uuidv7 } from '../core/ids.js'
import { inTransaction, type Database } from '../core/db/db.js'
import { systemActor } from '../core/auth/actor.js'
import { createUser } from '../core/auth/users.service.js'
import { findUserByUsername, updateUser } from '../core/auth/auth.repo.js'
import type { Role } from '../core/auth/roles.js'
import { conflict } from '../core/errors.js'
import type { Keyring } from '../core/pii/keyring.js'
import { createDivision } from '../core/tree/tree.service.js'
import type { DivisionOut } from '../core/tree/tree.schema.js'
import {
  bulkLoadPlaces,
  bulkLoadResidents,
  type BulkBuilding,
  type BulkResident,
} from '../registry/bulk.service.js'
import { householdSortKey, listResidents } from '../registry/registry.service.js'
import city from './nanjing-xinjiekou.json' with { type: 'json' }
import { issueCodesUnder } from '../testing/codes.service.js'
import { analyzeDatabase, hasDivisions } from './demo.repo.js'
import { createCheckpoint } from '../checkpoints/checkpoints.service.js'
import { createExternalArea } from '../arrivals/arrivals.service.js'
import { setCare } from '../registry/care.service.js'
import { addDays, localDate } from '../core/clock.js'
import {
  birthDateFor,
  chineseName,
  randomAge,
  seededRng,
  syntheticId,
  syntheticMobile,
  weighted,
  type Rng,
} from './demo.people.js'

export const DEMO_PASSWORD = 'Weiguang-Demo-2026'

export interface DemoOptions {
  residents: number
  seed: number
  today?: Date
  onProgress?: (stage: string, done: number) => void
}

export interface DemoSummary {
  communities: number
  grids: number
  buildings: number
  households: number
  residents: number
  accounts: { username: string; role: Role; scope: string }[]
}

interface Grid {
  division: DivisionOut
  target: number
}

const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 24],
  [2, 31],
  [3, 25],
  [4, 12],
  [5, 6],
  [6, 2],
]
const RESIDENCE: readonly (readonly [string, number])[] = [
  ['registered', 60],
  ['permanent', 20],
  ['floating', 12],
  ['tenant', 8],
]

function layoutGrid(rng: Rng, grid: Grid, startNo: number): BulkBuilding[] {
  // ~2.4 people a household once ~5% stand empty; a little spare so the target is always met.
  const households = Math.ceil(grid.target / 2) + 5
  const out: BulkBuilding[] = []
  let made = 0
  for (let no = startNo; made < households; no++) {
    const floors = 6 + Math.floor(rng() * 13)
    const rooms = 2 + Math.floor(rng() * 3)
    const units = rng() < 0.5 ? 2 : 3
    const b: BulkBuilding = {
      id: uuidv7(),
      gridId: grid.division.id,
      gridPath: grid.division.path,
      code: String(no),
      units: [],
    }
    for (let u = 1; u <= units && made < households; u++) {
      const unit = {
        id: uuidv7(),
        code: String(u),
        households: [] as { id: string; room: string; floor: number }[],
      }
      for (let f = 1; f <= floors && made < households; f++)
        for (let r = 1; r <= rooms && made < households; r++, made++)
          unit.households.push({
            id: uuidv7(),
            room: `${f}${String(r).padStart(2, '0')}`,
            floor: f,
          })
      b.units.push(unit)
    }
    out.push(b)
  }
  return out
}

function* peopleOf(
  rng: Rng,
  buildings: BulkBuilding[],
  grid: Grid,
  today: Date,
  ids: Set<string>,
  counter: { n: number },
): Generator<BulkResident> {
  let placed = 0
  for (const b of buildings)
    for (const u of b.units)
      for (const h of u.households) {
        if (placed >= grid.target) return
        if (rng() < 0.05) continue
        const size = Math.min(weighted(rng, HOUSEHOLD_SIZES), grid.target - placed)
        const surname = chineseName(rng, 'male').slice(0, 1)
        const residenceType = weighted(rng, RESIDENCE)
        const sortKey = householdSortKey(b.code, u.code, h.room)
        const headAge = size === 1 ? randomAge(rng, 18) : 25 + Math.floor(rng() * 50)
        for (let i = 0; i < size; i++) {
          const sex: 'male' | 'female' =
            i === 1 ? (rng() < 0.9 ? 'female' : 'male') : rng() < 0.5 ? 'male' : 'female'
          let age: number
          let relation: string
          if (i === 0) [age, relation] = [headAge, 'head']
          else if (i === 1)
            [age, relation] = [Math.max(18, headAge + Math.floor(rng() * 7) - 3), 'spouse']
          else if (i === 2 || rng() < 0.6)
            [age, relation] = [Math.max(0, headAge - 22 - Math.floor(rng() * 12)), 'child']
          else [age, relation] = [Math.min(99, headAge + 24 + Math.floor(rng() * 10)), 'parent']
          const birthDate = birthDateFor(rng, age, today)
          const county =
            rng() < 0.55
              ? '320102'
              : city.countyCodes[Math.floor(rng() * city.countyCodes.length)]!.code
          let idNumber = syntheticId(county, birthDate, sex, counter.n++)
          while (ids.has(idNumber)) idNumber = syntheticId(county, birthDate, sex, counter.n++)
          ids.add(idNumber)
          const tags: string[] = []
          if (age >= 65 && rng() < 0.35) tags.push('chronic_disease')
          if (age >= 65 && tags.length && rng() < 0.3) tags.push('chronic_key')
          if (rng() < 0.0005) tags.push('dialysis')
          if (sex === 'female' && age >= 20 && age <= 40 && rng() < 0.02) tags.push('pregnancy')
          if (size === 1 && age >= 65) tags.push('living_alone')
          if (rng() < 0.02) tags.push('disabled')
          if (age >= 85 && rng() < 0.15) tags.push('bedridden')
          const surnameHere = i === 0 || (relation === 'child' && rng() < 0.9) ? surname : undefined
          yield {
            id: uuidv7(),
            householdId: h.id,
            gridId: grid.division.id,
            gridPath: grid.division.path,
            sortKey,
            name: chineseName(rng, sex, surnameHere),
            idNumber,
            phone: age >= 12 ? syntheticMobile(rng) : null,
            sex,
            birthDate,
            relation,
            residenceType,
            tags,
          }
          placed++
        }
      }
}

/**
 * `weiguang demo`: the 新街口街道 of 玄武区, Nanjing (real names and codes), filled with
 * synthetic households and residents. The same seed gives the same city.
 */
export async function generateDemoCity(
  database: Database,
  ring: Keyring,
  opts: DemoOptions,
): Promise<DemoSummary> {
  const db = database.db
  if (await hasDivisions(db)) throw conflict('DEMO_NOT_EMPTY')
  const today = opts.today ?? new Date()
  const rng = seededRng(opts.seed)
  const sys = systemActor('demo')
  const tree = await inTransaction(db, async (tx) => {
    const district = await createDivision(tx, sys, {
      code: city.district.code,
      name: city.district.name,
      level: 'district',
    })
    const street = await createDivision(tx, sys, {
      code: city.street.code,
      name: city.street.name,
      level: 'street',
      parentId: district.id,
    })
    const perCommunity = Math.ceil(opts.residents / city.communities.length)
    const grids: Grid[] = []
    let left = opts.residents
    const communities: DivisionOut[] = []
    for (const c of city.communities) {
      const community = await createDivision(tx, sys, {
        code: c.code,
        name: c.name,
        level: 'community',
        parentId: street.id,
      })
      communities.push(community)
      const n = Math.max(1, Math.ceil(perCommunity / 1800))
      for (let g = 1; g <= n; g++) {
        const grid = await createDivision(tx, sys, {
          code: `${c.code}-G${String(g).padStart(2, '0')}`,
          name: `第${g}网格`,
          level: 'grid',
          parentId: community.id,
        })
        const target = Math.min(left, Math.ceil(perCommunity / n))
        left -= target
        grids.push({ division: grid, target })
      }
    }
    return { district, street, communities, grids }
  })
  opts.onProgress?.('tree', tree.grids.length)

  const buildingsByGrid = tree.grids.map((g) => layoutGrid(rng, g, 1))
  const households = await bulkLoadPlaces(database, buildingsByGrid.flat())
  opts.onProgress?.('households', households)

  const ids = new Set<string>()
  const counter = { n: 0 }
  let loaded = 0
  const all = (function* () {
    for (const [i, g] of tree.grids.entries()) {
      for (const p of peopleOf(rng, buildingsByGrid[i]!, g, today, ids, counter)) {
        loaded++
        if (loaded % 50_000 === 0) opts.onProgress?.('residents', loaded)
        yield p
      }
    }
  })()
  const residents = await bulkLoadResidents(database, ring, all, 'demo')
  opts.onProgress?.('residents', residents)
  // Every demo resident gets a sampling code, so a round can be sampled at once.
  await issueCodesUnder(db, sys, tree.street.id)
  await analyzeDatabase(db)

  const first = tree.communities[0]!
  const firstGrid = tree.grids[0]!.division
  const accounts: { username: string; role: Role; scope: DivisionOut }[] = [
    { username: 'demo-command', role: 'command', scope: tree.street },
    { username: 'demo-lead', role: 'community_lead', scope: first },
    { username: 'demo-grid', role: 'grid_worker', scope: firstGrid },
    { username: 'demo-building', role: 'building_head', scope: firstGrid },
    { username: 'demo-checkpoint', role: 'checkpoint', scope: first },
    { username: 'demo-sampler', role: 'sampler', scope: first },
    { username: 'demo-doctor', role: 'doctor', scope: first },
    { username: 'demo-resident', role: 'resident', scope: firstGrid },
  ]
  for (const a of accounts) {
    await createUser(db, ring, sys, {
      username: a.username,
      displayName: a.username,
      role: a.role,
      scopeDivisionIds: [a.scope.id],
      password: DEMO_PASSWORD,
    })
    // Demo accounts skip the forced change so that anyone can try each role at once.
    const u = await findUserByUsername(db, a.username)
    await updateUser(db, u!.id, { mustChangePassword: false })
  }
  const checkpointUser = await findUserByUsername(db, 'demo-checkpoint')
  await inTransaction(db, async (tx) => {
    // A gate per community (its poster prints from the checkpoints screen), staffed in the first.
    for (const c of tree.communities)
      await createCheckpoint(tx, sys, {
        communityId: c.id,
        name: '东门卡口',
        location: `${c.name}东门`,
        hours: '全天',
        staff: c.id === first.id && checkpointUser ? [checkpointUser.id] : [],
      })
    // A few entries of the external risk-area list, with names no real notice used, so that an
    // arrival's itinerary can be classified at once (示例市 东城区 is high risk, and so on).
    const from = localDate(today)
    for (const [district, level, days] of [
      ['东城区', 'high', 14],
      ['西城区', 'medium', 7],
      ['南城区', 'low', 7],
    ] as const)
      await createExternalArea(tx, sys, {
        province: '示例省',
        city: '示例市',
        district,
        level,
        validFrom: from,
        validTo: addDays(from, days),
        source: '演示数据',
      })
    // Half of the first grid's vulnerable residents have a named helper and a hospital; the
    // others show 未指定包保人 on an area's 重点人群 list.
    const vulnerable: string[] = []
    for (const tag of ['dialysis', 'pregnancy', 'living_alone', 'disabled', 'bedridden'])
      for (const r of (
        await listResidents(tx, ring, sys, {
          divisionId: firstGrid.id,
          tag,
          status: 'active',
          limit: 40,
        })
      ).items)
        vulnerable.push(r.id)
    for (const [i, id] of [...new Set(vulnerable)].entries())
      if (i % 2 === 0)
        await setCare(tx, ring, sys, id, {
          helperName: chineseName(rng, i % 4 === 0 ? 'female' : 'male'),
          helperPhone: syntheticMobile(rng),
          hospital: '南京市第一医院（演示）',
          needs: null,
        })
  })
  return {
    communities: tree.communities.length,
    grids: tree.grids.length,
    buildings: buildingsByGrid.flat().length,
    households,
    residents,
    accounts: accounts.map((a) => ({
      username: a.username,
      role: a.role,
      scope: `${a.scope.name} ${a.scope.code}`,
    })),
  }
}
