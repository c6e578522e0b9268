import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig, type Config } from '../src/core/config.js'
import { openDatabase, type Database } from '../src/core/db/db.js'
import { keyringFromMasters, type Keyring } from '../src/core/pii/keyring.js'
import { createDivision } from '../src/core/tree/tree.service.js'
import { createUser } from '../src/core/auth/users.service.js'
import { systemActor } from '../src/core/auth/actor.js'
import { changePassword } from '../src/core/auth/auth.service.js'
import { findUserByUsername } from '../src/core/auth/auth.repo.js'
import type { Role } from '../src/core/auth/roles.js'
import type { DivisionOut } from '../src/core/tree/tree.schema.js'
import { FACTORY_PASSWORD } from './factories.js'
import { installPermissions } from '../src/permissions.js'

// Tests call services without building the app; they need the permission tables app.ts installs.
installPermissions()

export const engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite'

/** The PGlite template, read once per worker (files share a worker's modules: isolate false). */
let templateBlob: Blob | undefined

/** A fresh database cloned from the run's migrated template (PGlite tarball or PostgreSQL template). */
export async function cloneTestDatabase(): Promise<Database> {
  if (engine === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!
    const name = `wg_t_${crypto.randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${name} template ${inject('pgTemplateDb')!}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${name}`
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 })
    return {
      ...database,
      close: async () => {
        await database.close()
        const a = new pg.Client({ connectionString: url })
        await a.connect()
        await a.query(`drop database if exists ${name}`)
        await a.end()
      },
    }
  }
  templateBlob ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))])
  return openDatabase({ loadDataDir: templateBlob, memory: 'small' })
}

export { seedDataDir } from './template.js'

/**
 * An empty PostgreSQL database of its own on the test server, for tests that start processes
 * (crash tests): created, handed to `fn` as a connection URL, dropped afterwards.
 */
export async function withScratchPostgres<T>(
  prefix: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const base = process.env.TEST_DATABASE_URL!
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const u = new URL(base)
  u.pathname = `/${name}`
  try {
    return await fn(u.toString())
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

export interface TestApp {
  app: FastifyInstance
  database: Database
  ring: Keyring
  config: Config
  close(): Promise<void>
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await cloneTestDatabase()
  const ring = keyringFromMasters([crypto.randomBytes(32)], 'test')
  // A data directory of its own (uploads, audit heads), never the repository's ./data.
  const ownDir = overrides.dataDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'wg-test-'))
  const config = {
    ...loadConfig({}),
    secureCookies: false,
    ...(ownDir ? { dataDir: ownDir } : {}),
    ...overrides,
  }
  const app = await buildApp({ config, database, ring, logger: false })
  await app.ready()
  return {
    app,
    database,
    ring,
    config,
    close: async () => {
      await app.close()
      await database.close()
      if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true })
    },
  }
}

const uniq = (): string => crypto.randomBytes(4).toString('hex')
let codeSeq = 0
/** Unique digits for division codes in this process. */
function digits(n: number): string {
  codeSeq++
  const base =
    (Number.parseInt(crypto.randomBytes(3).toString('hex'), 16) * 1000 + codeSeq) % 10 ** n
  return String(base).padStart(n, '0')
}

export interface Chain {
  district: DivisionOut
  street: DivisionOut
  community: DivisionOut
  grid: DivisionOut
  grid2: DivisionOut
}

/** District → street → community → two grids, unique codes, created as the system. New tests: `buildGrid` in ./factories.ts. */
export async function buildChain(t: TestApp): Promise<Chain> {
  const db = t.database.db
  const sys = systemActor()
  const dcode = '9' + digits(5)
  const district = await createDivision(db, sys, {
    code: dcode,
    name: `测试区${uniq()}`,
    level: 'district',
  })
  const street = await createDivision(db, sys, {
    code: dcode + '001',
    name: '测试街道',
    level: 'street',
    parentId: district.id,
  })
  const community = await createDivision(db, sys, {
    code: street.code + '001',
    name: '测试社区',
    level: 'community',
    parentId: street.id,
  })
  const grid = await createDivision(db, sys, {
    code: `${community.code}-G1`,
    name: '第一网格',
    level: 'grid',
    parentId: community.id,
  })
  const grid2 = await createDivision(db, sys, {
    code: `${community.code}-G2`,
    name: '第二网格',
    level: 'grid',
    parentId: community.id,
  })
  return { district, street, community, grid, grid2 }
}

export const TEST_PASSWORD = FACTORY_PASSWORD

/** A user with a known password that no longer needs changing. New tests: `buildUser(t, { role, scope })` in ./factories.ts. */
export async function buildUser(
  t: TestApp,
  role: Role,
  scope: DivisionOut[],
  extra: { phone?: string } = {},
): Promise<{ id: string; username: string }> {
  const username = `${role.replace('_', '')}-${uniq()}`
  const { user } = await createUser(t.database.db, t.ring, systemActor(), {
    username,
    displayName: `Test ${role}`,
    role,
    scopeDivisionIds: scope.map((d) => d.id),
    password: 'Initial-Pass-123',
    ...extra,
  })
  const row = await findUserByUsername(t.database.db, username)
  await changePassword(
    t.database.db,
    { ...systemActor(), userId: row!.id, username },
    'Initial-Pass-123',
    TEST_PASSWORD,
  )
  return { id: user.id, username }
}

/** A logged-in client: carries the session cookie and the CSRF header like the web app. */
export interface Client {
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  send(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
  csrf: string
  cookie: string
}

export async function loginAs(
  t: TestApp,
  username: string,
  password = TEST_PASSWORD,
): Promise<Client> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  })
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.body}`)
  const session = res.cookies.find((c) => c.name === 'wg_session')!.value
  const csrf = (res.json() as { csrfToken: string }).csrfToken
  const cookie = `wg_session=${session}`
  return {
    csrf,
    cookie,
    get: (url, headers = {}) =>
      t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    send: (method, url, body, headers = {}) =>
      t.app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  }
}
