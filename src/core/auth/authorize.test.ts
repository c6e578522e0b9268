import { describe, expect, it } from 'vitest'
import {
  authorize,
  can,
  definePolicy,
  installPolicies,
  permissionsOf,
  type Permission,
} from './authorize.js'
import { systemActor, type Actor } from './actor.js'
import { installPermissions, POLICIES } from '../../permissions.js'

const gridWorker: Actor = {
  ...systemActor(),
  userId: 'u',
  username: 'gw',
  role: 'grid_worker',
  scopePaths: ['/320102/320102001/320102001001/G1/'],
}

describe('authorize', () => {
  installPermissions()

  it('lets an admin manage users and refuses a grid worker', () => {
    expect(() => authorize(systemActor(), 'users:manage')).not.toThrow()
    expect(() => authorize(gridWorker, 'users:manage')).toThrow(/may not users:manage/)
  })
  it('gives the volunteer no reveal and the grid worker reveal', () => {
    expect(can('building_head', 'pii:reveal')).toBe(false)
    expect(can('grid_worker', 'pii:reveal')).toBe(true)
  })
  it('knows every domain once installed: a sampler may sample, a building head may read the registry', () => {
    expect(can('sampler', 'testing:sample')).toBe(true)
    expect(can('sampler', 'registry:read')).toBe(false)
    expect(permissionsOf('building_head')).toEqual(['registry:read', 'tree:read', 'zones:read'])
  })
  it('refuses a permission nobody defined: a compile error, and a throw if cast past the type', () => {
    // @ts-expect-error 'users:mange' is not a Permission
    const typo: Permission = 'users:mange'
    expect(() => authorize(systemActor(), typo)).toThrow(/unknown permission/)
  })
  it('refuses a table that grants a permission it does not define, or one defined twice', () => {
    // @ts-expect-error a grant must name one of the table's own permissions
    const bad = definePolicy({ permissions: ['x:read'] as const, grants: { admin: ['x:write'] } })
    expect(() => installPolicies([bad])).toThrow(/granted unknown permission x:write/)
    expect(() => installPolicies([...POLICIES, POLICIES[0]])).toThrow(/defined twice/)
    // A refused install leaves the installed tables as they were.
    expect(can('admin', 'users:manage')).toBe(true)
  })
})
