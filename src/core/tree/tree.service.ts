import { sql } from 'drizzle-orm'
import type { Db } from '../db/db.js'
import { conflict, invalid, notFound } from '../errors.js'
import { authorize } from '../auth/authorize.js'
import { assertPathInScope, isWholeDeployment, scopeCondition, type Actor } from '../auth/actor.js'
import { appendAudit, registerAuditTargetLabeler } from '../audit/audit.service.js'
import { division } from './tree.tables.js'
import {
  findDivisionByCode,
  findDivisionById,
  findDivisionsByPaths,
  insertDivision,
  listDivisions,
  divisionNamesByIds,
  type DivisionRow,
} from './tree.repo.js'
import { LEVELS, type CreateDivisionIn, type DivisionOut, type Level, type ListDivisionsQuery } from './tree.schema.js'

registerAuditTargetLabeler('division', divisionNamesByIds)

export function toDivisionOut(r: DivisionRow): DivisionOut {
  return { id: r.id, code: r.code, name: r.name, level: r.level as Level, parentId: r.parentId, path: r.path, childCount: r.childCount }
}

/** Codes per level (domain.md §2): 6-digit county, 9-digit township, 12-digit village; grids local. */
export function checkDivisionCode(level: Level, code: string, parentCode: string | null): void {
  if (level === 'grid') {
    if (!/^[A-Za-z0-9-]{1,40}$/.test(code)) throw invalid('code', 'grid codes use letters, digits and "-" (1–40)')
    return
  }
  const digits = { district: 6, street: 9, community: 12 }[level]
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) throw invalid('code', `a ${level} code has ${digits} digits`)
  if (parentCode && !code.startsWith(parentCode)) throw invalid('code', `must start with the parent's code ${parentCode}`)
}

/** Children of a node, or the actor's own scope roots when no parent is given. */
export async function listDivisionChildren(db: Db, actor: Actor, q: ListDivisionsQuery): Promise<{ items: DivisionOut[]; next: string | null }> {
  authorize(actor, 'tree:read')
  const scope = scopeCondition(division.path, actor)
  let items
  if (q.parentId || q.q || q.level) {
    items = await listDivisions(db, { parentId: q.parentId, q: q.q, level: q.level, after: q.after, limit: q.limit, scope })
  } else if (isWholeDeployment(actor)) {
    items = await listDivisions(db, { parentId: null, after: q.after, limit: q.limit, scope })
  } else {
    items = await findDivisionsByPaths(db, actor.scopePaths)
  }
  const next = items.length === q.limit ? items[items.length - 1]!.code : null
  return { items: items.map(toDivisionOut), next }
}

export async function getDivision(db: Db, actor: Actor, id: string): Promise<DivisionOut & { ancestors: Pick<DivisionOut, 'id' | 'code' | 'name' | 'level'>[] }> {
  authorize(actor, 'tree:read')
  const row = await findDivisionById(db, id)
  if (!row) throw notFound('Division')
  assertPathInScope(actor, { type: 'division', id, path: row.path })
  const codes = row.path.split('/').filter(Boolean)
  const ancestorPaths = codes.slice(0, -1).map((_, i) => '/' + codes.slice(0, i + 1).join('/') + '/')
  const ancestors = await findDivisionsByPaths(db, ancestorPaths)
  return {
    ...toDivisionOut(row),
    ancestors: ancestors.map((a) => ({ id: a.id, code: a.code, name: a.name, level: a.level as Level })),
  }
}

export async function createDivision(db: Db, actor: Actor, input: CreateDivisionIn): Promise<DivisionOut> {
  authorize(actor, 'tree:manage')
  let parent: DivisionRow | undefined
  if (input.level === 'district') {
    if (input.parentId) throw invalid('parentId', 'a district has no parent')
    if (!isWholeDeployment(actor)) throw invalid('level', 'only a deployment-wide administrator adds districts')
  } else {
    if (!input.parentId) throw invalid('parentId', `a ${input.level} needs a parent`)
    parent = await findDivisionById(db, input.parentId)
    if (!parent) throw invalid('parentId', 'no such division')
    assertPathInScope(actor, { type: 'division', id: parent.id, path: parent.path })
    const expectedParent = LEVELS[LEVELS.indexOf(input.level) - 1]
    if (parent.level !== expectedParent) throw invalid('level', `a ${input.level} belongs under a ${expectedParent}, not a ${parent.level}`)
  }
  checkDivisionCode(input.level, input.code, parent?.code ?? null)
  if (await findDivisionByCode(db, input.code)) throw conflict(`code: ${input.code} is already used`)
  const path = `${parent?.path ?? '/'}${input.code}/`
  const row = await insertDivision(db, { code: input.code, name: input.name, level: input.level, parentId: parent?.id ?? null, path })
  await appendAudit(db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'tree.create',
    targetType: 'division',
    targetId: row.id,
    scopePath: row.path,
    ip: actor.ip,
    detail: { code: row.code, name: row.name, level: row.level },
  })
  return toDivisionOut(row)
}

/** Resolves division ids to paths, all of which must lie within the actor's scope. */
export async function resolveScopeDivisions(db: Db, actor: Actor, ids: string[]): Promise<DivisionRow[]> {
  const found: DivisionRow[] = []
  for (const [i, id] of ids.entries()) {
    const row = await findDivisionById(db, id)
    if (!row) throw invalid(`scopeDivisionIds[${i}]`, 'no such division')
    assertPathInScope(actor, { type: 'division', id, path: row.path })
    found.push(row)
  }
  return found
}

export async function countDivisions(db: Db): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(division)
  return r?.n ?? 0
}
