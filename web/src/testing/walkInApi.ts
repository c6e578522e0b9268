/**
 * 登记临时人员 at a round's sampling desk (POST /api/rounds/:id/walk-ins), typed from the server's
 * schema (`import type`: no server code reaches the bundle). The answer's code goes straight into
 * the scan flow, as if scanned.
 */
import type { z } from 'zod'
import type { walkInIn, walkInOut } from '../../../src/testing/walkin.schema.js'
import { api } from '../api'

export type WalkInIn = z.input<typeof walkInIn>
export type WalkInOut = z.infer<typeof walkInOut>

export const walkInApi = {
  register: (roundId: string, body: WalkInIn): Promise<WalkInOut> =>
    api.post<WalkInOut>(`/api/rounds/${roundId}/walk-ins`, body),
}
