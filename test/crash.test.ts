import { afterAll, describe, expect, it } from 'vitest'
import { printedAdminPassword, startServer, type RunningServer } from '../e2e/harness.js'
import { engine, withScratchPostgres } from './helpers.js'

/**
 * Crash safety: kill -9 the server in the middle of a stream of writes; after a restart every
 * write that was acknowledged (201) must be there. Runs on PGlite, and on PostgreSQL in the
 * TEST_ENGINE=postgres run.
 */

const servers: RunningServer[] = []
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL')
})

interface Session {
  cookie: string
  csrf: string
}

async function loginAndChange(url: string, password: string): Promise<Session> {
  const login = async (pw: string): Promise<Session> => {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: pw }) })
    if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`)
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken }
  }
  const s = await login(password)
  const res = await fetch(`${url}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
    body: JSON.stringify({ currentPassword: password, newPassword: 'Crash-Test-Pass-1' }),
  })
  if (!res.ok) throw new Error(`change password: ${res.status}`)
  return login('Crash-Test-Pass-1')
}

async function post(url: string, s: Session, body: unknown): Promise<Response> {
  return fetch(`${url}/api/divisions`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf }, body: JSON.stringify(body) })
}

async function crashDuringWrites(env: Record<string, string>): Promise<void> {
  const first = await startServer({ env: { WEIGUANG_SKIP_WEB_BUILD: '1', ...env } })
  servers.push(first)
  const session = await loginAndChange(first.url, printedAdminPassword(first.output()))
  const district = (await (await post(first.url, session, { code: '320102', name: '玄武区', level: 'district' })).json()) as { id: string }

  const acknowledged: string[] = []
  let next = 1
  let killed = false
  const worker = async (): Promise<void> => {
    while (!killed && next <= 999) {
      const code = `320102${String(next++).padStart(3, '0')}`
      try {
        const res = await post(first.url, session, { code, name: `街道${code}`, level: 'street', parentId: district.id })
        if (res.status === 201) acknowledged.push(code)
      } catch {
        // the connection died with the server: not acknowledged
      }
    }
  }
  const writers = [worker(), worker(), worker(), worker()]
  while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5))
  killed = true
  await first.stop('SIGKILL')
  await Promise.all(writers)

  const second = await startServer({ dataDir: first.dataDir, env: { WEIGUANG_SKIP_WEB_BUILD: '1', ...env } })
  servers.push(second)
  const s2 = await (async () => {
    const res = await fetch(`${second.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Crash-Test-Pass-1' }) })
    expect(res.status).toBe(200)
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  })()
  const present = new Set<string>()
  let after = ''
  for (;;) {
    const res = await fetch(`${second.url}/api/divisions?parentId=${district.id}&limit=500${after ? `&after=${after}` : ''}`, { headers: { cookie: s2 } })
    const page = (await res.json()) as { items: { code: string }[]; next: string | null }
    for (const d of page.items) present.add(d.code)
    if (!page.next) break
    after = page.next
  }
  const lost = acknowledged.filter((c) => !present.has(c))
  expect(acknowledged.length).toBeGreaterThanOrEqual(150)
  expect(lost).toEqual([])
  await second.stop()
}

describe('crash safety', () => {
  it.skipIf(engine !== 'pglite')('loses no acknowledged write on PGlite when killed with SIGKILL', async () => {
    await crashDuringWrites({})
  })

  it.skipIf(engine !== 'postgres')('loses no acknowledged write on PostgreSQL when the app is killed with SIGKILL', async () => {
    await withScratchPostgres('wg_crash', (url) => crashDuringWrites({ DATABASE_URL: url }))
  })
})
