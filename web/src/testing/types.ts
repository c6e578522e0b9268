export interface Round {
  id: string
  name: string
  kind: 'area' | 'key_groups' | 'routine'
  scope: { id: string; name: string; path: string }[]
  startsAt: string
  deadline: string
  poolSize: number
  householdPool: boolean
  singleTubeTags: string[]
  profileName: string
  turnaroundHours: { pooled: number; single: number }
  status: 'open' | 'closed'
  createdBy: string
  createdAt: string
  closedAt: string | null
}

export interface GridProgress {
  gridPath: string
  gridName: string
  inScope: number
  sampled: number
  excused: number
  missed: number
}

export interface RoundProgress {
  round: Round
  now: string
  secondsLeft: number
  totals: { inScope: number; sampled: number; excused: number; missed: number }
  byGrid: GridProgress[]
  byHour: { hour: string; specimens: number }[]
  counters: {
    specimens: number
    tubesOpen: number
    tubesClosed: number
    tubesResulted: number
    poolPositiveTubes: number
    rechecksOrdered: number
    rechecksOpen: number
    confirmed: number
    conflicts: number
  }
  turnaround: { bucket: string; tubes: number }[]
  overdueTubes: number
}

export interface TubeView {
  code: string
  members: number
  capacity: number
  status: string
  kind: string
}

export type ScanWarning = 'already_sampled' | 'out_of_scope' | 'outside_sampler_scope' | 'tube_closed' | 'recheck'

export interface ScanResult {
  clientId: string
  status: 'accepted' | 'duplicate' | 'rejected'
  specimenId?: string
  person?: { name: string; household: string | null }
  tube?: TubeView
  warnings: ScanWarning[]
  error?: { field: 'person' | 'tube' | 'scannedAt' | 'round'; reason: string }
}

export interface MissedItem {
  residentId: string
  name: string
  phone: string | null
  gridPath: string
  household: string | null
  age: number | null
  reason: string | null
  note: string | null
}

/** Two results for one tube that disagree: the stricter one holds until someone resolves it. */
export interface ConflictItem {
  id: string
  tubeCode: string
  held: 'negative' | 'positive' | 'abnormal'
  incoming: 'negative' | 'positive' | 'abnormal'
  lab: string
  retest: boolean
  status: 'open' | 'kept' | 'accepted'
  note: string | null
  resolvedBy: string | null
  resolvedAt: string | null
  createdAt: string
  members: number
}

export interface RecheckItem {
  id: string
  residentId: string
  name: string
  household: string | null
  phone: string | null
  gridPath: string
  sourceTube: string
  status: 'ordered' | 'sampled' | 'negative' | 'positive'
  createdAt: string
}

export interface ResultsReport {
  rows: number
  applied: number
  duplicates: number
  conflicts: number
  rejected: number
  cleared: number
  poolPositiveTubes: number
  rechecksOrdered: number
  confirmed: number
  problems: { rowNo: number; tubeCode: string; outcome: string; reason?: string }[]
}

export interface TestingProfile {
  profile: string
  settings: { poolSizes: number[]; defaultPoolSize: number; missedReasons: Record<string, { excludes: boolean; needsNote?: boolean }>; areaRoundHours: number }
}
