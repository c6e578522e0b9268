// bench/coldstart: `npm start` on an existing data directory, time from spawn to /readyz = 200.
//   node bench/coldstart/coldstart.bench.mjs [runs]
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
const runs = Number(process.argv[2] ?? 5)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-cold-'))

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function startOnce() {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), WEIGUANG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  })
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (r.ok) break
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  const ms = performance.now() - t0
  process.kill(-child.pid, 'SIGTERM')
  await new Promise((r) => child.once('exit', r))
  return ms
}

const first = await startOnce()
const times = []
for (let i = 0; i < runs; i++) times.push(await startOnce())
times.sort((a, b) => a - b)
console.log(
  `bench/coldstart ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version}`,
)
console.log(`first start (creates the database): ${first.toFixed(0)} ms`)
console.log(
  `existing data directory, ${runs} runs: median ${times[Math.floor(runs / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms (target < 3000 ms)`,
)
fs.rmSync(dataDir, { recursive: true, force: true })
