/**
 * The decisions of a roster import that need no database: where a row's address lies (the
 * grid inferred from the household when building numbers repeat across grids), what to do with
 * a person the registry already knows. roster.service.ts reads and writes around them.
 */

export interface Place {
  householdId: string
  gridId: string
  gridPath: string
  sortKey: string
  label: string
}

export interface GridRef {
  id: string
  code: string
  name: string
  path: string
}

export interface BuildingRef {
  id: string
  code: string
  gridId: string
  gridPath: string
}

export interface PlaceIndex {
  target: { id: string; path: string; name: string }
  /** The grid a row without a 网格 cell belongs to when the import targets one grid. */
  defaultGrid: GridRef | undefined
  /** Grid code, name and local code (after the last '-') → grid. */
  grids: Map<string, GridRef>
  /** `${gridCode}|${building}|${unit}|${room}` → household. */
  households: Map<string, Place>
  /** `${building}|${unit}|${room}` → the household, or null when several grids have one there. */
  anyHousehold: Map<string, Place | null>
  /** `${gridCode}|${building}` → building. */
  buildings: Map<string, BuildingRef>
  /** building code → the grids that have a building of that code. */
  buildingGrids: Map<string, GridRef[]>
}

/** A reason as data (imports.messages.ts renders it). */
export interface PlaceReason {
  code:
    | 'ROW_GRID_NOT_FOUND'
    | 'ROW_BUILDING_AMBIGUOUS'
    | 'ROW_BUILDING_NOT_FOUND'
    | 'ROW_BUILDING_NEEDS_GRID'
    | 'ROW_ROOM_NOT_FOUND'
  field: 'grid' | 'building' | 'room'
  params: Record<string, string>
}

export interface RosterAddress {
  grid: string | undefined
  building: string
  unit: string
  room: string
}

/** Where a row goes: a known household, one to create (in a known or a new building), or why neither. */
export type Located =
  | { kind: 'found'; place: Place }
  | { kind: 'newHousehold'; building: BuildingRef; key: string }
  | { kind: 'newBuilding'; grid: GridRef; key: string }
  | { kind: 'rejected'; reason: PlaceReason }

export function emptyPlaceIndex(target: PlaceIndex['target'], defaultGrid?: GridRef): PlaceIndex {
  return {
    target,
    defaultGrid,
    grids: new Map(),
    households: new Map(),
    anyHousehold: new Map(),
    buildings: new Map(),
    buildingGrids: new Map(),
  }
}

export function addGrid(index: PlaceIndex, g: GridRef): void {
  index.grids.set(g.code, g)
  index.grids.set(g.name, g)
  const local = g.code.split('-').pop()!
  if (!index.grids.has(local)) index.grids.set(local, g)
}

export function addBuilding(index: PlaceIndex, grid: GridRef, b: BuildingRef): void {
  index.buildings.set(`${grid.code}|${b.code}`, b)
  const grids = index.buildingGrids.get(b.code) ?? []
  if (!grids.some((g) => g.id === grid.id)) grids.push(grid)
  index.buildingGrids.set(b.code, grids)
}

export function addHousehold(
  index: PlaceIndex,
  gridCode: string,
  address: { building: string; unit: string; room: string },
  place: Place,
): void {
  index.households.set(`${gridCode}|${address.building}|${address.unit}|${address.room}`, place)
  const any = `${address.building}|${address.unit}|${address.room}`
  const seen = index.anyHousehold.get(any)
  index.anyHousehold.set(
    any,
    seen === undefined || seen?.householdId === place.householdId ? place : null,
  )
}

/** Whether any building code of the index repeats across grids (the import then says so once). */
export function buildingRepeats(index: PlaceIndex, building: string): boolean {
  return (index.buildingGrids.get(building)?.length ?? 0) > 1
}

/**
 * Where a roster address lies. A 网格 cell (or an import into one grid) names the grid;
 * without one, the household decides, so building numbers that repeat across the grids of a
 * community (the demo city numbers each grid's buildings from 1) still place every row whose
 * household exists in exactly one of them.
 */
export function locate(index: PlaceIndex, a: RosterAddress): Located {
  let grid: GridRef | undefined = index.defaultGrid
  if (a.grid) {
    grid = index.grids.get(a.grid)
    if (!grid)
      return {
        kind: 'rejected',
        reason: {
          code: 'ROW_GRID_NOT_FOUND',
          field: 'grid',
          params: { grid: a.grid, place: index.target.name },
        },
      }
  }
  if (grid) {
    const key = `${grid.code}|${a.building}|${a.unit}|${a.room}`
    const found = index.households.get(key)
    if (found) return { kind: 'found', place: found }
    const b = index.buildings.get(`${grid.code}|${a.building}`)
    if (b) return { kind: 'newHousehold', building: b, key }
    return { kind: 'newBuilding', grid, key }
  }
  const any = index.anyHousehold.get(`${a.building}|${a.unit}|${a.room}`)
  if (any) return { kind: 'found', place: any }
  const grids = index.buildingGrids.get(a.building) ?? []
  if (any === null || grids.length > 1) {
    return {
      kind: 'rejected',
      reason: {
        code: 'ROW_BUILDING_AMBIGUOUS',
        field: 'building',
        params: { building: a.building, grids: grids.map((g) => g.name).join('、') },
      },
    }
  }
  if (grids.length === 1) {
    const g = grids[0]!
    return {
      kind: 'newHousehold',
      building: index.buildings.get(`${g.code}|${a.building}`)!,
      key: `${g.code}|${a.building}|${a.unit}|${a.room}`,
    }
  }
  return {
    kind: 'rejected',
    reason: {
      code: 'ROW_BUILDING_NOT_FOUND',
      field: 'building',
      params: { building: a.building, place: index.target.name },
    },
  }
}

/**
 * What may be created for a located row. Without "create missing" nothing is; a new building
 * needs its grid (a 网格 column or an import into one grid), and the reason says both at once.
 */
export function creationAllowed(
  located: Located,
  a: RosterAddress,
  createMissing: boolean,
  place: string,
): PlaceReason | undefined {
  if (located.kind === 'newHousehold' && !createMissing)
    return {
      code: 'ROW_ROOM_NOT_FOUND',
      field: 'room',
      params: { building: a.building, unit: a.unit, room: a.room },
    }
  if (located.kind === 'newBuilding' && !createMissing)
    return {
      code: 'ROW_BUILDING_NOT_FOUND',
      field: 'building',
      params: { building: a.building, place },
    }
  if (
    located.kind === 'rejected' &&
    located.reason.code === 'ROW_BUILDING_NOT_FOUND' &&
    createMissing
  ) {
    return { code: 'ROW_BUILDING_NEEDS_GRID', field: 'building', params: { building: a.building } }
  }
  return located.kind === 'rejected' ? located.reason : undefined
}

/** The floor of a room number written as floor and door (1201 → 12); unknown otherwise. */
export function floorOfRoom(room: string): number | null {
  return /^\d{3,4}$/.test(room) ? Number(room.slice(0, -2)) : null
}

/** How a roster row relates to the resident registered with its ID, if any. */
export type Match = 'new' | 'elsewhere' | 'nameMismatch' | 'unchanged' | 'moved' | 'updated'

export function classifyMatch(m: {
  exists: boolean
  inScope: boolean
  sameName: boolean
  sameHousehold: boolean
  /** The registry's person lives here in the status the row says (or, with a 人员状态 cell, in a living one). */
  active: boolean
  /** The row's 人员状态 or 去向 differs from the registry's. */
  statusChanged?: boolean
  fieldsChanged: boolean
  phoneChanged: boolean
  tagsAdded: boolean
}): Match {
  if (!m.exists) return 'new'
  // Someone registered outside the caller's scope: neither named nor moved by a roster.
  if (!m.inScope) return 'elsewhere'
  // Same ID, another name: a typo in one of them, not a rename by roster.
  if (!m.sameName) return 'nameMismatch'
  const moved = !m.sameHousehold || !m.active
  if (moved) return 'moved'
  return m.fieldsChanged || m.phoneChanged || m.tagsAdded || m.statusChanged
    ? 'updated'
    : 'unchanged'
}
