import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildChain, buildUser, createTestApp, loginAs, type Client, type TestApp } from '../../../test/helpers.js'

let t: TestApp
let lead: Client

beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 2048 })
  const chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
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
    const text = (await t.app.inject('/metrics')).body
    expect(text).toMatch(/weiguang_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/)
    expect(text).toContain('weiguang_http_request_duration_seconds_bucket')
  })
})

describe('bad input', () => {
  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('MALFORMED_JSON')
  })

  it('answers an oversize body with 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y'.repeat(5000) } })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('BODY_TOO_LARGE')
  })

  it('names the field of a wrong type', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42, password: 'x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/^username: /)
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
