import type { TFunction } from 'i18next'
import { ApiError } from '../api'

/**
 * What an empty card says when its request failed: a refusal (403) is not "no data".
 * Undefined while nothing failed, so the component's own empty text stays.
 */
export function failedText(error: unknown, t: TFunction): string | undefined {
  if (!error) return undefined
  return error instanceof ApiError && error.status === 403 ? t('load.refused') : t('load.failed')
}

/** A Table's or List's `locale` for a failed request; undefined keeps the default. */
export function failedLocale(error: unknown, t: TFunction): { emptyText: string } | undefined {
  const text = failedText(error, t)
  return text === undefined ? undefined : { emptyText: text }
}
