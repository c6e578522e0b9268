import { describe, expect, it } from 'vitest'
import { base32Decode, base32Encode, hotp, matchTotpStep, totpCode, verifyTotp } from './totp.js'

describe('TOTP', () => {
  // RFC 4226 appendix D test values for the secret "12345678901234567890".
  const secret = Buffer.from('12345678901234567890')
  it('matches the RFC 4226 HOTP vectors', () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(secret, c))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '520489',
    ])
  })
  it('matches the RFC 6238 SHA-1 vector at T=59 s (last 6 digits of 94287082)', () => {
    expect(totpCode(base32Encode(secret), 59_000)).toBe('287082')
  })
  it('round-trips base32', () => {
    expect(base32Decode(base32Encode(secret)).equals(secret)).toBe(true)
  })
  it('accepts one step of clock drift and refuses two', () => {
    const b32 = base32Encode(secret)
    const now = 1_700_000_000_000
    expect(verifyTotp(b32, totpCode(b32, now - 30_000), now)).toBe(true)
    expect(verifyTotp(b32, totpCode(b32, now - 90_000), now)).toBe(false)
    expect(verifyTotp(b32, 'abcdef', now)).toBe(false)
  })
  it('names the step a code belongs to, so the caller can refuse a step already used', () => {
    const b32 = base32Encode(secret)
    const now = 1_700_000_000_000
    const step = Math.floor(now / 30_000)
    expect(matchTotpStep(b32, totpCode(b32, now), now)).toBe(step)
    expect(matchTotpStep(b32, totpCode(b32, now - 30_000), now)).toBe(step - 1)
    expect(matchTotpStep(b32, totpCode(b32, now + 30_000), now)).toBe(step + 1)
    expect(matchTotpStep(b32, totpCode(b32, now - 60_000), now)).toBeNull()
  })
})
