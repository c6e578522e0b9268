import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { codesRoutes } from './codes.routes.js'
import { historyRoutes } from './history.routes.js'
import { labsRoutes } from './labs.routes.js'
import { missedRoutes } from './missed.routes.js'
import { resultsRoutes } from './results.routes.js'
import { roundsRoutes, testingSettingsRoutes } from './rounds.routes.js'
import { routineRoutes } from './routine.routes.js'
import { samplingRoutes } from './sampling.routes.js'
import { sitesRoutes } from './sites.routes.js'
import { walkInRoutes } from './walkin.routes.js'

/**
 * The testing domain's HTTP surface, one route table per capability, each under its prefix.
 * Tables whose URLs start at different resources (sampling, codes, results) sit under /api.
 */
export const testingRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(testingSettingsRoutes, { prefix: '/api/testing' })
  await app.register(roundsRoutes, { prefix: '/api/rounds' })
  await app.register(samplingRoutes, { prefix: '/api' })
  await app.register(missedRoutes, { prefix: '/api/rounds' })
  await app.register(resultsRoutes, { prefix: '/api' })
  await app.register(codesRoutes, { prefix: '/api' })
  await app.register(sitesRoutes, { prefix: '/api/sites' })
  await app.register(routineRoutes, { prefix: '/api/key-groups' })
  await app.register(labsRoutes, { prefix: '/api/labs' })
  await app.register(walkInRoutes, { prefix: '/api/rounds' })
  await app.register(historyRoutes, { prefix: '/api' })
}
