import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { addDays, localDate } from '../core/clock.js'
import { engine, seedDataDir } from '../../test/helpers.js'
import { openPlatform, type Platform } from '../boot.js'
import { loadConfig } from '../core/config.js'
import { memoryIo } from './io.js'
import { runCli } from './main.js'

/** `weiguang policy show | activate | diff`, run in-process against an embedded database of its own. */
const dataDir = seedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'wg-cli-policy-')))
const env = { WEIGUANG_DATA_DIR: dataDir, DATABASE_URL: '' }
let platform: Platform | undefined
const open = async (): Promise<Platform> => (platform ??= await openPlatform(loadConfig(env)))

async function weiguang(
  args: string[],
  lang = 'en',
): Promise<{ code: number; out: string; stdout: string }> {
  const io = memoryIo({ env })
  const code = await runCli(['--lang', lang, ...args], io, { platform: await open() })
  return { code, out: io.out() + io.err(), stdout: io.out() }
}

afterAll(async () => {
  await platform?.database.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe.skipIf(engine !== 'pglite')('weiguang policy', () => {
  it('shows v9 in force on a new deployment (the start synced the bundled profiles)', async () => {
    const r = await weiguang(['policy', 'show'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^In force: v9 \(新冠肺炎防控方案（第九版）\) since 1970-01-01 08:00; version [0-9a-f]{16}; 0 local overrides/,
    )
    expect(r.stdout).toContain('system: initial')
    const zh = await weiguang(['policy', 'show'], 'zh-CN')
    expect(zh.stdout).toContain('生效配置：v9')
  })

  it('diffs two profiles, one value a line', async () => {
    const r = await weiguang(['policy', 'diff', 'v9', 'opt20'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('measures.categories.close_contact.phases.0.days\t7\t5\n')
    expect(r.out).toMatch(/v9 and opt20 differ in \d+ places/)
    expect((await weiguang(['policy', 'diff', 'v9', 'v9'])).stdout).toContain(
      'v9 and v9 are the same',
    )
    const missing = await weiguang(['policy', 'diff', 'v9', 'v99'], 'zh-CN')
    expect(missing.code).toBe(1)
    expect(missing.out).toContain('没有名为 v99 的防控策略配置')
  })

  it('activates a profile from a day, audited as the CLI, and refuses a bad day or a missing reason', async () => {
    const tomorrow = addDays(localDate(new Date()), 1)
    const r = await weiguang([
      'policy',
      'activate',
      'opt20',
      '--from',
      tomorrow,
      '--reason',
      '国家发布二十条',
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Activated opt20, in force from ${tomorrow} 00:00`)
    const show = await weiguang(['policy', 'show'])
    expect(show.stdout).toContain('In force: v9')
    expect(show.stdout).toContain(`Decided: opt20 in force from ${tomorrow} 00:00`)
    const [a] = await rows<{ actor_name: string; reason: string }>(
      (await open()).database.db,
      sql`select actor_name, reason from audit_log where action = 'policy.activate'`,
    )
    expect(a).toEqual({ actor_name: 'cli', reason: '国家发布二十条' })

    const bad = await weiguang([
      'policy',
      'activate',
      'new10',
      '--from',
      '2026-02-31',
      '--reason',
      'x y',
    ])
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('Effective date is not a valid date')
    const past = await weiguang([
      'policy',
      'activate',
      'new10',
      '--from',
      '2020-01-01',
      '--reason',
      'x y',
    ])
    expect(past.code).toBe(1)
    expect(past.out).toContain('has passed')
    const noReason = await weiguang(['policy', 'activate', 'new10'])
    expect(noReason.code).not.toBe(0)
  })
})
