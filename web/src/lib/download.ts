import { ApiError, uiLanguageHeader } from '../api'

/** The file name the server gave (`filename*=UTF-8''…`), else the fallback. */
function fileName(disposition: string | null, fallback: string): string {
  const m = disposition?.match(/filename\*=UTF-8''([^;]+)/i)
  if (m) {
    try {
      return decodeURIComponent(m[1]!)
    } catch {
      // a malformed name falls back
    }
  }
  return fallback
}

/**
 * Downloads a file without leaving the page: a refusal (400, 403, …) throws the API's error
 * for the caller to show in the user's language, instead of navigating the window to raw JSON.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  // The file (its reasons, column names and sheet names) comes in the UI language.
  const res = await fetch(url, { credentials: 'same-origin', headers: uiLanguageHeader() })
  if (!res.ok) {
    let data: unknown
    try {
      data = await res.json()
    } catch {
      // not JSON
    }
    throw ApiError.from(res.status, res.statusText, data)
  }
  const blob = await res.blob()
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = fileName(res.headers.get('content-disposition'), fallbackName)
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
