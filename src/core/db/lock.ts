import fs from 'node:fs'
import path from 'node:path'

/**
 * The embedded engine is one process's: a second PGlite on the same directory would corrupt
 * it. A pid file guards the directory; a stale one (its process gone, e.g. after kill -9) is
 * taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'weiguang.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file)
        } catch {
          // already gone
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(fs.readFileSync(file, 'utf8'))
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The data directory ${dataDir} is in use by process ${pid} (a running Weiguang server?). ` +
            'Stop it first: the embedded database serves one process at a time.',
          { cause: err },
        )
      }
      fs.unlinkSync(file)
    }
  }
  throw new Error(`could not lock ${dataDir}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
