import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DrizzleQueryError } from 'drizzle-orm'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../../test/helpers.js'
import { listAudit } from '../audit/audit.service.js'
import { toAppError } from './error-handler.js'
import { listenMetrics } from './metrics.js'

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789'
let t: TestApp
let chain: Chain
let lead: Client
let admin: Client

beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 2048, metricsToken: METRICS_TOKEN })
  chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
})
afterAll(async () => t?.close())

describe('health, docs and metrics', () => {
  it('answers /healthz and /readyz with the engine and migrations', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await t.app.inject('/readyz')
    expect(ready.statusCode).toBe(200)
    expect(ready.json().migrations.applied).toBe(ready.json().migrations.expected)
  })

  it('serves the OpenAPI document with the routes and their schemas', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json()
    expect(doc.paths['/api/users'].post.requestBody).toBeDefined()
    expect(Object.keys(doc.paths)).toContain('/api/divisions/{id}')
    expect((await t.app.inject('/api/docs')).statusCode).toBeLessThan(400)
  })

  it('counts requests in Prometheus format', async () => {
    await t.app.inject('/healthz')
    const text = (
      await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).body
    expect(text).toMatch(
      /weiguang_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    )
    expect(text).toContain('weiguang_http_request_duration_seconds_bucket')
  })
})

describe('bad input', () => {
  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('MALFORMED_JSON')
  })

  it('answers a form upload to a route that takes no file with 415, and still reads one where a file belongs', async () => {
    const form = (name: string) =>
      Buffer.from(`--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n1\r\n--b--\r\n`)
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/divisions',
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrf,
        'content-type': 'multipart/form-data; boundary=b',
      },
      payload: form('code'),
    })
    expect(json.statusCode).toBe(415)
    expect(json.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body' })
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrf,
        'content-type': 'multipart/form-data; boundary=b',
      },
      payload: form('divisionId'),
    })
    // Parsed as a form: the answer is about the missing file, not the media type.
    expect(upload.statusCode).toBe(400)
    expect(upload.json().error.field).toBe('file')
  })

  it('answers an oversize body with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x', password: 'y'.repeat(5000) },
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('BODY_TOO_LARGE')
  })

  it('names the field of a wrong type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 42, password: 'x' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'username',
      params: { rule: 'WRONG_TYPE' },
      message: 'username: User name has the wrong type',
    })
  })

  it('gives every error a request id and never a stack trace or SQL', async () => {
    const res = await lead.get('/api/divisions/not-a-uuid')
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error.requestId).toBe(res.headers['x-request-id'])
    expect(res.body).not.toMatch(/at .*\.ts:\d+|select |SELECT /)
  })

  it('answers an unknown API route with NOT_FOUND in the error shape', async () => {
    const res = await lead.get('/api/nothing-here')
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('NOT_FOUND')
  })

  it('sets helmet headers', async () => {
    const res = await t.app.inject('/healthz')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
  })
})

/** Every operation of the OpenAPI document, with its path parameters filled in. */
async function operations(): Promise<{ method: string; path: string }[]> {
  const doc = (await t.app.inject('/api/openapi.json')).json() as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
    })),
  )
}
const PUBLIC = new Set([
  'POST /api/auth/login',
  'POST /api/lab/results',
  'POST /api/lab/results/file',
  // A door sensor signs its posts (HMAC, docs/SECURITY.md › Door sensors); it has no session.
  'POST /api/measures/doors/events',
  // The checkpoint poster's self-report form (报备): no login, the poster's token, rate-limited per address.
  'GET /api/public/report/00000000-0000-4000-8000-000000000000',
  'POST /api/public/report/00000000-0000-4000-8000-000000000000',
  'GET /healthz',
  'GET /readyz',
])

describe('login on the routed URL (finding 12)', () => {
  it('asks for a session on every non-public /api route however its path is percent-encoded', async () => {
    const ops = (await operations()).filter((o) => o.path.startsWith('/api/'))
    expect(ops.length).toBeGreaterThan(40)
    for (const { method, path } of ops) {
      // /%61pi/… and /api/%xx… (the first letter of the next segment encoded)
      const second = path.slice(5)
      const spellings = [
        '/%61pi/' + second,
        '/api/%' + second.charCodeAt(0).toString(16) + second.slice(1),
      ]
      for (const url of spellings) {
        const res = await t.app.inject({ method: method as 'GET', url })
        const label = `${method} ${url}`
        expect(res.statusCode, label).toBeLessThan(500)
        if (!PUBLIC.has(`${method} ${path}`)) {
          expect(res.statusCode, label).toBe(401)
          expect(res.json().error.code, label).toBe('UNAUTHENTICATED')
        }
      }
    }
  })

  it('answers an encoded /api/auth/me with the session it carries, and 401 without', async () => {
    const anon = await t.app.inject('/%61pi/auth/me')
    expect(anon.statusCode).toBe(401)
    expect((await lead.get('/%61pi/auth/me')).json().username).toMatch(/^communitylead-/)
  })
})

describe('malformed input is a 400 naming the field (finding 11)', () => {
  it('refuses a break-glass reason with malformed percent-encoding', async () => {
    const res = await admin.get('/api/auth/me', { 'x-break-glass-reason': '%' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'BREAK_GLASS_MALFORMED',
      field: 'x-break-glass-reason',
    })
  })

  it('audits a break-glass search without copying the ID number searched for', async () => {
    const res = await admin.get('/api/residents?q=320102198506150011', {
      'x-break-glass-reason': encodeURIComponent('协查：区疾控来电核实'),
    })
    expect(res.statusCode).toBe(200)
    const [entry] = await listAudit(t.database.db, { action: 'scope.break_glass', limit: 1 })
    expect(entry!.targetId).toBe('GET /api/residents?q=[redacted]')
    expect(entry!.reason).toBe('协查：区疾控来电核实')
  })

  it('refuses NUL characters in query parameters, JSON strings and keys, on any route', async () => {
    const q = await lead.get('/api/residents?q=%00abc')
    expect(q.statusCode).toBe(400)
    expect(q.json().error).toMatchObject({ code: 'VALIDATION', field: 'q' })
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a\u0000b', password: 'x' },
    })
    expect(login.statusCode).toBe(400)
    expect(login.json().error).toMatchObject({ code: 'VALIDATION', field: 'username' })
    const nested = await lead.send('POST', '/api/users', {
      username: 'nul-test',
      displayName: 'x',
      role: 'grid_worker',
      scopeDivisionIds: [chain.grid.id],
      phone: '138\u00001234',
    })
    expect(nested.statusCode).toBe(400)
    expect(nested.json().error.field).toBe('phone')
    const inArray = await lead.send('PUT', '/api/auth/scope', {
      divisionId: null,
      extra: ['ok', 'bad\u0000'],
    })
    expect(inArray.json().error.field).toBe('extra.1')
  })

  it('refuses impossible and extreme dates in the audit filter instead of answering 500', async () => {
    for (const d of [
      '275760-09-13',
      '-271821-04-20',
      '0000-01-01',
      '0000-00-00',
      '2026-02-31',
      '2026-13-01',
      '2026-02-29T10:00:00Z',
    ]) {
      const res = await admin.get(`/api/audit?from=${encodeURIComponent(d)}`)
      expect(res.statusCode, d).toBe(400)
      expect(res.json().error, d).toMatchObject({ code: 'VALIDATION', field: 'from' })
    }
    expect(
      (await admin.get('/api/audit?from=2026-02-28&to=2028-02-29T23:59:59%2B08:00')).statusCode,
    ).toBe(200)
  })

  it('refuses a round deadline in year 0 and a birth date that does not exist', async () => {
    const round = await lead.send('POST', '/api/rounds', {
      name: 'x',
      kind: 'area',
      divisionIds: [chain.grid.id],
      deadline: '0000-01-01T00:00:00Z',
    })
    expect(round.statusCode).toBe(400)
    expect(round.json().error.field).toBe('deadline')
    const resident = await lead.send('POST', '/api/residents', {
      householdId: '00000000-0000-4000-8000-000000000000',
      name: '张三',
      idNumber: '320102198506150011',
      birthDate: '2026-02-31',
      residenceType: 'registered',
    })
    expect(resident.statusCode).toBe(400)
    expect(resident.json().error.field).toBe('birthDate')
  })

  it('turns a database error that reaches the handler into a clean status without SQL or values', () => {
    const pgError = (code: string, message: string): Error =>
      Object.assign(new Error(message), { code, severity: 'ERROR', column: 'birth_date' })
    const wrapped = (code: string, message: string): Error =>
      new DrizzleQueryError(
        'insert into "resident" ("id_number", "birth_date") values ($1, $2)',
        ['320102198506150011', '0000-01-01'],
        pgError(code, message),
      )
    const cases: [string, number][] = [
      ['22008', 400],
      ['22P02', 400],
      ['22021', 400],
      ['23505', 409],
      ['23503', 409],
      ['40001', 409],
      ['42P01', 500],
    ]
    for (const [code, status] of cases) {
      const e = toAppError(
        wrapped(code, 'date/time field value out of range: "320102198506150011"'),
      )
      expect(e.status, code).toBe(status)
      expect(e.message, code).not.toMatch(/insert|resident|\$1|320102198506150011|params/)
    }
    expect(toAppError(wrapped('22008', 'x')).field).toBe('birth_date')
  })
})

describe('refused scope switch (finding 10)', () => {
  it('answers 403 and files an audit entry', async () => {
    const other = await buildChain(t)
    const res = await lead.send('PUT', '/api/auth/scope', { divisionId: other.community.id })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
    const entries = await listAudit(t.database.db, {
      action: 'auth.scope_switch_refused',
      targetId: other.community.id,
      limit: 5,
    })
    expect(entries).toHaveLength(1)
    expect(entries[0]!.actorName).toMatch(/^communitylead-/)
  })
})

describe('no-store, metrics and public rate limits (finding 14)', () => {
  it('marks every API answer, error and download Cache-Control: no-store', async () => {
    const answers = [
      await lead.get('/api/auth/me'),
      await t.app.inject('/api/auth/me'),
      await lead.get('/api/nothing-here'),
      await lead.get(`/api/residents/export.xlsx?divisionId=${chain.community.id}`),
      await t.app.inject('/api/openapi.json'),
      await t.app.inject('/healthz'),
      await t.app.inject('/readyz'),
      await t.app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      }),
    ]
    for (const res of answers)
      expect(res.headers['cache-control'], `${res.statusCode} ${res.headers['content-type']}`).toBe(
        'no-store',
      )
    expect(answers[3]!.statusCode).toBe(200)
    expect(answers[3]!.headers['content-type']).toMatch(/spreadsheetml/)
  })

  it('serves /metrics on the main port only with the configured bearer token', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${METRICS_TOKEN}x`,
      METRICS_TOKEN,
    ]) {
      const res = await t.app.inject({
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      })
      expect(res.statusCode, String(authorization)).toBe(401)
      expect(res.body).not.toContain('weiguang_http_requests_total')
    }
    const bare = await createTestApp()
    try {
      const res = await bare.app.inject('/metrics')
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain('weiguang_http_requests_total')
      // …and alone on a separate address when WEIGUANG_METRICS_LISTEN is set.
      const server = await listenMetrics(bare.app.metrics, '127.0.0.1', 0)
      try {
        const port = (server.address() as { port: number }).port
        const scraped = await fetch(`http://127.0.0.1:${port}/metrics`)
        expect(scraped.status).toBe(200)
        expect(await scraped.text()).toContain('weiguang_http_requests_total')
        expect((await fetch(`http://127.0.0.1:${port}/api/auth/me`)).status).toBe(404)
      } finally {
        server.close()
      }
    } finally {
      await bare.close()
    }
  })

  it('rate-limits every public route per address: health, readiness, metrics, docs and a lab token that fails', async () => {
    const limited = await createTestApp({ publicRateLimitPerMinute: 3 })
    try {
      const probes: {
        method: 'GET' | 'POST'
        url: string
        payload?: object
        headers?: Record<string, string>
      }[] = [
        { method: 'GET', url: '/healthz' },
        { method: 'GET', url: '/readyz' },
        { method: 'GET', url: '/metrics' },
        { method: 'GET', url: '/api/openapi.json' },
        {
          method: 'POST',
          url: '/api/lab/results',
          payload: { results: [{ tubeCode: 'T1', result: 'negative' }] },
          headers: { authorization: 'Bearer wglab_wrong' },
        },
      ]
      for (const p of probes) {
        const codes: number[] = []
        for (let i = 0; i < 3; i++)
          codes.push((await limited.app.inject({ ...p, remoteAddress: '10.9.9.9' })).statusCode)
        expect(
          codes.every((c) => c !== 429 && c < 500),
          `${p.url} ${codes.join(',')}`,
        ).toBe(true)
        const last = await limited.app.inject({ ...p, remoteAddress: '10.9.9.9' })
        expect(last.statusCode, p.url).toBe(429)
        expect(last.json().error.code).toBe('RATE_LIMITED')
        // another address is not affected
        expect(
          (await limited.app.inject({ ...p, remoteAddress: '10.9.9.10' })).statusCode,
          p.url,
        ).not.toBe(429)
      }
    } finally {
      await limited.close()
    }
  })
})
