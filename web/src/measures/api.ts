/**
 * The measures endpoints (隔离管控) as the web app calls them, typed from
 * src/measures/measures.schema.ts (`import type`: no server code reaches the bundle).
 */
import type {
  CategoriesOut,
  CheckinIn,
  CheckinResult,
  IndicatorsOut,
  MeasureDetailOut,
  MeasureListItem,
  MeasureListQuery,
  MeasurePage,
  NoticeOut,
  OverrideOut,
  ReleaseChecksOut,
  StartMeasureIn,
  TimelineOut,
} from '../../../src/measures/measures.schema.js'
import { api, query } from '../api'

export type {
  CategoriesOut,
  CheckinIn,
  IndicatorsOut,
  MeasureDetailOut,
  MeasureListItem,
  MeasurePage,
  NoticeOut,
  OverrideOut,
  ReleaseChecksOut,
  StartMeasureIn,
}
export type MeasureList = MeasureListQuery['list']
export type CategoryRule = CategoriesOut['items'][number]
export type NoticeKind = NoticeOut['kind']

// The server's own vocabularies (pure data): one list, no copy.
export {
  CHECKIN_SLOTS,
  END_REASONS,
  MEASURE_CATEGORIES,
  MEASURE_LISTS,
  PHASE_KINDS,
  SYMPTOMS,
  TEMPERATURE_MAX,
  TEMPERATURE_MIN,
} from '../../../src/measures/measures.schema.js'

export const measuresApi = {
  categories: (): Promise<CategoriesOut> => api.get<CategoriesOut>('/api/measures/categories'),
  start: (body: StartMeasureIn): Promise<MeasureDetailOut> =>
    api.post<MeasureDetailOut>('/api/measures', body),
  timeline: (residentId: string): Promise<TimelineOut> =>
    api.get<TimelineOut>(`/api/residents/${residentId}/measures`),
  measure: (id: string): Promise<MeasureDetailOut> =>
    api.get<MeasureDetailOut>(`/api/measures/${id}`),
  list: (q: Partial<MeasureListQuery>): Promise<MeasurePage> =>
    api.get<MeasurePage>(`/api/measures${query(q)}`),
  checkin: (
    id: string,
    body: Partial<CheckinIn> & { temperature: number },
  ): Promise<CheckinResult> => api.post<CheckinResult>(`/api/measures/${id}/checkins`, body),
  releaseChecks: (id: string): Promise<ReleaseChecksOut> =>
    api.get<ReleaseChecksOut>(`/api/measures/${id}/release-checks`),
  release: (id: string, note?: string): Promise<MeasureDetailOut> =>
    api.post<MeasureDetailOut>(`/api/measures/${id}/release`, note ? { note } : {}),
  /** Always in Chinese: the notice is the document the person keeps. */
  notice: (id: string, kind: NoticeKind): Promise<NoticeOut> =>
    api.get<NoticeOut>(`/api/measures/${id}/notice${query({ kind, lang: 'zh-CN' })}`),
  indicators: (divisionId?: string): Promise<IndicatorsOut> =>
    api.get<IndicatorsOut>(`/api/measures/indicators${query({ divisionId })}`),
}
