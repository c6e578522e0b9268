import type { FastifyInstance } from 'fastify'
import { invalid } from '../errors.js'

/** The path of the first string (or key) holding a NUL character, or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null
  if (value === null || typeof value !== 'object' || depth > 64) return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], path ? `${path}.${i}` : String(i), depth + 1)
      if (hit) return hit
    }
    return null
  }
  if (Buffer.isBuffer(value)) return null
  for (const [k, v] of Object.entries(value)) {
    const field = path ? `${path}.${k}` : k
    if (k.includes('\u0000')) return field.split('\u0000').join('\\0')
    const hit = findNul(v, field, depth + 1)
    if (hit) return hit
  }
  return null
}

/**
 * Refuses a NUL character (`\u0000`) in any query parameter, path parameter or JSON string,
 * for every route present and future: PostgreSQL text cannot hold it (a 500 otherwise) and no
 * field of the platform has a use for it. `400 VALIDATION` with the field named.
 */
export function installNulGuard(app: FastifyInstance): void {
  // A callback hook, not an async one: it never waits, and a promise per request is measurable
  // on a small request (bench/http).
  app.addHook('preValidation', (request, _reply, done) => {
    const hit =
      findNul(request.query, '') ?? findNul(request.params, '') ?? findNul(request.body, '')
    done(hit ? invalid(hit, 'VALIDATION', { rule: 'NUL' }) : undefined)
  })
}
