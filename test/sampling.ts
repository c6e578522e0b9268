/**
 * Builders for the sampling path over HTTP, as the desk and the lab use it: a grid with people
 * and their codes, the accounts that work it, an area round, a swabbed tube and a lab's results.
 * The route tests of pooled positives, person checks, overdue tubes and recheck clocks build on
 * them (test/factories.ts builds the registry underneath).
 *
 * ```ts
 * const labToken = await buildLabToken(t)
 * const p = await buildSamplingPlace(t, { gridName: '复核网格', names: ['张伟', '王芳'] })
 * const round = await openAreaRound(p)
 * const tube = await swabTube(p, round.id, p.codes)
 * await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
 * ```
 */
import crypto from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { loginAs, type Client, type TestApp } from './helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildResident,
  buildUser,
  type BuiltGrid,
  type BuiltResident,
} from './factories.js'

const HOUR = 3_600_000

/** A code no other test in the database uses (tubes, round names, labs). */
export const uniqueCode = (prefix: string): string =>
  `${prefix}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`

/** One scan of the batch API: a person (code or ID number) into a tube, now. */
export const scanOf = (
  person: string,
  tube: string,
): { clientId: string; person: string; tube: string; scannedAt: string } => ({
  clientId: crypto.randomUUID(),
  person,
  tube,
  scannedAt: new Date().toISOString(),
})

/** A lab account (deployment-level: an admin creates it) and its bearer token. */
export async function buildLabToken(t: TestApp, name = '社区检测点'): Promise<string> {
  const admin = await loginAs(t, (await buildUser(t, { role: 'admin' })).username)
  const res = await admin.send('POST', '/api/labs', {
    name: `${name}-${crypto.randomBytes(2).toString('hex')}`,
  })
  return res.json().token
}

/** A lab's result lines, posted as the lab's client does. */
export const postLabResults = (
  t: TestApp,
  labToken: string,
  results: object[],
): Promise<LightMyRequestResponse> =>
  t.app.inject({
    method: 'POST',
    url: '/api/lab/results',
    headers: { authorization: `Bearer ${labToken}` },
    payload: { results },
  })

export interface SamplingPlace {
  grid: BuiltGrid
  /** A community lead (of the grid, or of its community with `scope: 'community'`). */
  lead: Client
  /** The grid's worker: the assignee of its rechecks. */
  worker: Client
  workerId: string
  /** A sampler of the same scope as the lead. */
  sampler: Client
  /** The people, one per household in turn, and their resident codes in the same order. */
  people: BuiltResident[]
  codes: string[]
}

/**
 * A grid with one building (`floors` × `roomsPerFloor` households), people in its households in
 * turn (named by `names`, or `count` of them with the factory's names), a code for each, and the
 * lead, sampler and grid worker who work there.
 */
export async function buildSamplingPlace(
  t: TestApp,
  opts: {
    gridName: string
    names?: readonly string[]
    count?: number
    floors?: [number, number]
    roomsPerFloor?: [number, number]
    /** Where the lead and the sampler work: the grid, or the whole community (default). */
    scope?: 'grid' | 'community'
    workerName?: string
  },
): Promise<SamplingPlace> {
  const grid = await buildGrid(t, { name: opts.gridName })
  const building = await buildBuilding(t, {
    gridId: grid.id,
    floors: opts.floors ?? [1, 2],
    roomsPerFloor: opts.roomsPerFloor ?? [1, 3],
  })
  const homes = building.households
  const count = opts.names?.length ?? opts.count ?? 0
  const people: BuiltResident[] = []
  for (let i = 0; i < count; i++) {
    const name = opts.names?.[i]
    people.push(
      await buildResident(t, {
        householdId: homes[i % homes.length]!.id,
        ...(name ? { name } : {}),
      }),
    )
  }
  const scope = opts.scope === 'grid' ? [grid] : [grid.community]
  const lead = await loginAs(t, (await buildUser(t, { role: 'community_lead', scope })).username)
  const codes: string[] = []
  for (const p of people)
    codes.push((await lead.send('POST', `/api/residents/${p.id}/code`)).json().token)
  const worker = await buildUser(t, {
    role: 'grid_worker',
    scope: [grid],
    ...(opts.workerName ? { displayName: opts.workerName } : {}),
  })
  return {
    grid,
    lead,
    worker: await loginAs(t, worker.username),
    workerId: worker.id,
    sampler: await loginAs(t, (await buildUser(t, { role: 'sampler', scope })).username),
    people,
    codes,
  }
}

/** An area round of the place's grid opened by its lead, due in 12 hours. */
export async function openAreaRound(
  p: Pick<SamplingPlace, 'lead' | 'grid'>,
  poolSize = 10,
): Promise<{ id: string; name: string }> {
  const name = uniqueCode('全员核酸')
  const res = await p.lead.send('POST', '/api/rounds', {
    name,
    kind: 'area',
    divisionIds: [p.grid.id],
    deadline: new Date(Date.now() + 12 * HOUR).toISOString(),
    poolSize,
  })
  expect(res.statusCode, res.body).toBe(201)
  return { id: res.json().id, name }
}

/**
 * Swabs these codes into one new tube (every scan accepted) and returns its code; a tube that
 * is not `full` (the round closes a full pool itself) is closed by hand.
 */
export async function swabTube(
  p: Pick<SamplingPlace, 'sampler'>,
  roundId: string,
  codes: string[],
  { full = false }: { full?: boolean } = {},
): Promise<string> {
  const tube = uniqueCode('T')
  const res = await p.sampler.send('POST', `/api/rounds/${roundId}/scans`, {
    scans: codes.map((c) => scanOf(c, tube)),
  })
  expect(res.json().results.every((r: { status: string }) => r.status === 'accepted')).toBe(true)
  if (!full) await p.sampler.send('POST', `/api/rounds/${roundId}/tubes/${tube}/close`)
  return tube
}
