/**
 * The sampling device's queue: every scan is kept in localStorage with a client-made id until
 * the server has answered for it, so a dropped network or a reload loses nothing and a resend
 * never makes a second specimen (the server knows the id).
 */
export interface QueuedScan {
  clientId: string
  person: string
  tube: string
  scannedAt: string
  siteId?: string
}

export class ScanQueue {
  constructor(private readonly key: string) {}

  items(): QueuedScan[] {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? '[]') as QueuedScan[]
    } catch {
      return []
    }
  }

  push(scan: QueuedScan): void {
    localStorage.setItem(this.key, JSON.stringify([...this.items(), scan]))
  }

  remove(clientIds: Iterable<string>): void {
    const done = new Set(clientIds)
    localStorage.setItem(
      this.key,
      JSON.stringify(this.items().filter((s) => !done.has(s.clientId))),
    )
  }
}

/** A UUID from getRandomValues (randomUUID needs a secure context; a site's LAN address may not be one). */
export function newClientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** What a wedge scanner typed: a person (resident code or ID number), a tube barcode, or noise. */
export function classifyInput(raw: string): 'person' | 'tube' | 'garbled' {
  const s = raw.trim().toUpperCase()
  if (/^WG[0-9A-F]{32}$/.test(s) || /^\d{17}[\dX]$/.test(s) || /^\d{15}$/.test(s)) return 'person'
  if (s.startsWith('WG')) return 'garbled'
  if (/^[A-Z0-9-]{6,40}$/.test(s)) return 'tube'
  return 'garbled'
}
