import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { authorize, can } from './authorize.js'
import { pathInScope, scopeCondition, systemActor, type Actor } from './actor.js'
import './auth.policy.js'

const gridWorker: Actor = { ...systemActor(), userId: 'u', username: 'gw', role: 'grid_worker', scopePaths: ['/320102/320102001/320102001001/G1/'] }

describe('authorize', () => {
  it('lets an admin manage users and refuses a grid worker', () => {
    expect(() => authorize(systemActor(), 'users:manage')).not.toThrow()
    expect(() => authorize(gridWorker, 'users:manage')).toThrow(/may not users:manage/)
  })
  it('gives the volunteer no reveal and the grid worker reveal', () => {
    expect(can('building_head', 'pii:reveal')).toBe(false)
    expect(can('grid_worker', 'pii:reveal')).toBe(true)
  })
  it('refuses a permission nobody defined (a typo is a bug, not a silent deny)', () => {
    expect(() => authorize(systemActor(), 'users:mange')).toThrow(/unknown permission/)
  })
})

describe('scope', () => {
  it('matches a node and everything under it, never a sibling', () => {
    expect(pathInScope(gridWorker, '/320102/320102001/320102001001/G1/')).toBe(true)
    expect(pathInScope(gridWorker, '/320102/320102001/320102001001/G1/B12/')).toBe(true)
    expect(pathInScope(gridWorker, '/320102/320102001/320102001001/G10/')).toBe(false)
    expect(pathInScope(gridWorker, '/320102/320102001/320102001001/')).toBe(false)
  })
  it('renders as a LIKE predicate in SQL, OR-ed over several nodes', () => {
    const dialect = new PgDialect()
    const q = dialect.sqlToQuery(scopeCondition(sql.raw('path'), { ...gridWorker, scopePaths: ['/a/', '/b_c/'] }))
    expect(q.sql).toBe('(path like $1 or path like $2)')
    expect(q.params).toEqual(['/a/%', '/b\\_c/%'])
    expect(dialect.sqlToQuery(scopeCondition(sql.raw('path'), systemActor())).sql).toBe('true')
  })
})
