/**
 * The testing endpoints as the web app calls them, typed from src/testing/testing.schema.ts
 * (`import type`: no server code reaches the bundle). A renamed field is a compile error here
 * and in every page that reads it.
 */
import type { z } from 'zod'
import type {
  addMembersOut,
  codeOut,
  createRoundIn,
  groupOut,
  householdCardsOut,
  keyGroupIn,
  keyGroupKind,
  listRoundsQuery,
  overdueItemOut,
  progressOut,
  recheckRoundsOut,
  roundOut,
  roundPlacesOut,
  scanIn,
  scanOut,
  siteIn,
  siteOut,
  siteStaffIn,
  testingSettingsOut,
  tubeOut,
} from '../../../src/testing/testing.schema.js'
import type {
  conflictOut,
  controlPersonOut,
  reassignRecheckIn,
  recheckAssigneeOut,
  recheckOut,
  resolveConflictIn,
  resultsReportOut,
} from '../../../src/testing/results.schema.js'
import type {
  missedItemOut,
  recordMissedIn,
  recordMissedOut,
} from '../../../src/testing/missed.schema.js'
import type { personSamplesOut } from '../../../src/testing/history.schema.js'
import { api, query, type Page } from '../api'

export type Round = z.infer<typeof roundOut>
/** A closed round that still takes recheck swabs, with the rechecks left in my scope. */
export type RecheckRound = z.infer<typeof recheckRoundsOut>['items'][number]
export type CreateRoundIn = z.input<typeof createRoundIn>
export type RoundProgress = z.infer<typeof progressOut>
export type RoundPlaces = z.infer<typeof roundPlacesOut>
export type StopAdvice = NonNullable<Round['stopAdvice']>
export type GridProgress = RoundProgress['byGrid'][number]
export type TubeView = z.infer<typeof tubeOut>
export type ScanIn = z.input<typeof scanIn>
export type ScanResult = z.infer<typeof scanOut>
export type ScanWarning = ScanResult['warnings'][number]
export type MissedItem = z.infer<typeof missedItemOut>
export type ConflictItem = z.infer<typeof conflictOut>
export type RecheckItem = z.infer<typeof recheckOut>
export type ResultsReport = z.infer<typeof resultsReportOut>
export type ControlPerson = z.infer<typeof controlPersonOut>
export type RecheckAssignee = z.infer<typeof recheckAssigneeOut>
export type ReassignRecheckIn = z.input<typeof reassignRecheckIn>
export type CodeView = z.infer<typeof codeOut>
export type PersonSamples = z.infer<typeof personSamplesOut>
export type PersonSample = PersonSamples['items'][number]
export type HouseholdCards = z.infer<typeof householdCardsOut>
export type Site = z.infer<typeof siteOut>
export type KeyGroup = z.infer<typeof groupOut>
export type KeyGroupKind = z.infer<typeof keyGroupKind>

export type TestingProfile = z.infer<typeof testingSettingsOut>
export type OverdueMember = z.infer<typeof overdueItemOut>
export type AddMembersResult = z.infer<typeof addMembersOut>
export type RoundsQuery = Partial<z.infer<typeof listRoundsQuery>>
export type SiteIn = z.input<typeof siteIn>
export type KeyGroupIn = z.input<typeof keyGroupIn>
export type MissedReason = z.infer<typeof recordMissedIn>['reason']

export const testingApi = {
  /** A person's swabs, newest first, with results and Ct values (核酸记录); `before`: the previous page's cursor. */
  personSamples: (residentId: string, before?: string): Promise<PersonSamples> =>
    api.get<PersonSamples>(`/api/residents/${residentId}/samples${query({ before })}`),
  profile: (): Promise<TestingProfile> => api.get<TestingProfile>('/api/testing/profile'),
  rounds: (q: RoundsQuery = {}): Promise<Page<Round>> =>
    api.get<Page<Round>>(`/api/rounds${query(q)}`),
  createRound: (body: CreateRoundIn): Promise<Round> => api.post<Round>('/api/rounds', body),
  /** The buildings, with their units, a new round over these divisions may be narrowed to. */
  roundPlaces: (divisionIds: readonly string[]): Promise<RoundPlaces> =>
    api.get<RoundPlaces>(`/api/rounds/places${query({ divisionIds: divisionIds.join(',') })}`),
  progress: (id: string): Promise<RoundProgress> =>
    api.get<RoundProgress>(`/api/rounds/${id}/progress`),
  /** Without `confirm`, open rechecks or unresulted tubes answer 409 ROUND_CLOSE_NEEDS_CONFIRM {rechecks, tubes}. */
  closeRound: (id: string, confirm = false): Promise<Round> =>
    api.post<Round>(`/api/rounds/${id}/close${query({ confirm: confirm ? 'true' : undefined })}`),
  samplingRounds: (): Promise<{ items: Round[] }> =>
    api.get<{ items: Round[] }>('/api/sampling/rounds'),
  /** Closed rounds with rechecks still to swab in my scope (the sampling screen's 复核 section). */
  recheckRounds: (): Promise<{ items: RecheckRound[] }> =>
    api.get<{ items: RecheckRound[] }>('/api/sampling/recheck-rounds'),
  scans: (roundId: string, scans: ScanIn[]): Promise<{ results: ScanResult[] }> =>
    api.post<{ results: ScanResult[] }>(`/api/rounds/${roundId}/scans`, { scans }),
  closeTube: (roundId: string, code: string): Promise<TubeView> =>
    api.post<TubeView>(`/api/rounds/${roundId}/tubes/${encodeURIComponent(code)}/close`),
  missed: (
    roundId: string,
    q: { grid?: string; after?: string; limit?: number },
  ): Promise<Page<MissedItem>> =>
    api.get<Page<MissedItem>>(`/api/rounds/${roundId}/missed${query(q)}`),
  /** The sheet is written in `lang` (the UI language): headers and reasons. */
  missedExportUrl: (roundId: string, grid?: string, lang?: string): string =>
    `/api/rounds/${roundId}/missed.xlsx${query({ grid, lang })}`,
  recordMissed: (
    roundId: string,
    residentId: string,
    body: z.input<typeof recordMissedIn>,
  ): Promise<z.infer<typeof recordMissedOut>> =>
    api.put(`/api/rounds/${roundId}/missed/${residentId}`, body),
  rechecks: (roundId: string): Promise<{ items: RecheckItem[] }> =>
    api.get<{ items: RecheckItem[] }>(`/api/rounds/${roundId}/rechecks`),
  /** 临时管控: everyone a pooled positive of this round put under temporary control. */
  control: (roundId: string): Promise<{ items: ControlPerson[] }> =>
    api.get<{ items: ControlPerson[] }>(`/api/rounds/${roundId}/control`),
  recheckAssignees: (
    roundId: string,
  ): Promise<{ items: { gridPath: string; users: RecheckAssignee[] }[] }> =>
    api.get<{ items: { gridPath: string; users: RecheckAssignee[] }[] }>(
      `/api/rounds/${roundId}/recheck-assignees`,
    ),
  reassignRecheck: (
    roundId: string,
    orderId: string,
    body: ReassignRecheckIn,
  ): Promise<RecheckAssignee> =>
    api.post<RecheckAssignee>(`/api/rounds/${roundId}/rechecks/${orderId}/assign`, body),
  conflicts: (roundId: string): Promise<{ items: ConflictItem[] }> =>
    api.get<{ items: ConflictItem[] }>(`/api/rounds/${roundId}/conflicts`),
  resolveConflict: (
    roundId: string,
    conflictId: string,
    body: z.input<typeof resolveConflictIn>,
  ): Promise<ConflictItem> =>
    api.post<ConflictItem>(`/api/rounds/${roundId}/conflicts/${conflictId}/resolve`, body),
  uploadResults: (form: FormData): Promise<ResultsReport> =>
    api.postForm<ResultsReport>('/api/results/upload', form),
  residentCode: (residentId: string): Promise<CodeView> =>
    api.get<CodeView>(`/api/residents/${residentId}/code`),
  issueCode: (residentId: string): Promise<CodeView> =>
    api.post<CodeView>(`/api/residents/${residentId}/code`),
  reissueCode: (residentId: string, reason: string): Promise<CodeView> =>
    api.post<CodeView>(`/api/residents/${residentId}/code/reissue`, { reason }),
  householdCards: (householdId: string): Promise<HouseholdCards> =>
    api.get<HouseholdCards>(`/api/households/${householdId}/cards`),
  issueHouseholdCards: (householdId: string): Promise<HouseholdCards> =>
    api.post<HouseholdCards>(`/api/households/${householdId}/cards`),
  sites: (): Promise<{ items: Site[] }> => api.get<{ items: Site[] }>('/api/sites'),
  createSite: (body: SiteIn): Promise<Site> => api.post<Site>('/api/sites', body),
  assignStaff: (siteId: string, body: z.input<typeof siteStaffIn>): Promise<Site> =>
    api.post<Site>(`/api/sites/${siteId}/staff`, body),
  keyGroups: (): Promise<{ items: KeyGroup[] }> =>
    api.get<{ items: KeyGroup[] }>('/api/key-groups'),
  createKeyGroup: (body: KeyGroupIn): Promise<KeyGroup> =>
    api.post<KeyGroup>('/api/key-groups', body),
  addMembers: (groupId: string, idNumbers: string[]): Promise<AddMembersResult> =>
    api.post<AddMembersResult>(`/api/key-groups/${groupId}/members`, { idNumbers }),
  overdue: (groupId?: string): Promise<{ items: OverdueMember[] }> =>
    api.get<{ items: OverdueMember[] }>(`/api/key-groups/overdue${query({ groupId })}`),
}
