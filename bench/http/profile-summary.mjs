// Top self-time frames of a V8 CPU profile (node --cpu-prof), as a Markdown table.
//   node bench/http/profile-summary.mjs file.cpuprofile [top=25] [--last SECONDS]
// --last keeps only the samples of the profile's last SECONDS (the load, not the start-up).
// Frames are grouped by function name and file (the package for node_modules), so that the
// summary can be compared before and after a change without committing the profile itself.
import fs from 'node:fs'

const args = process.argv.slice(2)
const lastAt = args.indexOf('--last')
const last = lastAt >= 0 ? Number(args.splice(lastAt, 2)[1]) : Infinity
const [file, topArg] = args
const top = Number(topArg ?? 25)
const prof = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = prof.timeDeltas
const times = []
let t = prof.startTime
for (const d of dt) times.push((t += d))
const from = prof.endTime - last * 1e6
for (let i = 0; i < prof.samples.length; i++) {
  if (times[i] < from) continue
  const id = prof.samples[i]
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0))
}
const where = (url) => {
  if (!url) return ''
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  const src = url.indexOf('/src/')
  return src >= 0 ? url.slice(src + 1) : url.replace(/^.*\//, '')
}
const groups = new Map()
let total = 0
for (const [id, us] of self) {
  const n = byId.get(id)
  const cf = n.callFrame
  const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}`
  groups.set(key, (groups.get(key) ?? 0) + us)
  total += us
}
const idle = [...groups].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0)
const busy = total - idle
const pkg = new Map()
for (const [k, v] of groups) {
  if (k.startsWith('(idle)')) continue
  const w = k.split('  ')[1] || '(native / V8)'
  const p = w.startsWith('src/')
    ? 'weiguang ' + w.split('/').slice(0, 3).join('/')
    : w.includes('.') && !w.includes('/')
      ? 'node internals'
      : w
  pkg.set(p, (pkg.get(p) ?? 0) + v)
}
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)} %)\n`,
)
console.log('| self % of busy | frame |\n| ---: | --- |')
for (const [k, v] of [...groups]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(`| ${((v / busy) * 100).toFixed(1)} | \`${k.replace('  ', '` ')} |`)
}
console.log('\n| self % of busy | where |\n| ---: | --- |')
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`| ${((v / busy) * 100).toFixed(1)} | ${k} |`)
