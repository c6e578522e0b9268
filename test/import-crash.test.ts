import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { inTransaction, rows } from '../src/core/db/db.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'
import { openPlatform, type Platform } from '../src/boot.js'
import { loadConfig } from '../src/core/config.js'
import { systemActor } from '../src/core/auth/actor.js'
import { createDivision } from '../src/core/tree/tree.service.js'
import { createBuildingLayout } from '../src/registry/registry.service.js'
import { memoryIo } from '../src/cli/io.js'
import { runCli } from '../src/cli/main.js'
import { engine, seedDataDir } from './helpers.js'

/**
 * An import killed with SIGKILL half-way, run again, ends with exactly the database one clean
 * run gives: same residents in the same households, one history event each, no duplicates.
 * Only the killed run is a process of its own; data directories start from the migrated template.
 */
const ROOT = path.resolve(import.meta.dirname, '..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-import-crash-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/**
 * Five batches of 1,000 rows: the kill lands after at least one has committed, with more to
 * come (the progress line is written at most every 500 ms: even at 5,600 rows/s, PGlite's rate
 * on a quiet machine, the kill falls before the last batch).
 */
const ROWS = 5_000
const KILL_AFTER = 1_000

/** The real binary, killed with SIGKILL once `onStderr` says so. */
function spawnCli(
  dataDir: string,
  args: string[],
  onStderr: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/weiguang.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' },
    })
    let out = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString()
      onStderr(b.toString(), () => child.kill('SIGKILL'))
    })
    child.on('exit', (code, signal) => resolve({ code, signal, out }))
  })
}

/** The same command in this process, against an open platform. */
async function runIn(platform: Platform, args: string[]): Promise<{ code: number; out: string }> {
  const io = memoryIo({ env: { WEIGUANG_DATA_DIR: platform.config.dataDir, DATABASE_URL: '' } })
  const code = await runCli(['--lang', 'en', ...args], io, { platform })
  return { code, out: io.out() + io.err() }
}

/** A data directory from the migrated template, opened, with the roster's tree and building. */
async function prepare(dataDir: string): Promise<Platform> {
  seedDataDir(dataDir)
  const platform = await openPlatform(loadConfig({ WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' }))
  const sys = systemActor('test')
  const db = platform.database.db
  const district = await createDivision(db, sys, {
    code: '320102',
    name: '玄武区',
    level: 'district',
  })
  const street = await createDivision(db, sys, {
    code: '320102003',
    name: '新街口街道',
    level: 'street',
    parentId: district.id,
  })
  const community = await createDivision(db, sys, {
    code: '320102003001',
    name: '香铺营社区',
    level: 'community',
    parentId: street.id,
  })
  const grid = await createDivision(db, sys, {
    code: '320102003001-G01',
    name: '第1网格',
    level: 'grid',
    parentId: community.id,
  })
  await inTransaction(db, (tx) =>
    createBuildingLayout(tx, sys, {
      gridId: grid.id,
      building: '1',
      units: [1, 4],
      floors: [1, 30],
      roomsPerFloor: [1, 10],
    }),
  )
  return platform
}

interface Job {
  status: string
  error: string | null
  rows_done: number
}

async function state(
  platform: Platform,
): Promise<{ residents: string[]; events: number; tags: number; jobs: Job[] }> {
  const db = platform.database.db
  const residents = (
    await rows<{ k: string }>(
      db,
      sql`select r.name || '@' || h.label || '#' || r.id_last4 as k from resident r join household h on h.id = r.household_id order by 1`,
    )
  ).map((r) => r.k)
  const [c] = await rows<{ events: number; tags: number }>(
    db,
    sql`select (select count(*)::int from resident_event) as events, (select count(*)::int from resident_tag) as tags`,
  )
  const jobs = await rows<Job>(
    db,
    sql`select status, error, rows_done from import_job order by started_at`,
  )
  return { residents, ...c!, jobs }
}

describe.skipIf(engine !== 'pglite')('an interrupted import', () => {
  it('run again after kill -9 ends exactly like one clean run', async () => {
    const lines = ['姓名,身份证号,楼栋,单元,房号,标签']
    for (let i = 0; i < ROWS; i++) {
      const first17 = `320102${1940 + (i % 60)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 997).padStart(3, '0')}`
      const unit = 1 + (i % 4)
      const room = `${1 + (Math.floor(i / 4) % 30)}${String(1 + (Math.floor(i / 120) % 10)).padStart(2, '0')}`
      lines.push(
        `居民${i},${first17 + idCheckCharacter(first17)},1,${unit},${room},${i % 7 === 0 ? '独居' : ''}`,
      )
    }
    const roster = path.join(tmp, 'roster.csv')
    fs.writeFileSync(roster, lines.join('\n') + '\n')
    const importArgs = ['import', 'residents', roster, '--community', '320102003001']

    // The reference: one clean run (in-process: the same command, no kill).
    const clean = await prepare(path.join(tmp, 'clean'))
    const cleanRun = await runIn(clean, importArgs)
    expect(cleanRun.out).toMatch(/ 0 rejected/)
    const { jobs: cleanJobs, ...a } = await state(clean)
    await clean.database.close()

    // The real binary, killed with SIGKILL once at least two batches have committed.
    const crashedDir = path.join(tmp, 'crashed')
    await (await prepare(crashedDir)).database.close()
    let killed = false
    const first = await spawnCli(crashedDir, importArgs, (text, kill) => {
      const m = text.match(/\| (\d+) /) // the progress line: "importing |███| 3000 rows" or "导入中 |███| 3000 行"
      if (!killed && m && Number(m[1]) >= KILL_AFTER) {
        killed = true
        kill()
      }
    })
    expect(first.signal).toBe('SIGKILL')
    const crashed = await openPlatform(
      loadConfig({ WEIGUANG_DATA_DIR: crashedDir, DATABASE_URL: '' }),
    )
    try {
      const partial = await state(crashed)
      expect(partial.residents.length).toBeGreaterThanOrEqual(KILL_AFTER)
      expect(partial.residents.length).toBeLessThan(ROWS)

      const [killedJob] = partial.jobs
      expect(killedJob!.status).toBe('running') // what kill -9 leaves behind
      // rowsDone counts committed rows only: never more than the residents the database holds.
      expect(killedJob!.rows_done).toBeLessThanOrEqual(partial.residents.length)

      const again = await runIn(crashed, importArgs)
      expect(again.out).toMatch(new RegExp(`${ROWS} rows`))
      const { jobs: crashedJobs, ...b } = await state(crashed)
      expect(b.residents.length).toBe(ROWS)
      expect(b).toEqual(a)
      expect(cleanJobs.map((j) => j.status)).toEqual(['done'])
      // The next run said what happened to the killed one (issue 8, finding 14).
      expect(crashedJobs.map((j) => [j.status, j.error])).toEqual([
        ['interrupted', 'INTERRUPTED'],
        ['done', null],
      ])
    } finally {
      await crashed.database.close()
    }
    // One process start (the killed run); the clean run and the run again are the same command in-process.
  }, 180_000)
})
