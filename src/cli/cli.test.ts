import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../core/db/db.js'
import { engine, seedDataDir } from '../../test/helpers.js'
import { openPlatform, type Platform } from '../boot.js'
import { loadConfig } from '../core/config.js'
import { memoryIo } from './io.js'
import { runCli } from './main.js'

/**
 * The operator CLI, run in-process (`runCli(argv, io)`) against an embedded database of its
 * own; one test starts the real binary, bin/weiguang.js, to prove it works end to end.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
// Starts from the run's migrated template: the CLI's first command does not migrate.
const dataDir = seedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'wg-cli-')))
const env = { WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' }

// One database start for the whole file: every command runs against this open platform.
let platform: Platform | undefined
const open = async (): Promise<Platform> => (platform ??= await openPlatform(loadConfig(env)))
const close = async (): Promise<void> => {
  await platform?.database.close()
  platform = undefined
}

/**
 * One command line in English (unless `lang` says otherwise); its exit code and everything it
 * wrote. `own: true` lets the command open its data directory itself (the shared one is closed).
 */
async function weiguang(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; lang?: string | null; own?: boolean } = {},
): Promise<{ code: number; out: string; stdout: string }> {
  const io = memoryIo({ env: { ...env, ...opts.env }, stdin: opts.stdin })
  const lang =
    opts.lang === undefined ? ['--lang', 'en'] : opts.lang === null ? [] : ['--lang', opts.lang]
  const code = await runCli([...lang, ...args], io, {
    platform: opts.own ? undefined : await open(),
  })
  return { code, out: io.out() + io.err(), stdout: io.out() }
}

afterAll(async () => {
  await close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe.skipIf(engine !== 'pglite')('weiguang CLI on the embedded database', () => {
  it('builds a tree and a grid worker, lists users with masked phones', async () => {
    expect(
      await weiguang([
        'tree',
        'add',
        '--code',
        '320102',
        '--name',
        '玄武区',
        '--level',
        'district',
      ]),
    ).toMatchObject({ code: 0, stdout: 'added district 320102 玄武区 (/320102/)\n' })
    expect(
      (
        await weiguang([
          'tree',
          'add',
          '--code',
          '320102001',
          '--name',
          '新街口街道',
          '--level',
          'street',
          '--parent',
          '320102',
        ])
      ).code,
    ).toBe(0)
    const bad = await weiguang([
      'tree',
      'add',
      '--code',
      '3201',
      '--name',
      'x',
      '--level',
      'district',
    ])
    expect(bad.code).toBe(1)
    expect(bad.out).toMatch(/^error: .*district code has 6 digits/)
    const noParent = await weiguang([
      'tree',
      'add',
      '--code',
      '320102009',
      '--name',
      'x',
      '--level',
      'street',
      '--parent',
      '999999',
    ])
    expect(noParent).toMatchObject({
      code: 1,
      out: 'error: --parent: no division with code 999999\n',
    })

    const created = await weiguang(
      [
        'user',
        'create',
        '--username',
        'li.gw',
        '--role',
        'grid_worker',
        '--scope',
        '320102001',
        '--phone',
        '13912345678',
      ],
      { env: { WEIGUANG_PASSWORD: 'Li-Grid-Worker-7' } },
    )
    expect(created.code).toBe(0)
    expect(created.out).toMatch(
      /^created li\.gw \(.+\) scope: 320102001; must change the password at first login\n$/,
    )
    // The password may come on standard input instead.
    const fromStdin = await weiguang(
      ['user', 'create', '--username', 'wang.gw', '--role', 'grid_worker', '--scope', '320102001'],
      { stdin: 'Wang-Grid-Worker-8\n' },
    )
    expect(fromStdin.code).toBe(0)
    const list = await weiguang(['user', 'list'])
    expect(list.stdout.split('\n')[0]).toMatch(
      /^username\s+name\s+role\s+scope\s+disabled\s+phone$/,
    )
    expect(list.stdout).toMatch(/li\.gw\s.*320102001\s+139\*\*\*\*5678/)
    expect(list.out).not.toContain('13912345678')
    const generated = await weiguang([
      'user',
      'reset-password',
      '--username',
      'wang.gw',
      '--generate',
    ])
    expect(generated.stdout).toMatch(/^one-time password for wang\.gw: \S{8,}\n$/)
    expect(
      await weiguang(['user', 'reset-password', '--username', 'nobody', '--generate']),
    ).toMatchObject({ code: 1, out: 'error: --username: no user nobody\n' })
  })

  it('lays out a villager group: 门牌号 as houses, a self-built house room by room', async () => {
    const add = (
      code: string,
      name: string,
      level: string,
      parent: string,
    ): ReturnType<typeof weiguang> =>
      weiguang([
        'tree',
        'add',
        '--code',
        code,
        '--name',
        name,
        '--level',
        level,
        '--parent',
        parent,
      ])
    expect((await add('320102001201', '王家村', 'community', '320102001')).code).toBe(0)
    expect((await add('320102001201-G01', '王家村一网格', 'grid', '320102001201')).code).toBe(0)
    const village = ['building', 'add', '--grid', '320102001201-G01', '--kind', 'villager_group']
    expect(
      await weiguang([...village, '--building', '第三村民小组', '--units', '1-40']),
    ).toMatchObject({ code: 0, stdout: '第三村民小组: 40 households, 40 new\n' })
    const rooms = [
      ...village,
      '--building',
      '三组',
      '--units',
      '18',
      '--floors',
      '2-3',
      '--rooms',
      '1-2',
    ]
    expect(await weiguang(rooms)).toMatchObject({ code: 0, stdout: '三组: 4 households, 4 new\n' })
    expect(await weiguang(rooms)).toMatchObject({ code: 0, stdout: '三组: 4 households, 0 new\n' })
    // A block still needs its floors; the refusal is rendered, not a raw code.
    const block = await weiguang([
      'building',
      'add',
      '--grid',
      '320102001201-G01',
      '--building',
      '9',
    ])
    expect(block).toMatchObject({
      code: 1,
      out: 'error: A block needs its floors and rooms per floor\n',
    })
  })

  it('speaks Chinese by default and English when LANG or --lang says so', async () => {
    const zh = await weiguang(
      [
        'tree',
        'add',
        '--code',
        '320102002',
        '--name',
        '梅园新村街道',
        '--level',
        'street',
        '--parent',
        '320102',
      ],
      { lang: null },
    )
    expect(zh).toMatchObject({
      code: 0,
      stdout: '已添加街道 320102002 梅园新村街道（/320102/320102002/）\n',
    })
    const zhError = await weiguang(
      [
        'building',
        'add',
        '--grid',
        'nowhere',
        '--building',
        '1',
        '--floors',
        '1-2',
        '--rooms',
        '1-2',
      ],
      { lang: null },
    )
    expect(zhError).toMatchObject({ code: 1, out: '错误：--grid：没有代码为 nowhere 的区划\n' })
    const byLang = await weiguang(
      [
        'building',
        'add',
        '--grid',
        'nowhere',
        '--building',
        '1',
        '--floors',
        '1-x',
        '--rooms',
        '1-2',
      ],
      { lang: null, env: { LANG: 'en_US.UTF-8' } },
    )
    expect(byLang).toMatchObject({ code: 1, out: 'error: --floors: "1-x" is not N or N-M\n' })
    expect((await weiguang(['--help'], { lang: null })).out).toContain('微光（Weiguang）运维命令')
    expect((await weiguang(['user', '--help'])).out).toContain('manage accounts')
    // Commander's own refusals keep their exit code and are written to the injected stream.
    expect((await weiguang(['user', 'create', '--username', 'x'])).code).toBe(1)
  })

  it('reports an intact audit log, then a tampered row with exit code 1 (the real binary)', async () => {
    const ok = await weiguang(['audit', 'verify'])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.out).toMatch(/audit log intact: \d+ entries checked/)

    const db = (await open()).database.db
    await db.execute(sql`alter table audit_log disable trigger audit_log_no_update`)
    await db.execute(sql`update audit_log set actor_name = 'nobody' where id = 2`)
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_update`)
    await close() // the binary opens the data directory itself

    // bin/weiguang.js itself, once: the binary starts, reads the environment and exits with the command's code.
    const bin = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'bin/weiguang.js'), 'audit', 'verify'],
      { cwd: ROOT, env: { ...process.env, ...env, LANG: 'C' } },
    ).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: e.stdout + e.stderr,
      }),
    )
    expect(bin.code).toBe(1)
    expect(bin.out).toContain('审计日志被篡改（AUDIT LOG TAMPERED）')
    expect(bin.out).toContain('第 2 条: hash_mismatch')
  })

  it('backs up and restores the embedded database', async () => {
    const file = path.join(dataDir, 'backup.tar.gz')
    const b = await weiguang(['backup', file])
    expect(b.code).toBe(0)
    expect(b.stdout).toContain(`backup written to ${file}`)
    const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-restore-'))
    fs.copyFileSync(
      path.join(dataDir, 'secret-keys.json'),
      path.join(restoredDir, 'secret-keys.json'),
    )
    const r = await weiguang(['restore', file], {
      env: { WEIGUANG_DATA_DIR: restoredDir },
      own: true,
    })
    expect(r.out).toContain(`restored from ${file}`)
    const database = await openDatabase({ dataDir: restoredDir })
    const users = await rows<{ username: string }>(
      database.db,
      sql`select username from app_user order by username`,
    )
    await database.close()
    expect(users.map((u) => u.username)).toContain('li.gw')
    const again = await weiguang(['restore', file], {
      env: { WEIGUANG_DATA_DIR: restoredDir },
      own: true,
    })
    expect(again.code).toBe(1)
    expect(again.out).toContain('pass --force')
    fs.rmSync(restoredDir, { recursive: true, force: true })
  })

  it('rotates the key and every phone still reads back', async () => {
    const before = JSON.parse(fs.readFileSync(path.join(dataDir, 'secret-keys.json'), 'utf8'))
      .keys[0]
    const r = await weiguang(['keys', 'rotate', '--prune'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\d+ rows re-encrypted under k[0-9a-f]{8}/)
    const after = JSON.parse(fs.readFileSync(path.join(dataDir, 'secret-keys.json'), 'utf8')).keys
    expect(after).toHaveLength(1)
    expect(after[0]).not.toBe(before)
    expect(fs.statSync(path.join(dataDir, 'secret-keys.json')).mode & 0o777).toBe(0o600)
    await close() // what "Restart the server so it encrypts with the new key" asks: a fresh start reads the new key file
    expect((await weiguang(['user', 'list'])).out).toContain('139****5678')
  })
})
