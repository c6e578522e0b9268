import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const ROOT = path.resolve(import.meta.dirname, '..')

/**
 * The node flags of `npm start` (package.json's start script), so that a journey's or a bench's
 * server runs as a deployment's does.
 */
export const START_FLAGS: string[] = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string }
  }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'))
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = fs.existsSync(CHROMIUM)

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  output: () => string
  process: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * A new data directory. Seeded, it holds the run's migrated database (the template
 * test/global-setup.ts keeps in .tmp), so a journey's server starts as a deployment's first start
 * does (no users, the administrator's password printed) without spending 5 s creating and
 * migrating the database. Outside a vitest run (the benchmarks start servers too) or on
 * PostgreSQL it stays empty.
 */
async function newDataDir(seeded: boolean): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-e2e-'))
  if (!seeded || !process.env.VITEST) return dataDir
  const { seedDataDir } = await import('../test/template.js')
  return seedDataDir(dataDir)
}

/** Starts `npm start`'s entry point, with its node flags, on a fresh port; resolves once /readyz answers. */
export async function startServer(
  opts: {
    dataDir?: string
    /** An empty data directory, as on a new machine: the server creates and migrates the database. */
    empty?: boolean
    env?: Record<string, string>
    nodeArgs?: string[]
  } = {},
): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = opts.dataDir ?? (await newDataDir(!opts.empty && !opts.env?.DATABASE_URL))
  let out = ''
  const child = spawn(
    process.execPath,
    [...START_FLAGS, ...(opts.nodeArgs ?? []), path.join(ROOT, 'scripts/start.mjs')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        WEIGUANG_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${out}`)
    try {
      const r = await fetch(`${url}/readyz`)
      if (r.ok) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    port,
    dataDir,
    output: () => out,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill(signal)
      }),
  }
}

export function printedAdminPassword(output: string): string {
  const m = output.match(/password:\s+(\S+)/)
  if (!m) throw new Error(`no admin password in the server output:\n${output}`)
  return m[1]!
}

export async function launchBrowser(
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-chromium-'))
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport,
    locale: 'zh-CN',
    // The app leaves out antd's animations for reduced motion: a journey waits for no transition.
    reducedMotion: 'reduce',
  })
}

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')

/**
 * The serious and critical WCAG 2 A/AA violations axe-core finds on the page as it is now, one
 * line each ("label: #id"), so a journey can assert there are none. axe is evaluated through the
 * devtools protocol, which the page's Content-Security-Policy (script-src 'self') does not block.
 */
/**
 * Problems inside antd itself that no prop of ours removes, each with why: antd's Tabs put the
 * overflow "more" button (a button with aria-controls) inside the role=tablist element.
 */
const KNOWN_IN_ANTD = ['aria-required-children: .ant-tabs-nav']

export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  // A string, run in the page: the server's tsconfig has no DOM types.
  return page
    .evaluate<string[]>(
      `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then(({ violations }) =>
    violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' '))))`,
    )
    .then((found) => found.filter((p) => !KNOWN_IN_ANTD.includes(p)))
}

/**
 * English sentences on a screen that should be all Chinese: runs of three or more English words
 * in the visible text ("format the column as Text"). Single words are allowed: user names, tube
 * codes and the language picker's "English" are not sentences.
 */
export async function englishSentences(page: Page): Promise<string[]> {
  const text = await page.evaluate<string>('document.body.innerText')
  return [...text.matchAll(/[A-Za-z]{2,}(?:[ ,'’:-]+[A-Za-z]{2,}){2,}/g)].map((m) => m[0])
}

/** Controls on the page's content (not the header) smaller than a 44 px touch target: "button 32px: 提交". */
export async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate<
    string[]
  >(`[...document.querySelectorAll('.ant-layout-content button, .ant-layout-content input:not([type=hidden]), .ant-layout-content .ant-select')]
    .filter((el) => el.offsetParent !== null && !el.closest('.ant-select') || el.classList.contains('ant-select'))
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.height > 0 && r.height < 44 && !(el.tagName === 'INPUT' && el.closest('.ant-input-affix-wrapper, .ant-input-search, .ant-input-group-wrapper, .ant-select')))
    .map(([el, r]) => el.tagName.toLowerCase() + ' ' + Math.round(r.height) + 'px: ' + (el.textContent || el.getAttribute('placeholder') || el.getAttribute('aria-label') || '').trim().slice(0, 30))`)
}
