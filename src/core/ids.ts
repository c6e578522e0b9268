import { randomFillSync } from 'node:crypto'

let lastMs = 0
let seq = 0
const pool = Buffer.alloc(16_384)
let offset = pool.length

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of milliseconds, then random bits with a
 * per-millisecond counter. Rows inserted in bulk land at the right end of the primary-key
 * index instead of at random pages all over it.
 */
export function uuidv7(now = Date.now()): string {
  if (now === lastMs) seq = (seq + 1) & 0xfff
  else {
    lastMs = now
    seq = 0
  }
  if (offset + 16 > pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const b = Buffer.from(pool.subarray(offset, offset + 16))
  offset += 16
  b.writeUIntBE(now, 0, 6)
  b[6] = 0x70 | (seq >> 8)
  b[7] = seq & 0xff
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
