// Bytes a phone downloads to open one screen of the web app from a cold cache: index.html,
// the scripts and styles it references (entry + modulepreload), and the route's own chunk
// with its static imports, read from the Vite manifest (web/dist/.vite/manifest.json).
// Raw, gzip -9 and brotli 11 (what the build writes beside each file; src/app.ts sends them).
//   node bench/web/first-load.mjs [distDir] [routeModule]
// defaults: web/dist, src/testing/SamplingPage.tsx. Without a manifest (a build from before
// route splitting), counts index.html and what it references.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../web/dist'))
const route = process.argv[3] ?? 'src/testing/SamplingPage.tsx'
const files = new Set(['index.html'])
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)) files.add(m[1])

const manifestFile = path.join(dist, '.vite/manifest.json')
let routeFound = false
if (fs.existsSync(manifestFile)) {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
  const add = (key) => {
    const c = manifest[key]
    if (!c || files.has(`chunk:${key}`)) return
    files.add(`chunk:${key}`)
    files.add(c.file)
    for (const css of c.css ?? []) files.add(css)
    for (const i of c.imports ?? []) add(i)
  }
  add('index.html')
  if (manifest[route]) {
    routeFound = true
    add(route)
  }
}
let raw = 0
let gz = 0
let br = 0
const list = [...files].filter((f) => !f.startsWith('chunk:')).sort()
for (const f of list) {
  const b = fs.readFileSync(path.join(dist, f))
  raw += b.length
  gz += zlib.gzipSync(b, { level: 9 }).length
  br += zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
console.log(`${dist}: ${route}${routeFound ? '' : ' (not a chunk of its own: inside the entry)'}`)
console.log(
  `${list.length} files: raw ${raw} (${kb(raw)}), gzip ${gz} (${kb(gz)}), brotli ${br} (${kb(br)})`,
)
for (const f of list) console.log(`  ${f}`)
