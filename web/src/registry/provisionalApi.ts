/**
 * The 临时人员 list and its reconciliation (GET /api/provisional-residents, confirm / merge /
 * pass-through), typed from the server's schema (`import type`: no server code reaches the bundle).
 */
import type { z } from 'zod'
import type {
  confirmProvisionalIn,
  mergeProvisionalIn,
  passThroughIn,
  provisionalListQuery,
  provisionalOut,
} from '../../../src/registry/provisional.schema.js'
import type { ProvisionalStatus } from '../../../src/registry/registry.vocab.js'
import { api, query, type Page } from '../api'

export type Provisional = z.infer<typeof provisionalOut>
export type ProvisionalQuery = Partial<z.infer<typeof provisionalListQuery>>
export type { ProvisionalStatus }
export { PROVISIONAL_STATUSES } from '../../../src/registry/registry.vocab.js'

export const provisionalApi = {
  list: (q: ProvisionalQuery): Promise<Page<Provisional>> =>
    api.get<Page<Provisional>>(`/api/provisional-residents${query(q)}`),
  confirm: (id: string, body: z.input<typeof confirmProvisionalIn>): Promise<Provisional> =>
    api.post<Provisional>(`/api/provisional-residents/${id}/confirm`, body),
  merge: (id: string, body: z.input<typeof mergeProvisionalIn>): Promise<Provisional> =>
    api.post<Provisional>(`/api/provisional-residents/${id}/merge`, body),
  passThrough: (id: string, body: z.input<typeof passThroughIn>): Promise<Provisional> =>
    api.post<Provisional>(`/api/provisional-residents/${id}/pass-through`, body),
}
