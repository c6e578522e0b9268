/**
 * Test factories: each builds one object the way the application would, creates whatever
 * parent it needs that was not given, and uses unique values (random codes, fresh ID numbers),
 * so tests in one database never collide and never need truncation (Outline's
 * `server/test/factories.ts`, Medplum's random-UUID emails).
 *
 * ```ts
 * import { createTestApp, loginAs } from './helpers.js'          // '../../test/helpers.js' from src/
 * import { buildGrid, buildResident, buildRound, buildUser, buildIdNumber } from './factories.js'
 *
 * const t = await createTestApp()
 * const grid = await buildGrid(t)                                 // district → street → community → grid
 * const other = await buildGrid(t, { communityId: grid.community.id })  // a second grid beside it
 * const worker = await buildUser(t, { role: 'grid_worker', scope: [grid] })
 * const client = await loginAs(t, worker.username)                // or call services with worker.actor
 * const zhang = await buildResident(t, { gridId: grid.id, name: '张三' })  // building and household made for it
 * const mate = await buildResident(t, { householdId: zhang.householdId })
 * const round = await buildRound(t, { divisionIds: [grid.community.id] })
 * const idNumber = buildIdNumber({ birth: '19850615', sex: 'female' })  // valid check character, unused
 * ```
 *
 * Every factory takes the test app (or anything with `database` and `ring`) first and an
 * optional object of overrides second; what it returns carries the ids a test needs next.
 * Everything is written as the system actor (whole deployment), so scope never gets in the way
 * of setting up; the test then acts as the user it is about.
 */
import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import { inTransaction, rows, type Database } from '../src/core/db/db.js'
import type { Keyring } from '../src/core/pii/keyring.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'
import { systemActor, type Actor } from '../src/core/auth/actor.js'
import type { Role } from '../src/core/auth/roles.js'
import { createUser } from '../src/core/auth/users.service.js'
import { changePassword } from '../src/core/auth/auth.service.js'
import { findDivisionByCode, findDivisionById } from '../src/core/tree/tree.repo.js'
import { createDivision } from '../src/core/tree/tree.service.js'
import type { DivisionOut } from '../src/core/tree/tree.schema.js'
import { createBuildingLayout, registerResident } from '../src/registry/registry.service.js'
import type { RegisterResidentIn } from '../src/registry/registry.schema.js'
import { createRound } from '../src/testing/testing.service.js'

type CreateRoundIn = Parameters<typeof createRound>[2]

/** What the factories write with: a `TestApp` (test/helpers.ts) or an opened platform. */
export interface FactoryTarget {
  database: Database
  ring: Keyring
}

/** The password every built user has (already changed, so no forced change at login). */
export const FACTORY_PASSWORD = 'Correct-Horse-42'

const sys = (): Actor => systemActor('factory')
const hex = (bytes = 4): string => crypto.randomBytes(bytes).toString('hex')

// A random start per process and a counter: unique within the process, unlikely to repeat across.
let counter = crypto.randomInt(0, 50_000)
const next = (): number => ++counter

/** `n` digits, unique within this process (up to 10^n values). */
function uniqueDigits(n: number): string {
  return String(next() % 10 ** n).padStart(n, '0')
}

// ID numbers

const DAY = 86_400_000
const BIRTH_FROM = Date.UTC(1940, 0, 1)
const BIRTH_DAYS = 20_000 // 1940-01-01 … 1994-10-04: every built person is an adult
const idSeq = new Map<string, number>()

/**
 * A valid 18-character resident ID number (GB 11643 check character) no other call in this
 * process returned. `birth` is YYYYMMDD (default: a different day for each call), `sex` sets the
 * parity of the 17th digit, `county` the first six digits (default 320102, 玄武区).
 */
export function buildIdNumber(
  opts: { birth?: string; sex?: 'male' | 'female'; county?: string } = {},
): string {
  const county = opts.county ?? '320102'
  const n = next()
  const birth =
    opts.birth ??
    new Date(BIRTH_FROM + (n % BIRTH_DAYS) * DAY).toISOString().slice(0, 10).replace(/-/g, '')
  const key = `${county}${birth}`
  // 500 sequence numbers per county, day and sex; without a fixed birth day they are rarely needed.
  const k = (idSeq.get(key) ?? crypto.randomInt(0, 250)) + 1
  idSeq.set(key, k)
  const male = (opts.sex ?? (n % 2 === 0 ? 'male' : 'female')) === 'male'
  const seq = ((k % 500) * 2 + (male ? 1 : 0)) % 1000
  const first17 = `${county}${birth}${String(seq).padStart(3, '0')}`
  return first17 + idCheckCharacter(first17)
}

// The administrative tree

export interface DivisionPath {
  district: DivisionOut
  street: DivisionOut
  community: DivisionOut
  grid: DivisionOut
}

/** A grid with its whole path up to a district, so `grid.community.id` etc. are at hand. */
export type BuiltGrid = DivisionOut & {
  district: DivisionOut
  street: DivisionOut
  community: DivisionOut
}

/** District → street → community → grid, each newly created with unique codes and names. */
export async function buildDivisionPath(
  t: FactoryTarget,
  overrides: { names?: Partial<Record<keyof DivisionPath, string>> } = {},
): Promise<DivisionPath> {
  const db = t.database.db
  const names = overrides.names ?? {}
  const dcode = '9' + uniqueDigits(5)
  const district = await createDivision(db, sys(), {
    code: dcode,
    name: names.district ?? `测试区${hex(2)}`,
    level: 'district',
  })
  const street = await createDivision(db, sys(), {
    code: `${dcode}001`,
    name: names.street ?? `测试街道${hex(2)}`,
    level: 'street',
    parentId: district.id,
  })
  const community = await createDivision(db, sys(), {
    code: `${street.code}001`,
    name: names.community ?? `测试社区${hex(2)}`,
    level: 'community',
    parentId: street.id,
  })
  const grid = await createDivision(db, sys(), {
    code: `${community.code}-G${uniqueDigits(4)}`,
    name: names.grid ?? `测试网格${hex(2)}`,
    level: 'grid',
    parentId: community.id,
  })
  return { district, street, community, grid }
}

/**
 * A grid. With `communityId` it is added under that community (a neighbour of other grids
 * there); without, a new district, street and community are made for it.
 */
export async function buildGrid(
  t: FactoryTarget,
  overrides: { communityId?: string; name?: string; code?: string } = {},
): Promise<BuiltGrid> {
  const db = t.database.db
  if (!overrides.communityId) {
    const p = await buildDivisionPath(t, { names: overrides.name ? { grid: overrides.name } : {} })
    return { ...p.grid, district: p.district, street: p.street, community: p.community }
  }
  const community = await findDivisionById(db, overrides.communityId)
  if (!community || community.level !== 'community')
    throw new Error(`buildGrid: ${overrides.communityId} is not a community`)
  const [districtCode, streetCode] = community.path.split('/').filter(Boolean)
  const [district, street] = await Promise.all(
    [districtCode!, streetCode!].map(async (code) => toOut((await findDivisionByCode(db, code))!)),
  )
  const grid = await createDivision(db, sys(), {
    code: overrides.code ?? `${community.code}-G${uniqueDigits(4)}`,
    name: overrides.name ?? `测试网格${hex(2)}`,
    level: 'grid',
    parentId: community.id,
  })
  return { ...grid, district: district!, street: street!, community: toOut(community) }
}

function toOut(r: NonNullable<Awaited<ReturnType<typeof findDivisionById>>>): DivisionOut {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level as DivisionOut['level'],
    parentId: r.parentId,
    path: r.path,
    childCount: r.childCount,
  }
}

// Buildings and households

export interface BuiltHousehold {
  id: string
  label: string
  room: string
  unitId: string
  buildingId: string
  gridId: string
}

export interface BuiltBuilding {
  id: string
  code: string
  gridId: string
  /** Every household of the building, in the registry's order (unit, floor, room). */
  households: BuiltHousehold[]
}

/**
 * A building laid out like `POST /api/buildings/layout` (default: 1 unit, 2 floors, 2 rooms a
 * floor = 4 households) in `gridId`, or in a new grid when none is given. Its code is unique.
 */
export async function buildBuilding(
  t: FactoryTarget,
  overrides: {
    gridId?: string
    code?: string
    units?: [number, number]
    floors?: [number, number]
    roomsPerFloor?: [number, number]
  } = {},
): Promise<BuiltBuilding> {
  const db = t.database.db
  const gridId = overrides.gridId ?? (await buildGrid(t)).id
  const code = overrides.code ?? `F${uniqueDigits(6)}`
  const r = await inTransaction(db, (tx) =>
    createBuildingLayout(tx, sys(), {
      gridId,
      building: code,
      units: overrides.units ?? [1, 1],
      floors: overrides.floors ?? [1, 2],
      roomsPerFloor: overrides.roomsPerFloor ?? [1, 2],
    }),
  )
  const households = await rows<BuiltHousehold>(
    db,
    sql`select id, label, room, unit_id as "unitId", building_id as "buildingId", grid_id as "gridId" from household where building_id = ${r.buildingId} order by sort_key`,
  )
  return { id: r.buildingId, code, gridId, households }
}

/** One household: in `buildingId` (its first one without residents), else in a new one-room building of `gridId` (or of a new grid). */
export async function buildHousehold(
  t: FactoryTarget,
  overrides: { gridId?: string; buildingId?: string } = {},
): Promise<BuiltHousehold> {
  if (overrides.buildingId) {
    const [h] = await rows<BuiltHousehold>(
      t.database.db,
      sql`select h.id, h.label, h.room, h.unit_id as "unitId", h.building_id as "buildingId", h.grid_id as "gridId" from household h
          where h.building_id = ${overrides.buildingId} and not exists (select 1 from resident r where r.household_id = h.id and r.status = 'active')
          order by h.sort_key limit 1`,
    )
    if (!h)
      throw new Error(
        `buildHousehold: building ${overrides.buildingId} has no empty household left`,
      )
    return h
  }
  const b = await buildBuilding(t, {
    gridId: overrides.gridId,
    floors: [1, 1],
    roomsPerFloor: [1, 1],
  })
  return b.households[0]!
}

// Residents

export interface BuiltResident {
  id: string
  name: string
  /** The full ID number as registered (tests search and reveal with it). */
  idNumber: string
  householdId: string
  householdLabel: string
  gridId: string
}

/**
 * A registered resident (through `registerResident`, as a form would): in `householdId`, else in
 * a new household of `gridId`, else in a new grid. Name, ID number and residence type have
 * defaults; anything of `RegisterResidentIn` can be overridden.
 */
export async function buildResident(
  t: FactoryTarget,
  overrides: Partial<Omit<RegisterResidentIn, 'householdId'>> & {
    gridId?: string
    householdId?: string
  } = {},
): Promise<BuiltResident> {
  const { gridId, householdId, ...fields } = overrides
  const h = householdId
    ? (
        await rows<BuiltHousehold>(
          t.database.db,
          sql`select id, label, grid_id as "gridId" from household where id = ${householdId}`,
        )
      )[0]
    : await buildHousehold(t, { gridId })
  if (!h) throw new Error(`buildResident: no household ${householdId}`)
  const name = fields.name ?? `居民${hex(2)}`
  const idNumber = fields.idNumber ?? buildIdNumber()
  const r = await inTransaction(t.database.db, (tx) =>
    registerResident(tx, t.ring, sys(), {
      residenceType: 'registered',
      ...fields,
      name,
      idNumber,
      householdId: h.id,
    }),
  )
  if (!r.resident)
    throw new Error(`buildResident: ${idNumber} is registered elsewhere (${r.outcome})`)
  return {
    id: r.resident.id,
    name,
    idNumber,
    householdId: h.id,
    householdLabel: h.label,
    gridId: h.gridId,
  }
}

// Testing rounds

/**
 * An open testing round (kind `area` unless given) over `divisionIds`, or over a new grid; a
 * unique name, deadline tomorrow. Returns the round as the service shows it.
 */
export async function buildRound(
  t: FactoryTarget,
  overrides: Partial<CreateRoundIn> = {},
): Promise<Awaited<ReturnType<typeof createRound>>> {
  const divisionIds = overrides.divisionIds ?? [(await buildGrid(t)).id]
  const input: CreateRoundIn = {
    name: `测试轮次${hex(3)}`,
    kind: 'area',
    deadline: new Date(Date.now() + DAY).toISOString(),
    ...overrides,
    divisionIds,
  }
  return inTransaction(t.database.db, (tx) => createRound(tx, sys(), input))
}

// Accounts

export interface BuiltUser {
  id: string
  username: string
  password: string
  role: Role
  /** The user as a service function sees them (for tests that call services directly). */
  actor: Actor
}

/**
 * An account with `role` working in `scope` (divisions: a `buildGrid` result, a `DivisionOut`;
 * empty = whole deployment, admins only). Non-admins without a scope get a new grid. The
 * password is `FACTORY_PASSWORD`, already changed, so `loginAs(t, user.username)` just works.
 */
export async function buildUser(
  t: FactoryTarget,
  overrides: {
    role: Role
    scope?: readonly { id: string; path: string }[]
    phone?: string
    username?: string
    displayName?: string
  },
): Promise<BuiltUser> {
  const { role } = overrides
  const scope = overrides.scope ?? (role === 'admin' ? [] : [await buildGrid(t)])
  const username = overrides.username ?? `${role.replace(/_/g, '')}-${hex()}`
  const initial = `Initial-${hex()}-Aa1`
  const { user } = await createUser(t.database.db, t.ring, sys(), {
    username,
    displayName: overrides.displayName ?? `测试${role}`,
    role,
    scopeDivisionIds: scope.map((d) => d.id),
    password: initial,
    ...(overrides.phone ? { phone: overrides.phone } : {}),
  })
  await changePassword(
    t.database.db,
    { ...sys(), userId: user.id, username },
    initial,
    FACTORY_PASSWORD,
  )
  const actor: Actor = {
    userId: user.id,
    username,
    displayName: overrides.displayName ?? `测试${role}`,
    role,
    scopePaths: scope.length ? scope.map((d) => d.path) : ['/'],
    ip: null,
    sessionId: null,
    breakGlassReason: null,
  }
  return { id: user.id, username, password: FACTORY_PASSWORD, role, actor }
}
