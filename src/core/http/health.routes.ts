import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { AppError } from '../errors.js'
import { migrationStatus } from '../db/migrate.js'
import { errorResponses } from './error-responses.js'

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        operationId: 'checkLiveness',
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }), ...errorResponses(429) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        operationId: 'checkReadiness',
        tags: ['health'],
        summary: 'The database answers and its migrations are current',
        response: {
          200: z.object({
            status: z.literal('ready'),
            engine: z.enum(['pglite', 'postgres']),
            migrations: z.object({ expected: z.number(), applied: z.number() }),
          }),
          ...errorResponses(429),
        },
      },
    },
    async () => {
      const database = app.ctx.database
      try {
        await database.db.execute(sql`select 1`)
      } catch {
        throw new AppError(503, 'NOT_READY', 'database: not reachable')
      }
      const m = await migrationStatus(database)
      if (!m.current)
        throw new AppError(503, 'NOT_READY', `migrations: ${m.applied} of ${m.expected} applied`)
      return {
        status: 'ready' as const,
        engine: database.kind,
        migrations: { expected: m.expected, applied: m.applied },
      }
    },
  )
}
