/**
 * The risk-area endpoints (风险区) as the web app calls them, typed from
 * src/zones/zones.schema.ts (`import type`: no server code reaches the bundle).
 */
import type {
  AreaDetailOut,
  AreaListQuery,
  AreaPage,
  AreaSummaryOut,
  ChangeLevelIn,
  CountdownOut,
  CreateAreaIn,
  ExtentIn,
  LiftIn,
  WidenIn,
  ZoneSettingsOut,
  AreaRoundOut,
} from '../../../src/zones/zones.schema.js'
import type {
  InsidePage,
  InsideQuery,
  VulnerablePage,
  VulnerableQuery,
} from '../../../src/zones/zones.inside.schema.js'
import { api, query } from '../api'

export type { InsidePage, InsideQuery, VulnerablePage, VulnerableQuery }
export type { AreaDetailOut, AreaSummaryOut, CountdownOut, CreateAreaIn, ExtentIn, ZoneSettingsOut }
export type ZoneLevel = AreaSummaryOut['level']
export type ExtentKind = ExtentIn['kind']

export const zonesApi = {
  settings: (): Promise<ZoneSettingsOut> => api.get<ZoneSettingsOut>('/api/zones/settings'),
  list: (q: Partial<AreaListQuery>): Promise<AreaPage> =>
    api.get<AreaPage>(`/api/zones/areas${query(q)}`),
  area: (id: string): Promise<AreaDetailOut> => api.get<AreaDetailOut>(`/api/zones/areas/${id}`),
  create: (body: CreateAreaIn): Promise<AreaDetailOut> =>
    api.post<AreaDetailOut>('/api/zones/areas', body),
  widen: (id: string, body: WidenIn): Promise<AreaDetailOut> =>
    api.post<AreaDetailOut>(`/api/zones/areas/${id}/extents`, body),
  changeLevel: (id: string, body: ChangeLevelIn): Promise<AreaDetailOut> =>
    api.post<AreaDetailOut>(`/api/zones/areas/${id}/level`, body),
  lift: (id: string, body: LiftIn): Promise<AreaDetailOut> =>
    api.post<AreaDetailOut>(`/api/zones/areas/${id}/lift`, body),
  startRound: (id: string): Promise<AreaRoundOut> =>
    api.post<AreaRoundOut>(`/api/zones/areas/${id}/rounds`, {}),
  residents: (id: string, q: Partial<InsideQuery>): Promise<InsidePage> =>
    api.get<InsidePage>(`/api/zones/areas/${id}/residents${query(q)}`),
  vulnerable: (id: string, q: Partial<VulnerableQuery>): Promise<VulnerablePage> =>
    api.get<VulnerablePage>(`/api/zones/areas/${id}/vulnerable${query(q)}`),
}
