import crypto from 'node:crypto'
import http from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { AppError } from '../errors.js'

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? ''
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '')
  const expected = Buffer.from(token)
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

/**
 * Prometheus metrics: request counts and latencies by method, route and status. `/metrics` on
 * the main port answers only with `Authorization: Bearer <WEIGUANG_METRICS_TOKEN>`; without a
 * token configured it is refused (serve it on a separate address with WEIGUANG_METRICS_LISTEN).
 */
export function installMetrics(
  app: FastifyInstance,
  opts: { token: string | undefined },
): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: 'weiguang_http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'weiguang_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  // Label children cached by a plain string key: prom-client hashes a label object on every
  // call otherwise, a measurable share of a small request's cost.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>()
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const key = `${request.method} ${route} ${reply.statusCode}`
    let child = children.get(key)
    if (!child) {
      const status = String(reply.statusCode)
      child = {
        count: requests.labels(request.method, route, status),
        time: latency.labels(request.method, route, status),
      }
      children.set(key, child)
    }
    child.count.inc()
    child.time.observe(reply.elapsedTime / 1000)
    done()
  })
  app.get(
    '/metrics',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      if (!opts.token) throw new AppError(403, 'METRICS_NOT_SERVED')
      if (!bearerMatches(request, opts.token))
        throw new AppError(401, 'METRICS_TOKEN_REQUIRED', undefined, { field: 'authorization' })
      reply.header('content-type', registry.contentType)
      return registry.metrics()
    },
  )
  return registry
}

/** `/metrics` alone on its own address (WEIGUANG_METRICS_LISTEN=host:port), for a scraper on a private network. */
export async function listenMetrics(
  registry: Registry,
  host: string,
  port: number,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
        .end('not found\n')
      return
    }
    registry.metrics().then(
      (text) =>
        res
          .writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' })
          .end(text),
      () => res.writeHead(500, { 'cache-control': 'no-store' }).end(),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}
