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
import { listAudit } from '../audit/audit.service.js'

let t: TestApp
let chain: Chain
let worker: Client
let workerId: string
let lead: Client
let command: Client

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  const w = await buildUser(t, 'grid_worker', [chain.grid])
  workerId = w.id
  worker = await loginAs(t, w.username)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  command = await loginAs(t, (await buildUser(t, 'command', [chain.street])).username)
})
afterAll(async () => t?.close())

describe('scope down the tree', () => {
  it('shows a grid worker their own grid as the root, not the neighbouring grid', async () => {
    const res = await worker.get('/api/divisions')
    expect(res.statusCode).toBe(200)
    expect(res.json().items.map((d: { id: string }) => d.id)).toEqual([chain.grid.id])
  })

  it('hides the neighbouring grid from children lists and from search', async () => {
    const children = await worker.get(`/api/divisions?parentId=${chain.community.id}`)
    expect(children.json().items.map((d: { id: string }) => d.id)).toEqual([chain.grid.id])
    const search = await worker.get(`/api/divisions?q=${encodeURIComponent('网格')}`)
    expect(search.json().items.map((d: { id: string }) => d.id)).toEqual([chain.grid.id])
    const roots = await lead.get('/api/divisions')
    expect(roots.json().items).toEqual([
      expect.objectContaining({ id: chain.community.id, childCount: 2 }),
    ])
    const leadView = await lead.get(`/api/divisions?parentId=${chain.community.id}`)
    expect(
      leadView
        .json()
        .items.map((d: { id: string }) => d.id)
        .sort(),
    ).toEqual([chain.grid.id, chain.grid2.id].sort())
  })

  it('answers the same children from the hot statement as from the general query', async () => {
    // A parent alone takes the driver's prepared statement; a level filter takes Drizzle's query.
    const hot = await lead.get(`/api/divisions?parentId=${chain.community.id}`)
    const general = await lead.get(`/api/divisions?parentId=${chain.community.id}&level=grid`)
    expect(hot.statusCode).toBe(200)
    expect(hot.json().items).toHaveLength(2)
    expect(hot.json()).toEqual(general.json())
    expect(hot.json().items[0]).toEqual({
      id: expect.any(String),
      code: expect.any(String),
      name: expect.any(String),
      level: 'grid',
      parentId: chain.community.id,
      path: expect.stringMatching(/^\/.+\/$/),
      childCount: 0,
    })
  })

  it('answers 403 for the neighbouring grid and writes an audit entry', async () => {
    const res = await worker.get(`/api/divisions/${chain.grid2.id}`)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
    const entries = await listAudit(t.database.db, {
      action: 'access.out_of_scope',
      actorId: workerId,
      limit: 5,
    })
    expect(entries[0]).toMatchObject({ targetType: 'division', targetId: chain.grid2.id })
  })

  it('refuses to create a grid outside the creator’s community and audits it, even from a lead', async () => {
    const other = await buildChain(t)
    const res = await lead.send('POST', '/api/divisions', {
      code: `${other.community.code}-G9`,
      name: '越界网格',
      level: 'grid',
      parentId: other.community.id,
    })
    expect(res.statusCode).toBe(403)
    const ok = await lead.send('POST', '/api/divisions', {
      code: `${chain.community.code}-G3`,
      name: '第三网格',
      level: 'grid',
      parentId: chain.community.id,
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json().path).toBe(`${chain.community.path}${chain.community.code}-G3/`)
  })

  it('checks level order and code formats with the field named', async () => {
    const bad = await lead.send('POST', '/api/divisions', {
      code: '12345',
      name: 'x',
      level: 'street',
      parentId: chain.community.id,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({
      code: 'DIVISION_WRONG_PARENT',
      field: 'level',
      params: { level: 'street', expectedLevel: 'district', actualLevel: 'community' },
      message: 'level: A street belongs under a district, not a community',
    })
    const dup = await lead.send('POST', '/api/divisions', {
      code: chain.grid.code,
      name: 'dup',
      level: 'grid',
      parentId: chain.community.id,
    })
    expect(dup.statusCode).toBe(409)
  })

  it('narrows a community lead to one grid with the scope switcher', async () => {
    const me = await lead.send('PUT', '/api/auth/scope', { divisionId: chain.grid2.id })
    expect(me.statusCode).toBe(200)
    expect(me.json().selectedScope.id).toBe(chain.grid2.id)
    expect((await lead.get(`/api/divisions/${chain.grid.id}`)).statusCode).toBe(403)
    const outside = await lead.send('PUT', '/api/auth/scope', { divisionId: chain.street.id })
    expect(outside.statusCode).toBe(403)
    await lead.send('PUT', '/api/auth/scope', { divisionId: null })
    expect((await lead.get(`/api/divisions/${chain.grid.id}`)).statusCode).toBe(200)
  })
})

describe('break-glass', () => {
  it('lets command act outside its scope with a typed reason, and audits the reason', async () => {
    const other = await buildChain(t)
    expect((await command.get(`/api/divisions/${other.grid.id}`)).statusCode).toBe(403)
    const short = await command.get(`/api/divisions/${other.grid.id}`, {
      'x-break-glass-reason': 'why',
    })
    expect(short.statusCode).toBe(400)
    const reason = 'Assist request 2026-118 from the district'
    const res = await command.get(`/api/divisions/${other.grid.id}`, {
      'x-break-glass-reason': encodeURIComponent(reason),
    })
    expect(res.statusCode).toBe(200)
    const [entry] = await listAudit(t.database.db, { action: 'scope.break_glass', limit: 1 })
    expect(entry).toMatchObject({ reason, targetId: `GET /api/divisions/${other.grid.id}` })
  })

  it('is refused to a grid worker whatever the reason', async () => {
    const res = await worker.get(`/api/divisions/${chain.grid2.id}`, {
      'x-break-glass-reason': 'I really need to see this',
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('BREAK_GLASS_NOT_ALLOWED')
  })
})
