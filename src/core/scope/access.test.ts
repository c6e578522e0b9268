import { describe, expect, it } from 'vitest'
import { systemActor, type Actor } from '../auth/actor.js'
import { installPermissions } from '../../permissions.js'
import { requireAccess } from './access.js'

installPermissions()

const STREET = '/320102/320102001/'
const COMMUNITY = `${STREET}320102001001/`
const G1 = `${COMMUNITY}G1/`
const G2 = `${COMMUNITY}G2/`
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
const sampler: Actor = { ...gridWorker, userId: 'u-s', username: 's', role: 'sampler' }

function refusal(fn: () => void): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return null
}

describe('requireAccess', () => {
  it('lets a grid worker change a resident of their own grid and refuses one of the next grid, audited', () => {
    expect(() =>
      requireAccess(gridWorker, 'registry:write', { type: 'resident', id: 'r1', path: `${G1}B1/` }),
    ).not.toThrow()
    expect(
      refusal(() =>
        requireAccess(gridWorker, 'registry:write', {
          type: 'resident',
          id: 'r2',
          path: `${G2}B1/`,
        }),
      ),
    ).toMatchObject({
      status: 403,
      code: 'OUT_OF_SCOPE',
      audit: {
        action: 'access.out_of_scope',
        actorId: 'u-gw',
        targetType: 'resident',
        targetId: 'r2',
        scopePath: `${G2}B1/`,
      },
    })
  })

  it('checks the role before the scope: a sampler may not change the registry even in their grid (no audit entry)', () => {
    const err = refusal(() =>
      requireAccess(sampler, 'registry:write', { type: 'resident', id: 'r1', path: `${G1}B1/` }),
    )
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect((err as { audit?: unknown }).audit).toBeUndefined()
  })

  it('a street-wide round needs the whole street: a community lead may not close it, the street may', () => {
    const round = {
      type: 'test_round',
      id: 'round-1',
      paths: [COMMUNITY, `${STREET}320102001002/`],
    }
    expect(refusal(() => requireAccess(lead, 'testing:manage', round))).toMatchObject({
      code: 'OUT_OF_SCOPE',
      audit: { targetType: 'test_round', targetId: 'round-1', scopePath: `${STREET}320102001002/` },
    })
    expect(() =>
      requireAccess({ ...lead, role: 'command', scopePaths: [STREET] }, 'testing:manage', round),
    ).not.toThrow()
  })

  it('without a target checks the permission only', () => {
    expect(() => requireAccess(gridWorker, 'registry:read')).not.toThrow()
    expect(refusal(() => requireAccess(gridWorker, 'users:manage'))).toMatchObject({
      code: 'FORBIDDEN',
    })
    // @ts-expect-error an unknown permission name does not compile
    expect(() => requireAccess(gridWorker, 'registry:wirte')).toThrow(/unknown permission/)
  })
})
