// A sampling allocation profile of a server process, counting what the garbage collector has
// already taken too (node --heap-prof keeps only what is still alive at exit, which says
// nothing about allocation per request). Loaded with --import by bench/http (BENCH_ALLOC=dir):
// sampling starts BENCH_ALLOC_DELAY ms after start (default 12000, after the bench's set-up) and
// the profile, with the number of HTTP requests seen while sampling, is written at exit to
// <dir>/alloc-<pid>.json. bench/http/alloc-summary.mjs prints bytes per request and the top frames.
import dc from 'node:diagnostics_channel'
import fs from 'node:fs'
import inspector from 'node:inspector'
import path from 'node:path'

const dir = process.env.BENCH_ALLOC
const session = new inspector.Session()
session.connect()
session.post('HeapProfiler.enable')
let sampling = false
let requests = 0
dc.subscribe('http.server.request.start', () => {
  if (sampling) requests++
})
setTimeout(
  () => {
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    sampling = true
  },
  Number(process.env.BENCH_ALLOC_DELAY ?? 12_000),
).unref()
process.on('exit', () => {
  // The inspector answers a same-thread session synchronously: the file is written before exit.
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (err || !dir) return
    fs.writeFileSync(
      path.join(dir, `alloc-${process.pid}.json`),
      JSON.stringify({ requests, profile: result.profile }),
    )
  })
})
