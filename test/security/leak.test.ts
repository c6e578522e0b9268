import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '../../src/core/auth/roles.js'
import { engine, type Client } from '../helpers.js'
import {
  fillPath,
  freshId,
  freshPhone,
  isExplicitReveal,
  multipart,
  operations,
  piiIn,
  requestText,
  responseText,
  revealAudits,
  seedWorld,
  waitJob,
  withDeadline,
  type Actorish,
  type Operation,
  type Recorded,
  type World,
} from './fixture.js'

/**
 * Personal-data leak scan: every GET route of /api/openapi.json is walked by every role (and the
 * whole-deployment admin) on its own area's objects, with searches by full ID number and mobile,
 * every reveal variant and every export (.xlsx parsed cell by cell); then every response body and
 * every line the server logged are scanned for the seeded people's full 18-digit ID numbers and
 * 11-digit mobiles. One found without an explicit reveal (`reveal=…` by a role with pii:reveal,
 * answered 2xx and audited) fails; the server log may hold none at all.
 */

let w: World
let ops: Operation[]
let importJobA: string
const recorded: Recorded[] = []
const problems: string[] = []
const figures = { requests: 0, exports: 0, routes: 0, started: Date.now() }

function ownPath(segment: string, param: string): string | null {
  const a1 = w.people.find((p) => p.area === 'A1')!
  const table: Record<string, string> = {
    'users.id': w.users.sampler.userId,
    'divisions.id': w.div.A1.id,
    'grids.id': w.places.A1.gridId,
    'buildings.id': w.places.A1.buildingId,
    'units.id': w.places.A1.unitId,
    'households.id': w.places.A1.households[0]!,
    'residents.id': a1.id,
    'rounds.id': w.rounds.street.id,
    'imports.id': importJobA,
    'sites.id': w.sites.a,
    'key-groups.id': w.groups.a,
    'measures.id': w.measures.A1,
    'areas.id': w.zoneAreas.A1,
    'alerts.id': String(w.alertsB[0] ?? 0),
    'profiles.name': 'v9',
    'checkpoints.id': w.checkpointA?.id ?? '',
    'report.token': w.checkpointA?.token ?? '',
    'arrivals.reference': w.arrivalA?.reference ?? '',
  }
  return table[`${segment}.${param}`] ?? null
}

/** In-scope query variants by parameter: searches by the full numbers, reveals, exports with a reason. */
function queryVariants(name: string): string[] {
  const a1 = w.people.find((p) => p.area === 'A1')!
  const table: Record<string, string[]> = {
    q: [a1.idNumber, a1.phone, a1.idNumber.slice(-6), a1.name, a1.idNumber.toLowerCase()],
    reveal: ['id', 'phone', 'id,phone'],
    divisionId: [w.div.A1.id],
    householdId: [a1.householdId],
    grid: [w.div.A1.path],
    targetId: [a1.id],
    // The print notice of a measure (and, harmlessly, an alert kind filter).
    kind: ['start'],
  }
  return table[name] ?? []
}

async function get(
  who: Actorish | { role: 'anonymous'; userId: null; client: null },
  url: string,
): Promise<void> {
  figures.requests++
  const p = who.client ? who.client.get(url) : w.t.app.inject({ method: 'GET', url })
  const res = await withDeadline(p)
  if (res === 'timeout') {
    problems.push(`${who.role} GET ${url}: no complete answer in 8 s`)
    return
  }
  if (res.statusCode >= 500)
    problems.push(`${who.role} GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`)
  if (String(res.headers['content-type'] ?? '').includes('spreadsheetml')) figures.exports++
  recorded.push({
    role: who.role,
    userId: who.userId,
    method: 'GET',
    url,
    request: requestText(url),
    status: res.statusCode,
    text: await responseText(res),
  })
}

async function walk(who: Actorish): Promise<void> {
  for (const op of ops) {
    if (op.method !== 'GET') continue
    const segs = op.path.split('/')
    const values: Record<string, string> = {}
    let fillable = true
    for (const name of op.pathParams) {
      const v = ownPath(segs[segs.indexOf(`{${name}}`) - 1]!, name)
      if (v) values[name] = v
      else fillable = false
    }
    if (!fillable) {
      problems.push(`${op.key}: the leak walk cannot fill its path parameters`)
      continue
    }
    const base = fillPath(op.path, values)
    await get(who, base)
    const names = new Set(op.queryParams.map((q) => q.name))
    for (const q of op.queryParams)
      for (const v of queryVariants(q.name)) {
        // An unmasked export needs its reason; ask both ways.
        if (q.name === 'reveal' && names.has('reason')) {
          await get(who, `${base}?reveal=${v}`)
          await get(who, `${base}?reveal=${v}&reason=${encodeURIComponent('入户核查名单')}`)
        } else await get(who, `${base}?${q.name}=${encodeURIComponent(v)}`)
      }
  }
}

/**
 * Write routes whose body takes ID numbers, with the bodies that type them: a number of a person
 * here, of a person in another community, of nobody, and one with a wrong check character. A new
 * write route that takes an ID number needs its entry here, or the walk reports it.
 */
/** A client without a session (the public self-report of a checkpoint's poster). */
const anonymousClient = (): Client => ({
  csrf: '',
  cookie: '',
  get: (url, headers = {}) => w.t.app.inject({ method: 'GET', url, headers }),
  send: (method, url, body, headers = {}) =>
    w.t.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as object }),
    }),
})

const arrivalBody = (idNumber: string): Record<string, unknown> => ({
  name: '安来访',
  idNumber,
  phone: '13900004444',
  origin: 'low_risk_area',
  arrivalDate: new Date().toISOString().slice(0, 10),
  healthCode: 'green',
})

function idWrites(
  typed: string[],
): Record<string, { who: Actorish; values: Record<string, string>; bodies: unknown[] }> {
  const lead = w.users.community_lead
  return {
    'POST /api/key-groups/{id}/members': {
      who: lead,
      values: { id: w.groups.a },
      bodies: [{ idNumbers: typed }],
    },
    'POST /api/residents': {
      who: lead,
      values: {},
      // The person here is registered again as they are (an update in place).
      bodies: typed.map((idNumber) => ({
        householdId: w.places.A1.households[3]!,
        name: w.people.find((p) => p.idNumber === idNumber)?.name ?? '安探户',
        idNumber,
        residenceType: 'tenant',
      })),
    },
    // The sampling desk's check of a scanned person (code or ID number) before the tube.
    'POST /api/rounds/{id}/person-check': {
      who: w.users.sampler,
      values: { id: w.rounds.street.id },
      bodies: typed.map((person) => ({ person })),
    },
    // An arrival report from the poster (no session) and at the gate: the answer masks or omits the number.
    'POST /api/public/report/{token}': {
      who: { ...lead, client: anonymousClient() },
      values: { token: w.checkpointA?.token ?? '' },
      bodies: typed.map(arrivalBody),
    },
    'POST /api/checkpoints/{id}/arrivals': {
      who: lead,
      values: { id: w.checkpointA?.id ?? '' },
      bodies: typed.map(arrivalBody),
    },
    // A gate passage: a scanned ID number (a resident here, elsewhere, nobody) and a visitor's typed one; masked.
    'POST /api/checkpoints/{id}/passages': {
      who: lead,
      values: { id: w.checkpointA?.id ?? '' },
      bodies: typed.flatMap((idNumber) => [
        { clientId: `leak-scan-${idNumber}`, direction: 'out', scan: idNumber },
        {
          clientId: `leak-visitor-${idNumber}`,
          direction: 'in',
          visitor: { name: '安访客', idNumber, phone: '13900006666' },
        },
      ]),
    },
    // A walk-in at the sampling desk: a new person, a registered one here or elsewhere (answered by code, name masked).
    'POST /api/rounds/{id}/walk-ins': {
      who: w.users.sampler,
      values: { id: w.rounds.street.id },
      bodies: typed.map((idNumber) => ({
        name: '安临时',
        idNumber,
        phone: '13900006666',
        gridId: w.places.A1.gridId,
        address: '安居路1号暂住',
      })),
    },
  }
}

/** Whether a write operation's JSON body has an ID-number field at its top level. */
function takesIdNumbers(op: Operation): boolean {
  const props = (op.body as { properties?: Record<string, unknown> } | undefined)?.properties
  return (
    op.method !== 'GET' && Object.keys(props ?? {}).some((k) => /^(idNumbers?|person)$/.test(k))
  )
}

/** The typed numbers found in full in a text (the request is not excused: an echo is a leak too). */
function typedIn(text: string, typed: string[]): string[] {
  const upper = text.toUpperCase()
  return typed.filter((v) => upper.includes(v.toUpperCase())).map((v) => `id ${v.slice(0, 6)}…`)
}

/** The answers of those writes: which typed numbers each repeated in full. */
const writes: { what: string; hits: string[] }[] = []

beforeAll(async () => {
  w = await seedWorld()
  ops = await operations(w.t)
  figures.routes = ops.filter((o) => o.method === 'GET').length
  // An import of grid A1 with a rejected row that carries a full ID number and mobile (its error file is an export).
  const kept = { name: '安新户', idNumber: freshId(), phone: freshPhone() }
  const rejected = { name: '安错户', idNumber: freshId(), phone: freshPhone() }
  const csv = [
    '姓名,身份证号,手机,楼栋,单元,房号',
    `${kept.name},${kept.idNumber},${kept.phone},11,1,101`,
    `${rejected.name},${rejected.idNumber},${rejected.phone},99,1,101`,
  ].join('\n')
  const up = await multipart(
    w.t,
    w.users.grid_worker.client,
    '/api/imports/residents',
    { divisionId: w.div.A1.id, dryRun: 'false' },
    { name: '安居名单.csv', content: csv },
  )
  if (up.statusCode !== 202) throw new Error(`import A: ${up.body}`)
  importJobA = up.json().jobId
  await waitJob(w.users.grid_worker.client, importJobA)
  for (const x of [kept, rejected])
    w.people.push({ ...x, id: '', area: 'A1', householdId: w.places.A1.households[0]! })
})

afterAll(async () => {
  const summary = {
    engine,
    ...figures,
    responses: recorded.length,
    logLines: w?.log.length,
    seconds: Math.round((Date.now() - figures.started) / 100) / 10,
  }
  console.log(`[security] leak scan ${JSON.stringify(summary)}`)
  fs.mkdirSync(path.resolve(import.meta.dirname, '../../.tmp'), { recursive: true })
  fs.writeFileSync(
    path.resolve(import.meta.dirname, `../../.tmp/security-leak-${engine}.json`),
    JSON.stringify({ summary, problems }, null, 2),
  )
  await w?.close()
})

describe('personal-data leak scan', () => {
  describe.each([...ROLES, 'whole-deployment admin'])('the route suite as %s', (role) => {
    it(
      'walks every GET route on its own area, with searches, reveals and exports',
      { timeout: 60_000 },
      async () => {
        await walk(role === 'whole-deployment admin' ? w.admin : w.users[role as Role])
      },
    )
  })

  it('walks the public routes without a session', async () => {
    for (const op of ops)
      if (op.method === 'GET' && !op.pathParams.length)
        await get({ role: 'anonymous', userId: null, client: null }, op.path)
  })

  it('reads the audit log afterwards as every reader (searches and reveals are in it now)', async () => {
    for (const who of [w.admin, w.users.admin, w.users.command, w.users.community_lead])
      await get(who, '/api/audit?limit=500')
  })

  it('sends every write route that takes ID numbers the full numbers of people here, elsewhere and nobody', async () => {
    const here = w.people.find((p) => p.householdId === w.places.A1.households[3])!.idNumber
    const elsewhere = w.people.find((p) => p.area === 'B1')!.idNumber
    const nobody = freshId()
    const wrongCheck = nobody.slice(0, 17) + (nobody.endsWith('0') ? '1' : '0')
    const typed = [here, elsewhere, nobody, wrongCheck]
    const table = idWrites(typed)
    for (const op of ops.filter(takesIdNumbers)) {
      const probe = table[op.key]
      if (!probe) {
        problems.push(`${op.key}: takes ID numbers but the leak walk has no body for it`)
        continue
      }
      const url = fillPath(op.path, probe.values)
      for (const body of probe.bodies) {
        figures.requests++
        const res = await withDeadline(
          probe.who.client.send(op.method as Exclude<Operation['method'], 'GET'>, url, body),
        )
        if (res === 'timeout') {
          problems.push(`${probe.who.role} ${op.key}: no complete answer in 8 s`)
          continue
        }
        if (res.statusCode >= 500)
          problems.push(`${op.key} → ${res.statusCode} ${res.body.slice(0, 200)}`)
        writes.push({
          what: `${probe.who.role} ${op.key} → ${res.statusCode}`,
          hits: typedIn(await responseText(res), typed),
        })
      }
    }
    expect(writes.length).toBeGreaterThanOrEqual(2)
  })

  it('answers every request of the walk without a 5xx, a hang or a route it cannot fill', () => {
    expect(problems).toEqual([])
  })

  it('shows no full ID number or mobile in any response or export without an explicit, audited reveal', async () => {
    const audits = await revealAudits(w)
    const leaks: string[] = []
    const reveals = new Map<string, number>()
    for (const r of recorded) {
      const hit = piiIn(r.text, w.people, r.request)
      if (!hit.length) continue
      if (isExplicitReveal(r, r.role as Role)) {
        reveals.set(r.userId!, (reveals.get(r.userId!) ?? 0) + 1)
        continue
      }
      leaks.push(
        `${r.role} ${r.method} ${r.url} → ${r.status}: ${[...new Set(hit)].slice(0, 3).join(', ')}`,
      )
    }
    for (const r of writes) if (r.hits.length) leaks.push(`${r.what}: ${r.hits.join(', ')}`)
    for (const [userId, n] of reveals)
      if ((audits.get(userId) ?? 0) < n)
        leaks.push(
          `user ${userId}: ${n} unmasked answers, ${audits.get(userId) ?? 0} audited reveals`,
        )
    console.log(
      `[security] leak scan: ${recorded.length} responses (${figures.exports} exports), ${[...reveals.values()].reduce((a, b) => a + b, 0)} audited reveals, ${leaks.length} leaks`,
    )
    for (const l of leaks.slice(0, 40)) console.log(`[security] leak ${l}`)
    expect(leaks).toEqual([])
  })

  it('writes no full ID number or mobile into the server log', () => {
    const leaks: string[] = []
    for (const line of w.log) {
      const hit = piiIn(line, w.people)
      if (hit.length)
        leaks.push(`${[...new Set(hit)].slice(0, 2).join(', ')} in ${line.slice(0, 240)}`)
    }
    console.log(`[security] log scan: ${w.log.length} lines, ${leaks.length} with personal data`)
    for (const l of leaks.slice(0, 20)) console.log(`[security] log ${l}`)
    expect(leaks).toEqual([])
  })
})
