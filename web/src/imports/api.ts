/**
 * The import endpoints as the web app calls them, typed from src/imports/imports.schema.ts
 * (`import type`), and the roster's fields with the columns a mapping needs from the pure
 * src/imports/imports.headers.ts (the same list and rule as the server's).
 */
import type { z } from 'zod'
import type {
  ImportJobOut,
  ImportReport,
  Rejection,
  RosterPreview,
  RowReason,
  columnMapping,
  importNotice,
  importStarted,
  repairedRow,
} from '../../../src/imports/imports.schema.js'
import type { RosterField } from '../../../src/imports/imports.headers.js'
export { ROSTER_FIELDS, requiredFields } from '../../../src/imports/imports.headers.js'
import { api } from '../api'

export type { ImportJobOut, ImportReport, Rejection, RosterPreview, RowReason, RosterField }
export type ColumnMapping = z.infer<typeof columnMapping>
export type ImportNotice = z.infer<typeof importNotice>
export type RepairedRow = z.infer<typeof repairedRow>
/** A job's report as the server keeps it: reports of older jobs may lack the newer fields. */
export type JobReport = NonNullable<ImportJobOut['report']>

/** The header row as recognised (or as saved last time) and three rows. */
export function previewRoster(file: File): Promise<RosterPreview> {
  const form = new FormData()
  form.append('file', file, file.name)
  return api.postForm<RosterPreview>('/api/imports/preview', form)
}

export interface StartImport {
  divisionId: string
  dryRun: boolean
  createMissing: boolean
  mapping: ColumnMapping
  file: File
}

/** Starts an import; the answer is the job to poll. */
export function startImport(s: StartImport): Promise<z.infer<typeof importStarted>> {
  const form = new FormData()
  form.append('divisionId', s.divisionId)
  form.append('dryRun', String(s.dryRun))
  form.append('createMissing', String(s.createMissing))
  form.append('mapping', JSON.stringify(s.mapping))
  form.append('file', s.file, s.file.name)
  return api.postForm('/api/imports/residents', form)
}

export function getImportJob(id: string): Promise<ImportJobOut> {
  return api.get<ImportJobOut>(`/api/imports/${id}`)
}

/** The rejected-rows file, written in the UI language (the browser's own Accept-Language may differ). */
export function rejectedFileUrl(
  jobId: string,
  lang: 'zh-CN' | 'en',
  unmasked?: { reason: string },
): string {
  const q = new URLSearchParams({ lang })
  if (unmasked) {
    q.set('unmasked', 'true')
    q.set('reason', unmasked.reason)
  }
  return `/api/imports/${jobId}/rejected.xlsx?${q.toString()}`
}
