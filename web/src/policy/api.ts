/** The policy endpoints as the web app calls them, typed from src/policy/policy.schema.ts. */
import type { z } from 'zod'
import type {
  activateIn,
  activationOut,
  diffOut,
  inForceOut,
  overrideIn,
  overrideListOut,
  overrideOut,
  profileListOut,
  profileOut,
} from '../../../src/policy/policy.schema.js'
import { api, query } from '../api'

export type InForce = z.infer<typeof inForceOut>
export type ProfileList = z.infer<typeof profileListOut>
export type ProfileDetail = z.infer<typeof profileOut>
export type Activation = z.infer<typeof activationOut>
export type ActivateBody = z.input<typeof activateIn>
export type Diff = z.infer<typeof diffOut>
export type Override = z.infer<typeof overrideOut>
export type OverrideList = z.infer<typeof overrideListOut>
export type OverrideBody = z.input<typeof overrideIn>

export const policyApi = {
  inForce: (): Promise<InForce> => api.get<InForce>('/api/policy/in-force'),
  profiles: (): Promise<ProfileList> => api.get<ProfileList>('/api/policy/profiles'),
  profile: (name: string): Promise<ProfileDetail> =>
    api.get<ProfileDetail>(`/api/policy/profiles/${encodeURIComponent(name)}`),
  diff: (a: string, b: string): Promise<Diff> =>
    api.get<Diff>(`/api/policy/diff${query({ a, b })}`),
  activate: (body: ActivateBody): Promise<Activation> =>
    api.post<Activation>('/api/policy/activations', body),
  overrides: (withdrawn: boolean): Promise<OverrideList> =>
    api.get<OverrideList>(`/api/policy/overrides${query({ withdrawn: withdrawn || undefined })}`),
  addOverride: (body: OverrideBody): Promise<Override> =>
    api.post<Override>('/api/policy/overrides', body),
  withdrawOverride: (id: number, reason: string): Promise<Override> =>
    api.post<Override>(`/api/policy/overrides/${id}/withdraw`, { reason }),
}
