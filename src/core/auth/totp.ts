import crypto from 'node:crypto'

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) as authenticator apps expect. */

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function base32Encode(buf: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of buf) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]
  return out
}

export function base32Decode(s: string): Buffer {
  const clean = s.replace(/=+$/, '').toUpperCase()
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const ch of clean) {
    const idx = B32.indexOf(ch)
    if (idx < 0) throw new Error('invalid base32')
    value = (value << 5) | idx
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function generateTotpSecret(): string {
  return base32Encode(crypto.randomBytes(20))
}

export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const mac = crypto.createHmac('sha1', secret).update(msg).digest()
  const offset = mac[mac.length - 1]! & 0xf
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits
  return code.toString().padStart(digits, '0')
}

export function totpCode(secretBase32: string, at: number = Date.now()): string {
  return hotp(base32Decode(secretBase32), Math.floor(at / 1000 / 30))
}

/**
 * The time step (30 s counter) a code belongs to: the current step or one either side (clock
 * drift), or null. The caller refuses a step at or before the last one it accepted (replay).
 */
export function matchTotpStep(
  secretBase32: string,
  code: string,
  at: number = Date.now(),
): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const key = base32Decode(secretBase32)
  const step = Math.floor(at / 1000 / 30)
  for (const d of [-1, 0, 1]) {
    const expected = hotp(key, step + d)
    if (crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return step + d
  }
  return null
}

/** Accepts the current step and one step either side (clock drift). */
export function verifyTotp(secretBase32: string, code: string, at: number = Date.now()): boolean {
  return matchTotpStep(secretBase32, code, at) !== null
}

export function otpauthUrl(secretBase32: string, account: string, issuer = 'Weiguang'): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`
}
