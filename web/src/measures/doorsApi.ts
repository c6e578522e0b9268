/**
 * The door-sensor endpoints (门磁) as the web app calls them, typed from
 * src/measures/doors.schema.ts (`import type`: no server code reaches the bundle).
 */
import type {
  DoorEventsOut,
  RegisterSensorIn,
  SensorCreatedOut,
  SensorOut,
  SensorsOut,
} from '../../../src/measures/doors.schema.js'
import { api, query } from '../api'

export type { DoorEventsOut, SensorCreatedOut, SensorOut }
export type DoorEvent = DoorEventsOut['items'][number]

export const doorsApi = {
  sensors: (q: { divisionId?: string; householdId?: string }): Promise<SensorsOut> =>
    api.get<SensorsOut>(`/api/measures/doors/sensors${query(q)}`),
  register: (body: RegisterSensorIn): Promise<SensorCreatedOut> =>
    api.post<SensorCreatedOut>('/api/measures/doors/sensors', body),
  rotate: (id: string): Promise<SensorCreatedOut> =>
    api.post<SensorCreatedOut>(`/api/measures/doors/sensors/${id}/rotate`),
  revoke: (id: string): Promise<void> => api.post<void>(`/api/measures/doors/sensors/${id}/revoke`),
  events: (q: { divisionId?: string; limit?: number }): Promise<DoorEventsOut> =>
    api.get<DoorEventsOut>(`/api/measures/doors/events${query(q)}`),
}
