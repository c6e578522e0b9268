import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { sql, TransactionRollbackError } from 'drizzle-orm'
import { cloneTestDatabase, engine } from './helpers.js'
import { rows, sqlState, type Database, type Db, type Tx } from '../src/core/db/db.js'
import { loadConfig } from '../src/core/config.js'
import { openPlatform, startPlatform } from '../src/boot.js'
import { appendAudit, recordAudit } from '../src/core/audit/audit.service.js'
import {
  GENESIS_HASH,
  keyedEntryHash,
  legacyEntryHash,
  type HashedFields,
} from '../src/core/audit/audit.chain.js'
import { auditKeyFromMaster, useAuditKey } from '../src/core/audit/audit.key.js'
import {
  appendCheckpoint,
  readCheckpointFile,
  signCheckpoint,
  takeCheckpoint,
  type AuditCheckpoint,
} from '../src/core/audit/audit.head.js'
import {
  verifyAuditChain,
  type AuditProblemKind,
  type AuditVerifyResult,
} from '../src/core/audit/audit.verify.js'
import { auditLog } from '../src/core/audit/audit.tables.js'

/**
 * Issue 8 finding 3: someone who can write to the database (the trigger disabled, as the app's
 * own role could before the owner/server split) tampers with the audit log; verify, given the
 * signed heads kept outside the table, must notice every way of doing it.
 */
const key = auditKeyFromMaster(crypto.randomBytes(32), 'test')
useAuditKey(key)
const LEGACY = 10 // rows written before the chain was keyed
const KEYED = 30
const AFTER = 5 // appended after the first checkpoint

let database: Database
let dir: string
let headFile: string
let firstCheckpoint: AuditCheckpoint
let checkpoints: AuditCheckpoint[]

const entry = (i: number): HashedFields => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actorId: null,
  actorName: 'tester',
  action: i % 2 ? 'pii.reveal' : 'user.create',
  targetType: 'user',
  targetId: `u${i}`,
  scopePath: '/320102/',
  ip: null,
  reason: null,
  detail: { i, nested: { b: [1, 'two'], a: null } },
})

const write = (i: number): Promise<void> =>
  recordAudit(database.db, {
    actorId: null,
    actorName: 'tester',
    action: 'user.create',
    targetType: 'user',
    targetId: `u${i}`,
    scopePath: '/320102/',
    detail: { i },
  })

beforeAll(async () => {
  database = await cloneTestDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-audit-'))
  headFile = path.join(dir, 'audit-head.jsonl')
  // The log as the previous release wrote it: plain SHA-256, chain_version 0.
  let prev = GENESIS_HASH
  for (let i = 1; i <= LEGACY; i++) {
    const e = entry(i)
    const hash = legacyEntryHash(prev, e)
    await database.db.insert(auditLog).values({ ...e, prevHash: prev, hash, chainVersion: 0 })
    prev = hash
  }
  for (let i = LEGACY + 1; i <= LEGACY + KEYED; i++) await write(i)
  appendCheckpoint(headFile, await takeCheckpoint(database.db, key))
  firstCheckpoint = readCheckpointFile(headFile).checkpoints[0]!
  for (let i = 1; i <= AFTER; i++) await write(100 + i)
  // The server's next periodic (or shutdown) checkpoint.
  appendCheckpoint(headFile, await takeCheckpoint(database.db, key))
  checkpoints = readCheckpointFile(headFile).checkpoints
})

afterAll(async () => {
  await database?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const TOTAL = LEGACY + KEYED + AFTER

/** Tampers inside a transaction that is rolled back, so every case starts from the same log. */
async function tamperAndVerify(
  tamper: (tx: Tx) => Promise<void>,
  cps: AuditCheckpoint[] = checkpoints,
): Promise<AuditVerifyResult> {
  let result: AuditVerifyResult | undefined
  try {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`)
      await tamper(tx)
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`)
      result = await verifyAuditChain(tx, { key, checkpoints: cps, batchSize: 7 })
      tx.rollback()
    })
  } catch (err) {
    if (!(err instanceof TransactionRollbackError)) throw err
  }
  return result!
}

const kinds = (r: AuditVerifyResult): AuditProblemKind[] =>
  [...new Set(r.problems.map((p) => p.problem))].sort()

/** Recomputes every hash from `fromId` on, as someone with the project's code but not its key would. */
async function rechain(
  tx: Db,
  fromId: number,
  hashOf: (prev: string, e: HashedFields) => string,
  version: number,
): Promise<void> {
  const all = await tx.select().from(auditLog).orderBy(auditLog.id)
  let prev = GENESIS_HASH
  for (const r of all) {
    if (r.id >= fromId) {
      const hash = hashOf(prev, r)
      await tx.execute(
        sql`update audit_log set prev_hash = ${prev}, hash = ${hash}, chain_version = ${version} where id = ${r.id}`,
      )
      prev = hash
    } else prev = r.hash
  }
}

describe('audit log tampering (issue 8 finding 3)', () => {
  it('an untouched log verifies, old unkeyed rows included, with entries appended after a checkpoint', async () => {
    expect(checkpoints).toHaveLength(2)
    expect(firstCheckpoint).toMatchObject({
      lastId: LEGACY + KEYED,
      count: LEGACY + KEYED,
      legacyUpTo: LEGACY,
      key: key.id,
    })
    const older = await verifyAuditChain(database.db, { key, checkpoints: [firstCheckpoint] })
    expect(older.problems).toEqual([])
    expect(older.checked).toBe(TOTAL)
    const all = await verifyAuditChain(database.db, { key, checkpoints })
    expect(all.problems).toEqual([])
    expect(all.checkpoints).toMatchObject({ given: 2, valid: 2 })
    const rows = await database.db
      .select({ v: auditLog.chainVersion })
      .from(auditLog)
      .orderBy(auditLog.id)
    expect(rows.map((r) => r.v)).toEqual([
      ...Array<number>(LEGACY).fill(0),
      ...Array<number>(KEYED + AFTER).fill(1),
    ])
  })

  it('1. an edited row (hashes left as they were)', async () => {
    const r = await tamperAndVerify((tx) =>
      tx
        .execute(sql`update audit_log set target_id = 'someone-else' where id = 25`)
        .then(() => undefined),
    )
    expect(r.problems).toEqual([expect.objectContaining({ id: 25, problem: 'hash_mismatch' })])
  })

  it('2. a deleted middle row', async () => {
    const r = await tamperAndVerify((tx) =>
      tx.execute(sql`delete from audit_log where id = 20`).then(() => undefined),
    )
    expect(r.problems).toContainEqual(expect.objectContaining({ id: 21, problem: 'broken_link' }))
    expect(kinds(r)).toEqual(['broken_link', 'checkpoint_count_mismatch'])
  })

  it('3. the last N rows deleted', async () => {
    for (const n of [1, 3, AFTER + 2]) {
      const r = await tamperAndVerify((tx) =>
        tx.execute(sql`delete from audit_log where id > ${TOTAL - n}`).then(() => undefined),
      )
      expect(r.checked).toBe(TOTAL - n)
      expect(r.problems).toContainEqual(
        expect.objectContaining({ id: TOTAL, problem: 'checkpoint_entry_missing' }),
      )
    }
  })

  it('4. every row deleted', async () => {
    const r = await tamperAndVerify((tx) =>
      tx.execute(sql`delete from audit_log`).then(() => undefined),
    )
    expect(r.checked).toBe(0)
    expect(kinds(r)).toEqual(['checkpoint_entry_missing'])
    expect(r.problems.map((p) => p.id)).toEqual([LEGACY + KEYED, TOTAL])
    // With the head file gone as well, verify still does not call an empty log intact.
    const bare = await tamperAndVerify(
      (tx) => tx.execute(sql`delete from audit_log`).then(() => undefined),
      [],
    )
    expect(kinds(bare)).toEqual(['no_checkpoint'])
  })

  it('5. the last 3 rows deleted, then new rows appended', async () => {
    const appendFour = async (tx: Tx): Promise<void> => {
      await tx.execute(sql`delete from audit_log where id > ${TOTAL - 3}`)
      for (let i = 0; i < 4; i++)
        await appendAudit(tx, {
          actorId: null,
          actorName: 'intruder',
          action: 'user.create',
          detail: { i },
        })
    }
    const r = await tamperAndVerify(appendFour)
    expect(r.checked).toBe(TOTAL + 1)
    expect(r.problems).toEqual([
      expect.objectContaining({ id: TOTAL, problem: 'checkpoint_entry_missing' }),
    ])
    // Even when the ids are reused (sequence set back), the signed head's entry is not the same one.
    const reused = await tamperAndVerify(async (tx) => {
      await tx.execute(sql`select setval(pg_get_serial_sequence('audit_log', 'id'), ${TOTAL - 3})`)
      await appendFour(tx)
    })
    expect(reused.problems).toContainEqual(
      expect.objectContaining({ id: TOTAL, problem: 'checkpoint_hash_mismatch' }),
    )
  })

  it('6. row 25 edited and every later hash recomputed with the project’s own hash function', async () => {
    const edit = (tx: Db): Promise<unknown> =>
      tx.execute(sql`update audit_log set target_id = 'someone-else' where id = 25`)
    // The unkeyed function the chain used before (anyone can run it), keeping the rows' version…
    const plain = await tamperAndVerify(async (tx) => {
      await edit(tx)
      await rechain(tx, 25, legacyEntryHash, 1)
    })
    expect(plain.problems).toContainEqual(
      expect.objectContaining({ id: 25, problem: 'hash_mismatch' }),
    )
    // …or marking them as old unkeyed rows…
    const asLegacy = await tamperAndVerify(async (tx) => {
      await edit(tx)
      await rechain(tx, 25, legacyEntryHash, 0)
    })
    expect(asLegacy.problems).toContainEqual(
      expect.objectContaining({ id: 25, problem: 'unkeyed_entry' }),
    )
    expect(asLegacy.problems).toContainEqual(
      expect.objectContaining({ id: TOTAL, problem: 'checkpoint_hash_mismatch' }),
    )
    expect(asLegacy.problems.some((p) => p.problem === 'hash_mismatch')).toBe(false)
    // …or the keyed function with a key of one's own.
    const guessed = auditKeyFromMaster(crypto.randomBytes(32), 'guess')
    const keyed = await tamperAndVerify(async (tx) => {
      await edit(tx)
      await rechain(tx, 25, (p, e) => keyedEntryHash(guessed, p, e), 1)
    })
    expect(keyed.problems.filter((p) => p.problem === 'hash_mismatch')).toHaveLength(TOTAL - 24)
    // Every row rewritten as unkeyed, from the first: only the signed heads can tell, and they do.
    const all = await tamperAndVerify(async (tx) => {
      await edit(tx)
      await rechain(tx, 1, legacyEntryHash, 0)
    })
    expect(kinds(all)).toEqual(['checkpoint_hash_mismatch', 'unkeyed_entry'])
  })

  it('a head file rewritten to match a shortened log is refused without the key', async () => {
    const r = await tamperAndVerify(
      (tx) => tx.execute(sql`delete from audit_log where id > ${TOTAL - 3}`).then(() => undefined),
      [
        signCheckpoint(auditKeyFromMaster(crypto.randomBytes(32), 'guess'), {
          lastId: TOTAL - 3,
          count: TOTAL - 3,
          head: 'f'.repeat(64),
          legacyUpTo: LEGACY,
        }),
      ],
    )
    expect(kinds(r)).toEqual(['checkpoint_forged', 'no_checkpoint'])
  })
})

/** The grants of docs/OPERATIONS.md, exactly as written there. */
function documentedGrants(names: { app: string; owner: string; database: string }): string {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../docs/OPERATIONS.md'), 'utf8')
  const block =
    /<!-- app-role-grants:begin -->\s*```sql\n([\s\S]*?)```\s*<!-- app-role-grants:end -->/.exec(
      doc,
    )
  if (!block) throw new Error('docs/OPERATIONS.md: the app-role-grants block is missing')
  return block[1]!
    .replace(/\bweiguang_app\b/g, names.app)
    .replace(/\bweiguang_owner\b/g, names.owner)
    .replace(/\bweiguang\b/g, names.database)
}

describe.skipIf(engine !== 'postgres')(
  'PostgreSQL: the server runs as a role that owns no table',
  () => {
    const url = process.env.TEST_DATABASE_URL ?? ''
    const suffix = crypto.randomBytes(5).toString('hex')
    const dbName = `wg_t_roles_${suffix}`
    const role = `wg_app_${suffix}`
    const urlOf = (user: string | null): string => {
      const u = new URL(url)
      u.pathname = `/${dbName}`
      if (user) u.username = user
      return u.toString()
    }
    const admin = async (text: string, target = url): Promise<void> => {
      const c = new pg.Client({ connectionString: target })
      await c.connect()
      try {
        await c.query(text)
      } finally {
        await c.end()
      }
    }
    let platformDir: string

    beforeAll(async () => {
      await admin(`create database ${dbName} template ${inject('pgTemplateDb')!}`)
      await admin(`create role ${role} login`)
      const owner = new URL(url).username || 'postgres'
      await admin(documentedGrants({ app: role, owner, database: dbName }), urlOf(null))
      platformDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-roles-'))
    })

    afterAll(async () => {
      await admin(`drop database if exists ${dbName} with (force)`)
      await admin(`drop role if exists ${role}`)
      if (platformDir) fs.rmSync(platformDir, { recursive: true, force: true })
    })

    it('starts as the app role (migrations as the owner), writes the log, and cannot disable the trigger, update, delete or truncate', async () => {
      const config = {
        ...loadConfig({ WEIGUANG_DATA_DIR: platformDir }),
        databaseUrl: urlOf(role),
        databaseMigrationUrl: urlOf(null),
      }
      const started = await startPlatform(config)
      const p = started.platform
      let closed = false
      try {
        const db = p.database.db
        expect(await rows<{ u: string }>(db, sql`select current_user as u`)).toEqual([{ u: role }])
        // Ordinary work as that role: the first admin account (a user row and its audit entry).
        expect(started.firstAdmin).not.toBeNull()
        // The head signed at start runs beside start-up: wait for it before the next entry, or a
        // slow machine signs both entries at once and the close finds nothing new to sign.
        await vi.waitFor(
          () => expect(readCheckpointFile(config.auditHeadFile).checkpoints.length).toBe(1),
          { timeout: 15_000, interval: 50 },
        )
        await recordAudit(db, {
          actorId: null,
          actorName: 'cli',
          action: 'user.create',
          targetId: 'x',
        })
        const refused = async (q: ReturnType<typeof sql>): Promise<string | undefined> => {
          try {
            await db.execute(q)
            return 'accepted'
          } catch (err) {
            return sqlState(err)
          }
        }
        // 42501: insufficient privilege / must be owner (not the trigger's own refusal, P0001).
        expect(await refused(sql`alter table audit_log disable trigger audit_log_no_update`)).toBe(
          '42501',
        )
        expect(await refused(sql`alter table audit_log disable trigger all`)).toBe('42501')
        expect(await refused(sql`drop trigger audit_log_no_update on audit_log`)).toBe('42501')
        expect(await refused(sql`update audit_log set actor_name = 'x'`)).toBe('42501')
        expect(await refused(sql`delete from audit_log`)).toBe('42501')
        expect(await refused(sql`truncate audit_log`)).toBe('42501')
        expect(await refused(sql`create table wg_mine (id int)`)).toBe('42501')
        // Everything else it needs it can do: the log verifies and the head can be signed.
        // The server signed a head at start and signs the last one when it closes.
        await started.app.close()
        closed = true
        const heads = readCheckpointFile(config.auditHeadFile).checkpoints
        expect(heads.length).toBeGreaterThanOrEqual(2)
        expect(heads[0]).toMatchObject({ lastId: 1, count: 1 })
        const r = await verifyAuditChain(db, { key: p.auditKey, checkpoints: heads })
        expect(r.problems).toEqual([])
        expect(heads.at(-1)).toMatchObject({
          lastId: r.head.lastId,
          count: r.checked,
          head: r.head.hash,
        })
      } finally {
        if (!closed) await started.app.close()
        await p.database.close()
        useAuditKey(key)
      }
      // Once the owner has migrated, the app role alone starts too (nothing pending, no DDL tried).
      const alone = await openPlatform({ ...config, databaseMigrationUrl: undefined })
      await alone.database.close()
      useAuditKey(key)
    })
  },
)
