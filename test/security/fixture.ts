import crypto from 'node:crypto'
import { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/core/config.js'
import { rows } from '../../src/core/db/db.js'
import { keyringFromMasters } from '../../src/core/pii/keyring.js'
import { idCheckCharacter } from '../../src/core/pii/identifiers.js'
import { createDivision } from '../../src/core/tree/tree.service.js'
import { systemActor } from '../../src/core/auth/actor.js'
import { ROLES, type Role } from '../../src/core/auth/roles.js'
import { permissionsOf } from '../../src/core/auth/authorize.js'
import type { DivisionOut } from '../../src/core/tree/tree.schema.js'
import { cloneTestDatabase, loginAs, TEST_PASSWORD, type Client, type TestApp } from '../helpers.js'
import { createUser } from '../../src/core/auth/users.service.js'
import { updateUser } from '../../src/core/auth/auth.repo.js'

/**
 * One seeded city for the security suites (test/security/*.test.ts), built once per file:
 *
 *   district ─ street S1 ─ community A ─ grid A1 (the scoped users live here), grid A2
 *            │           └ community B ─ grid B1
 *            └ street S2 ─ community C ─ grid C1
 *
 * with buildings, households and residents in every grid, a street-wide and a B-only testing round
 * with tubes, specimens, lab results (a positive pool in B: rechecks and an alert), a missed reason,
 * sampling sites, key groups (B-only and street-wide), an import job in B, and users of every role
 * scoped to grid A1 (grid_worker, building_head, resident) or community A (all others).
 * `markers` are strings only the objects outside an area carry (ids, names, codes, paths); a response
 * to a scoped user that contains one is a cross-scope row.
 */

export type AreaKey = 'A1' | 'A2' | 'B1' | 'C1'
export interface Person {
  id: string
  name: string
  idNumber: string
  phone: string
  area: AreaKey
  householdId: string
  code?: string
}
export interface Place {
  gridId: string
  buildingId: string
  unitId: string
  households: string[]
}
export interface Actorish {
  role: Role
  username: string
  userId: string
  client: Client
  scope: 'grid' | 'community' | 'root'
}

export interface World {
  t: TestApp
  /** Every line the server logged (pino JSON), for the leak scan. */
  log: string[]
  admin: Actorish
  users: Record<Role, Actorish>
  /** Users of community B (their ids and names are B's). */
  bUsers: { lead: Actorish; worker: Actorish; sampler: Actorish }
  div: Record<'district' | 'S1' | 'S2' | 'A' | 'B' | 'C' | AreaKey, DivisionOut>
  places: Record<AreaKey, Place>
  people: Person[]
  rounds: { street: { id: string; name: string }; b: { id: string; name: string } }
  tubes: {
    streetA1: string
    streetA2: string
    streetB: string
    streetBOpen: string
    b: string
    bOpen: string
  }
  sites: { a: string; b: string }
  groups: { a: string; b: string; street: string }
  lab: { id: string; name: string; token: string }
  importJobB: string
  alertsB: number[]
  /** An active measure (close contact) on the first person of each area. */
  measures: Record<AreaKey, string>
  /** A high-risk area (风险区) over each area's building, drawn by the whole-deployment admin. */
  zoneAreas: Record<AreaKey, string>
  /** A door sensor (门磁) on a B household, registered by B's lead; null where the build has no such route. */
  doorSensorB: string | null
  /** A transfer between B and C (a B lead registered a C person), and a result conflict of round B; null where the build has no such route. */
  transferBC: string | null
  conflictB: string | null
  /** A recheck order of a B person (the positive street pool), and a screening positive in B. */
  recheckB: string | null
  caseB: string | null
  /** A walk-in registered provisionally at B's sampling desk (in grid B1); null where the build has no such route. */
  walkInB: string | null
  /** A checkpoint (卡口) of community B and an arrival filed at its gate; null where the build has no such route. */
  checkpointB: string | null
  arrivalB: { id: string; reference: string } | null
  /** The same in community A (the leak walk reads its own): the checkpoint, its poster token and an arrival. */
  checkpointA: { id: string; token: string } | null
  arrivalA: { id: string; reference: string } | null
  /** Markers of objects outside grid A1 (for grid-scoped roles) and outside community A (the others). */
  markers: { outsideGrid: Marker[]; outsideCommunity: Marker[]; labs: Marker[] }
  close(): Promise<void>
}

export interface Marker {
  kind: string
  value: string
}

const AREA_NAMES: Record<AreaKey, string[]> = {
  A1: ['安春燕', '安志强', '安秀英', '安国栋'],
  A2: ['白晓东', '白玉兰', '白建平', '白雪梅'],
  B1: ['蔡德明', '蔡丽华', '蔡振宇', '蔡淑芬'],
  C1: ['邓海波', '邓春花', '邓立新', '邓美玲'],
}
const BUILDING: Record<AreaKey, string> = { A1: '11', A2: '12', B1: '21', C1: '31' }

/** A valid, unique 18-digit ID number (born 1950–1999) and an 11-digit mobile for this process. */
export function freshId(): string {
  const y = 1950 + crypto.randomInt(50)
  const m = String(1 + crypto.randomInt(12)).padStart(2, '0')
  const d = String(1 + crypto.randomInt(28)).padStart(2, '0')
  const first17 = `320102${y}${m}${d}${String(crypto.randomInt(1000)).padStart(3, '0')}`
  return first17 + idCheckCharacter(first17)
}
export function freshPhone(): string {
  return `139${String(crypto.randomInt(1e8)).padStart(8, '0')}`
}

function digits(n: number): string {
  return String(crypto.randomInt(10 ** Math.min(n, 12))).padStart(n, '0')
}

export function expectOk(res: LightMyRequestResponse, what: string): LightMyRequestResponse {
  if (res.statusCode >= 300)
    throw new Error(`seeding ${what}: ${res.statusCode} ${res.body.slice(0, 400)}`)
  return res
}

/** A test app whose pino logger writes into `log` (so the leak scan reads what the server logged). */
export async function createLoggedApp(): Promise<{ t: TestApp; log: string[] }> {
  const log: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      log.push(chunk.toString())
      cb()
    },
  })
  const database = await cloneTestDatabase()
  const ring = keyringFromMasters([crypto.randomBytes(32)], 'test')
  const config = { ...loadConfig({}), secureCookies: false }
  const app = await buildApp({ config, database, ring, logger: { level: 'info', stream } })
  await app.ready()
  const t: TestApp = {
    app,
    database,
    ring,
    config,
    close: async () => {
      await app.close()
      await database.close()
    },
  }
  return { t, log }
}

let userSeq = 0
/** A user who may log in at once (one password hash instead of buildUser's three: seeding stays fast). */
async function actor(
  t: TestApp,
  role: Role,
  scope: DivisionOut[],
  kind: Actorish['scope'],
): Promise<Actorish> {
  const username = `sec-${role.replace('_', '')}-${++userSeq}-${crypto.randomBytes(2).toString('hex')}`
  const { user } = await createUser(t.database.db, t.ring, systemActor(), {
    username,
    displayName: `安全测试 ${role}`,
    role,
    scopeDivisionIds: scope.map((d) => d.id),
    password: TEST_PASSWORD,
  })
  await updateUser(t.database.db, user.id, { mustChangePassword: false })
  return { role, username, userId: user.id, client: await loginAs(t, username), scope: kind }
}

export async function multipart(
  t: TestApp,
  c: Client | null,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string },
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file)
    form.append(
      'file',
      new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)]),
      file.name,
    )
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...(c ? { cookie: c.cookie, 'x-csrf-token': c.csrf } : {}), ...headers },
    payload: form,
  })
}

export async function waitJob(
  c: Client,
  jobId: string,
): Promise<{ status: string; error: string | null; report: unknown }> {
  for (let i = 0; i < 400; i++) {
    const j = (await c.get(`/api/imports/${jobId}`)).json()
    if (j.status !== 'running') return j
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`import ${jobId} did not finish`)
}

export async function seedWorld(): Promise<World> {
  const { t, log } = await createLoggedApp()
  const sys = systemActor()
  const db = t.database.db
  const dcode = '8' + digits(5)
  const district = await createDivision(db, sys, {
    code: dcode,
    name: `安全测试区${digits(4)}`,
    level: 'district',
  })
  const S1 = await createDivision(db, sys, {
    code: dcode + '001',
    name: '甲乙街道',
    level: 'street',
    parentId: district.id,
  })
  const S2 = await createDivision(db, sys, {
    code: dcode + '002',
    name: '丁戊街道',
    level: 'street',
    parentId: district.id,
  })
  const A = await createDivision(db, sys, {
    code: S1.code + '001',
    name: '安和社区',
    level: 'community',
    parentId: S1.id,
  })
  const B = await createDivision(db, sys, {
    code: S1.code + '002',
    name: '蔡塘社区',
    level: 'community',
    parentId: S1.id,
  })
  const C = await createDivision(db, sys, {
    code: S2.code + '001',
    name: '邓岗社区',
    level: 'community',
    parentId: S2.id,
  })
  const A1 = await createDivision(db, sys, {
    code: `${A.code}-GA1`,
    name: '安居网格',
    level: 'grid',
    parentId: A.id,
  })
  const A2 = await createDivision(db, sys, {
    code: `${A.code}-GA2`,
    name: '白鹭网格',
    level: 'grid',
    parentId: A.id,
  })
  const B1 = await createDivision(db, sys, {
    code: `${B.code}-GB1`,
    name: '蔡园网格',
    level: 'grid',
    parentId: B.id,
  })
  const C1 = await createDivision(db, sys, {
    code: `${C.code}-GC1`,
    name: '邓府网格',
    level: 'grid',
    parentId: C.id,
  })
  const div = { district, S1, S2, A, B, C, A1, A2, B1, C1 }
  const grids: Record<AreaKey, DivisionOut> = { A1, A2, B1, C1 }

  const admin = await actor(t, 'admin', [], 'root')
  const users = {} as Record<Role, Actorish>
  for (const role of ROLES) {
    const onGrid = role === 'grid_worker' || role === 'building_head' || role === 'resident'
    users[role] = await actor(t, role, [onGrid ? A1 : A], onGrid ? 'grid' : 'community')
  }
  const bUsers = {
    lead: await actor(t, 'community_lead', [B], 'community'),
    worker: await actor(t, 'grid_worker', [B1], 'grid'),
    sampler: await actor(t, 'sampler', [B], 'community'),
  }
  const a = admin.client

  // Places and people: one building of 4 households per grid, one person in each household.
  const places = {} as Record<AreaKey, Place>
  const people: Person[] = []
  for (const key of Object.keys(grids) as AreaKey[]) {
    const g = grids[key]
    const lay = expectOk(
      await a.send('POST', '/api/buildings/layout', {
        gridId: g.id,
        building: BUILDING[key],
        units: [1, 1],
        floors: [1, 2],
        roomsPerFloor: [1, 2],
      }),
      'layout',
    ).json()
    const unit = (await a.get(`/api/buildings/${lay.buildingId}/units`)).json().items[0]
    const households = (await a.get(`/api/units/${unit.id}/households`))
      .json()
      .items.map((h: { id: string }) => h.id)
    places[key] = { gridId: g.id, buildingId: lay.buildingId, unitId: unit.id, households }
    for (const [i, name] of AREA_NAMES[key].entries()) {
      const p = {
        name,
        idNumber: freshId(),
        phone: freshPhone(),
        area: key,
        householdId: households[i]!,
      }
      const res = expectOk(
        await a.send('POST', '/api/residents', {
          householdId: p.householdId,
          name,
          idNumber: p.idNumber,
          phone: p.phone,
          residenceType: 'registered',
          relation: 'head',
          tags: i === 0 ? ['chronic_disease'] : [],
        }),
        'resident',
      )
      people.push({ ...p, id: res.json().resident.id })
    }
  }
  for (const p of people)
    p.code = expectOk(await a.send('POST', `/api/residents/${p.id}/code`), 'code').json().token

  // Testing: a street-wide round and a B-only round, tubes, a positive pool in B.
  const deadline = new Date(Date.now() + 12 * 3_600_000).toISOString()
  const street = expectOk(
    await a.send('POST', '/api/rounds', {
      name: '甲乙街道全员轮',
      kind: 'area',
      divisionIds: [S1.id],
      deadline,
      poolSize: 10,
    }),
    'round S1',
  ).json()
  const bRound = expectOk(
    await a.send('POST', '/api/rounds', {
      name: '蔡塘专项轮',
      kind: 'area',
      divisionIds: [B.id],
      deadline,
      poolSize: 10,
    }),
    'round B',
  ).json()
  const tubes = {
    streetA1: 'TSA1-0001',
    streetA2: 'TSA2-0001',
    streetB: 'TSB1-0001',
    streetBOpen: 'TSB1-0002',
    b: 'TBB1-0001',
    bOpen: 'TBB1-0002',
  }
  const sc = (p: Person, tube: string) => ({
    clientId: crypto.randomUUID(),
    person: p.code!,
    tube,
    scannedAt: new Date().toISOString(),
  })
  const inArea = (k: AreaKey) => people.filter((p) => p.area === k)
  const scans = async (c: Client, round: string, list: ReturnType<typeof sc>[]) =>
    expectOk(await c.send('POST', `/api/rounds/${round}/scans`, { scans: list }), 'scans')
  await scans(
    users.sampler.client,
    street.id,
    inArea('A1')
      .slice(0, 3)
      .map((p) => sc(p, tubes.streetA1)),
  )
  await scans(
    users.sampler.client,
    street.id,
    inArea('A2')
      .slice(0, 3)
      .map((p) => sc(p, tubes.streetA2)),
  )
  await scans(
    bUsers.sampler.client,
    street.id,
    inArea('B1')
      .slice(0, 3)
      .map((p) => sc(p, tubes.streetB)),
  )
  await scans(
    bUsers.sampler.client,
    street.id,
    inArea('B1')
      .slice(3)
      .map((p) => sc(p, tubes.streetBOpen)),
  )
  await scans(
    bUsers.sampler.client,
    bRound.id,
    inArea('B1')
      .slice(0, 2)
      .map((p) => sc(p, tubes.b)),
  )
  await scans(
    bUsers.sampler.client,
    bRound.id,
    inArea('B1')
      .slice(2, 3)
      .map((p) => sc(p, tubes.bOpen)),
  )
  for (const [round, code] of [
    [street.id, tubes.streetA1],
    [street.id, tubes.streetA2],
    [street.id, tubes.streetB],
    [bRound.id, tubes.b],
  ] as const) {
    expectOk(await a.send('POST', `/api/rounds/${round}/tubes/${code}/close`), `close ${code}`)
  }
  const lab = expectOk(
    await a.send('POST', '/api/labs', { name: '蔡塘第三方检测所' }),
    'lab',
  ).json()
  const labRes = await t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${lab.token}` },
    payload: {
      results: [
        { tubeCode: tubes.streetA1, result: 'negative' },
        { tubeCode: tubes.streetB, result: 'positive' },
        { tubeCode: tubes.b, result: 'negative' },
      ],
    },
  })
  expectOk(labRes, 'lab results')
  expectOk(
    await a.send('PUT', `/api/rounds/${street.id}/missed/${inArea('B1')[3]!.id}`, {
      reason: 'away',
      note: '蔡家出差备注',
    }),
    'missed B',
  )
  expectOk(
    await a.send('PUT', `/api/rounds/${street.id}/missed/${inArea('A1')[3]!.id}`, {
      reason: 'away',
      note: '安家出差备注',
    }),
    'missed A',
  )

  // Sites and key groups.
  const siteA = expectOk(
    await a.send('POST', '/api/sites', {
      name: '安和采样点',
      kind: 'fixed',
      divisionId: A.id,
      lanes: 2,
      opensAt: '08:00',
      closesAt: '18:00',
    }),
    'site A',
  ).json()
  const siteB = expectOk(
    await a.send('POST', '/api/sites', {
      name: '蔡塘采样点',
      kind: 'fixed',
      divisionId: B.id,
      address: '蔡塘路1号',
      lanes: 2,
    }),
    'site B',
  ).json()
  expectOk(
    await a.send('POST', `/api/sites/${siteA.id}/staff`, {
      username: users.sampler.username,
      duty: 'sampler',
    }),
    'staff A',
  )
  expectOk(
    await a.send('POST', `/api/sites/${siteB.id}/staff`, {
      username: bUsers.sampler.username,
      duty: 'sampler',
    }),
    'staff B',
  )
  const gA = expectOk(
    await a.send('POST', '/api/key-groups', {
      name: '安和快递组',
      kind: 'delivery',
      frequency: 'daily',
      divisionId: A.id,
    }),
    'group A',
  ).json()
  const gB = expectOk(
    await a.send('POST', '/api/key-groups', {
      name: '蔡塘医护组',
      kind: 'medical',
      frequency: 'weekly',
      divisionId: B.id,
    }),
    'group B',
  ).json()
  const gS = expectOk(
    await a.send('POST', '/api/key-groups', {
      name: '甲乙街道冷链组',
      kind: 'cold_chain',
      frequency: 'every_2_days',
      divisionId: S1.id,
    }),
    'group S',
  ).json()
  expectOk(
    await a.send('POST', `/api/key-groups/${gA.id}/members`, {
      idNumbers: inArea('A1')
        .slice(0, 2)
        .map((p) => p.idNumber),
    }),
    'members A',
  )
  expectOk(
    await a.send('POST', `/api/key-groups/${gB.id}/members`, {
      idNumbers: inArea('B1')
        .slice(0, 2)
        .map((p) => p.idNumber),
    }),
    'members B',
  )
  expectOk(
    await a.send('POST', `/api/key-groups/${gS.id}/members`, {
      idNumbers: [
        inArea('A1')[1]!.idNumber,
        inArea('B1')[2]!.idNumber,
        inArea('C1')[0]!.idNumber,
      ].slice(0, 2),
    }),
    'members S',
  )

  // An import job of community B with one rejected row.
  const newcomer = { name: '蔡新来', idNumber: freshId(), phone: freshPhone() }
  const csv = [
    '姓名,身份证号,手机,楼栋,单元,房号',
    `${newcomer.name},${newcomer.idNumber},${newcomer.phone},21,1,101`,
    `蔡错行,${newcomer.idNumber.slice(0, 10)},${freshPhone()},21,1,102`,
  ].join('\n')
  const up = expectOk(
    await multipart(
      t,
      bUsers.lead.client,
      '/api/imports/residents',
      { divisionId: B1.id, dryRun: 'false' },
      { name: '蔡塘社区名单.csv', content: csv },
    ),
    'import B',
  ).json()
  const job = await waitJob(bUsers.lead.client, up.jobId)
  if (job.status !== 'done') throw new Error(`seeding import: ${JSON.stringify(job)}`)
  const newRes = (await a.get(`/api/residents?q=${encodeURIComponent(newcomer.name)}`)).json()
    .items[0]
  people.push({ ...newcomer, id: newRes.id, area: 'B1', householdId: places.B1.households[0]! })

  // A later, different result for a B tube (not a retest): a conflict for a person in B to resolve.
  await t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${lab.token}` },
    payload: { results: [{ tubeCode: tubes.b, result: 'positive' }] },
  })
  const conflicts = await a.get(`/api/rounds/${bRound.id}/conflicts`)
  const conflictB: string | null =
    conflicts.statusCode === 200 ? (conflicts.json().items?.[0]?.id ?? null) : null
  // The B people of the positive street pool owe a recheck; the first is swabbed alone and is positive.
  const orders = await a.get(`/api/rounds/${street.id}/rechecks`)
  const recheckB: string | null =
    orders.statusCode === 200
      ? (orders
          .json()
          .items?.find((o: { residentId: string }) => o.residentId === inArea('B1')[1]!.id)?.id ??
        null)
      : null
  await scans(bUsers.sampler.client, bRound.id, [sc(inArea('B1')[0]!, 'TBR1-0001')])
  await t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${lab.token}` },
    payload: { results: [{ tubeCode: 'TBR1-0001', result: 'positive' }] },
  })
  const cases = await a.get('/api/positive-cases')
  const caseB: string | null =
    cases.statusCode === 200 ? (cases.json().items?.[0]?.id ?? null) : null
  // A B lead registers a C person's ID into a B household: a transfer between B and C.
  const cPerson = people.find((p) => p.area === 'C1')!
  await bUsers.lead.client.send('POST', '/api/residents', {
    householdId: places.B1.households[3]!,
    name: '邓迁入',
    idNumber: cPerson.idNumber,
    residenceType: 'tenant',
  })
  const transfers = await bUsers.lead.client.get('/api/resident-transfers?direction=in')
  const transferBC: string | null =
    transfers.statusCode === 200 ? (transfers.json().items?.[0]?.id ?? null) : null

  // A walk-in registered provisionally at B's desk, staying in grid B1.
  const walkIn = await bUsers.sampler.client.send('POST', `/api/rounds/${bRound.id}/walk-ins`, {
    name: '蔡过客',
    idNumber: freshId(),
    phone: '13900007777',
    gridId: grids.B1.id,
    address: '蔡塘路9号暂住',
  })
  const walkInB: string | null =
    walkIn.statusCode === 200 ? (walkIn.json() as { residentId: string }).residentId : null

  // A checkpoint of community B, and an arrival registered at its gate (to live in a B household).
  const cpB = await bUsers.lead.client.send('POST', '/api/checkpoints', {
    communityId: B.id,
    name: '蔡塘卡口',
    location: '蔡塘路东口',
  })
  const checkpointB: string | null =
    cpB.statusCode === 201 ? (cpB.json() as { id: string }).id : null
  const arrivalRes = checkpointB
    ? await bUsers.lead.client.send('POST', `/api/checkpoints/${checkpointB}/arrivals`, {
        name: '蔡报备',
        idNumber: freshId(),
        phone: '13900005555',
        origin: 'high_risk_area',
        originArea: '蔡来源地',
        arrivalDate: new Date().toISOString().slice(0, 10),
        destinationHouseholdId: places.B1.households[3]!,
        itinerary: [],
        healthCode: 'green',
      })
    : null
  const arrivalB =
    arrivalRes?.statusCode === 200 ? (arrivalRes.json() as { id: string; reference: string }) : null

  const cpA = await a.send('POST', '/api/checkpoints', { communityId: A.id, name: '安居卡口' })
  const checkpointA =
    cpA.statusCode === 201
      ? {
          id: (cpA.json() as { id: string }).id,
          token: (cpA.json() as { reportPath: string }).reportPath.split('/').pop()!,
        }
      : null
  const arrivalResA = checkpointA
    ? await a.send('POST', `/api/checkpoints/${checkpointA.id}/arrivals`, {
        name: '安报备',
        idNumber: freshId(),
        origin: 'overseas',
        arrivalDate: new Date().toISOString().slice(0, 10),
        destinationHouseholdId: places.A1.households[3]!,
        healthCode: 'green',
      })
    : null
  const arrivalA =
    arrivalResA?.statusCode === 200
      ? (arrivalResA.json() as { id: string; reference: string })
      : null

  // A door sensor (门磁) on a B household.
  const sensorB = await bUsers.lead.client.send('POST', '/api/measures/doors/sensors', {
    deviceId: 'MC-B1-PROBE',
    householdId: places.B1.households[2]!,
  })
  const doorSensorB: string | null =
    sensorB.statusCode === 201 ? (sensorB.json() as { id: string }).id : null

  // A measure on the first person of every area (started by the whole-deployment admin).
  const measures = {} as Record<AreaKey, string>
  for (const k of ['A1', 'A2', 'B1', 'C1'] as const) {
    const res = await a.send('POST', '/api/measures', {
      residentId: people.find((p) => p.area === k)!.id,
      category: 'close_contact',
      anchorAt: new Date(Date.now() - 86_400_000).toISOString(),
    })
    if (res.statusCode !== 201) throw new Error(`seeding measure ${k}: ${res.body}`)
    measures[k] = (res.json() as { id: string }).id
  }

  // A risk area over the building of every area (drawn by the whole-deployment admin).
  const zoneAreas = {} as Record<AreaKey, string>
  for (const k of ['A1', 'A2', 'B1', 'C1'] as const) {
    const res = await a.send('POST', '/api/zones/areas', {
      name: `封控探针${k}`,
      level: 'high',
      reason: '探针划定',
      extents: [{ kind: 'building', id: places[k].buildingId }],
    })
    if (res.statusCode !== 201) throw new Error(`seeding risk area ${k}: ${res.body}`)
    zoneAreas[k] = (res.json() as { id: string }).id
  }

  const alertsB = (await bUsers.lead.client.get('/api/alerts'))
    .json()
    .items.map((x: { id: number }) => x.id)

  // Markers: whatever only the objects outside an area carry.
  const m = (kind: string, ...values: (string | undefined)[]): Marker[] =>
    values.filter((v): v is string => !!v).map((value) => ({ kind, value }))
  const areaMarkers = (k: AreaKey): Marker[] => [
    ...m(`division ${k}`, grids[k].id, grids[k].code, grids[k].name, grids[k].path),
    ...m(
      `place ${k}`,
      places[k].buildingId,
      places[k].unitId,
      ...places[k].households,
      `${BUILDING[k]}栋1单元`,
    ),
    ...people
      .filter((p) => p.area === k)
      .flatMap((p) => m(`resident ${k}`, p.id, p.name, p.idNumber, p.phone, p.code)),
    ...m(`measure ${k}`, measures[k]),
    ...m(`risk area ${k}`, zoneAreas[k], `封控探针${k}`),
  ]
  const outsideCommunity: Marker[] = [
    ...m(
      'division B/S2/C',
      B.id,
      B.code,
      B.name,
      B.path,
      S2.id,
      S2.code,
      S2.name,
      C.id,
      C.code,
      C.name,
    ),
    ...areaMarkers('B1'),
    ...areaMarkers('C1'),
    ...m('round B', bRound.id, bRound.name),
    ...m('tubes B', tubes.streetB, tubes.streetBOpen, tubes.b, tubes.bOpen),
    ...m('site B', siteB.id, siteB.name, '蔡塘路1号'),
    ...m('key group B', gB.id, gB.name),
    ...m(
      'users B',
      bUsers.lead.userId,
      bUsers.lead.username,
      bUsers.worker.userId,
      bUsers.worker.username,
      bUsers.sampler.userId,
      bUsers.sampler.username,
    ),
    ...m('import B', up.jobId, '蔡塘社区名单', '蔡错行'),
    ...m('missed note B', '蔡家出差备注'),
    ...m('transfer B-C', transferBC ?? undefined, '邓迁入'),
    ...m('conflict B', conflictB ?? undefined),
    ...m('recheck B', recheckB ?? undefined, caseB ?? undefined, 'TBR1-0001'),
    ...m('door sensor B', doorSensorB ?? undefined, 'MC-B1-PROBE'),
    ...m('walk-in B', walkInB ?? undefined, '蔡过客', '13900007777', '蔡塘路9号暂住'),
    ...m('checkpoint B', checkpointB ?? undefined, '蔡塘卡口', '蔡塘路东口'),
    ...m('arrival B', arrivalB?.id, arrivalB?.reference, '蔡报备', '13900005555', '蔡来源地'),
  ]
  const outsideGrid: Marker[] = [
    ...outsideCommunity,
    ...areaMarkers('A2'),
    ...m('tubes A2', tubes.streetA2),
  ]
  return {
    t,
    log,
    admin,
    users,
    bUsers,
    div,
    places,
    people,
    rounds: {
      street: { id: street.id, name: street.name },
      b: { id: bRound.id, name: bRound.name },
    },
    tubes,
    sites: { a: siteA.id, b: siteB.id },
    groups: { a: gA.id, b: gB.id, street: gS.id },
    lab: { id: lab.id, name: lab.name, token: lab.token },
    importJobB: up.jobId,
    alertsB,
    measures,
    zoneAreas,
    doorSensorB,
    transferBC,
    conflictB,
    recheckB,
    caseB,
    walkInB,
    checkpointB,
    arrivalB,
    checkpointA,
    arrivalA,
    markers: { outsideGrid, outsideCommunity, labs: m('lab', lab.id, lab.name) },
    close: () => t.close(),
  }
}

/* ------------------------------------------------------------------ openapi */

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  key: string
  pathParams: string[]
  queryParams: { name: string; schema: Record<string, unknown> }[]
  body?: Record<string, unknown>
  multipart: boolean
}

/** Every operation of `/api/openapi.json`, as a client of the running app sees it. */
export async function operations(t: TestApp): Promise<Operation[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
  const doc = res.json() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string; schema: Record<string, unknown> }[]
          requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }
          consumes?: string[]
        }
      >
    >
  }
  const out: Operation[] = []
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase() as Operation['method']
      const params = op.parameters ?? []
      const content = op.requestBody?.content ?? {}
      out.push({
        method,
        path: p,
        key: `${method} ${p}`,
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
        queryParams: params
          .filter((x) => x.in === 'query')
          .map((x) => ({ name: x.name, schema: x.schema ?? {} })),
        body: content['application/json']?.schema,
        multipart:
          !!content['multipart/form-data'] || (op.consumes ?? []).includes('multipart/form-data'),
      })
    }
  return out
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in values)) throw new Error(`no value for {${k}} in ${template}`)
    return encodeURIComponent(values[k]!)
  })
}

/* ------------------------------------------------------------------ response text and scans */

/** The text a person would read in a response: the JSON body, or every cell of an .xlsx, plus the file name. */
export async function responseText(res: LightMyRequestResponse): Promise<string> {
  const parts: string[] = []
  const disposition = res.headers['content-disposition']
  if (typeof disposition === 'string') parts.push(safeDecode(disposition))
  const type = String(res.headers['content-type'] ?? '')
  if (type.includes('spreadsheetml') && res.statusCode < 300) {
    try {
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
      wb.eachSheet((sheet) => {
        parts.push(sheet.name)
        sheet.eachRow((row) => row.eachCell((cell) => parts.push(cell.text)))
      })
    } catch (err) {
      parts.push(`<unreadable xlsx: ${(err as Error).message}>`, res.rawPayload.toString('latin1'))
    }
  } else parts.push(res.body)
  return parts.join('\n')
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The request as text (decoded URL and body), so that a value the caller typed is not counted as returned. */
export function requestText(url: string, body?: unknown): string {
  const b =
    body === undefined
      ? ''
      : typeof body === 'string'
        ? body
        : Buffer.isBuffer(body)
          ? body.toString('utf8')
          : JSON.stringify(body)
  return `${safeDecode(url.replace(/\+/g, ' '))}\n${b}`
}

export function markersIn(text: string, markers: Marker[], except: string): Marker[] {
  return markers.filter((mk) => text.includes(mk.value) && !except.includes(mk.value))
}

/** Full ID numbers (either case of X) and mobiles of the seeded people found in a text. */
export function piiIn(text: string, people: Person[], except = ''): string[] {
  const found: string[] = []
  const upper = text.toUpperCase()
  const exceptUpper = except.toUpperCase()
  for (const p of people) {
    if (upper.includes(p.idNumber) && !exceptUpper.includes(p.idNumber))
      found.push(`id ${p.idNumber.slice(0, 6)}…(${p.name})`)
    if (text.includes(p.phone) && !except.includes(p.phone))
      found.push(`phone ${p.phone.slice(0, 3)}…(${p.name})`)
  }
  return found
}

export function hasPermission(role: Role, permission: string): boolean {
  return (permissionsOf(role) as readonly string[]).includes(permission)
}

/** A response of the suite, kept for the leak scan. */
export interface Recorded {
  role: string
  userId: string | null
  method: string
  url: string
  request: string
  status: number
  text: string
}

/** Whether a response may carry full personal data: an explicit reveal by a role allowed to, answered 2xx. */
export function isExplicitReveal(r: Recorded, role: Role | 'anonymous'): boolean {
  return (
    role !== 'anonymous' &&
    /[?&]reveal=/.test(r.url) &&
    hasPermission(role, 'pii:reveal') &&
    r.status < 300
  )
}

/** Audited reveals (pii.reveal, unmasked exports) per actor id. */
export async function revealAudits(w: World): Promise<Map<string, number>> {
  const list = await rows<{ actor_id: string; n: number }>(
    w.t.database.db,
    sql`select actor_id, count(*)::int as n from audit_log where action = 'pii.reveal' or action like '%unmasked%' group by actor_id`,
  )
  return new Map(list.map((r) => [r.actor_id, r.n]))
}

/** Row counts of every application table (audit, sessions and throttles excluded: a refused request may log or count an attempt). */
export async function tableCounts(w: World): Promise<Record<string, number>> {
  const [r] = await rows<Record<string, number>>(w.t.database.db, sql.raw(await countQuery(w)))
  return r!
}

/** The tables do not change while a suite runs: the catalogue is read once per world. */
const countQueries = new WeakMap<World, Promise<string>>()
function countQuery(w: World): Promise<string> {
  let q = countQueries.get(w)
  if (!q) {
    q = rows<{ table_name: string }>(
      w.t.database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    ).then((tables) => {
      const skip = new Set(['audit_log', 'user_session', 'login_throttle'])
      const names = tables
        .map((r) => r.table_name)
        .filter((n) => !skip.has(n) && /^[a-z_]+$/.test(n))
      return `select ${names.map((n) => `(select count(*)::int from "${n}") as "${n}"`).join(', ')}`
    })
    countQueries.set(w, q)
  }
  return q
}

/** `inject` with a deadline: an answer that never ends (an export that hangs) is reported, not waited for. */
export async function withDeadline(
  p: Promise<LightMyRequestResponse>,
  ms = 8_000,
): Promise<LightMyRequestResponse | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const out = await Promise.race([
    p,
    new Promise<'timeout'>((r) => (timer = setTimeout(r, ms, 'timeout'))),
  ])
  clearTimeout(timer)
  return out
}
