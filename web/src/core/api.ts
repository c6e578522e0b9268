/**
 * The core endpoints (session, users, tree, audit) as the web app calls them. Every type here is
 * inferred from the server's zod schema (`import type`, so no server code reaches the bundle):
 * a field the server renames or drops is a compile error in the pages that read it.
 */
import type { z } from 'zod'
import type { meOut, scopeNodeOut, userOut, createdUserOut, createUserIn, updateUserIn, setScopeIn } from '../../../src/core/auth/auth.schema.js'
import type { divisionOut, divisionPage, divisionDetailOut, createDivisionIn, listDivisionsQuery } from '../../../src/core/tree/tree.schema.js'
import { ROLES, type Role } from '../../../src/core/auth/roles.js'
import { api, query } from '../api'

export { ROLES, type Role }

export type ScopeNode = z.infer<typeof scopeNodeOut>
export type Me = z.infer<typeof meOut>
export type User = z.infer<typeof userOut>
export type CreatedUser = z.infer<typeof createdUserOut>
export type CreateUserIn = z.input<typeof createUserIn>
export type UpdateUserIn = z.input<typeof updateUserIn>
export type Division = z.infer<typeof divisionOut>
export type DivisionDetail = z.infer<typeof divisionDetailOut>
export type DivisionPage = z.infer<typeof divisionPage>
export type CreateDivisionIn = z.input<typeof createDivisionIn>
export type DivisionQuery = Partial<z.infer<typeof listDivisionsQuery>>

/**
 * One audit entry. TODO(issue 9 item 1): the audit route's `entryOut` is not exported from a
 * schema file (it is local to src/core/audit/audit.routes.ts, which imports Fastify); once it
 * moves to an audit schema file this becomes `z.infer<typeof entryOut>`.
 */
export interface AuditEntry {
  id: number
  at: string
  actorId: string | null
  actorName: string
  action: string
  targetType: string | null
  targetId: string | null
  targetLabel: string | null
  scopePath: string | null
  ip: string | null
  reason: string | null
  detail: Record<string, unknown> | null
}

export const authApi = {
  me: (): Promise<Me> => api.get<Me>('/api/auth/me'),
  setScope: (body: z.input<typeof setScopeIn>): Promise<Me> => api.put<Me>('/api/auth/scope', body),
  logout: (everywhere: boolean): Promise<unknown> => api.post(everywhere ? '/api/auth/logout-everywhere' : '/api/auth/logout'),
}

export const treeApi = {
  divisions: (q: DivisionQuery = {}): Promise<DivisionPage> => api.get<DivisionPage>(`/api/divisions${query(q)}`),
  division: (id: string): Promise<DivisionDetail> => api.get<DivisionDetail>(`/api/divisions/${id}`),
  create: (body: CreateDivisionIn): Promise<Division> => api.post<Division>('/api/divisions', body),
}

/**
 * Every page of a keyset list, following `next` to the end. For lists a person walks (the
 * children of a tree node), where stopping at one page would silently hide the rest.
 */
export async function fetchAllDivisions(q: Omit<DivisionQuery, 'after' | 'limit'> = {}): Promise<Division[]> {
  const out: Division[] = []
  let after: string | undefined
  do {
    const page = await treeApi.divisions({ ...q, limit: 500, ...(after ? { after } : {}) })
    out.push(...page.items)
    after = page.next ?? undefined
  } while (after)
  return out
}
