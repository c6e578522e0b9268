import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { Config } from './core/config.js'
import type { Database } from './core/db/db.js'
import type { Keyring } from './core/pii/keyring.js'
import { AppError } from './core/errors.js'
import { installErrorHandler } from './core/http/error-handler.js'
import { installMetrics } from './core/http/metrics.js'
import { installResponseHeaders } from './core/http/security-headers.js'
import { responseSerializerCompiler } from './core/http/serializer.js'
import { installNulGuard } from './core/http/input-guards.js'
import { sweepUploads, uploadRoot } from './core/http/uploads.js'
import { redactUrl, safeLoggerOptions } from './core/http/log-redact.js'
import { healthRoutes } from './core/http/health.routes.js'
import { installAuthHook } from './core/auth/auth.hook.js'
import { installLabTokenHook } from './core/auth/lab-token.hook.js'
import { authRoutes } from './core/auth/auth.routes.js'
import { usersRoutes } from './core/auth/users.routes.js'
import { treeRoutes } from './core/tree/tree.routes.js'
import { auditRoutes } from './core/audit/audit.routes.js'
import { registryRoutes } from './registry/registry.routes.js'
import { importsRoutes } from './imports/imports.routes.js'
import { testingRoutes } from './testing/testing.routes.js'
import { labByToken } from './testing/labs.service.js'
import { alertsRoutes } from './alerts/alerts.routes.js'
import { doorsRoutes } from './measures/doors.routes.js'
import { measuresRoutes } from './measures/measures.routes.js'
import { zonesRoutes } from './zones/zones.routes.js'
import { checkpointsRoutes } from './checkpoints/checkpoints.routes.js'
import { gateRoutes } from './checkpoints/gate.routes.js'
import { arrivalsRoutes } from './arrivals/arrivals.routes.js'
import './core/http/context.js'
import { installPermissions } from './permissions.js'
import { installAllMessages } from './messages.js'
import { installProfileSections } from './profile-sections.js'
import { policyRoutes } from './policy/policy.routes.js'

export interface BuildOptions {
  config: Config
  database: Database
  ring: Keyring
  /** pino options (a `stream` among them to capture the log); false silences the logger (tests). */
  logger?: boolean | Record<string, unknown>
}

/**
 * One log line per request, when it completes, instead of Fastify's two. The URL is redacted
 * (personal query values, anything shaped like an ID or a mobile number): log-redact.ts.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // Below the logger's level the line is not built (bench/http: redacting the URL of every
    // request cost a percent of a small request).
    const log = reply.log as { isLevelEnabled?: (level: string) => boolean }
    if (!error && log.isLevelEnabled?.('info') === false) return
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request')
  }
  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method, url: redactUrl(request.url) }, 'route not found')
  }
}

/** Routes reachable without a session that set no limit of their own get the generic per-address one. */
function isPublicRoute(url: string, config: { public?: boolean } | undefined): boolean {
  return config?.public === true || url.startsWith('/api/docs')
}

/** Builds the whole HTTP application; src/server.ts only listens. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  installPermissions()
  installAllMessages()
  installProfileSections()
  const { config } = opts
  const logger =
    opts.logger === false
      ? false
      : safeLoggerOptions(
          typeof opts.logger === 'object' ? opts.logger : { level: config.logLevel },
        )
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID()
    },
    trustProxy: process.env.WEIGUANG_TRUST_PROXY === '1',
    logController: new OneLinePerRequest(),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  // Plain response schemas get a compiled writer (same keys, same checks of type and enum), the rest zod's: serializer.ts.
  app.setSerializerCompiler(responseSerializerCompiler)

  let invalidate: () => void = () => {}
  app.decorate('ctx', {
    database: opts.database,
    config,
    ring: opts.ring,
    invalidateSessions: () => invalidate(),
  })

  installErrorHandler(app, () => opts.database.db)
  installResponseHeaders(app, { hsts: config.secureCookies })
  installNulGuard(app)
  // Start: what a killed process left under <dataDir>/uploads (rosters, lab files) goes, once,
  // for every domain that takes uploads.
  sweepUploads(uploadRoot(config.dataDir))
  // Before @fastify/rate-limit's own onRoute hook, which reads config.rateLimit: every route
  // reachable without a session (health, readiness, metrics, docs, the lab API, each present
  // and future public route) is rate-limited per address unless it sets a limit of its own.
  app.addHook('onRoute', (route) => {
    if (!isPublicRoute(route.url, route.config)) return
    const own = route.config as { rateLimit?: unknown } | undefined
    route.config = {
      ...route.config,
      public: true,
      ...(own?.rateLimit === undefined
        ? { rateLimit: { max: config.publicRateLimitPerMinute, timeWindow: '1 minute' } }
        : {}),
    }
  })
  await app.register(cookie)
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError(429, 'RATE_LIMITED', undefined, {
        params: { seconds: Math.ceil(ctx.ttl / 1000) },
        headers: { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) },
      }),
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Weiguang API',
        version: '0.1.0',
        description: 'Community outbreak prevention and response',
      },
      // Same origin as the document: the web app and the lab API call the server that serves it.
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wg_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with a .meta({ id }) (ErrorBody, src/core/http/error-responses.ts) become components.
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } })
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  )

  app.decorate('metrics', installMetrics(app, { token: config.metricsToken }))
  invalidate = installAuthHook(app)
  installLabTokenHook(app, (token) => labByToken(app.ctx.database.db, token), 'LAB_TOKEN_REQUIRED')
  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(usersRoutes)
  await app.register(treeRoutes)
  await app.register(auditRoutes)
  await app.register(registryRoutes)
  // The domains whose routes take a file (a roster, a lab's results, an arrivals list) get the
  // multipart parser and its two hooks; every other route answers a multipart body with 415 and
  // runs neither hook (bench/http: an async hook per request is measurable).
  await app.register(async (withUploads) => {
    // Rosters: one file, up to 200 MiB (a million rows of CSV is ~120 MB).
    await withUploads.register(multipart, {
      limits: { files: 1, fileSize: 200 * 1024 * 1024, fields: 10 },
    })
    await withUploads.register(importsRoutes)
    await withUploads.register(testingRoutes)
    await withUploads.register(arrivalsRoutes)
  })
  await app.register(alertsRoutes)
  await app.register(doorsRoutes)
  await app.register(policyRoutes)
  await app.register(measuresRoutes)
  await app.register(zonesRoutes)
  await app.register(checkpointsRoutes)
  await app.register(gateRoutes)

  const indexHtml = path.join(config.webDistDir, 'index.html')
  const hasWeb = fs.existsSync(indexHtml)
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: config.webDistDir,
      wildcard: false,
      // The build writes a .br and a .gz beside each file (web/vite.config.ts); the one the
      // browser accepts is sent, with Vary: Accept-Encoding. The siblings get no URL of their own.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      setHeaders: (reply, file) => reply.header('cache-control', webCacheControl(file)),
    })
  app.setNotFoundHandler(async (request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html')
    if (hasWeb && isPage) return reply.sendFile('index.html')
    throw new AppError(
      404,
      'NOT_FOUND',
      `${request.method} ${request.url.split('?')[0]}: no such route`,
    )
  })
  return app
}

/**
 * Hashed build output (web/dist/assets/name-HASH.ext) never changes under its name: a year,
 * immutable. Everything else (index.html, the service worker, the icon) is revalidated on each
 * load, so a new release reaches the phone on the next reload.
 */
function webCacheControl(file: string): string {
  const rel = file.split(path.sep).join('/')
  return /\/assets\/[^/]+-[\w-]{8,}\.\w+(\.br|\.gz)?$/.test(rel)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache'
}
