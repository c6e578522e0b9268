import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type TestApp,
} from '../../../test/helpers.js'
import { renderMessage, renderReason } from './messages.js'

let t: TestApp
let chain: Chain

beforeAll(async () => {
  t = await createTestApp({
    loginMaxFailures: 2,
    loginAccountMaxFailures: 10,
    loginLockMinutes: 15,
  })
  chain = await buildChain(t)
})
afterAll(async () => t?.close())

const login = (payload: object, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload })

describe('an error answers with code, field and params that render in Chinese', () => {
  it('a refused login', async () => {
    const u = await buildUser(t, 'grid_worker', [chain.grid])
    const res = await login({ username: u.username, password: 'not-the-password' }, '10.9.0.1')
    expect(res.statusCode).toBe(401)
    const error = res.json().error
    expect(error).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong user name or password',
      requestId: expect.any(String),
    })
    expect(renderReason('zh-CN', error)).toBe('用户名或密码错误')
  })

  it('a locked-out login says how many seconds to wait', async () => {
    const u = await buildUser(t, 'grid_worker', [chain.grid])
    for (let i = 0; i < 2; i++)
      await login({ username: u.username, password: 'wrong-again' }, '10.9.0.2')
    const res = await login({ username: u.username, password: 'wrong-again' }, '10.9.0.2')
    expect(res.statusCode).toBe(429)
    const error = res.json().error
    expect(error).toMatchObject({ code: 'LOCKED_OUT', params: { seconds: expect.any(Number) } })
    expect(Number(res.headers['retry-after'])).toBe(error.params.seconds)
    expect(renderReason('zh-CN', error)).toBe(
      `登录失败次数过多，账号已暂时锁定，请 ${error.params.seconds} 秒后再试`,
    )
  })

  it('a zod validation failure names the field and the rule', async () => {
    const long = await login({ username: 'x'.repeat(65), password: 'y' })
    expect(long.statusCode).toBe(400)
    expect(long.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'username',
      params: { rule: 'TOO_LONG', max: 64 },
      message: 'username: User name has at most 64 characters',
    })
    expect(renderReason('zh-CN', long.json().error)).toBe('用户名最多 64 个字符')

    const missing = await login({ username: 'someone' })
    expect(missing.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'password',
      params: { rule: 'REQUIRED' },
    })
    expect(renderReason('zh-CN', missing.json().error)).toBe('密码不能为空')
  })

  it('a value not one of a vocabulary lists the options by their labels', async () => {
    const lead = await loginAs(
      t,
      (await buildUser(t, 'community_lead', [chain.community])).username,
    )
    const res = await lead.send('POST', '/api/users', {
      username: 'li.gw2',
      displayName: 'x',
      role: 'king',
      scopeDivisionIds: [chain.grid.id],
    })
    const error = res.json().error
    expect(error).toMatchObject({
      code: 'VALIDATION',
      field: 'role',
      params: { rule: 'NOT_ONE_OF' },
    })
    expect(renderReason('zh-CN', error)).toMatch(/^角色只能是：系统管理员、.*网格员/)
  })

  it('a CSRF failure names the header', async () => {
    const c = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
    const res = await c.send('POST', '/api/auth/logout', undefined, { 'x-csrf-token': 'wrong' })
    expect(res.statusCode).toBe(403)
    const error = res.json().error
    expect(error).toMatchObject({ code: 'CSRF', field: 'x-csrf-token' })
    expect(renderMessage('zh-CN', error.code)).toBe('页面已过期，请刷新后重试')
  })

  it('documents params in the OpenAPI error body', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json()
    expect(Object.keys(doc.components.schemas.ErrorBody.properties.error.properties)).toEqual(
      expect.arrayContaining(['code', 'field', 'params', 'message', 'requestId']),
    )
  })
})

describe('field labels', () => {
  it('name every request field of core’s operations (FIELD_<name>), so a refusal never shows a field code', async () => {
    const { MESSAGES } = await import('../../messages.js')
    const doc = (await t.app.inject('/api/openapi.json')).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            tags?: string[]
            parameters?: { name: string; in: string }[]
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>
            }
          }
        >
      >
    }
    const names = new Set<string>()
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        if (!op.tags?.some((tag) => ['auth', 'users', 'tree', 'audit'].includes(tag))) continue
        for (const p of op.parameters ?? []) if (p.in !== 'header') names.add(p.name)
        for (const c of Object.values(op.requestBody?.content ?? {}))
          for (const k of Object.keys(c.schema.properties ?? {})) names.add(k)
      }
    }
    expect(names.size).toBeGreaterThan(10)
    expect([...names].filter((n) => !(`FIELD_${n}` in MESSAGES))).toEqual([])
  })
})
