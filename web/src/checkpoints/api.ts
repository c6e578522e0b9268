/**
 * The checkpoints endpoints (卡口) as the web app calls them, typed from
 * src/checkpoints/checkpoints.schema.ts (`import type`: no server code reaches the bundle).
 */
import type { z } from 'zod'
import type {
  ArrivalListQuery,
  ArrivalOut,
  CheckpointIn,
  CheckpointOut,
  CheckpointPatch,
  ConfirmArrivalIn,
  arrivalReceipt,
  arrivalReportIn,
  publicCheckpointOut,
} from '../../../src/checkpoints/checkpoints.schema.js'
import { api, query } from '../api'

export type { ArrivalOut, CheckpointIn, CheckpointOut }
/** What a form sends (defaults filled by the server). */
export type ArrivalReportBody = z.input<typeof arrivalReportIn>
export type ArrivalReceipt = z.infer<typeof arrivalReceipt>
export type PublicCheckpoint = z.infer<typeof publicCheckpointOut>
export type Origin = ArrivalOut['origin']
export type CodeColour = ArrivalOut['healthCode']

export const CODE_COLOURS: readonly CodeColour[] = ['green', 'yellow', 'red']

const enc = encodeURIComponent

export const checkpointsApi = {
  list: (communityId?: string): Promise<{ items: CheckpointOut[] }> =>
    api.get(`/api/checkpoints${query({ communityId })}`),
  get: (id: string): Promise<CheckpointOut> => api.get(`/api/checkpoints/${enc(id)}`),
  create: (body: CheckpointIn): Promise<CheckpointOut> => api.post('/api/checkpoints', body),
  update: (id: string, body: CheckpointPatch): Promise<CheckpointOut> =>
    api.patch(`/api/checkpoints/${enc(id)}`, body),
  archive: (id: string): Promise<null> => api.delete(`/api/checkpoints/${enc(id)}`),
  rotate: (id: string): Promise<CheckpointOut> =>
    api.post(`/api/checkpoints/${enc(id)}/rotate-token`),
  publicForm: (token: string): Promise<PublicCheckpoint> =>
    api.get(`/api/public/report/${enc(token)}`),
  selfReport: (token: string, body: ArrivalReportBody): Promise<ArrivalReceipt> =>
    api.post(`/api/public/report/${enc(token)}`, body),
  registerAtGate: (id: string, body: ArrivalReportBody): Promise<ArrivalOut> =>
    api.post(`/api/checkpoints/${enc(id)}/arrivals`, body),
  byReference: (id: string, reference: string): Promise<ArrivalOut> =>
    api.get(`/api/checkpoints/${enc(id)}/arrivals/${enc(reference)}`),
  confirm: (id: string, body: ConfirmArrivalIn): Promise<ArrivalOut> =>
    api.post(`/api/arrivals/${enc(id)}/confirm`, body),
  startMeasure: (id: string): Promise<ArrivalOut> => api.post(`/api/arrivals/${enc(id)}/measure`),
  arrivals: (q: Partial<ArrivalListQuery>): Promise<{ items: ArrivalOut[] }> =>
    api.get(`/api/arrivals${query(q)}`),
}
