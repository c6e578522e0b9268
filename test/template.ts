import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { inject } from 'vitest'

/**
 * Fills a new data directory with the run's migrated template (`<dataDir>/pgdata`), so that a
 * server or CLI started on it finds every migration applied instead of spending its first
 * start migrating. Unpacked with tar: no database start at all. Its own module, light enough for
 * the journeys' harness (test/helpers.ts loads the whole app).
 */
export function seedDataDir(dataDir: string): string {
  const pgdata = path.join(dataDir, 'pgdata')
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 })
  execFileSync('tar', ['-xf', inject('pgliteTemplate'), '-C', pgdata], { stdio: 'pipe' })
  return dataDir
}
