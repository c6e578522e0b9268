/**
 * Weiguang's offline shell (issue 9 item 13). web/vite.config.ts writes this file to
 * dist/sw.js with the build's file list and a build id filled in; src/app.ts serves it no-cache, so a new release is picked up on the next load.
 *
 * - The page and every built file are cached at install: a phone that loaded the app once
 *   opens it with no network (sampling, the round page with its missed list).
 * - /api is never cached except the few reads a field screen needs to open offline (the
 *   session, the open rounds, the testing profile, a round's progress and missed list). Those go
 *   to the network first and fall back to the last answer; they hold masked values only, and
 *   the cache is dropped at logout and whenever the server says the session is gone (401).
 * - Writes are never answered from here: the sampling screen keeps its own queue and sends it
 *   when the network is back (web/src/testing/scanQueue.ts).
 */
const BUILD = '__WG_BUILD__'
const PRECACHE = /** @type {string[]} */ (JSON.parse('__WG_PRECACHE__'))
const SHELL = `wg-shell-${BUILD}`
const DATA = 'wg-data'
const OFFLINE_READS = [
  /^\/api\/auth\/me$/,
  /^\/api\/sampling\/rounds$/,
  /^\/api\/rounds$/,
  /^\/api\/testing\/profile$/,
  /^\/api\/rounds\/[^/]+\/progress$/,
  /^\/api\/rounds\/[^/]+\/missed$/,
]

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/', ...PRECACHE]))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('wg-shell-') && k !== SHELL).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('message', (event) => {
  if (event.data === 'wg:logout') event.waitUntil(caches.delete(DATA))
})

async function networkFirst(request) {
  try {
    const response = await fetch(request)
    if (response.status === 401) await caches.delete(DATA)
    else if (response.ok) await (await caches.open(DATA)).put(request, response.clone())
    return response
  } catch (err) {
    const cached = await (await caches.open(DATA)).match(request)
    if (cached) return cached
    throw err
  }
}

async function page(request) {
  try {
    return await fetch(request)
  } catch (err) {
    const cached = await caches.match('/', { cacheName: SHELL })
    if (cached) return cached
    throw err
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: SHELL })
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await (await caches.open(SHELL)).put(request, response.clone())
  return response
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/')) {
    if (OFFLINE_READS.some((re) => re.test(url.pathname))) event.respondWith(networkFirst(request))
    return
  }
  if (request.mode === 'navigate') event.respondWith(page(request))
  else if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname))
    event.respondWith(asset(request))
})
