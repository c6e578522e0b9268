import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name)
    if (e.isDirectory()) out.push(...(await walk(dir, r)))
    else out.push(r)
  }
  return out
}

/**
 * Writes name.br (brotli 11) and name.gz (gzip 9) beside every text file of the build, so
 * the server sends the one the phone accepts without compressing per request
 * (@fastify/static `preCompressed`, src/app.ts). A sibling is kept only when smaller.
 */
function precompress(): Plugin {
  let outDir = ''
  return {
    name: 'weiguang:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async closeBundle() {
      const files = (await walk(outDir)).filter(
        (f) => COMPRESSIBLE.test(f) && !f.startsWith('.vite'),
      )
      await Promise.all(
        files.map(async (rel) => {
          const file = path.join(outDir, rel)
          const raw = await fs.readFile(file)
          const [br, gz] = await Promise.all([
            brotli(raw, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            }),
            gzip(raw, { level: 9 }),
          ])
          if (br.length < raw.length) await fs.writeFile(`${file}.br`, br)
          if (gz.length < raw.length) await fs.writeFile(`${file}.gz`, gz)
        }),
      )
    },
  }
}

/**
 * Writes dist/sw.js, the offline shell (web/sw.template.js), with this build's files to
 * precache and a build id from their names, so a new release replaces the old cache.
 */
function serviceWorker(): Plugin {
  return {
    name: 'weiguang:service-worker',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.startsWith('.vite/') && f !== 'index.html' && !f.endsWith('.map'))
        .map((f) => `/${f}`)
        .concat('/favicon.svg')
        .sort()
      const build = crypto.createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16)
      const template = await fs.readFile(
        path.resolve(import.meta.dirname, 'sw.template.js'),
        'utf8',
      )
      const source = template
        .replace("'__WG_BUILD__'", `'${build}'`)
        .replace("'__WG_PRECACHE__'", `'${JSON.stringify(files)}'`)
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

export default defineConfig({
  root: path.resolve(import.meta.dirname),
  plugins: [react(), serviceWorker(), precompress()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // The manifest (dist/.vite/manifest.json, never served: a dot directory) lists each
    // route's chunks: bench/web-first-load.mjs measures the sampling screen's first load from it.
    manifest: true,
    chunkSizeWarningLimit: 2500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
})
