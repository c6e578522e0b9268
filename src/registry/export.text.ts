import { interpolate, type Lang, type MessageParams } from '../core/i18n/messages.js'
import { registryMessages, type RegistryMessageCode } from './registry.messages.js'
import type { ResidentOut } from './registry.schema.js'

/**
 * The words of the resident export in one language: column headers and the labels of
 * relations, residence types, sexes and tags, never their codes. Pure: the .xlsx writer and
 * its tests use the same.
 */

const CATALOGUE: Record<string, { 'zh-CN': string; en: string } | undefined> = registryMessages

export function registryText(
  lang: Lang,
  code: RegistryMessageCode,
  params?: MessageParams,
): string {
  return interpolate(registryMessages[code][lang], params)
}

/** The label of a vocabulary value (`TAG_chronic_disease` → 慢性病); a value without one (a free tag) as itself. */
function label(
  lang: Lang,
  prefix: 'TAG_' | 'RELATION_' | 'RESIDENCE_' | 'SEX_',
  value: string | null,
): string {
  if (value === null) return ''
  return CATALOGUE[prefix + value]?.[lang] ?? value
}

export const EXPORT_COLUMNS = [
  'name',
  'address',
  'relation',
  'sex',
  'age',
  'birthDate',
  'idNumber',
  'phone',
  'residenceType',
  'tags',
  'employer',
  'notes',
] as const
export type ExportColumn = (typeof EXPORT_COLUMNS)[number]

export function exportHeaders(lang: Lang): string[] {
  return EXPORT_COLUMNS.map((c) => registryText(lang, `EXPORT_COL_${c}`))
}

/** One resident as a row of the export, in the order of EXPORT_COLUMNS. */
export function exportRow(lang: Lang, r: ResidentOut): (string | number)[] {
  return [
    r.name,
    r.householdLabel ?? '',
    label(lang, 'RELATION_', r.relation),
    label(lang, 'SEX_', r.sex),
    r.age ?? '',
    r.birthDate ?? '',
    r.idNumber ?? '',
    r.phone ?? '',
    label(lang, 'RESIDENCE_', r.residenceType),
    r.tags.map((t) => label(lang, 'TAG_', t)).join(registryText(lang, 'LIST_SEPARATOR')),
    r.employer ?? '',
    r.notes ?? '',
  ]
}

/** The download's file name (without extension) in a language. */
export function exportFileName(lang: Lang): string {
  return registryText(lang, 'EXPORT_FILE')
}
