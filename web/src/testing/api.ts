/**
 * The testing endpoints as the web app calls them, typed from src/testing/testing.schema.ts
 * (`import type`: no server code reaches the bundle). A renamed field is a compile error here
 * and in every page that reads it.
 */
import type { z } from 'zod'
import type {
  codeOut,
  householdCardsOut,
  createRoundIn,
  groupOut,
  keyGroupKind,
  progressOut,
  roundOut,
  scanIn,
  scanOut,
  siteOut,
  tubeOut,
} from '../../../src/testing/testing.schema.js'
import type { conflictOut, recheckOut, resultsReportOut } from '../../../src/testing/results.schema.js'
import type { missedItemOut } from '../../../src/testing/missed.schema.js'
import { api, query, type Page } from '../api'

export type Round = z.infer<typeof roundOut>
export type CreateRoundIn = z.input<typeof createRoundIn>
export type RoundProgress = z.infer<typeof progressOut>
export type GridProgress = RoundProgress['byGrid'][number]
export type TubeView = z.infer<typeof tubeOut>
export type ScanIn = z.input<typeof scanIn>
export type ScanResult = z.infer<typeof scanOut>
export type ScanWarning = ScanResult['warnings'][number]
export type MissedItem = z.infer<typeof missedItemOut>
export type ConflictItem = z.infer<typeof conflictOut>
export type RecheckItem = z.infer<typeof recheckOut>
export type ResultsReport = z.infer<typeof resultsReportOut>
export type CodeView = z.infer<typeof codeOut>
export type HouseholdCards = z.infer<typeof householdCardsOut>
export type Site = z.infer<typeof siteOut>
export type KeyGroup = z.infer<typeof groupOut>
export type KeyGroupKind = z.infer<typeof keyGroupKind>

/**
 * TODO(issue 9 item 1): these three answers are declared inline in the route files
 * (rounds.routes.ts: `settings: z.record(z.string(), z.unknown())`; routine.routes.ts: the
 * overdue item and the add-members answer), so they cannot be imported without Fastify.
 * Once they are exported from testing.schema.ts, each becomes a `z.infer` line above.
 */
export interface TestingProfile {
  profile: string
  settings: { poolSizes: number[]; defaultPoolSize: number; missedReasons: Record<string, { excludes: boolean; needsNote?: boolean }>; areaRoundHours: number }
}
export interface OverdueMember {
  residentId: string
  name: string
  household: string | null
  gridPath: string
  group: string
  frequencyDays: number
  lastSampledAt: string | null
  daysOverdue: number | null
}
export interface AddMembersResult {
  added: number
  already: number
  rejected: { line: number; value: string; reason: string }[]
}

export const testingApi = {
  profile: (): Promise<TestingProfile> => api.get<TestingProfile>('/api/testing/profile'),
  rounds: (status?: 'open' | 'closed'): Promise<{ items: Round[] }> => api.get<{ items: Round[] }>(`/api/rounds${query({ status })}`),
  createRound: (body: CreateRoundIn): Promise<Round> => api.post<Round>('/api/rounds', body),
  progress: (id: string): Promise<RoundProgress> => api.get<RoundProgress>(`/api/rounds/${id}/progress`),
  closeRound: (id: string): Promise<Round> => api.post<Round>(`/api/rounds/${id}/close`),
  samplingRounds: (): Promise<{ items: Round[] }> => api.get<{ items: Round[] }>('/api/sampling/rounds'),
  scans: (roundId: string, scans: ScanIn[]): Promise<{ results: ScanResult[] }> => api.post<{ results: ScanResult[] }>(`/api/rounds/${roundId}/scans`, { scans }),
  closeTube: (roundId: string, code: string): Promise<TubeView> => api.post<TubeView>(`/api/rounds/${roundId}/tubes/${encodeURIComponent(code)}/close`),
  missed: (roundId: string, q: { grid?: string; after?: string; limit?: number }): Promise<Page<MissedItem>> => api.get<Page<MissedItem>>(`/api/rounds/${roundId}/missed${query(q)}`),
  /** The sheet is written in `lang` (the UI language): headers and reasons. */
  missedExportUrl: (roundId: string, grid?: string, lang?: string): string => `/api/rounds/${roundId}/missed.xlsx${query({ grid, lang })}`,
  recordMissed: (roundId: string, residentId: string, body: { reason: string; note?: string }): Promise<{ reason: string; excludes: boolean }> => api.put(`/api/rounds/${roundId}/missed/${residentId}`, body),
  rechecks: (roundId: string): Promise<{ items: RecheckItem[] }> => api.get<{ items: RecheckItem[] }>(`/api/rounds/${roundId}/rechecks`),
  conflicts: (roundId: string): Promise<{ items: ConflictItem[] }> => api.get<{ items: ConflictItem[] }>(`/api/rounds/${roundId}/conflicts`),
  resolveConflict: (roundId: string, conflictId: string, body: { decision: 'keep' | 'accept'; note: string }): Promise<ConflictItem> => api.post<ConflictItem>(`/api/rounds/${roundId}/conflicts/${conflictId}/resolve`, body),
  uploadResults: (form: FormData): Promise<ResultsReport> => api.postForm<ResultsReport>('/api/results/upload', form),
  residentCode: (residentId: string): Promise<CodeView> => api.get<CodeView>(`/api/residents/${residentId}/code`),
  issueCode: (residentId: string): Promise<CodeView> => api.post<CodeView>(`/api/residents/${residentId}/code`),
  reissueCode: (residentId: string, reason: string): Promise<CodeView> => api.post<CodeView>(`/api/residents/${residentId}/code/reissue`, { reason }),
  householdCards: (householdId: string): Promise<HouseholdCards> => api.get<HouseholdCards>(`/api/households/${householdId}/cards`),
  issueHouseholdCards: (householdId: string): Promise<HouseholdCards> => api.post<HouseholdCards>(`/api/households/${householdId}/cards`),
  sites: (): Promise<{ items: Site[] }> => api.get<{ items: Site[] }>('/api/sites'),
  createSite: (body: { name: string; kind: Site['kind']; divisionId: string; address?: string; lanes?: number; opensAt?: string; closesAt?: string }): Promise<Site> => api.post<Site>('/api/sites', body),
  assignStaff: (siteId: string, body: { username: string; duty: 'sampler' | 'scanner' }): Promise<Site> => api.post<Site>(`/api/sites/${siteId}/staff`, body),
  keyGroups: (): Promise<{ items: KeyGroup[] }> => api.get<{ items: KeyGroup[] }>('/api/key-groups'),
  createKeyGroup: (body: { name: string; kind: KeyGroupKind; frequency: string; divisionId: string }): Promise<KeyGroup> => api.post<KeyGroup>('/api/key-groups', body),
  addMembers: (groupId: string, idNumbers: string[]): Promise<AddMembersResult> => api.post<AddMembersResult>(`/api/key-groups/${groupId}/members`, { idNumbers }),
  overdue: (groupId?: string): Promise<{ items: OverdueMember[] }> => api.get<{ items: OverdueMember[] }>(`/api/key-groups/overdue${query({ groupId })}`),
}
