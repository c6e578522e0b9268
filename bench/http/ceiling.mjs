// The ceiling for "one indexed list query per request" on this machine: bare Fastify and the
// driver, no ORM, no validation, no auth, the same query shape as GET /api/divisions.
import path from 'node:path'
import Fastify from 'fastify'

const text =
  'select id, code, name, level, parent_id, path, child_count from division where parent_id = $1 and path like $2 order by code limit 50'
let query
if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
  query = async (values) => (await pool.query({ name: 'list', text, values })).rows
} else {
  const { PGlite } = await import('@electric-sql/pglite')
  const db = new PGlite({ dataDir: path.join(process.env.WEIGUANG_DATA_DIR, 'pgdata') })
  await db.waitReady
  query = async (values) => (await db.query(text, values)).rows
}
const app = Fastify({ logger: false })
app.get('/', async (req) => ({ items: await query([req.query.parent, req.query.prefix]) }))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
console.log('ceiling ready')
// A profiled run (BENCH_PROFILE) writes its profile on a clean exit.
process.on('SIGINT', () => process.exit(0))
