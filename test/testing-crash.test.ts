import crypto from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { startServer, type RunningServer } from '../e2e/harness.js'
import { buildApp } from '../src/app.js'
import { openPlatform } from '../src/boot.js'
import { loadConfig } from '../src/core/config.js'
import { rows } from '../src/core/db/db.js'
import { systemActor } from '../src/core/auth/actor.js'
import { generateDemoCity } from '../src/demo/demo.service.js'
import { createRound } from '../src/testing/testing.service.js'
import { createLabAccount } from '../src/testing/results.service.js'
import { inTransaction } from '../src/core/db/db.js'
import { engine, seedDataDir, withScratchPostgres } from './helpers.js'

/**
 * Crash safety of the testing write paths: the server is killed with SIGKILL at a random point
 * while samplers send scan batches and a lab sends the results of acknowledged tubes. After a
 * restart, every scan and result the server acknowledged is there (a resend says "duplicate"),
 * and sending everything again creates no second specimen and no second result.
 *
 * One server process (it used to be four: three kills and a restart). The kill waits until
 * both scans and results have been acknowledged, so one kill covers what three random ones
 * covered only by chance; the restart that checks is the same app built in this process on the
 * data the killed server left (app.inject), which replays the WAL as a server start would; the
 * data directory starts from the migrated template and the demo street is 1,000 people.
 */

const DEMO_PASSWORD = 'Weiguang-Demo-2026'
const PERSONS = 150
const POOL = 10
const servers: RunningServer[] = []
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-testing-crash-'))
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL')
  fs.rmSync(tmp, { recursive: true, force: true })
})

interface Seed {
  roundId: string
  labToken: string
  tokens: string[]
}

async function seed(env: Record<string, string>): Promise<Seed> {
  if (!env.DATABASE_URL) seedDataDir(tmp)
  const platform = await openPlatform(
    loadConfig({ ...process.env, WEIGUANG_DATA_DIR: tmp, DATABASE_URL: env.DATABASE_URL ?? '' }),
  )
  try {
    const { database, ring } = platform
    await generateDemoCity(database, ring, { residents: 1000, seed: 7 })
    const [community] = await rows<{ id: string; path: string }>(
      database.db,
      sql`select id, path from division where name = '香铺营社区'`,
    )
    const round = await inTransaction(database.db, (tx) =>
      createRound(tx, systemActor('crash-test'), {
        name: '崩溃测试轮次',
        kind: 'area',
        divisionIds: [community!.id],
        deadline: new Date(Date.now() + 20 * 3_600_000).toISOString(),
        poolSize: POOL,
      }),
    )
    const lab = await inTransaction(database.db, (tx) =>
      createLabAccount(tx, systemActor('crash-test'), '崩溃测试检测机构'),
    )
    const codes = await rows<{ token: string }>(
      database.db,
      sql`select c.token from resident_code c join resident r on r.id = c.resident_id
          where c.revoked_at is null and r.status = 'active' and r.grid_path like ${community!.path + '%'}
          order by r.grid_path, r.sort_key limit ${PERSONS}`,
    )
    expect(codes.length).toBe(PERSONS)
    return { roundId: round.id, labToken: lab.token, tokens: codes.map((c) => c.token) }
  } finally {
    await platform.database.close()
  }
}

/** HTTP to a server process (fetch) or to the app built in this process (inject): the same requests. */
interface Http {
  request(
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; json(): unknown; cookies: string }>
}

function overFetch(base: string): Http {
  return {
    request: async (method, url, headers, body) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return {
        status: res.status,
        json: () => JSON.parse(text),
        cookies: res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      }
    },
  }
}

function overInject(app: FastifyInstance): Http {
  return {
    request: async (method, url, headers, body) => {
      const res = await app.inject({
        method,
        url,
        headers,
        ...(body === undefined ? {} : { payload: body as object }),
      })
      return {
        status: res.statusCode,
        json: () => res.json(),
        cookies: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      }
    },
  }
}

async function login(http: Http, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await http.request(
    'POST',
    '/api/auth/login',
    {},
    { username, password: DEMO_PASSWORD },
  )
  if (res.status !== 200)
    throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.json())}`)
  return { cookie: res.cookies, csrf: (res.json() as { csrfToken: string }).csrfToken }
}

interface Scan {
  clientId: string
  person: string
  tube: string
  scannedAt: string
}

/** One batch per tube: ten people, one closed tube. */
function scanBatches(s: Seed, runId: string): Scan[][] {
  const batches: Scan[][] = []
  for (let t = 0; t * POOL < s.tokens.length; t++) {
    const tube = `CR${runId}-${String(t).padStart(4, '0')}`
    batches.push(
      s.tokens.slice(t * POOL, (t + 1) * POOL).map((person, i) => ({
        clientId: `crash-${runId}-${t}-${i}`,
        person,
        tube,
        scannedAt: new Date().toISOString(),
      })),
    )
  }
  return batches
}

type ScanStatus = 'accepted' | 'duplicate' | 'rejected'

async function sendScans(
  http: Http,
  session: { cookie: string; csrf: string },
  roundId: string,
  batch: Scan[],
): Promise<ScanStatus[] | null> {
  try {
    const res = await http.request(
      'POST',
      `/api/rounds/${roundId}/scans`,
      { cookie: session.cookie, 'x-csrf-token': session.csrf },
      { scans: batch },
    )
    if (res.status !== 200) return null
    return (res.json() as { results: { status: ScanStatus }[] }).results.map((r) => r.status)
  } catch {
    return null // the connection died with the server: not acknowledged
  }
}

interface LabRow {
  tubeCode: string
  result: string
}

async function sendResults(
  http: Http,
  token: string,
  batch: LabRow[],
): Promise<{ applied: number; duplicates: number } | null> {
  try {
    const res = await http.request(
      'POST',
      '/api/lab/results',
      { authorization: `Bearer ${token}` },
      { results: batch },
    )
    if (res.status !== 200) return null
    return res.json() as { applied: number; duplicates: number }
  } catch {
    return null
  }
}

async function serve(env: Record<string, string>): Promise<RunningServer> {
  const s = await startServer({ dataDir: tmp, env: { WEIGUANG_SKIP_WEB_BUILD: '1', ...env } })
  servers.push(s)
  return s
}

async function scenario(env: Record<string, string>): Promise<void> {
  const s = await seed(env)
  const runId = crypto.randomBytes(3).toString('hex')
  const batches = scanBatches(s, runId)
  // One result row per tube, the fourth tube positive.
  const resultOf = (i: number): LabRow => ({
    tubeCode: batches[i]![0]!.tube,
    result: i === 3 ? 'positive' : 'negative',
  })

  // A kill at a random point while samplers send scan batches and the lab sends the results
  // of tubes already acknowledged: every batch acknowledged before it must survive it.
  const acknowledgedScans = new Set<number>()
  const acknowledgedResults: LabRow[][] = []
  {
    const server = await serve(env)
    const http = overFetch(server.url)
    const sampler = await login(http, 'demo-sampler')
    const target = 3 + crypto.randomInt(Math.max(1, Math.floor(batches.length / 3)))
    let next = 0
    let acked = 0
    let stop = false
    const scanner = async (): Promise<void> => {
      while (!stop && next < batches.length) {
        const i = next++
        if (acknowledgedScans.has(i)) continue
        if ((await sendScans(http, sampler, s.roundId, batches[i]!)) !== null) {
          acknowledgedScans.add(i)
          acked++
        }
      }
    }
    const labWriter = async (): Promise<void> => {
      const sent = new Set(acknowledgedResults.flat().map((r) => r.tubeCode))
      while (!stop) {
        const due = [...acknowledgedScans]
          .map(resultOf)
          .filter((r) => !sent.has(r.tubeCode))
          .slice(0, 3)
        if (due.length === 0) {
          await new Promise((r) => setTimeout(r, 5))
          continue
        }
        for (const r of due) sent.add(r.tubeCode)
        if ((await sendResults(http, s.labToken, due)) !== null) acknowledgedResults.push(due)
      }
    }
    const writers = [scanner(), scanner(), scanner(), labWriter()]
    // The kill lands once the target is reached and the lab has had an answer (so results are
    // acknowledged before a kill too), or when every batch has been sent.
    while ((acked < target || acknowledgedResults.length === 0) && next < batches.length)
      await new Promise((r) => setTimeout(r, 2))
    stop = true
    await server.stop('SIGKILL')
    await Promise.all(writers)
  }
  expect(acknowledgedScans.size).toBeGreaterThan(0)
  expect(acknowledgedResults.length).toBeGreaterThan(0)

  // The restart: the same app, built in this process on the data the killed server left.
  const platform = await openPlatform(
    loadConfig({ ...process.env, WEIGUANG_DATA_DIR: tmp, DATABASE_URL: env.DATABASE_URL ?? '' }),
  )
  const app = await buildApp({
    config: platform.config,
    database: platform.database,
    ring: platform.ring,
    logger: false,
  })
  try {
    const http = overInject(app)
    const sampler = await login(http, 'demo-sampler')
    for (let i = 0; i < batches.length; i++) {
      const statuses = await sendScans(http, sampler, s.roundId, batches[i]!)
      expect(statuses, `batch ${i} after restart`).not.toBeNull()
      // A batch the server acknowledged before a kill is all there: every scan is a duplicate now.
      if (acknowledgedScans.has(i))
        expect(statuses, `acknowledged batch ${i} lost`).toEqual(batches[i]!.map(() => 'duplicate'))
      else
        expect(
          statuses!.every((st) => st === 'accepted' || st === 'duplicate'),
          `batch ${i}: ${statuses!.join(',')}`,
        ).toBe(true)
    }
    // Everything once more: nothing new is created.
    for (const b of batches)
      expect(await sendScans(http, sampler, s.roundId, b)).toEqual(b.map(() => 'duplicate'))

    // Results acknowledged before a kill are there: the same rows again are duplicates.
    for (const b of acknowledgedResults)
      expect(await sendResults(http, s.labToken, b), 'acknowledged results lost').toMatchObject({
        applied: 0,
        duplicates: b.length,
      })
    const all = batches.map((_, i) => resultOf(i))
    for (let i = 0; i < all.length; i += 10)
      expect(await sendResults(http, s.labToken, all.slice(i, i + 10))).not.toBeNull()
    for (let i = 0; i < all.length; i += 10) {
      const b = all.slice(i, i + 10)
      expect(await sendResults(http, s.labToken, b)).toMatchObject({
        applied: 0,
        duplicates: b.length,
      })
    }

    // The round's own counters: one specimen per person, one result per tube, no more.
    const lead = await login(http, 'demo-lead')
    const progress = (
      await http.request('GET', `/api/rounds/${s.roundId}/progress`, { cookie: lead.cookie })
    ).json() as {
      counters: { specimens: number; tubesResulted: number; poolPositiveTubes: number }
      totals: { sampled: number }
    }
    expect(progress.counters.specimens).toBe(PERSONS)
    expect(progress.totals.sampled).toBe(PERSONS)
    expect(progress.counters.tubesResulted).toBe(batches.length)
    expect(progress.counters.poolPositiveTubes).toBe(1)
  } finally {
    await app.close()
    await platform.database.close()
  }
}

describe('crash safety of sampling scans and lab results', () => {
  it.skipIf(engine !== 'pglite')(
    'loses and duplicates nothing on PGlite across kill -9 at random points',
    async () => {
      await scenario({})
    },
    180_000,
  )

  it.skipIf(engine !== 'postgres')(
    'loses and duplicates nothing on PostgreSQL across kill -9 at random points',
    async () => {
      await withScratchPostgres('wg_tcrash', (url) => scenario({ DATABASE_URL: url }))
    },
    180_000,
  )
})
