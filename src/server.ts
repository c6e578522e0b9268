import type http from 'node:http'
import { startPlatform } from './boot.js'
import { listenMetrics } from './core/http/metrics.js'

/** Listens on HOST:PORT and shuts down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const started = await startPlatform()
  const { app, platform, firstAdmin } = started
  const { config } = platform
  if (firstAdmin) {
    const line = '='.repeat(64)
    console.log(
      `\n${line}\n  Weiguang first start: an administrator account was created.\n` +
        `  user name: ${firstAdmin.username}\n  password:  ${firstAdmin.password}\n` +
        `  This password is shown once; you must change it at first login.\n${line}\n`,
    )
  }
  let metricsServer: http.Server | null = null
  let closing = false
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    try {
      metricsServer?.close()
      await app.close()
      await platform.database.close()
      process.exit(0)
    } catch (err) {
      app.log.error({ err }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  await app.listen({ host: config.host, port: config.port })
  if (config.metricsListen) {
    metricsServer = await listenMetrics(
      app.metrics,
      config.metricsListen.host,
      config.metricsListen.port,
    )
    console.log(
      `Metrics on http://${config.metricsListen.host}:${config.metricsListen.port}/metrics`,
    )
  }
  const where = config.databaseUrl
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PGlite in ${config.dataDir}`
  console.log(`Weiguang is listening on http://${config.host}:${config.port}  (database: ${where})`)
}

main().catch((err: unknown) => {
  console.error('Weiguang could not start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
