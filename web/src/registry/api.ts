/**
 * The registry endpoints as the web app calls them, typed from src/registry/registry.schema.ts
 * (`import type`: no server code reaches the bundle). A renamed field is a compile error here
 * and in every page that reads it.
 */
import type { z } from 'zod'
import type {
  buildingLayoutIn,
  buildingLayoutOut,
  buildingOut,
  householdOut,
  householdOccupancyIn,
  householdFactsOut,
  householdLandlordAnswer,
  registerOutcome,
  registerResidentIn,
  residentDetailOut,
  residentListQuery,
  residentOut,
  residentStatusIn,
  transferListQuery,
  transferOut,
  unitOut,
  updateResidentIn,
} from '../../../src/registry/registry.schema.js'
import type { documentIn, documentOut } from '../../../src/registry/documents.schema.js'
import type {
  CollectiveKind,
  HouseholdOccupancy,
  Relation,
  ResidenceType,
} from '../../../src/registry/registry.vocab.js'
import { api, query, type Page } from '../api'

export type Resident = z.infer<typeof residentOut>
export type ResidentDocument = z.infer<typeof documentOut>
export type DocumentIn = z.input<typeof documentIn>
export type ResidentDetail = z.infer<typeof residentDetailOut>
export type RegisterResidentIn = z.input<typeof registerResidentIn>
export type RegisterOutcome = z.infer<typeof registerOutcome>
export type ResidentStatusIn = z.input<typeof residentStatusIn>
export type UpdateResidentIn = z.input<typeof updateResidentIn>
export type Building = z.infer<typeof buildingOut>
export type Unit = z.infer<typeof unitOut>
export type Household = z.infer<typeof householdOut>
export type HouseholdOccupancyIn = z.input<typeof householdOccupancyIn>
export type HouseholdFactsOut = z.infer<typeof householdFactsOut>
export type HouseholdLandlordAnswer = z.infer<typeof householdLandlordAnswer>
export type BuildingLayoutIn = z.input<typeof buildingLayoutIn>
export type BuildingLayoutOut = z.infer<typeof buildingLayoutOut>
export type Transfer = z.infer<typeof transferOut>
export type ResidentQuery = Partial<z.infer<typeof residentListQuery>>
export type TransferQuery = Partial<z.infer<typeof transferListQuery>>
export type { CollectiveKind, HouseholdOccupancy, Relation, ResidenceType }

// The server's own vocabularies (src/registry/registry.vocab.ts, pure data): one list, no copy.
export {
  COLLECTIVE_KINDS,
  HOUSEHOLD_OCCUPANCIES,
  ID_TYPES,
  KNOWN_TAGS,
  LET_OCCUPANCIES,
  RELATIONS,
  RESIDENCE_TYPES,
} from '../../../src/registry/registry.vocab.js'

/** The list filters as a query string (shared by the list and both exports). */
export function residentQuery(q: ResidentQuery): string {
  return query(q)
}

export const registryApi = {
  residents: (q: ResidentQuery): Promise<Page<Resident>> =>
    api.get<Page<Resident>>(`/api/residents${query(q)}`),
  resident: (id: string, reveal?: 'id,phone'): Promise<ResidentDetail> =>
    api.get<ResidentDetail>(`/api/residents/${id}${query({ reveal })}`),
  register: (body: RegisterResidentIn): Promise<RegisterOutcome> =>
    api.post<RegisterOutcome>('/api/residents', body),
  setStatus: (id: string, body: ResidentStatusIn): Promise<ResidentDetail> =>
    api.put<ResidentDetail>(`/api/residents/${id}/status`, body),
  update: (id: string, body: UpdateResidentIn): Promise<ResidentDetail> =>
    api.patch<ResidentDetail>(`/api/residents/${id}`, body),
  setOccupancy: (id: string, occupancy: HouseholdOccupancy): Promise<unknown> =>
    api.put(`/api/households/${id}/occupancy`, { occupancy }),
  /** The landlord's phone in full (pii:reveal, audited). */
  revealLandlord: (id: string): Promise<HouseholdLandlordAnswer> =>
    api.get<HouseholdLandlordAnswer>(`/api/households/${id}/landlord?reveal=phone`),
  setHouseholdFacts: (id: string, body: HouseholdOccupancyIn): Promise<HouseholdFactsOut> =>
    api.put<HouseholdFactsOut>(`/api/households/${id}/occupancy`, body),
  setTags: (id: string, tags: string[]): Promise<ResidentDetail> =>
    api.put<ResidentDetail>(`/api/residents/${id}/tags`, { tags }),
  createLayout: (body: BuildingLayoutIn): Promise<BuildingLayoutOut> =>
    api.post<BuildingLayoutOut>('/api/buildings/layout', body),
  buildings: (gridId: string): Promise<{ items: Building[] }> =>
    api.get<{ items: Building[] }>(`/api/grids/${gridId}/buildings`),
  units: (buildingId: string): Promise<{ items: Unit[] }> =>
    api.get<{ items: Unit[] }>(`/api/buildings/${buildingId}/units`),
  households: (unitId: string): Promise<{ items: Household[] }> =>
    api.get<{ items: Household[] }>(`/api/units/${unitId}/households`),
  transfers: (q: TransferQuery): Promise<Page<Transfer>> =>
    api.get<Page<Transfer>>(`/api/resident-transfers${query(q)}`),
  confirmTransfer: (id: string): Promise<Transfer> =>
    api.post<Transfer>(`/api/resident-transfers/${id}/confirm`, {}),
  documents: (id: string): Promise<{ items: ResidentDocument[] }> =>
    api.get<{ items: ResidentDocument[] }>(`/api/residents/${id}/documents`),
  addDocument: (id: string, body: DocumentIn): Promise<ResidentDocument> =>
    api.post<ResidentDocument>(`/api/residents/${id}/documents`, body),
  disputeTransfer: (id: string, reason: string): Promise<Transfer> =>
    api.post<Transfer>(`/api/resident-transfers/${id}/dispute`, { reason }),
}
