import { useQuery } from '@tanstack/react-query'
import { testingApi, type Site } from './api'

/**
 * The sampling sites of my area. In a file of its own so the sampling screen, which only reads
 * them, does not load the sites card (antd's Table, Form and Modal) on a phone.
 */
export function useSites(): ReturnType<typeof useQuery<{ items: Site[] }>> {
  return useQuery({ queryKey: ['sites'], queryFn: testingApi.sites })
}
