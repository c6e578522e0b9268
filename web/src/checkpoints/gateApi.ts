/**
 * The gate log and exit passes as the web app calls them, typed from
 * src/checkpoints/gate.schema.ts (`import type`: no server code reaches the bundle).
 */
import type { z } from 'zod'
import type {
  ExitPassList,
  GateIndicatorsOut,
  PassageList,
  PassageOut,
  passageIn,
} from '../../../src/checkpoints/gate.schema.js'
import { api, query } from '../api'

export type { ExitPassList, GateIndicatorsOut, PassageList, PassageOut }
export type PassageBody = z.input<typeof passageIn>

const enc = encodeURIComponent

export const gateApi = {
  log: (checkpointId: string, body: PassageBody): Promise<PassageOut> =>
    api.post(`/api/checkpoints/${enc(checkpointId)}/passages`, body),
  list: (checkpointId: string, refused: boolean): Promise<PassageList> =>
    api.get(
      `/api/checkpoints/${enc(checkpointId)}/passages${query({ refused: refused ? 'true' : undefined })}`,
    ),
  passes: (householdId: string): Promise<ExitPassList> =>
    api.get(`/api/households/${enc(householdId)}/exit-passes`),
  issuePasses: (householdId: string): Promise<ExitPassList> =>
    api.post(`/api/households/${enc(householdId)}/exit-passes`, {}),
  indicators: (): Promise<GateIndicatorsOut> => api.get('/api/checkpoints/indicators'),
}

/**
 * The gate phone's queue: a scan the network could not carry is kept in localStorage with its
 * client id until the server has judged it, so a resend never logs a second passage (the
 * pattern of web/src/testing/scanQueue.ts).
 */
export class GateQueue {
  constructor(private readonly key: string) {}

  items(): (PassageBody & { clientId: string })[] {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? '[]') as (PassageBody & {
        clientId: string
      })[]
    } catch {
      return []
    }
  }

  push(p: PassageBody & { clientId: string }): void {
    localStorage.setItem(this.key, JSON.stringify([...this.items(), p]))
  }

  remove(clientId: string): void {
    localStorage.setItem(
      this.key,
      JSON.stringify(this.items().filter((s) => s.clientId !== clientId)),
    )
  }
}
