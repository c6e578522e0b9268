// Bytes allocated per HTTP request and the frames that allocate them, from a profile written by
// bench/http/alloc-profile.mjs:   node bench/http/alloc-summary.mjs <dir>/alloc-<pid>.json [top=25]
import fs from 'node:fs'

const [file, topArg] = process.argv.slice(2)
const { requests, profile } = JSON.parse(fs.readFileSync(file, 'utf8'))
const top = Number(topArg ?? 25)
const self = new Map()
let total = 0
const where = (url) => {
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length).split('/')[0]
  const src = url.indexOf('/src/')
  return src >= 0 ? url.slice(src + 1) : url.replace(/^.*\//, '')
}
const walk = (node) => {
  const f = node.callFrame
  const key = `${f.functionName || '(anonymous)'}  ${where(f.url)}`
  self.set(key, (self.get(key) ?? 0) + node.selfSize)
  total += node.selfSize
  for (const c of node.children) walk(c)
}
walk(profile.head)
console.log(
  `${file}: ${(total / 1e6).toFixed(0)} MB allocated over ${requests} requests, ${(total / requests / 1024).toFixed(1)} KB per request\n`,
)
console.log('| KB per request | % | frame |\n| ---: | ---: | --- |')
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(
    `| ${(v / requests / 1024).toFixed(2)} | ${((v / total) * 100).toFixed(1)} | \`${k.replace('  ', '` ')} |`,
  )
