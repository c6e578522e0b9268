/** The alerts endpoints as the web app calls them, typed from src/alerts/alerts.schema.ts. */
import type { z } from 'zod'
import type { alertList, alertOut } from '../../../src/alerts/alerts.schema.js'
import { api } from '../api'

export type AlertItem = z.infer<typeof alertOut>
export type AlertList = z.infer<typeof alertList>

export const alertsApi = {
  list: (open: boolean): Promise<AlertList> => api.get<AlertList>(`/api/alerts?open=${open}`),
  /** One alert with every line of its group (the list carries the first 20). */
  get: (id: number): Promise<AlertItem> => api.get<AlertItem>(`/api/alerts/${id}`),
  acknowledge: (id: number): Promise<unknown> => api.post(`/api/alerts/${id}/acknowledge`),
}
