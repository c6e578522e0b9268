import type { FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import type { Actor } from '../auth/actor.js'
import type { ResolvedSession } from '../auth/auth.service.js'
import type { Config } from '../config.js'
import type { Database, Db } from '../db/db.js'
import { unauthenticated } from '../errors.js'
import type { Keyring } from '../pii/keyring.js'

/** What every route reaches through `app.ctx`. */
export interface AppContext {
  database: Database
  config: Config
  ring: Keyring
  /** Drops cached sessions after anything that changes who may do what. */
  invalidateSessions(): void
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext
    /** The Prometheus registry behind `/metrics` (also served alone on WEIGUANG_METRICS_LISTEN). */
    metrics: Registry
  }
  interface FastifyRequest {
    auth: ResolvedSession | null
    actor: Actor | null
  }
  interface FastifyContextConfig {
    /** Reachable without a session (login, health, docs). */
    public?: boolean
    /** Reachable while the password must still be changed (me, change password, logout). */
    duringPasswordChange?: boolean
  }
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated()
  return request.actor
}

export function dbOf(request: FastifyRequest & { server: { ctx: AppContext } }): Db {
  return request.server.ctx.database.db
}
