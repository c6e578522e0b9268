import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError, type Me } from '../api'
import type { Permission } from '../../../src/permissions.js'
import { forgetOfflineData } from '../lib/offline'

export const ME_KEY = ['me']

/** The logged-in user, or null when there is no session. */
export function useMe(): { me: Me | null; loading: boolean } {
  const q = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api.get<Me>('/api/auth/me')
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null
        throw err
      }
    },
  })
  return { me: q.data ?? null, loading: q.isLoading }
}

export function useSetMe(): (me: Me | null) => void {
  const qc = useQueryClient()
  return (me) => {
    qc.setQueryData(ME_KEY, me)
    // Everything else was read as someone else, or in another scope.
    const others = {
      predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== ME_KEY[0],
    }
    if (me === null) {
      qc.removeQueries(others)
      forgetOfflineData()
    } else void qc.invalidateQueries(others)
  }
}

/** Whether the user's role holds a permission; an unknown name is a compile error (the server's own union). */
export function can(me: Me | null, permission: Permission): boolean {
  return !!me?.permissions.includes(permission)
}
