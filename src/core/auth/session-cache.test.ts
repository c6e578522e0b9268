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

// The auth hook keeps resolved sessions in memory for a few seconds (auth.hook.ts). Each test
// warms that cache with the hot list first, then changes the account through the API and
// expects the very next request to see the change: never a logged-out, disabled or re-roled
// user let through on what the cache remembered.
let t: TestApp
let chain: Chain
let lead: Client

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
})
afterAll(async () => t?.close())

const gridsSeen = async (c: Client): Promise<string[]> => {
  const res = await c.get(`/api/divisions?parentId=${chain.community.id}`)
  expect(res.statusCode).toBe(200)
  return res.json().items.map((d: { id: string }) => d.id)
}

async function warmWorker(): Promise<{ id: string; client: Client }> {
  const u = await buildUser(t, 'grid_worker', [chain.grid])
  const client = await loginAs(t, u.username)
  // Twice: the second answer comes from the cached session.
  expect(await gridsSeen(client)).toEqual([chain.grid.id])
  expect(await gridsSeen(client)).toEqual([chain.grid.id])
  return { id: u.id, client }
}

describe('the session cache', () => {
  it('lets a logged-out session through nowhere, at once', async () => {
    const { client } = await warmWorker()
    expect((await client.send('POST', '/api/auth/logout')).statusCode).toBe(200)
    const list = await client.get(`/api/divisions?parentId=${chain.community.id}`)
    expect(list.statusCode).toBe(401)
    expect((await client.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('refuses a disabled user on the next request', async () => {
    const { id, client } = await warmWorker()
    expect((await lead.send('PATCH', `/api/users/${id}`, { disabled: true })).statusCode).toBe(200)
    expect((await client.get(`/api/divisions?parentId=${chain.community.id}`)).statusCode).toBe(401)
  })

  it('ends the cached session of a user whose role changes, on the next request', async () => {
    const { id, client } = await warmWorker()
    const patched = await lead.send('PATCH', `/api/users/${id}`, { role: 'building_head' })
    expect(patched.statusCode, patched.body).toBe(200)
    // A changed role ends the user's sessions (users.service): the cached one is gone with them.
    expect((await client.get(`/api/divisions?parentId=${chain.community.id}`)).statusCode).toBe(401)
    expect((await client.get('/api/auth/me')).statusCode).toBe(401)
  })

  it('ends the cached session of a user whose scope changes, on the next request', async () => {
    const { id, client } = await warmWorker()
    const patched = await lead.send('PATCH', `/api/users/${id}`, {
      scopeDivisionIds: [chain.grid2.id],
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().scope).toEqual([expect.objectContaining({ id: chain.grid2.id })])
    expect((await client.get(`/api/divisions?parentId=${chain.community.id}`)).statusCode).toBe(401)
    // Logged in again, the worker sees the new grid and not the old one.
    const again = await loginAs(t, patched.json().username)
    expect(await gridsSeen(again)).toEqual([chain.grid2.id])
  })

  it('ends every session after a password reset by the lead', async () => {
    const { id, client } = await warmWorker()
    expect((await lead.send('POST', `/api/users/${id}/reset-password`)).statusCode).toBe(200)
    expect((await client.get(`/api/divisions?parentId=${chain.community.id}`)).statusCode).toBe(401)
  })
})
