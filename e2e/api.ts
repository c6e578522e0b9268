/** A small API client for journeys that set up their data over HTTP before opening the browser. */
export interface ApiSession {
  cookie: string
  csrf: string
  call<T>(method: string, path: string, body?: unknown): Promise<T>
}

export async function apiLogin(url: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken
  return {
    cookie,
    csrf,
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
      return (await r.json()) as T
    },
  }
}

/** Logs in with a first password, changes it, and returns a fresh session. */
export async function apiFirstLogin(url: string, username: string, first: string, next: string): Promise<ApiSession> {
  const s = await apiLogin(url, username, first)
  await s.call('POST', '/api/auth/password', { currentPassword: first, newPassword: next })
  return apiLogin(url, username, next)
}
