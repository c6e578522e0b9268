/**
 * The missed-test list's client (漏检名单): its two tabs, search, reasons with their undo, and
 * the resident's presence (在家 / 外出 / 返回), which the list reads across rounds. Types come
 * from the server's schemas (`import type`: no server code reaches the bundle).
 */
import type { z } from 'zod'
import type {
  missedItemOut,
  MISSED_VIEWS,
  recordMissedIn,
  recordMissedOut,
} from '../../../src/testing/missed.schema.js'
import type { presenceIn, presenceOut } from '../../../src/registry/registry.schema.js'
import { api, query, type Page } from '../api'

export type MissedRow = z.infer<typeof missedItemOut>
export type MissedView = (typeof MISSED_VIEWS)[number]
export type PresenceIn = z.input<typeof presenceIn>
export type Presence = z.infer<typeof presenceOut>

export const missedApi = {
  list: (
    roundId: string,
    q: { view: MissedView; grid?: string; q?: string; after?: string; limit?: number },
  ): Promise<Page<MissedRow>> =>
    api.get<Page<MissedRow>>(`/api/rounds/${roundId}/missed${query(q)}`),
  /** The sheet is written in `lang` (the UI language): title, headers and reasons. */
  exportUrl: (roundId: string, f: { grid?: string; q?: string; lang?: string }): string =>
    `/api/rounds/${roundId}/missed.xlsx${query(f)}`,
  record: (
    roundId: string,
    residentId: string,
    body: z.input<typeof recordMissedIn>,
  ): Promise<z.infer<typeof recordMissedOut>> =>
    api.put(`/api/rounds/${roundId}/missed/${residentId}`, body),
  /** The excused tab's undo: the person owes a swab again. */
  clear: (roundId: string, residentId: string): Promise<null> =>
    api.delete<null>(`/api/rounds/${roundId}/missed/${residentId}`),
  setPresence: (residentId: string, body: PresenceIn): Promise<Presence> =>
    api.put<Presence>(`/api/residents/${residentId}/presence`, body),
}
