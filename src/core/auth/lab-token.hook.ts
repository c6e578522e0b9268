import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from 'fastify'
import { unauthenticated, type ErrorCode } from '../errors.js'

/**
 * Machine clients (a lab's system posting results) authenticate with a bearer token instead of a
 * session. A route says so with `config: { public: true, labToken: true }`: this hook resolves
 * `Authorization: Bearer …` before the body is read (an upload without a valid token is refused
 * before a byte of it is stored) and puts the lab on `request.lab`. Core knows no domain: the
 * caller (app.ts) passes the resolver and the code of the 401.
 */

export interface TokenClient {
  id: string
  name: string
}

declare module 'fastify' {
  interface FastifyRequest {
    lab: TokenClient | null
  }
  interface FastifyContextConfig {
    /** Authenticated by a lab's bearer token (see core/auth/lab-token.hook.ts), not by a session. */
    labToken?: boolean
  }
}

/** The token of `Authorization: Bearer <token>`, or ''. */
export function bearerToken(request: Pick<FastifyRequest, 'headers'>): string {
  const header = request.headers.authorization ?? ''
  return header.startsWith('Bearer ') ? header.slice(7).trim() : ''
}

export function installLabTokenHook(
  app: FastifyInstance,
  resolve: (token: string) => Promise<TokenClient | undefined>,
  missingCode: ErrorCode = 'UNAUTHENTICATED',
): void {
  app.decorateRequest('lab', null)
  // preParsing, not onRequest: after the route's own onRequest hooks (the per-address rate limit
  // of public routes counts a wrong token too) and still before a byte of the body is read.
  const checkToken: preParsingAsyncHookHandler = async (request, _reply, payload) => {
    const token = bearerToken(request)
    const lab = token ? await resolve(token) : undefined
    if (!lab) throw unauthenticated(missingCode)
    request.lab = lab
    return payload
  }
  // On the labToken routes only, added as each is declared: every other request skips an async
  // hook (bench/http: three async app-wide hooks cost 8 % of a small request's CPU).
  app.addHook('onRoute', (route) => {
    if (!route.config?.labToken) return
    const own = route.preParsing
    route.preParsing = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), checkToken]
  })
}

/** The lab of a `labToken` route (the hook has refused the request otherwise). */
export function labOf(request: FastifyRequest): TokenClient {
  if (!request.lab) throw unauthenticated()
  return request.lab
}
