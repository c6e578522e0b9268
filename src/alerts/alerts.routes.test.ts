import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { inTransaction, rows } from '../core/db/db.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { raiseAlerts } from './alerts.service.js'

let t: TestApp
let chain: Chain
let worker: Client
let workerName: string

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  workerName = (await buildUser(t, 'grid_worker', [chain.grid])).username
  worker = await loginAs(t, workerName)
  await inTransaction(t.database.db, (tx) =>
    raiseAlerts(tx, [
      {
        scopePath: chain.grid.path,
        kind: 'testing.pool_positive',
        severity: 'critical',
        code: 'ALERT_POOL_POSITIVE',
        params: { people: 7 },
        detail: { tubes: ['T-1'] },
      },
      {
        scopePath: chain.grid2.path,
        kind: 'testing.pool_positive',
        severity: 'critical',
        code: 'ALERT_POOL_POSITIVE',
        params: { people: 3 },
      },
    ]),
  )
})
afterAll(async () => t?.close())

describe('alerts', () => {
  it('lists the alerts of my scope as a code with params (the Chinese text kept beside it), and acknowledges them', async () => {
    const list = (await worker.get('/api/alerts?open=true')).json()
    expect(list.open).toBe(1)
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      kind: 'testing.pool_positive',
      severity: 'critical',
      code: 'ALERT_POOL_POSITIVE',
      params: { people: 7 },
      title: '混管阳性：7 人待单管复核',
      acknowledgedAt: null,
    })
    const id = list.items[0].id
    const ack = await worker.send('POST', `/api/alerts/${id}/acknowledge`)
    expect(ack.statusCode).toBe(204)
    expect((await worker.get('/api/alerts?open=true')).json()).toMatchObject({ open: 0, items: [] })
    // Who saw it and when is on the record, once: a second acknowledgement writes nothing.
    expect((await worker.send('POST', `/api/alerts/${id}/acknowledge`)).statusCode).toBe(204)
    const entries = await rows<{ actor_name: string; scope_path: string }>(
      t.database.db,
      sql`select actor_name, scope_path from audit_log where action = 'alert.acknowledge' and target_id = ${String(id)}`,
    )
    expect(entries).toEqual([{ actor_name: workerName, scope_path: chain.grid.path }])
  })

  it('answers an unknown alert with a code, not a sentence', async () => {
    const res = await worker.send('POST', '/api/alerts/999999999/acknowledge')
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('ALERT_NOT_FOUND')
  })
})
