import { inTransaction, type Db } from '../db/db.js'
import { conflict, invalid, notFound } from '../errors.js'
import { authorize } from '../auth/authorize.js'
import type { Actor } from '../auth/actor.js'
import { assertPathInScope, isWholeDeployment } from '../scope/scope.js'
import { audit, registerAuditTargetLabeler } from '../audit/audit.service.js'
import {
  findDivisionByCode,
  findDivisionById,
  findDivisionsByPaths,
  insertDivision,
  listDivisions,
  divisionNamesByIds,
  type DivisionListRow,
  type DivisionRow,
} from './tree.repo.js'
import {
  LEVELS,
  type CreateDivisionIn,
  type DivisionOut,
  type Level,
  type ListDivisionsQuery,
} from './tree.schema.js'

registerAuditTargetLabeler('division', divisionNamesByIds)

export function toDivisionOut(r: DivisionListRow): DivisionOut {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level as Level,
    parentId: r.parentId,
    path: r.path,
    childCount: r.childCount,
  }
}

/** Codes per level (domain.md §2): 6-digit county, 9-digit township, 12-digit village; grids local. */
export function checkDivisionCode(level: Level, code: string, parentCode: string | null): void {
  if (level === 'grid') {
    if (!/^[A-Za-z0-9-]{1,40}$/.test(code)) throw invalid('code', 'DIVISION_CODE_GRID')
    return
  }
  const digits = { district: 6, street: 9, community: 12 }[level]
  if (!new RegExp(`^\\d{${digits}}$`).test(code))
    throw invalid('code', 'DIVISION_CODE_DIGITS', { level, digits })
  if (parentCode && !code.startsWith(parentCode))
    throw invalid('code', 'DIVISION_CODE_PREFIX', { parentCode })
}

/** Children of a node, or the actor's own scope roots when no parent is given. */
export async function listDivisionChildren(
  db: Db,
  actor: Actor,
  q: ListDivisionsQuery,
): Promise<{ items: DivisionOut[]; next: string | null }> {
  authorize(actor, 'tree:read')
  let items
  if (q.parentId || q.q || q.level) {
    items = await listDivisions(db, {
      parentId: q.parentId,
      q: q.q,
      level: q.level,
      after: q.after,
      limit: q.limit,
      reader: actor,
    })
  } else if (isWholeDeployment(actor)) {
    items = await listDivisions(db, {
      parentId: null,
      after: q.after,
      limit: q.limit,
      reader: actor,
    })
  } else {
    items = await findDivisionsByPaths(db, actor.scopePaths)
  }
  const next = items.length === q.limit ? items[items.length - 1]!.code : null
  return { items: items.map(toDivisionOut), next }
}

export async function getDivision(
  db: Db,
  actor: Actor,
  id: string,
): Promise<DivisionOut & { ancestors: Pick<DivisionOut, 'id' | 'code' | 'name' | 'level'>[] }> {
  authorize(actor, 'tree:read')
  const row = await findDivisionById(db, id)
  if (!row) throw notFound('DIVISION_NOT_FOUND')
  assertPathInScope(actor, { type: 'division', id, path: row.path })
  const codes = row.path.split('/').filter(Boolean)
  const ancestorPaths = codes
    .slice(0, -1)
    .map((_, i) => '/' + codes.slice(0, i + 1).join('/') + '/')
  const ancestors = await findDivisionsByPaths(db, ancestorPaths)
  return {
    ...toDivisionOut(row),
    ancestors: ancestors.map((a) => ({
      id: a.id,
      code: a.code,
      name: a.name,
      level: a.level as Level,
    })),
  }
}

/** Adds a node under one in the actor's scope. Given a transaction it runs inside it (a savepoint); given the database, in one of its own. */
export async function createDivision(
  db: Db,
  actor: Actor,
  input: CreateDivisionIn,
): Promise<DivisionOut> {
  authorize(actor, 'tree:manage')
  let parent: DivisionRow | undefined
  if (input.level === 'district') {
    if (input.parentId) throw invalid('parentId', 'DISTRICT_HAS_NO_PARENT')
    if (!isWholeDeployment(actor)) throw invalid('level', 'DISTRICT_WHOLE_ONLY')
  } else {
    if (!input.parentId) throw invalid('parentId', 'DIVISION_NEEDS_PARENT', { level: input.level })
    parent = await findDivisionById(db, input.parentId)
    if (!parent) throw invalid('parentId', 'DIVISION_NOT_FOUND')
    assertPathInScope(actor, { type: 'division', id: parent.id, path: parent.path })
    const expectedParent = LEVELS[LEVELS.indexOf(input.level) - 1]
    if (parent.level !== expectedParent)
      throw invalid('level', 'DIVISION_WRONG_PARENT', {
        level: input.level,
        expectedLevel: expectedParent ?? '',
        actualLevel: parent.level,
      })
  }
  checkDivisionCode(input.level, input.code, parent?.code ?? null)
  if (await findDivisionByCode(db, input.code))
    throw conflict('DIVISION_CODE_TAKEN', { code: input.code })
  const path = `${parent?.path ?? '/'}${input.code}/`
  const row = await inTransaction(db, async (tx) => {
    const inserted = await insertDivision(tx, {
      code: input.code,
      name: input.name,
      level: input.level,
      parentId: parent?.id ?? null,
      path,
    })
    await audit(
      tx,
      actor,
      'tree.create',
      { type: 'division', id: inserted.id, path: inserted.path },
      { detail: { code: inserted.code, name: inserted.name, level: inserted.level } },
    )
    return inserted
  })
  return toDivisionOut(row)
}

/** Resolves division ids to paths, all of which must lie within the actor's scope. */
export async function resolveScopeDivisions(
  db: Db,
  actor: Actor,
  ids: string[],
): Promise<DivisionRow[]> {
  const found: DivisionRow[] = []
  for (const [i, id] of ids.entries()) {
    const row = await findDivisionById(db, id)
    if (!row) throw invalid(`scopeDivisionIds.${i}`, 'DIVISION_NOT_FOUND')
    assertPathInScope(actor, { type: 'division', id, path: row.path })
    found.push(row)
  }
  return found
}
