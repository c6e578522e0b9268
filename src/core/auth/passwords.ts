import crypto from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import { invalid } from '../errors.js'

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined
/** Spends the same time as a real check, so unknown account names are not revealed by timing. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'))
  await verifyPassword(await dummy, password)
}

/** A readable random password for first start and resets: 16 characters, no look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = crypto.randomBytes(16)
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
}

export function checkNewPassword(password: string, username: string, field = 'newPassword'): void {
  if (password.length < 10) throw invalid(field, 'PASSWORD_TOO_SHORT', { min: 10 })
  if (password.length > 200) throw invalid(field, 'PASSWORD_TOO_LONG', { max: 200 })
  if (password.toLowerCase().includes(username.toLowerCase()))
    throw invalid(field, 'PASSWORD_CONTAINS_USERNAME')
  if (new Set(password).size < 5) throw invalid(field, 'PASSWORD_TOO_REPETITIVE')
}
