import { describe, expect, it } from 'vitest'
import {
  addBuilding,
  addGrid,
  addHousehold,
  classifyMatch,
  creationAllowed,
  emptyPlaceIndex,
  floorOfRoom,
  locate,
  type GridRef,
  type PlaceIndex,
} from './roster.rules.js'

const g1: GridRef = { id: 'g1', code: 'C-G01', name: '第1网格', path: '/c/g1/' }
const g2: GridRef = { id: 'g2', code: 'C-G02', name: '第2网格', path: '/c/g2/' }
const place = (id: string, g: GridRef) => ({
  householdId: id,
  gridId: g.id,
  gridPath: g.path,
  sortKey: id,
  label: id,
})

/** A community whose two grids both number their buildings from 1 (as the demo city does). */
function community(defaultGrid?: GridRef): PlaceIndex {
  const index = emptyPlaceIndex({ id: 'c', path: '/c/', name: '石鼓路社区' }, defaultGrid)
  for (const g of [g1, g2]) {
    addGrid(index, g)
    addBuilding(index, g, { id: `${g.id}-b1`, code: '1', gridId: g.id, gridPath: g.path })
  }
  addBuilding(index, g1, { id: 'g1-b7', code: '7', gridId: g1.id, gridPath: g1.path })
  addHousehold(index, g1.code, { building: '1', unit: '1', room: '101' }, place('h-g1-101', g1))
  addHousehold(index, g2.code, { building: '1', unit: '1', room: '102' }, place('h-g2-102', g2))
  addHousehold(index, g1.code, { building: '1', unit: '2', room: '301' }, place('h-g1-2-301', g1))
  addHousehold(index, g2.code, { building: '1', unit: '2', room: '301' }, place('h-g2-2-301', g2))
  return index
}
const at = (building: string, unit: string, room: string, grid?: string) => ({
  grid,
  building,
  unit,
  room,
})

describe('where a roster row lies', () => {
  it('infers the grid from the household when building numbers repeat across grids', () => {
    const index = community()
    expect(locate(index, at('1', '1', '101'))).toEqual({
      kind: 'found',
      place: place('h-g1-101', g1),
    })
    expect(locate(index, at('1', '1', '102'))).toEqual({
      kind: 'found',
      place: place('h-g2-102', g2),
    })
  })

  it('asks for the grid only when the household does not decide it', () => {
    const index = community()
    const both = locate(index, at('1', '2', '301'))
    expect(both).toMatchObject({
      kind: 'rejected',
      reason: {
        code: 'ROW_BUILDING_AMBIGUOUS',
        field: 'building',
        params: { building: '1', grids: '第1网格、第2网格' },
      },
    })
    expect(locate(index, at('1', '9', '901'))).toMatchObject({
      kind: 'rejected',
      reason: { code: 'ROW_BUILDING_AMBIGUOUS' },
    })
    // The 网格 column (code, name or local code) or an import into one grid settles it.
    expect(locate(index, at('1', '2', '301', '第2网格'))).toEqual({
      kind: 'found',
      place: place('h-g2-2-301', g2),
    })
    expect(locate(index, at('1', '2', '301', 'G01'))).toEqual({
      kind: 'found',
      place: place('h-g1-2-301', g1),
    })
    expect(locate(community(g2), at('1', '2', '301'))).toEqual({
      kind: 'found',
      place: place('h-g2-2-301', g2),
    })
  })

  it('places a new room in the one building of that number, and a new building in a named grid', () => {
    const index = community()
    expect(locate(index, at('7', '1', '101'))).toMatchObject({
      kind: 'newHousehold',
      building: { id: 'g1-b7' },
    })
    expect(locate(index, at('8', '1', '101', '第2网格'))).toMatchObject({
      kind: 'newBuilding',
      grid: g2,
    })
    expect(locate(index, at('8', '1', '101'))).toMatchObject({
      kind: 'rejected',
      reason: { code: 'ROW_BUILDING_NOT_FOUND' },
    })
    expect(locate(index, at('1', '1', '101', '第9网格'))).toMatchObject({
      kind: 'rejected',
      reason: { code: 'ROW_GRID_NOT_FOUND', params: { grid: '第9网格', place: '石鼓路社区' } },
    })
  })

  it('says once what a missing building needs, instead of sending the user in a circle', () => {
    const index = community()
    const noGrid = at('8', '1', '101')
    // Without "create missing": tick it, and the file needs a 网格 column (both in one reason).
    expect(creationAllowed(locate(index, noGrid), noGrid, false, '石鼓路社区')).toMatchObject({
      code: 'ROW_BUILDING_NOT_FOUND',
    })
    // With it but no grid: only the 网格 column is missing.
    expect(creationAllowed(locate(index, noGrid), noGrid, true, '石鼓路社区')).toMatchObject({
      code: 'ROW_BUILDING_NEEDS_GRID',
    })
    // With a grid, the building is created.
    const named = at('8', '1', '101', '第2网格')
    expect(creationAllowed(locate(index, named), named, true, '石鼓路社区')).toBeUndefined()
    expect(creationAllowed(locate(index, named), named, false, '石鼓路社区')).toMatchObject({
      code: 'ROW_BUILDING_NOT_FOUND',
    })
    const room = at('7', '1', '101')
    expect(creationAllowed(locate(index, room), room, false, '石鼓路社区')).toMatchObject({
      code: 'ROW_ROOM_NOT_FOUND',
      params: { building: '7', unit: '1', room: '101' },
    })
  })

  it('reads the floor of a room number written as floor and door', () => {
    expect(floorOfRoom('1201')).toBe(12)
    expect(floorOfRoom('301')).toBe(3)
    expect(floorOfRoom('A1')).toBeNull()
  })
})

describe('a roster row against the registered person', () => {
  const same = {
    exists: true,
    inScope: true,
    sameName: true,
    sameHousehold: true,
    active: true,
    fieldsChanged: false,
    phoneChanged: false,
    tagsAdded: false,
  }
  it('creates, moves, updates or leaves alone; refuses another name and never moves someone outside the scope', () => {
    expect(classifyMatch({ ...same, exists: false })).toBe('new')
    expect(classifyMatch(same)).toBe('unchanged')
    expect(classifyMatch({ ...same, phoneChanged: true })).toBe('updated')
    expect(classifyMatch({ ...same, tagsAdded: true })).toBe('updated')
    expect(classifyMatch({ ...same, sameHousehold: false })).toBe('moved')
    expect(classifyMatch({ ...same, active: false })).toBe('moved')
    expect(classifyMatch({ ...same, sameName: false })).toBe('nameMismatch')
    expect(classifyMatch({ ...same, inScope: false, sameName: false })).toBe('elsewhere')
  })
})
