/**
 * The external risk-area list and itinerary classification as the web app calls them, typed from
 * src/arrivals/arrivals.schema.ts (`import type`: no server code reaches the bundle).
 */
import type {
  ClassificationOut,
  ClassifyIn,
  ExternalAreaIn,
  ExternalAreaOut,
  ExternalAreaPatch,
  ExternalImportReport,
  ExternalListQuery,
  ExternalPage,
} from '../../../src/arrivals/arrivals.schema.js'
import { api, query } from '../api'

export type {
  ClassificationOut,
  ExternalAreaIn,
  ExternalAreaOut,
  ExternalAreaPatch,
  ExternalImportReport,
  ExternalPage,
}
export type ExternalLevel = ExternalAreaOut['level']
export type ExternalStatus = ExternalAreaOut['status']

export const arrivalsApi = {
  list: (q: Partial<ExternalListQuery>): Promise<ExternalPage> =>
    api.get<ExternalPage>(`/api/arrivals/external-areas${query(q)}`),
  create: (body: ExternalAreaIn): Promise<{ area: ExternalAreaOut; updated: boolean }> =>
    api.post('/api/arrivals/external-areas', body),
  update: (id: string, body: ExternalAreaPatch): Promise<ExternalAreaOut> =>
    api.patch(`/api/arrivals/external-areas/${id}`, body),
  end: (id: string, on?: string): Promise<ExternalAreaOut> =>
    api.post(`/api/arrivals/external-areas/${id}/end`, on ? { on } : {}),
  importFile: (file: File): Promise<ExternalImportReport> => {
    const form = new FormData()
    form.append('file', file)
    return api.postForm<ExternalImportReport>('/api/arrivals/external-areas/import', form)
  },
  classify: (body: ClassifyIn): Promise<ClassificationOut> =>
    api.post('/api/arrivals/classify', body),
}
