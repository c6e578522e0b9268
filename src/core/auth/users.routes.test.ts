import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../db/db.js'
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

let t: TestApp
let chain: Chain
let lead: Client
let leadId: string

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  const l = await buildUser(t, 'community_lead', [chain.community])
  leadId = l.id
  lead = await loginAs(t, l.username)
})
afterAll(async () => t?.close())

describe('user administration', () => {
  it('lets a community lead create a grid worker in a grid, who logs in with the one-time password and must change it', async () => {
    const res = await lead.send('POST', '/api/users', {
      username: 'wang.gw',
      displayName: '王网格员',
      role: 'grid_worker',
      scopeDivisionIds: [chain.grid.id],
      phone: '138 0013 8000',
    })
    expect(res.statusCode).toBe(201)
    const { user, temporaryPassword } = res.json()
    expect(user.phone).toBe('138****8000')
    expect(temporaryPassword).toHaveLength(16)
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'wang.gw', password: temporaryPassword },
    })
    expect(login.json()).toMatchObject({
      mustChangePassword: true,
      role: 'grid_worker',
      scope: [{ id: chain.grid.id }],
    })
  })

  it('stores the phone encrypted with a blind index and last four, never in clear', async () => {
    const [row] = await rows<{ phone_enc: string; phone_bidx: string; phone_last4: string }>(
      t.database.db,
      sql`select phone_enc, phone_bidx, phone_last4 from app_user where username = 'wang.gw'`,
    )
    expect(row!.phone_enc).not.toContain('13800138000')
    expect(row!.phone_last4).toBe('8000')
    expect(row!.phone_bidx).toHaveLength(22)
  })

  it('refuses a role above the lead’s own and a scope outside the community', async () => {
    const admin = await lead.send('POST', '/api/users', {
      username: 'sneaky',
      displayName: 'x',
      role: 'admin',
      scopeDivisionIds: [chain.community.id],
    })
    expect(admin.statusCode).toBe(403)
    const other = await buildChain(t)
    const outside = await lead.send('POST', '/api/users', {
      username: 'outside',
      displayName: 'x',
      role: 'grid_worker',
      scopeDivisionIds: [other.grid.id],
    })
    expect(outside.statusCode).toBe(403)
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE')
  })

  it('names the field for a bad phone, a bad username and an unknown field', async () => {
    const phone = await lead.send('POST', '/api/users', {
      username: 'li.gw',
      displayName: 'x',
      role: 'grid_worker',
      scopeDivisionIds: [chain.grid.id],
      phone: '12345',
    })
    expect(phone.json().error).toMatchObject({
      code: 'PHONE_LENGTH',
      field: 'phone',
      params: { length: 5 },
    })
    const name = await lead.send('POST', '/api/users', {
      username: 'a b',
      displayName: 'x',
      role: 'grid_worker',
      scopeDivisionIds: [chain.grid.id],
    })
    expect(name.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'username',
      params: { rule: 'FORMAT' },
    })
    const unknown = await lead.send('POST', '/api/users', {
      username: 'li.gw',
      displayName: 'x',
      role: 'grid_worker',
      scopeDivisionIds: [chain.grid.id],
      isAdmin: true,
    })
    expect(unknown.json().error).toMatchObject({
      code: 'VALIDATION',
      params: { rule: 'UNKNOWN_KEYS', keys: 'isAdmin' },
    })
    const role = await lead.send('POST', '/api/users', {
      username: 'li.gw',
      displayName: 'x',
      role: 'king',
      scopeDivisionIds: [chain.grid.id],
    })
    expect(role.json().error).toMatchObject({
      code: 'VALIDATION',
      field: 'role',
      params: { rule: 'NOT_ONE_OF' },
    })
    expect(String(role.json().error.params.options)).toContain('grid_worker')
  })

  it('lists only users whose scope lies inside the caller’s', async () => {
    const other = await buildChain(t)
    const outsider = await buildUser(t, 'grid_worker', [other.grid])
    const res = await lead.get('/api/users?limit=200')
    const names = res.json().items.map((u: { username: string }) => u.username)
    expect(names).toContain('wang.gw')
    expect(names).not.toContain(outsider.username)
    expect((await lead.get(`/api/users/${outsider.id}`)).statusCode).toBe(403)
  })

  it('reveals a phone only on request, with an audit entry; a volunteer cannot reveal', async () => {
    const list = await lead.get('/api/users?q=wang')
    const id = list.json().items[0].id
    const masked = await lead.get(`/api/users/${id}`)
    expect(masked.json()).toMatchObject({ phone: '138****8000', phoneRevealed: false })
    expect(
      await listAudit(t.database.db, { action: 'pii.reveal', targetId: id, limit: 5 }),
    ).toHaveLength(0)
    const revealed = await lead.get(`/api/users/${id}?reveal=phone`)
    expect(revealed.json()).toMatchObject({ phone: '13800138000', phoneRevealed: true })
    const entries = await listAudit(t.database.db, { action: 'pii.reveal', targetId: id, limit: 5 })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ actorId: leadId, detail: { field: 'phone' } })
    // The lead sees the reveal in their own audit screen, named, not as a bare id.
    const audit = await lead.get('/api/audit?action=pii.reveal')
    expect(audit.json().items[0]).toMatchObject({ targetId: id, targetLabel: '王网格员 (wang.gw)' })
  })

  it('ends the sessions of a disabled user at once', async () => {
    const u = await buildUser(t, 'grid_worker', [chain.grid])
    const c = await loginAs(t, u.username)
    expect((await c.get('/api/auth/me')).statusCode).toBe(200)
    expect((await lead.send('PATCH', `/api/users/${u.id}`, { disabled: true })).statusCode).toBe(
      200,
    )
    expect((await c.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('shows the role table with what the caller may hand out', async () => {
    const res = await lead.get('/api/roles')
    const byRole = Object.fromEntries(res.json().items.map((r: { role: string }) => [r.role, r]))
    expect(byRole.grid_worker.assignable).toBe(true)
    expect(byRole.grid_worker.permissions).toEqual(
      expect.arrayContaining(['pii:reveal', 'tree:read']),
    )
    expect(byRole.grid_worker.permissions).not.toContain('users:manage')
    expect(byRole.admin.assignable).toBe(false)
    expect(byRole.building_head.permissions).not.toContain('pii:reveal')
  })

  it('resets a password to a one-time one', async () => {
    const u = await buildUser(t, 'sampler', [chain.grid])
    const res = await lead.send('POST', `/api/users/${u.id}/reset-password`)
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: res.json().temporaryPassword },
    })
    expect(login.json().mustChangePassword).toBe(true)
  })
})
