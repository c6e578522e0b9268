// Writes /api/openapi.json, as an in-process app serves it, to the file named by the first
// argument (default .tmp/openapi.json). No network, no data directory: an in-memory database,
// migrated, since registering the routes recovers interrupted imports.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/core/config.js'
import { openDatabase } from '../src/core/db/db.js'
import { migrateAsOwner } from '../src/core/db/migrate.js'
import { keyringFromMasters } from '../src/core/pii/keyring.js'

const out = path.resolve(process.argv[2] ?? '.tmp/openapi.json')
const database = await openDatabase({})
await migrateAsOwner(database, undefined)
const app = await buildApp({
  config: { ...loadConfig({}), webDistDir: path.join(path.dirname(out), 'no-web') },
  database,
  ring: keyringFromMasters([crypto.randomBytes(32)], 'openapi'),
  logger: false,
})
try {
  await app.ready()
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' })
  if (res.statusCode !== 200) throw new Error(`/api/openapi.json answered ${res.statusCode}`)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(res.json(), null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), out)}`)
} finally {
  await app.close()
  await database.close()
}
