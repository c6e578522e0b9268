import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { unauthenticated } from '../errors.js'
import { actorOf } from '../http/context.js'
import { CSRF_COOKIE, SESSION_COOKIE } from './auth.hook.js'
import {
  changePasswordIn,
  loginIn,
  meOut,
  passwordIn,
  setScopeIn,
  totpCodeIn,
  totpSetupOut,
} from './auth.schema.js'
import {
  changePassword,
  describeMe,
  disableTotp,
  enableTotp,
  login,
  logout,
  resolveSession,
  selectScope,
  setupTotp,
} from './auth.service.js'
import { errorResponses } from '../http/error-responses.js'

const ok = z.object({ ok: z.literal(true) })

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app.ctx
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: config.secureCookies }

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Log in with user name and password (and TOTP when enabled)',
        body: loginIn,
        response: { 200: meOut, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const db = app.ctx.database.db
      const s = await login(db, app.ctx.ring, config, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      })
      const maxAge = config.sessionAbsoluteHours * 3600
      reply.setCookie(SESSION_COOKIE, s.token, { ...cookieBase, httpOnly: true, maxAge })
      reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...cookieBase, httpOnly: false, maxAge })
      const resolved = await resolveSession(db, config, s.token, request.ip)
      if (!resolved) throw unauthenticated()
      return describeMe(resolved)
    },
  )

  app.get(
    '/api/auth/me',
    {
      config: { duringPasswordChange: true },
      schema: {
        operationId: 'describeMe',
        tags: ['auth'],
        summary: 'The logged-in user, role, permissions and scope',
        response: { 200: meOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => describeMe(request.auth!),
  )

  app.post(
    '/api/auth/logout',
    {
      config: { duringPasswordChange: true },
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: 'End this session',
        response: { 200: ok, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await logout(app.ctx.database.db, actorOf(request), false)
      app.ctx.invalidateSessions()
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { duringPasswordChange: true },
      schema: {
        operationId: 'logoutEverywhere',
        tags: ['auth'],
        summary: 'End every session of this user',
        response: { 200: ok, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await logout(app.ctx.database.db, actorOf(request), true)
      app.ctx.invalidateSessions()
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/auth/password',
    {
      config: { duringPasswordChange: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'changePassword',
        tags: ['auth'],
        summary: 'Change your password (ends your other sessions)',
        body: changePasswordIn,
        response: { 200: ok, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      await changePassword(
        app.ctx.database.db,
        actorOf(request),
        request.body.currentPassword,
        request.body.newPassword,
      )
      app.ctx.invalidateSessions()
      return { ok: true as const }
    },
  )

  app.put(
    '/api/auth/scope',
    {
      schema: {
        operationId: 'selectScope',
        tags: ['auth'],
        summary: 'Switch the working scope to one node of your tree (null = all of it)',
        body: setScopeIn,
        response: { 200: meOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const db = app.ctx.database.db
      await selectScope(db, request.auth!, request.body.divisionId)
      app.ctx.invalidateSessions()
      const token = request.cookies[SESSION_COOKIE]!
      const resolved = await resolveSession(db, config, token, request.ip)
      if (!resolved) throw unauthenticated()
      return describeMe(resolved)
    },
  )

  app.post(
    '/api/auth/totp/setup',
    {
      schema: {
        operationId: 'setupTotp',
        tags: ['auth'],
        summary: 'Start a TOTP second factor (admin and command)',
        response: { 200: totpSetupOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => setupTotp(app.ctx.database.db, app.ctx.ring, actorOf(request)),
  )
  app.post(
    '/api/auth/totp/enable',
    {
      schema: {
        operationId: 'enableTotp',
        tags: ['auth'],
        summary: 'Confirm the first code and turn TOTP on',
        body: totpCodeIn,
        response: { 200: ok, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await enableTotp(app.ctx.database.db, app.ctx.ring, actorOf(request), request.body.code)
      app.ctx.invalidateSessions()
      return { ok: true as const }
    },
  )
  app.post(
    '/api/auth/totp/disable',
    {
      schema: {
        operationId: 'disableTotp',
        tags: ['auth'],
        summary: 'Turn TOTP off (needs the password)',
        body: passwordIn,
        response: { 200: ok, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await disableTotp(app.ctx.database.db, actorOf(request), request.body.password)
      app.ctx.invalidateSessions()
      return { ok: true as const }
    },
  )
}
