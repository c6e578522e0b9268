import crypto from 'node:crypto'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { buildApp } from '../../app.js'
import { loadConfig } from '../config.js'
import { keyringFromMasters } from '../pii/keyring.js'
import {
  buildChain,
  buildUser,
  cloneTestDatabase,
  loginAs,
  type Client,
  type TestApp,
} from '../../../test/helpers.js'
import { redactUrl } from './log-redact.js'

const ID = '320102200604300039'
const MOBILE = '13912345678'
const FULL_ID = /(?<!\d)\d{17}[\dXx](?![\dA-Za-z])/
const FULL_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/

describe('redactUrl', () => {
  it('hides the values of personal query parameters and anything shaped like an ID or a mobile', () => {
    expect(redactUrl(`/api/residents?q=${ID}&limit=20`)).toBe(
      '/api/residents?q=[redacted]&limit=20',
    )
    expect(redactUrl(`/api/residents?idNumber=${ID}&phone=${MOBILE}`)).toBe(
      '/api/residents?idNumber=[redacted]&phone=[redacted]',
    )
    expect(redactUrl(`/api/residents?q=%E5%BC%A0&tag=x`)).toBe('/api/residents?q=[redacted]&tag=x')
    expect(redactUrl(`/api/x?other=${MOBILE}&n=123`)).toBe('/api/x?other=[redacted]&n=123')
    expect(redactUrl(`/api/x/${ID}/y`)).toBe('/api/x/[redacted]/y')
    expect(redactUrl(`/api/x/%33${ID.slice(1)}`)).toBe('/api/x/[redacted]')
    expect(redactUrl('/api/divisions?limit=20')).toBe('/api/divisions?limit=20')
  })
})

/** The server log of a real app while people search by full ID and phone and queries fail (finding 4). */
describe('the server log', () => {
  let t: TestApp
  let lead: Client
  const lines: string[] = []

  beforeAll(async () => {
    const database = await cloneTestDatabase()
    const ring = keyringFromMasters([crypto.randomBytes(32)], 'test')
    const config = { ...loadConfig({}), secureCookies: false }
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
        done()
      },
    })
    const app = await buildApp({ config, database, ring, logger: { level: 'info', stream } })
    // Two failing queries whose parameters carry an ID number and a mobile: a data error (400)
    // and an unknown table (500), the two ways a failed query reaches the error handler.
    app.get('/api/test/bad-value', async () =>
      database.db.execute(sql`select ${ID}::int as n, ${MOBILE}::text as m`),
    )
    app.get('/api/test/bad-table', async () =>
      database.db.execute(
        sql`select * from no_such_table where id_number = ${ID} and phone = ${MOBILE}`,
      ),
    )
    await app.ready()
    t = {
      app,
      database,
      ring,
      config,
      close: async () => (await app.close(), await database.close()),
    }
    const chain = await buildChain(t)
    lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  })
  afterAll(async () => t?.close())

  it('holds no full ID number, mobile number, SQL text or query parameters', async () => {
    const searches = [
      `/api/residents?q=${ID}`,
      `/api/residents?q=${MOBILE}`,
      `/api/residents?q=${ID}&limit=5`,
      `/api/residents/export.xlsx?q=${MOBILE}`,
      `/api/nothing/${ID}?phone=${MOBILE}`,
    ]
    for (const url of searches) expect((await lead.get(url)).statusCode).toBeLessThan(500)
    const badValue = await lead.get('/api/test/bad-value')
    expect(badValue.statusCode).toBe(400)
    const badTable = await lead.get('/api/test/bad-table')
    expect(badTable.statusCode).toBe(500)
    // `params:` is how a driver error lists the query's values; the error body's own `"params":`
    // (the catalogue parameters, e.g. the validation rule) is allowed.
    for (const res of [badValue, badTable])
      expect(res.body).not.toMatch(/select|no_such_table|params:|320102|139123/)

    const log = lines.join('\n')
    expect(lines.some((l) => l.includes('"url":"/api/residents?q=[redacted]"'))).toBe(true)
    expect(lines.some((l) => l.includes('"dbCode":"42P01"'))).toBe(true)
    expect(lines.some((l) => l.includes('"dbCode":"22003"'))).toBe(true)
    expect(log).not.toMatch(FULL_ID)
    expect(log).not.toMatch(FULL_MOBILE)
    expect(log).not.toMatch(/Failed query|params:|select \*/)
  })
})
