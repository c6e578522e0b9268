// `npm start`: builds the web app when it is missing or older than its sources, then runs the
// server in this process (TypeScript through tsx).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const web = path.join(root, 'web')
const built = path.join(web, 'dist', 'index.html')

function newestMtime(p) {
  const st = fs.statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)))
  return newest
}

// The web app bundles the server's catalogues and schema types too (src/messages.ts, src/*/…schema.ts).
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'sw.template.js']
  .map((p) => path.join(web, p))
  .concat(path.join(root, 'src'))
  .filter((p) => fs.existsSync(p))
const stale =
  !fs.existsSync(built) || Math.max(...sources.map(newestMtime)) > fs.statSync(built).mtimeMs
if (stale && process.env.WEIGUANG_SKIP_WEB_BUILD !== '1') {
  console.log('Building the web app (first start or sources changed)…')
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(web, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      stdio: 'inherit',
      cwd: root,
      // A production build even when started from a test runner (vitest sets NODE_ENV=test, which
      // would make Vite build the development runtime and leave the offline shell out).
      env: { ...process.env, NODE_ENV: 'production' },
    },
  )
}

const { register } = await import('tsx/esm/api')
register()
await import('../src/server.ts')
