/**
 * bench/http: an authenticated, scoped list request against a bare Fastify hello-world, in one
 * run, autocannon on loopback (200 connections). Each server runs in its own process.
 *   npx tsx bench/http/http.bench.ts            (PGlite)
 *   DATABASE_URL=postgres://… npx tsx bench/http/http.bench.ts
 */
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { freePort, printedAdminPassword, startServer } from '../../e2e/harness.js'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200)
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)

interface Result {
  rps: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Result> {
  // Warm-up, then the measured run.
  await autocannon({ url, connections: 50, duration: 2, headers })
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx }
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function main(): Promise<void> {
  // Hello-world baseline.
  const helloPort = await freePort()
  const hello = spawn(process.execPath, [path.join(import.meta.dirname, 'hello.mjs')], { env: { ...process.env, PORT: String(helloPort) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((r) => hello.stdout!.once('data', () => r()))
  const base = await load(`http://127.0.0.1:${helloPort}/`)
  hello.kill()

  // Weiguang with a small tree and a community lead.
  const server = await startServer({
    env: {
      WEIGUANG_SKIP_WEB_BUILD: '1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    // BENCH_PROFILE=dir writes a V8 CPU profile of the server there.
    nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
  })
  const url = server.url
  const login = async (username: string, password: string): Promise<{ cookie: string; csrf: string }> => {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    const body = await json<{ csrfToken: string }>(res)
    return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf: body.csrfToken }
  }
  const send = async <T>(s: { cookie: string; csrf: string }, method: string, p: string, body?: unknown): Promise<T> =>
    json<T>(await fetch(`${url}${p}`, { method, headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf }, body: body === undefined ? undefined : JSON.stringify(body) }))

  const firstPw = printedAdminPassword(server.output())
  let admin = await login('admin', firstPw)
  await send(admin, 'POST', '/api/auth/password', { currentPassword: firstPw, newPassword: 'Bench-Root-Pass-1' })
  admin = await login('admin', 'Bench-Root-Pass-1')
  const suffix = String(process.pid % 900 + 100)
  const d = await send<{ id: string }>(admin, 'POST', '/api/divisions', { code: `320${suffix}`, name: '区', level: 'district' })
  const s = await send<{ id: string }>(admin, 'POST', '/api/divisions', { code: `320${suffix}001`, name: '街道', level: 'street', parentId: d.id })
  const c = await send<{ id: string }>(admin, 'POST', '/api/divisions', { code: `320${suffix}001001`, name: '社区', level: 'community', parentId: s.id })
  for (let g = 1; g <= 12; g++) await send(admin, 'POST', '/api/divisions', { code: `320${suffix}001001-G${g}`, name: `第${g}网格`, level: 'grid', parentId: c.id })
  const lead = await send<{ temporaryPassword: string }>(admin, 'POST', '/api/users', { username: `lead${suffix}`, displayName: '书记', role: 'community_lead', scopeDivisionIds: [c.id], password: 'Bench-Lead-Pass-1' })
  void lead
  let ls = await login(`lead${suffix}`, 'Bench-Lead-Pass-1')
  await send(ls, 'POST', '/api/auth/password', { currentPassword: 'Bench-Lead-Pass-1', newPassword: 'Bench-Lead-Pass-2' })
  ls = await login(`lead${suffix}`, 'Bench-Lead-Pass-2')
  const listUrl = `${url}/api/divisions?parentId=${c.id}&limit=50`
  const check = await json<{ items: unknown[] }>(await fetch(listUrl, { headers: { cookie: ls.cookie } }))
  if (check.items.length !== 12) throw new Error(`expected 12 grids, got ${check.items.length}`)
  const wg = await load(listUrl, { cookie: ls.cookie })
  await server.stop()

  // The same query with nothing around it, on the same data.
  const ceilingPort = await freePort()
  const ceiling = spawn(process.execPath, [path.join(import.meta.dirname, 'ceiling.mjs')], {
    env: { ...process.env, PORT: String(ceilingPort), WEIGUANG_DATA_DIR: server.dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((r) => ceiling.stdout!.once('data', () => r()))
  const prefix = encodeURIComponent(`/320${suffix}/320${suffix}001/320${suffix}001001/%`)
  const bare = await load(`http://127.0.0.1:${ceilingPort}/?parent=${c.id}&prefix=${prefix}`)
  ceiling.kill()

  const engine = process.env.DATABASE_URL ? 'PostgreSQL 15' : 'PGlite'
  const ratio = wg.rps / base.rps
  console.log(`\nbench/http  ${new Date().toISOString()}  ${os.cpus().length}× ${os.cpus()[0]?.model}  node ${process.version}  engine ${engine}`)
  console.log(`connections ${CONNECTIONS}, ${DURATION} s each`)
  console.log(`| run | req/s | p50 ms | p99 ms | errors | non-2xx |`)
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`)
  console.log(`| Fastify hello-world | ${base.rps.toFixed(0)} | ${base.p50} | ${base.p99} | ${base.errors} | ${base.non2xx} |`)
  console.log(`| bare Fastify + driver, same query, no auth/ORM/validation | ${bare.rps.toFixed(0)} | ${bare.p50} | ${bare.p99} | ${bare.errors} | ${bare.non2xx} |`)
  console.log(`| Weiguang GET /api/divisions (community lead, scoped, 12 rows) | ${wg.rps.toFixed(0)} | ${wg.p50} | ${wg.p99} | ${wg.errors} | ${wg.non2xx} |`)
  console.log(`ratio: ${(ratio * 100).toFixed(1)}% of hello-world (target ≥ 40%), ${((wg.rps / bare.rps) * 100).toFixed(1)}% of the bare query server; p99 ${wg.p99} ms (target < 20 ms)`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
