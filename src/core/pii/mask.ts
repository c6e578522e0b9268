/** Masking of personal identifiers (domain.md §15). */

/** `110105********002X`: first 6 and last 4 kept; shorter documents keep their last 4 only. */
export function maskIdNumber(value: string): string {
  if (value.length >= 15) return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4)
  if (value.length <= 4) return '*'.repeat(value.length)
  return '*'.repeat(value.length - 4) + value.slice(-4)
}

/** `138****1234` for an 11-digit mobile; other lengths keep the last 4. */
export function maskPhone(value: string): string {
  if (value.length === 11) return value.slice(0, 3) + '****' + value.slice(-4)
  if (value.length <= 4) return '*'.repeat(value.length)
  return '*'.repeat(value.length - 4) + value.slice(-4)
}
