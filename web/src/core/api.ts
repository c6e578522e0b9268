/**
 * The core endpoints (session, users, tree, audit) as the web app calls them. Every type here is
 * inferred from the server's zod schema (`import type`, so no server code reaches the bundle):
 * a field the server renames or drops is a compile error in the pages that read it.
 */
import type { z } from 'zod'
import type {
  meOut,
  scopeNodeOut,
  userOut,
  createdUserOut,
  createUserIn,
  updateUserIn,
  setScopeIn,
  rolesOut,
  resetPasswordOut,
  totpSetupOut,
} from '../../../src/core/auth/auth.schema.js'
import type {
  divisionOut,
  divisionPage,
  divisionDetailOut,
  createDivisionIn,
  listDivisionsQuery,
} from '../../../src/core/tree/tree.schema.js'
import type { entryOut, verifyOut } from '../../../src/core/audit/audit.schema.js'
import { ROLES, type Role } from '../../../src/core/auth/roles.js'
import { api, query } from '../api'

export { ROLES, type Role }

export type ScopeNode = z.infer<typeof scopeNodeOut>
export type Me = z.infer<typeof meOut>
export type User = z.infer<typeof userOut>
export type CreatedUser = z.infer<typeof createdUserOut>
export type RoleRow = z.infer<typeof rolesOut>['items'][number]
export type ResetPassword = z.infer<typeof resetPasswordOut>
export type TotpSetup = z.infer<typeof totpSetupOut>
export type CreateUserIn = z.input<typeof createUserIn>
export type UpdateUserIn = z.input<typeof updateUserIn>
export type Division = z.infer<typeof divisionOut>
export type DivisionDetail = z.infer<typeof divisionDetailOut>
export type DivisionPage = z.infer<typeof divisionPage>
export type CreateDivisionIn = z.input<typeof createDivisionIn>
export type DivisionQuery = Partial<z.infer<typeof listDivisionsQuery>>

/** One audit entry, as the audit list sends it. */
export type AuditEntry = z.infer<typeof entryOut>
/** The answer of the chain check (POST /api/audit/verify). */
export type AuditVerify = z.infer<typeof verifyOut>

export const authApi = {
  me: (): Promise<Me> => api.get<Me>('/api/auth/me'),
  setScope: (body: z.input<typeof setScopeIn>): Promise<Me> => api.put<Me>('/api/auth/scope', body),
  logout: (everywhere: boolean): Promise<unknown> =>
    api.post(everywhere ? '/api/auth/logout-everywhere' : '/api/auth/logout'),
}

export const treeApi = {
  divisions: (q: DivisionQuery = {}): Promise<DivisionPage> =>
    api.get<DivisionPage>(`/api/divisions${query(q)}`),
  division: (id: string): Promise<DivisionDetail> =>
    api.get<DivisionDetail>(`/api/divisions/${id}`),
  create: (body: CreateDivisionIn): Promise<Division> => api.post<Division>('/api/divisions', body),
}

/**
 * Every page of a keyset list, following `next` to the end. For lists a person walks (the
 * children of a tree node), where stopping at one page would silently hide the rest.
 */
export async function fetchAllDivisions(
  q: Omit<DivisionQuery, 'after' | 'limit'> = {},
): Promise<Division[]> {
  const out: Division[] = []
  let after: string | undefined
  do {
    const page = await treeApi.divisions({ ...q, limit: 500, ...(after ? { after } : {}) })
    out.push(...page.items)
    after = page.next ?? undefined
  } while (after)
  return out
}
