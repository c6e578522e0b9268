// The web app's delivery to a phone on a crowded mobile network: pre-compressed files chosen
// by Accept-Encoding, hashed assets cached for a year, the page and the service worker
// revalidated on every load. A temporary web build (fake hashed asset + its .br/.gz, as
// web/vite.config.ts writes them) so this runs whether or not web/dist is built.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/helpers.js'

const ASSET = '/assets/index-Ab12Cd34.js'
const raw = Buffer.from(
  Array.from(
    { length: 400 },
    (_, i) => `export const v${i} = "微光 field screen ${i % 7}";\n`,
  ).join(''),
)
const html = Buffer.from(
  '<!doctype html><html lang="zh-CN"><head><title>微光</title><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>\n'.repeat(
    3,
  ),
)
const sw = Buffer.from('self.addEventListener("fetch", () => {})\n')

let dir: string
let t: TestApp

function write(rel: string, body: Buffer, compressed = true): void {
  const file = path.join(dir, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, body)
  if (!compressed) return
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body))
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body))
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-web-'))
  write(ASSET, raw)
  write('/index.html', html)
  write('/sw.js', sw, false)
  t = await createTestApp({ webDistDir: dir })
})
afterAll(async () => {
  await t?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers })

describe('compressed delivery', () => {
  it('sends the brotli file to a browser that accepts br, smaller than the raw script', async () => {
    const res = await get(ASSET, { 'accept-encoding': 'gzip, deflate, br' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(res.rawPayload.length).toBeLessThan(raw.length / 4)
    expect(zlib.brotliDecompressSync(res.rawPayload).equals(raw)).toBe(true)
  })

  it('sends gzip to a browser that accepts only gzip, and the raw file to one that accepts nothing', async () => {
    const gz = await get(ASSET, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.rawPayload.length).toBeLessThan(raw.length / 4)
    expect(zlib.gunzipSync(gz.rawPayload).equals(raw)).toBe(true)

    const plain = await get(ASSET)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.rawPayload.equals(raw)).toBe(true)
  })

  it('compresses the page itself, at / and at a client-side route such as /sampling', async () => {
    for (const url of ['/', '/sampling']) {
      const res = await get(url, { accept: 'text/html', 'accept-encoding': 'br' })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toMatch(/text\/html/)
      expect(res.headers['content-encoding'], url).toBe('br')
      expect(zlib.brotliDecompressSync(res.rawPayload).equals(html), url).toBe(true)
    }
  })

  it('does not publish the .br/.gz siblings as files of their own', async () => {
    expect((await get(`${ASSET}.br`)).statusCode).toBe(404)
    expect((await get(`${ASSET}.gz`)).statusCode).toBe(404)
  })
})

describe('caching', () => {
  it('marks hashed assets immutable for a year', async () => {
    for (const enc of ['br', 'gzip', '']) {
      const res = await get(ASSET, enc ? { 'accept-encoding': enc } : {})
      expect(res.headers['cache-control'], enc).toBe('public, max-age=31536000, immutable')
    }
  })

  it('makes the browser revalidate the page and the service worker on every load', async () => {
    for (const url of ['/', '/index.html', '/sampling', '/sw.js']) {
      const res = await get(url, { accept: 'text/html', 'accept-encoding': 'br' })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
  })

  it('still never lets an API answer be cached', async () => {
    const res = await get('/api/auth/me', { accept: 'application/json' })
    expect(res.headers['cache-control']).toBe('no-store')
  })
})
