import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError, forbidden, invalid, unauthenticated } from '../errors.js'
import { recordAudit } from '../audit/audit.service.js'
import { redactUrl } from '../http/log-redact.js'
import { ROOT_PATH } from '../scope/scope.js'
import { can } from './authorize.js'
import { resolveSession, touchIfStale, type ResolvedSession } from './auth.service.js'

export const SESSION_COOKIE = 'wg_session'
export const CSRF_COOKIE = 'wg_csrf'
export const CSRF_HEADER = 'x-csrf-token'
export const BREAK_GLASS_HEADER = 'x-break-glass-reason'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const CACHE_MS = 5_000

/** Whether the request was routed to an /api route (whatever its raw spelling). */
export function isApiRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  return route !== undefined && route.startsWith('/api/')
}

/** The break-glass reason, percent-decoded (the web app encodes Chinese text); malformed encoding is a 400. */
function decodeHeader(raw: string): string {
  try {
    return decodeURIComponent(raw).trim()
  } catch {
    throw invalid(BREAK_GLASS_HEADER, 'BREAK_GLASS_MALFORMED')
  }
}

/**
 * Resolves the session cookie into `request.actor` for every /api request, then enforces:
 * login required (unless the route is public), CSRF on cookie-authenticated writes, the forced
 * password change, and break-glass.
 */
export function installAuthHook(app: FastifyInstance): () => void {
  // A short cache keeps the per-request cost to a map lookup; changes to accounts clear it.
  const cache = new Map<string, { at: number; session: ResolvedSession }>()
  // Bumped by every invalidation: a lookup that was already reading the database when a logout,
  // a disable or a role change cleared the cache must not put what it read back into it.
  let generation = 0
  const invalidate = (): void => {
    generation++
    cache.clear()
  }

  async function load(request: FastifyRequest, token: string): Promise<ResolvedSession | null> {
    const now = Date.now()
    const hit = cache.get(token)
    if (hit && now - hit.at < CACHE_MS) return hit.session
    const started = generation
    const s = await resolveSession(app.ctx.database.db, app.ctx.config, token, request.ip)
    if (s && started === generation) {
      if (cache.size > 10_000) cache.clear()
      cache.set(token, { at: now, session: s })
      await touchIfStale(app.ctx.database.db, s)
    } else cache.delete(token)
    return s
  }

  app.decorateRequest('auth', null)
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request) => {
    // The routed URL, not the raw one: `/%61pi/auth/me` is routed to /api/auth/me and must meet
    // the same checks. Unmatched URLs (no route) go to the not-found handler and reach nothing.
    if (!isApiRoute(request)) return
    const config = request.routeOptions.config
    const token = request.cookies[SESSION_COOKIE]
    const session = token ? await load(request, token) : null
    request.auth = session
    request.actor = session
      ? { ...session.actor, scopePaths: [...session.actor.scopePaths], ip: request.ip }
      : null
    if (config.public) return
    if (!session || !request.actor)
      throw unauthenticated(token ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED')
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError(403, 'CSRF', undefined, { field: CSRF_HEADER })
    }
    if (session.user.mustChangePassword && !config.duringPasswordChange) {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED')
    }
    const reasonHeader = request.headers[BREAK_GLASS_HEADER]
    if (reasonHeader !== undefined) {
      const reason = decodeHeader(String(reasonHeader))
      if (!can(request.actor.role, 'scope:break_glass')) {
        throw forbidden('BREAK_GLASS_NOT_ALLOWED')
      }
      if (reason.length < 10)
        throw invalid(BREAK_GLASS_HEADER, 'BREAK_GLASS_REASON_SHORT', { min: 10 })
      if (reason.includes('\u0000'))
        throw invalid(BREAK_GLASS_HEADER, 'VALIDATION', { rule: 'NUL' })
      request.actor.scopePaths = [ROOT_PATH]
      request.actor.breakGlassReason = reason
      await recordAudit(app.ctx.database.db, {
        actorId: request.actor.userId,
        actorName: request.actor.username,
        action: 'scope.break_glass',
        targetType: 'request',
        // The route as the log shows it: an ID number or phone searched for is not copied into the audit log.
        targetId: `${request.method} ${redactUrl(request.url)}`.slice(0, 300),
        ip: request.ip,
        reason,
      })
    }
  })
  return invalidate
}
