import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../src/core/db/db.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'
import { openPlatform } from '../src/boot.js'
import { loadConfig } from '../src/core/config.js'
import { systemActor } from '../src/core/auth/actor.js'
import { createDivision } from '../src/core/tree/tree.service.js'
import { createBuildingLayout } from '../src/registry/registry.service.js'
import { engine } from './helpers.js'

/**
 * An import killed with SIGKILL half-way, run again, ends with exactly the database one clean
 * run gives: same residents in the same households, one history event each, no duplicates.
 */
const ROOT = path.resolve(import.meta.dirname, '..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-import-crash-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function cli(dataDir: string, args: string[], onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/weiguang.js'), ...args], { cwd: ROOT, env: { ...process.env, WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' } })
    let out = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString()
      onStderr?.(b.toString(), () => child.kill('SIGKILL'))
    })
    child.on('exit', (code, signal) => resolve({ code, signal, out }))
  })
}

/** The tree and building of the roster, written in-process (ten CLI starts cost more than the imports). */
async function prepare(dataDir: string): Promise<void> {
  const { database } = await openPlatform(loadConfig({ ...process.env, WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' }))
  try {
    const sys = systemActor('test')
    const db = database.db
    const district = await createDivision(db, sys, { code: '320102', name: '玄武区', level: 'district' })
    const street = await createDivision(db, sys, { code: '320102003', name: '新街口街道', level: 'street', parentId: district.id })
    const community = await createDivision(db, sys, { code: '320102003001', name: '香铺营社区', level: 'community', parentId: street.id })
    const grid = await createDivision(db, sys, { code: '320102003001-G01', name: '第1网格', level: 'grid', parentId: community.id })
    await db.transaction((tx) => createBuildingLayout(tx, sys, { gridId: grid.id, building: '1', units: [1, 4], floors: [1, 30], roomsPerFloor: [1, 10] }))
  } finally {
    await database.close()
  }
}

interface Job {
  status: string
  error: string | null
  rows_done: number
}

async function state(dataDir: string): Promise<{ residents: string[]; events: number; tags: number; jobs: Job[] }> {
  const db = await openDatabase({ dataDir })
  try {
    const residents = (await rows<{ k: string }>(db.db, sql`select r.name || '@' || h.label || '#' || r.id_last4 as k from resident r join household h on h.id = r.household_id order by 1`)).map((r) => r.k)
    const [c] = await rows<{ events: number; tags: number }>(db.db, sql`select (select count(*)::int from resident_event) as events, (select count(*)::int from resident_tag) as tags`)
    const jobs = await rows<Job>(db.db, sql`select status, error, rows_done from import_job order by started_at`)
    return { residents, ...c!, jobs }
  } finally {
    await db.close()
  }
}

describe.skipIf(engine !== 'pglite')('an interrupted import', () => {
  it('run again after kill -9 ends exactly like one clean run', async () => {
    const lines = ['姓名,身份证号,楼栋,单元,房号,标签']
    for (let i = 0; i < 12_000; i++) {
      const first17 = `320102${1940 + (i % 60)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 997).padStart(3, '0')}`
      const unit = 1 + (i % 4)
      const room = `${1 + (Math.floor(i / 4) % 30)}${String(1 + (Math.floor(i / 120) % 10)).padStart(2, '0')}`
      lines.push(`居民${i},${first17 + idCheckCharacter(first17)},1,${unit},${room},${i % 7 === 0 ? '独居' : ''}`)
    }
    const roster = path.join(tmp, 'roster.csv')
    fs.writeFileSync(roster, lines.join('\n') + '\n')

    const clean = path.join(tmp, 'clean')
    const crashed = path.join(tmp, 'crashed')
    await prepare(clean)
    await prepare(crashed)
    const cleanRun = await cli(clean, ['import', 'residents', roster, '--community', '320102003001'])
    expect(cleanRun.out).toMatch(/ 0 rejected/)

    let killed = false
    const first = await cli(crashed, ['import', 'residents', roster, '--community', '320102003001'], (text, kill) => {
      const m = text.match(/\| (\d+) rows/)
      if (!killed && m && Number(m[1]) >= 3000) {
        killed = true
        kill()
      }
    })
    expect(first.signal).toBe('SIGKILL')
    const partial = await state(crashed)
    expect(partial.residents.length).toBeGreaterThan(0)
    expect(partial.residents.length).toBeLessThan(12_000)

    const [killedJob] = partial.jobs
    expect(killedJob!.status).toBe('running') // what kill -9 leaves behind
    // rowsDone counts committed rows only: never more than the residents the database holds.
    expect(killedJob!.rows_done).toBeLessThanOrEqual(partial.residents.length)

    const again = await cli(crashed, ['import', 'residents', roster, '--community', '320102003001'])
    expect(again.out).toMatch(/12000 rows/)
    const { jobs: cleanJobs, ...a } = await state(clean)
    const { jobs: crashedJobs, ...b } = await state(crashed)
    expect(b.residents.length).toBe(12_000)
    expect(b).toEqual(a)
    expect(cleanJobs.map((j) => j.status)).toEqual(['done'])
    // The next start said what happened to the killed run (issue 8, finding 14).
    expect(crashedJobs.map((j) => [j.status, j.error])).toEqual([['interrupted', 'INTERRUPTED'], ['done', null]])
    // Three CLI imports of 12,000 rows on fresh PGlite directories (the tree is written in-process).
  }, 180_000)
})
