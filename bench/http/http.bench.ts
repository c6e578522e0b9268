/**
 * bench/http: an authenticated, scoped list request against a bare Fastify hello-world and a bare
 * Fastify + driver answering the same query, in one run, autocannon on loopback (200
 * connections). Each server runs in its own process.
 *   npx tsx bench/http/http.bench.ts            (PGlite)
 *   DATABASE_URL=postgres://… npx tsx bench/http/http.bench.ts
 * BENCH_ROUNDS (default 3) rounds of BENCH_SECONDS (default 5) each: the bare query server and
 * Weiguang are both running and measured in alternation, round by round, so that a shared
 * machine's load falls on both alike; the ratio per round and its median are the figures to
 * read. (PGlite is one process per data directory: the bare server reads a copy of it.)
 * Each round also reads each server's CPU time from /proc: CPU per request is the figure that a
 * busy machine moves least (the servers share two cores with PostgreSQL and autocannon).
 * BENCH_ALLOC=dir writes an allocation profile of the Weiguang server and of the bare one there
 * (bench/http/alloc-profile.mjs; bytes per request and the frames: bench/http/alloc-summary.mjs).
 * BENCH_PROFILE=dir writes a V8 CPU profile of the Weiguang server and of the bare one there; the bench prints how
 * many of its last seconds are the load, for bench/http/profile-summary.mjs --last.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import pgDriver from 'pg'
import { START_FLAGS, freePort, printedAdminPassword, startServer } from '../../e2e/harness.js'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200)
const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

interface Result {
  rps: number
  /** The server process's CPU time (user + system) per answered request, µs. */
  cpuPerRequest: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** A process's CPU time so far (user + system), in µs, from /proc (Linux). */
function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

/** A process's peak resident memory so far (VmHWM), in MB, from /proc (Linux). */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

async function load(
  url: string,
  pid: number,
  headers: Record<string, string> = {},
): Promise<Result> {
  const cpuBefore = cpuMicros(pid)
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  return {
    rps: r.requests.average,
    cpuPerRequest: (cpuMicros(pid) - cpuBefore) / Math.max(1, r.requests.total),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  }
}

async function warm(url: string, headers: Record<string, string> = {}): Promise<void> {
  await autocannon({ url, connections: 50, duration: 2, headers })
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function spawnReady(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  // The node flags of `npm start` for the baselines too: the ratio compares code, not GC settings.
  const child = spawn(
    process.execPath,
    [...START_FLAGS, ...nodeArgs, path.join(import.meta.dirname, script)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((r) => child.stdout!.once('data', () => r()))
  return child
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

async function main(): Promise<void> {
  // PostgreSQL: a fresh database for the run (the first admin is printed only on an empty one).
  let pg = process.env.DATABASE_URL
  let dropDatabase = async (): Promise<void> => {}
  if (pg) {
    const name = `wg_bench_http_${process.pid}`
    const adminClient = new pgDriver.Client({ connectionString: pg })
    await adminClient.connect()
    await adminClient.query(`create database ${name}`)
    await adminClient.end()
    const u = new URL(pg)
    u.pathname = `/${name}`
    pg = u.toString()
    dropDatabase = async () => {
      const c = new pgDriver.Client({ connectionString: process.env.DATABASE_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    }
  }
  const serverEnv = {
    WEIGUANG_SKIP_WEB_BUILD: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(pg ? { DATABASE_URL: pg } : {}),
  }
  const nodeArgs = [
    ...(process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : []),
    ...(process.env.BENCH_ALLOC
      ? ['--import', path.join(import.meta.dirname, 'alloc-profile.mjs')]
      : []),
  ]

  // Hello-world baseline.
  const helloPort = await freePort()
  const hello = await spawnReady('hello.mjs', { PORT: String(helloPort) })
  await warm(`http://127.0.0.1:${helloPort}/`)
  const base = await load(`http://127.0.0.1:${helloPort}/`, hello.pid!)
  hello.kill()

  // Weiguang with a small tree and a community lead (set up without the profiler).
  let server = await startServer({ env: serverEnv, nodeArgs: pg ? nodeArgs : [] })
  const url = (): string => server.url
  const login = async (
    username: string,
    password: string,
  ): Promise<{ cookie: string; csrf: string }> => {
    const res = await fetch(`${url()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    const body = await json<{ csrfToken: string }>(res)
    return {
      cookie: res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      csrf: body.csrfToken,
    }
  }
  const send = async <T>(
    s: { cookie: string; csrf: string },
    method: string,
    p: string,
    body?: unknown,
  ): Promise<T> =>
    json<T>(
      await fetch(`${url()}${p}`, {
        method,
        headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )

  const firstPw = printedAdminPassword(server.output())
  let admin = await login('admin', firstPw)
  await send(admin, 'POST', '/api/auth/password', {
    currentPassword: firstPw,
    newPassword: 'Bench-Root-Pass-1',
  })
  admin = await login('admin', 'Bench-Root-Pass-1')
  const suffix = String((process.pid % 900) + 100)
  const d = await send<{ id: string }>(admin, 'POST', '/api/divisions', {
    code: `320${suffix}`,
    name: '区',
    level: 'district',
  })
  const s = await send<{ id: string }>(admin, 'POST', '/api/divisions', {
    code: `320${suffix}001`,
    name: '街道',
    level: 'street',
    parentId: d.id,
  })
  const c = await send<{ id: string }>(admin, 'POST', '/api/divisions', {
    code: `320${suffix}001001`,
    name: '社区',
    level: 'community',
    parentId: s.id,
  })
  for (let g = 1; g <= 12; g++)
    await send(admin, 'POST', '/api/divisions', {
      code: `320${suffix}001001-G${g}`,
      name: `第${g}网格`,
      level: 'grid',
      parentId: c.id,
    })
  await send(admin, 'POST', '/api/users', {
    username: `lead${suffix}`,
    displayName: '书记',
    role: 'community_lead',
    scopeDivisionIds: [c.id],
    password: 'Bench-Lead-Pass-1',
  })
  let ls = await login(`lead${suffix}`, 'Bench-Lead-Pass-1')
  await send(ls, 'POST', '/api/auth/password', {
    currentPassword: 'Bench-Lead-Pass-1',
    newPassword: 'Bench-Lead-Pass-2',
  })
  ls = await login(`lead${suffix}`, 'Bench-Lead-Pass-2')

  // The same query with nothing around it, on the same data, running beside Weiguang.
  const ceilingEnv: Record<string, string> = {
    PORT: String(await freePort()),
    WEIGUANG_DATA_DIR: server.dataDir,
    ...(pg ? { DATABASE_URL: pg } : {}),
  }
  if (!pg) {
    // One PGlite process per data directory: the bare server gets a copy of the stopped one.
    await server.stop()
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-http-'))
    fs.cpSync(path.join(server.dataDir, 'pgdata'), path.join(copy, 'pgdata'), { recursive: true })
    ceilingEnv.WEIGUANG_DATA_DIR = copy
    server = await startServer({ env: serverEnv, dataDir: server.dataDir, nodeArgs })
  }
  const ceiling = await spawnReady('ceiling.mjs', ceilingEnv, nodeArgs)
  const prefix = encodeURIComponent(`/320${suffix}/320${suffix}001/320${suffix}001001/%`)
  const bareUrl = `http://127.0.0.1:${ceilingEnv.PORT}/?parent=${c.id}&prefix=${prefix}`
  const listUrl = `${url()}/api/divisions?parentId=${c.id}&limit=50`
  const auth = { cookie: ls.cookie }
  const check = await json<{ items: unknown[] }>(await fetch(listUrl, { headers: auth }))
  if (check.items.length !== 12) throw new Error(`expected 12 grids, got ${check.items.length}`)
  const bareCheck = await json<{ items: unknown[] }>(await fetch(bareUrl))
  if (bareCheck.items.length !== 12)
    throw new Error(`bare server: expected 12 grids, got ${bareCheck.items.length}`)

  const loadStart = Date.now()
  await warm(bareUrl)
  await warm(listUrl, auth)
  const rounds: { bare: Result; wg: Result }[] = []
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so neither always runs after the other.
    if (i % 2 === 0) {
      const bare = await load(bareUrl, ceiling.pid!)
      rounds.push({ bare, wg: await load(listUrl, server.process.pid!, auth) })
    } else {
      const wg = await load(listUrl, server.process.pid!, auth)
      rounds.push({ bare: await load(bareUrl, ceiling.pid!), wg })
    }
  }
  const loadSeconds = (Date.now() - loadStart) / 1000
  const peaks = { bare: peakRssMB(ceiling.pid!), wg: peakRssMB(server.process.pid!) }
  ceiling.kill('SIGINT')
  await server.stop()
  await dropDatabase()

  const engine = pg ? 'PostgreSQL 15' : 'PGlite'
  console.log(
    `\nbench/http  ${new Date().toISOString()}  ${os.cpus().length}× ${os.cpus()[0]?.model}  node ${process.version}  engine ${engine}  load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  console.log(
    `connections ${CONNECTIONS}, ${ROUNDS} rounds of ${DURATION} s, bare and Weiguang alternating, node flags of npm start on all: ${START_FLAGS.join(' ') || '(none)'}`,
  )
  console.log(`Fastify hello-world: ${base.rps.toFixed(0)} req/s (p99 ${base.p99} ms)`)
  console.log(
    `| round | bare Fastify + driver req/s (p99; CPU µs/req) | Weiguang GET /api/divisions req/s (p50 / p99; CPU µs/req) | errors / non-2xx | vs bare: req/s (CPU per request) |`,
  )
  console.log(`| ---: | ---: | ---: | ---: | ---: |`)
  rounds.forEach((r, i) =>
    console.log(
      `| ${i + 1} | ${r.bare.rps.toFixed(0)} (${r.bare.p99} ms; ${r.bare.cpuPerRequest.toFixed(0)}) | ${r.wg.rps.toFixed(0)} (${r.wg.p50} / ${r.wg.p99} ms; ${r.wg.cpuPerRequest.toFixed(0)}) | ${r.bare.errors + r.wg.errors} / ${r.bare.non2xx + r.wg.non2xx} | ${((r.wg.rps / r.bare.rps) * 100).toFixed(1)} % (${((r.bare.cpuPerRequest / r.wg.cpuPerRequest) * 100).toFixed(1)} %) |`,
    ),
  )
  console.log(
    `median: ${(median(rounds.map((r) => r.wg.rps / r.bare.rps)) * 100).toFixed(1)} % of the bare query server's req/s, ${(median(rounds.map((r) => r.bare.cpuPerRequest / r.wg.cpuPerRequest)) * 100).toFixed(1)} % of its CPU efficiency (bare CPU per request / Weiguang's); Weiguang median ${median(rounds.map((r) => r.wg.rps)).toFixed(0)} req/s`,
  )
  console.log(
    `peak resident memory: bare ${peaks.bare.toFixed(0)} MB, Weiguang ${peaks.wg.toFixed(0)} MB`,
  )
  if (nodeArgs.length)
    console.log(
      `profile: the load is the last ${loadSeconds.toFixed(0)} s of the server's profile (profile-summary.mjs --last ${loadSeconds.toFixed(0)})`,
    )
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
