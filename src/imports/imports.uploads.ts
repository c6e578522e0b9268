import fs from 'node:fs'
import path from 'node:path'

/**
 * Uploaded rosters (full ID numbers and phones) live only under `<dataDir>/uploads`, in a
 * directory per upload named `<pid>-<random>`, mode 0700, and are removed when their request or
 * job ends, on every path. What a killed process left there is swept at the next start.
 */
export function uploadRoot(dataDir: string): string {
  return path.join(dataDir, 'uploads')
}

export function newUploadDir(root: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 })
  return fs.mkdtempSync(path.join(root, `${process.pid}-`))
}

export function removeUploadDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes everything in the upload directory except uploads in progress in another live
 * process (several test apps, or a CLI beside the server, may share a data directory). This
 * process's own pid counts as dead: at start, an entry with it is a leftover of an earlier
 * process that had the same pid (pid 1 in a container). Returns how many entries went.
 */
export function sweepUploads(root: string): number {
  let entries: string[]
  try {
    entries = fs.readdirSync(root)
  } catch {
    return 0
  }
  let removed = 0
  for (const e of entries) {
    const pid = Number(/^(\d+)-/.exec(e)?.[1])
    if (pid && pid !== process.pid && alive(pid)) continue
    fs.rmSync(path.join(root, e), { recursive: true, force: true })
    removed++
  }
  return removed
}
