import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../core/db/db.js'
import { engine } from '../../test/helpers.js'

const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '../..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-cli-'))
const env = { ...process.env, WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' }

async function weiguang(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'bin/weiguang.js'), ...args], { cwd: ROOT, env: { ...env, ...extraEnv } })
    return { code: 0, out: r.stdout + r.stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe.skipIf(engine !== 'pglite')('weiguang CLI on the embedded database', () => {
  it('builds a tree and a grid worker, lists users with masked phones', async () => {
    expect((await weiguang(['tree', 'add', '--code', '320102', '--name', '玄武区', '--level', 'district'])).code).toBe(0)
    expect((await weiguang(['tree', 'add', '--code', '320102001', '--name', '新街口街道', '--level', 'street', '--parent', '320102'])).code).toBe(0)
    const bad = await weiguang(['tree', 'add', '--code', '3201', '--name', 'x', '--level', 'district'])
    expect(bad).toMatchObject({ code: 1 })
    expect(bad.out).toContain('code: a district code has 6 digits')
    const created = await weiguang(['user', 'create', '--username', 'li.gw', '--role', 'grid_worker', '--scope', '320102001', '--phone', '13912345678'], { WEIGUANG_PASSWORD: 'Li-Grid-Worker-7' })
    expect(created.out).toContain('created li.gw (grid_worker) scope: 320102001')
    const list = await weiguang(['user', 'list'])
    expect(list.out).toMatch(/li\.gw\s.*grid_worker\s+320102001\s+139\*\*\*\*5678/)
    expect(list.out).not.toContain('13912345678')
  })

  it('reports an intact audit log, then a tampered row, with exit code 1', async () => {
    const ok = await weiguang(['audit', 'verify'])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.out).toMatch(/audit log intact: \d+ entries checked/)

    const database = await openDatabase({ dataDir })
    await database.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`)
    await database.db.execute(sql`update audit_log set actor_name = 'nobody' where id = 2`)
    await database.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`)
    await database.close()

    const bad = await weiguang(['audit', 'verify'])
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('AUDIT LOG TAMPERED')
    expect(bad.out).toContain('entry 2: hash_mismatch')
  })

  it('backs up and restores the embedded database', async () => {
    const file = path.join(dataDir, 'backup.tar.gz')
    const b = await weiguang(['backup', file])
    expect(b.code).toBe(0)
    const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-restore-'))
    fs.copyFileSync(path.join(dataDir, 'secret-keys.json'), path.join(restoredDir, 'secret-keys.json'))
    const r = await weiguang(['restore', file], { WEIGUANG_DATA_DIR: restoredDir })
    expect(r.out).toContain('restored from')
    const database = await openDatabase({ dataDir: restoredDir })
    const users = await rows<{ username: string }>(database.db, sql`select username from app_user order by username`)
    await database.close()
    expect(users.map((u) => u.username)).toContain('li.gw')
    const again = await weiguang(['restore', file], { WEIGUANG_DATA_DIR: restoredDir })
    expect(again.code).toBe(1)
    expect(again.out).toContain('pass --force')
    fs.rmSync(restoredDir, { recursive: true, force: true })
  })

  it('rotates the key and every phone still reads back', async () => {
    const before = JSON.parse(fs.readFileSync(path.join(dataDir, 'secret-keys.json'), 'utf8')).keys[0]
    const r = await weiguang(['keys', 'rotate', '--prune'])
    expect(r.out).toMatch(/\d+ rows re-encrypted under k[0-9a-f]{8}/)
    const after = JSON.parse(fs.readFileSync(path.join(dataDir, 'secret-keys.json'), 'utf8')).keys
    expect(after).toHaveLength(1)
    expect(after[0]).not.toBe(before)
    expect(fs.statSync(path.join(dataDir, 'secret-keys.json')).mode & 0o777).toBe(0o600)
    expect((await weiguang(['user', 'list'])).out).toContain('139****5678')
  })
})
