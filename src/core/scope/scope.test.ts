import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { rows, type Database } from '../db/db.js'
import { systemActor, type Actor } from '../auth/actor.js'
import { cloneTestDatabase } from '../../../test/helpers.js'
import {
  assertPathInScope,
  assertScopeContains,
  escapeLike,
  likePrefix,
  pathInScope,
  pathOverlapsScope,
  pathsCondition,
  scopeCondition,
  scopeContainsAll,
  scopeOverlapCondition,
} from './scope.js'

const STREET = '/320102/320102001/'
const COMMUNITY = `${STREET}320102001001/`
const G1 = `${COMMUNITY}G1/`
const G10 = `${COMMUNITY}G10/`
const G2 = `${COMMUNITY}G2/`
const OTHER_COMMUNITY = `${STREET}320102001002/`
const gridWorker: Actor = {
  ...systemActor(),
  userId: 'u-gw',
  username: 'gw',
  role: 'grid_worker',
  scopePaths: [G1],
  ip: '10.0.0.7',
}
const lead: Actor = {
  ...gridWorker,
  userId: 'u-lead',
  username: 'lead',
  role: 'community_lead',
  scopePaths: [COMMUNITY],
}
const dialect = new PgDialect()

describe('scope rules', () => {
  it('a grid worker may act on a resident of their grid, not of the next grid (not even G10 beside G1)', () => {
    expect(pathInScope(gridWorker, G1)).toBe(true)
    expect(pathInScope(gridWorker, `${G1}B12/`)).toBe(true)
    expect(pathInScope(gridWorker, G2)).toBe(false)
    expect(pathInScope(gridWorker, G10)).toBe(false)
    expect(pathInScope(gridWorker, COMMUNITY)).toBe(false)
  })

  it('a street-wide object needs the whole street: a community lead of one community may not write it', () => {
    const streetWide = [`${COMMUNITY}G1/`, `${OTHER_COMMUNITY}G1/`]
    expect(scopeContainsAll(lead, streetWide)).toBe(false)
    expect(scopeContainsAll({ scopePaths: [STREET] }, streetWide)).toBe(true)
    expect(scopeContainsAll(lead, [G1, G2])).toBe(true)
    expect(() =>
      assertScopeContains(lead, { type: 'test_round', id: 'r1', paths: streetWide }),
    ).toThrow(expect.objectContaining({ status: 403, code: 'OUT_OF_SCOPE' }))
  })

  it('sees a street-level object from a grid as overlapping (a street group shown in a grid), never a sibling', () => {
    expect(pathOverlapsScope(gridWorker, STREET)).toBe(true)
    expect(pathOverlapsScope(gridWorker, G2)).toBe(false)
  })

  it('escapes LIKE metacharacters so a path or search text matches only itself', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\')
    expect(likePrefix('/b_c/')).toBe('/b\\_c/%')
    const q = dialect.sqlToQuery(scopeCondition(sql.raw('path'), { scopePaths: ['/a/', '/b_c/'] }))
    expect(q.sql).toBe('(path like $1 or path like $2)')
    expect(q.params).toEqual(['/a/%', '/b\\_c/%'])
    expect(dialect.sqlToQuery(scopeCondition(sql.raw('path'), systemActor())).sql).toBe('true')
    expect(dialect.sqlToQuery(pathsCondition(sql.raw('path'), [])).sql).toBe('false')
  })

  it('refuses out of scope with a 403 that carries the audit entry of the attempt', () => {
    let caught: unknown
    try {
      assertPathInScope(gridWorker, { type: 'resident', id: 'res-9', path: `${G2}B1/` })
    } catch (err) {
      caught = err
    }
    expect(caught).toMatchObject({
      status: 403,
      code: 'OUT_OF_SCOPE',
      audit: {
        actorId: 'u-gw',
        actorName: 'gw',
        action: 'access.out_of_scope',
        targetType: 'resident',
        targetId: 'res-9',
        scopePath: `${G2}B1/`,
        ip: '10.0.0.7',
      },
    })
    expect(() =>
      assertPathInScope(gridWorker, { type: 'resident', id: 'res-1', path: `${G1}B1/` }),
    ).not.toThrow()
  })
})

describe('scope predicates in the database', () => {
  let database: Database
  beforeAll(async () => {
    database = await cloneTestDatabase()
  })
  afterAll(async () => {
    await database?.close()
  })

  const paths = [
    '/b_c/1/',
    '/bxc/1/',
    '/b%c/1/',
    '/320102/G1/',
    '/320102/G10/',
    '/320102/',
    '/320103/G1/',
  ]
  async function matching(
    condition: (col: ReturnType<typeof sql.raw>) => ReturnType<typeof sql>,
  ): Promise<string[]> {
    const values = sql.join(
      paths.map((p) => sql`(${p})`),
      sql`, `,
    )
    const found = await rows<{ path: string }>(
      database.db,
      sql`select path from (values ${values}) as t(path) where ${condition(sql.raw('path'))} order by path`,
    )
    return found.map((r) => r.path)
  }

  it('a scope with `_` or `%` in it matches only itself, not every character there', async () => {
    expect(await matching((col) => scopeCondition(col, { scopePaths: ['/b_c/'] }))).toEqual([
      '/b_c/1/',
    ])
    expect(await matching((col) => scopeCondition(col, { scopePaths: ['/b%c/'] }))).toEqual([
      '/b%c/1/',
    ])
  })

  it('a grid scope lists its grid only; the overlap predicate adds the nodes above it', async () => {
    expect(await matching((col) => scopeCondition(col, { scopePaths: ['/320102/G1/'] }))).toEqual([
      '/320102/G1/',
    ])
    expect(
      await matching((col) => scopeOverlapCondition(col, { scopePaths: ['/320102/G1/'] })),
    ).toEqual(['/320102/', '/320102/G1/'])
    expect(await matching((col) => scopeCondition(col, systemActor()))).toHaveLength(paths.length)
  })
})
