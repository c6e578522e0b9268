import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query'
import type { Page } from '../api'

export interface KeysetList<T> {
  /** Every row loaded so far, page after page. */
  items: T[]
  loading: boolean
  error: unknown
  hasMore: boolean
  loadingMore: boolean
  loadMore: () => void
}

/**
 * A keyset-paginated list (`{ items, next }`): the first page, then the next one on demand,
 * never an OFFSET. `fetchPage(after)` asks for the page after the cursor (null: the first).
 */
export function useKeysetList<T, K = string>(
  queryKey: QueryKey,
  fetchPage: (after: K | null) => Promise<Page<T, K>>,
  options: { enabled?: boolean } = {},
): KeysetList<T> {
  const q = useInfiniteQuery({
    queryKey,
    initialPageParam: null as K | null,
    queryFn: ({ pageParam }) => fetchPage(pageParam as K | null),
    getNextPageParam: (last) => last.next,
    enabled: options.enabled,
  })
  return {
    items: q.data?.pages.flatMap((p) => p.items) ?? [],
    loading: q.isLoading,
    error: q.error,
    hasMore: q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    loadMore: () => void q.fetchNextPage(),
  }
}
