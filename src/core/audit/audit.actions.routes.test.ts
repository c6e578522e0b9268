import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../../test/helpers.js'
import { recordAudit } from './audit.service.js'
import { auditActionsMatching } from './audit.actions.js'

let t: TestApp
let a: Chain
let b: Chain
let lead: Client
const target = randomUUID()

beforeAll(async () => {
  t = await createTestApp()
  a = await buildChain(t)
  b = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [a.community])).username)
  const entry = (action: string, scopePath: string) =>
    recordAudit(t.database.db, {
      actorId: null,
      actorName: 'test',
      action,
      targetType: 'test',
      targetId: target,
      scopePath,
    })
  for (const action of [
    'registry.export',
    'registry.export_completed',
    'auth.login',
    'auth.login_failed',
    'user.create',
  ])
    await entry(action, a.community.path)
  await entry('testing.missed_export', b.community.path)
})
afterAll(async () => t?.close())

const actions = async (typed: string): Promise<string[]> => {
  const res = await lead.get(`/api/audit?targetId=${target}&action=${encodeURIComponent(typed)}`)
  expect(res.statusCode).toBe(200)
  return (res.json().items as { action: string }[]).map((e) => e.action).sort()
}

describe('the audit action filter matches the words a user types', () => {
  it('finds exports by 导出 or export, logins by 登录, and still by a code prefix', async () => {
    expect(await actions('导出')).toEqual(['registry.export', 'registry.export_completed'])
    expect(await actions('export')).toEqual(['registry.export', 'registry.export_completed'])
    expect(await actions('登录')).toEqual(['auth.login', 'auth.login_failed'])
    expect(await actions('登录 失败')).toEqual(['auth.login_failed'])
    expect(await actions('新建用户')).toEqual(['user.create'])
    expect(await actions('auth.')).toEqual(['auth.login', 'auth.login_failed'])
    expect(await actions('什么都不是')).toEqual([])
  })

  it('keeps the scope in SQL: another community’s export stays hidden', async () => {
    expect(await actions('漏检')).toEqual([])
    expect(auditActionsMatching('漏检')).toContain('testing.missed_export')
  })
})
