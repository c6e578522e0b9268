import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildUser,
  createTestApp,
  loginAs,
  type Client,
  type TestApp,
} from '../../../test/helpers.js'
import { ROLES } from '../auth/roles.js'

/** The contract a client generator reads (issue 9, item 1): ids, servers and documented errors. */
interface Doc {
  servers?: { url: string }[]
  components: { schemas?: Record<string, unknown> }
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>
      }
    >
  >
}

let t: TestApp
let admin: Client
let doc: Doc

beforeAll(async () => {
  t = await createTestApp()
  admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
  doc = (await t.app.inject('/api/openapi.json')).json() as Doc
})
afterAll(async () => t?.close())

const ops = (): { key: string; op: Doc['paths'][string][string] }[] =>
  Object.entries(doc.paths).flatMap(([p, byMethod]) =>
    Object.entries(byMethod).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })),
  )

describe('OpenAPI document', () => {
  it('names a server, and gives every operation a unique camelCase operationId', () => {
    expect(doc.servers?.length).toBeGreaterThan(0)
    const all = ops()
    expect(all.length).toBeGreaterThan(70)
    const without = all.filter((o) => !o.op.operationId).map((o) => o.key)
    expect(without).toEqual([])
    const ids = all.map((o) => o.op.operationId!)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/)
  })

  it('documents the 4xx answers of every operation with the one error body', () => {
    const without = ops()
      .filter((o) => !Object.keys(o.op.responses).some((s) => s.startsWith('4')))
      .map((o) => o.key)
    expect(without).toEqual([])
    expect(doc.components.schemas?.ErrorBody).toBeDefined()
    const users = doc.paths['/api/users/{id}']!.get!.responses
    expect(Object.keys(users)).toEqual(expect.arrayContaining(['400', '401', '403', '404']))
    expect(users['404']!.content!['application/json']!.schema.$ref).toBe(
      '#/components/schemas/ErrorBody',
    )
  })

  it('sends documented errors unchanged through the response serializer', async () => {
    const missing = await admin.get('/api/users/00000000-0000-4000-8000-000000000000')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error).toEqual({
      code: 'USER_NOT_FOUND',
      message: expect.any(String),
      requestId: expect.any(String),
    })
    const bad = await admin.get('/api/users/not-a-uuid')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION', field: 'id' })
    const anonymous = await t.app.inject('/api/users')
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED')
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: admin.cookie },
    })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().error.code).toBe('CSRF')
  })

  it('states the engine of /readyz as one of the two it can be', async () => {
    const engine = (
      doc.paths['/readyz']!.get!.responses['200']!.content!['application/json']!.schema as {
        properties: { engine: { enum?: string[] } }
      }
    ).properties.engine
    expect(engine.enum).toEqual(['pglite', 'postgres'])
    expect(engine.enum).toContain((await t.app.inject('/readyz')).json().engine)
  })

  it('states the roles of /api/roles as the enum of every role, and answers with them', async () => {
    const schema = doc.paths['/api/roles']!.get!.responses['200']!.content!['application/json']!
      .schema as { properties: { items: { items: { properties: { role: { enum?: string[] } } } } } }
    expect(schema.properties.items.items.properties.role.enum).toEqual([...ROLES])
    const res = await admin.get('/api/roles')
    expect(res.statusCode).toBe(200)
    expect((res.json() as { items: { role: string }[] }).items.map((r) => r.role)).toEqual([
      ...ROLES,
    ])
  })
})
