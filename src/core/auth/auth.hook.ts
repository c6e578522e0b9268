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
  // One database lookup per token at a time: the requests that miss together (a page's parallel
  // calls, when the entry has just expired) wait for the same one.
  const pending = new Map<string, Promise<ResolvedSession | null>>()
  // Bumped by every invalidation: a lookup that was already reading the database when a logout,
  // a disable or a role change cleared the cache must not put what it read back into it, and no
  // request that arrives after the invalidation waits for it.
  let generation = 0
  const invalidate = (): void => {
    generation++
    cache.clear()
    pending.clear()
  }

  /** The cached session of a token, or undefined when it must be read. */
  function fresh(token: string): ResolvedSession | undefined {
    const hit = cache.get(token)
    return hit && Date.now() - hit.at < CACHE_MS ? hit.session : undefined
  }

  async function lookup(request: FastifyRequest, token: string): Promise<ResolvedSession | null> {
    const started = generation
    const at = Date.now()
    const s = await resolveSession(app.ctx.database.db, app.ctx.config, token, request.ip)
    if (s && started === generation) {
      if (cache.size > 10_000) cache.clear()
      cache.set(token, { at, session: s })
      await touchIfStale(app.ctx.database.db, s)
    } else cache.delete(token)
    return s
  }

  function load(request: FastifyRequest, token: string): Promise<ResolvedSession | null> {
    let p = pending.get(token)
    if (!p) {
      const mine = lookup(request, token).finally(() => {
        if (pending.get(token) === mine) pending.delete(token)
      })
      pending.set(token, (p = mine))
    }
    return p
  }

  /** Puts the session on the request and enforces the rules; a promise only for a break-glass audit. */
  function admit(
    request: FastifyRequest,
    session: ResolvedSession | null,
    token: string | undefined,
  ): Promise<void> | undefined {
    const config = request.routeOptions.config
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
    if (reasonHeader === undefined) return
    const reason = decodeHeader(String(reasonHeader))
    if (!can(request.actor.role, 'scope:break_glass')) {
      throw forbidden('BREAK_GLASS_NOT_ALLOWED')
    }
    if (reason.length < 10)
      throw invalid(BREAK_GLASS_HEADER, 'BREAK_GLASS_REASON_SHORT', { min: 10 })
    if (reason.includes('\u0000')) throw invalid(BREAK_GLASS_HEADER, 'VALIDATION', { rule: 'NUL' })
    request.actor.scopePaths = [ROOT_PATH]
    request.actor.breakGlassReason = reason
    return recordAudit(app.ctx.database.db, {
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

  /** Admits the request on the session and calls `done`, after the break-glass audit if there is one. */
  function finish(
    request: FastifyRequest,
    token: string | undefined,
    session: ResolvedSession | null,
    done: (err?: Error) => void,
  ): void {
    let audit: Promise<void> | undefined
    try {
      audit = admit(request, session, token)
    } catch (err) {
      return done(err as Error)
    }
    if (audit) audit.then(() => done(), done)
    else done()
  }

  app.decorateRequest('auth', null)
  app.decorateRequest('actor', null)
  // A callback hook that answers at once on a cached session (most requests): an async hook's
  // promise per request is measurable on a small request (bench/http). No closure is named
  // per request either (tsx keeps function names with a defineProperty per closure).
  app.addHook('onRequest', (request, _reply, done) => {
    // The routed URL, not the raw one: `/%61pi/auth/me` is routed to /api/auth/me and must meet
    // the same checks. Unmatched URLs (no route) go to the not-found handler and reach nothing.
    if (!isApiRoute(request)) return done()
    const token = request.cookies[SESSION_COOKIE]
    const cached = token ? fresh(token) : null
    if (cached !== undefined) return finish(request, token, cached, done)
    load(request, token!).then((s) => finish(request, token, s, done), done)
  })
  return invalidate
}
