/** A small API client for journeys that set up their data over HTTP before opening the browser. */
export interface ApiSession {
  cookie: string
  csrf: string
  call<T>(method: string, path: string, body?: unknown): Promise<T>
}

export async function apiLogin(
  url: string,
  username: string,
  password: string,
): Promise<ApiSession> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken
  return {
    cookie,
    csrf,
    call: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          cookie,
          'x-csrf-token': csrf,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
      return (await r.json()) as T
    },
  }
}

/** Logs in with a first password, changes it, and returns a fresh session. */
export async function apiFirstLogin(
  url: string,
  username: string,
  first: string,
  next: string,
): Promise<ApiSession> {
  const s = await apiLogin(url, username, first)
  await s.call('POST', '/api/auth/password', { currentPassword: first, newPassword: next })
  return apiLogin(url, username, next)
}

/**
 * A fresh server's admin, the chain 玄武区 → 新街口街道 → 石鼓路社区 → 第一网格, and a grid worker
 * of that grid whose password is already changed to `Grid-Worker-Pass-9`.
 */
export async function seedGridWorker(
  url: string,
  firstAdminPassword: string,
  workerName: string,
): Promise<{ admin: ApiSession; gridId: string }> {
  const admin = await apiFirstLogin(url, 'admin', firstAdminPassword, 'Strong-Root-Pass-1')
  const d = await admin.call<{ id: string }>('POST', '/api/divisions', {
    code: '320102',
    name: '玄武区',
    level: 'district',
  })
  const s = await admin.call<{ id: string }>('POST', '/api/divisions', {
    code: '320102001',
    name: '新街口街道',
    level: 'street',
    parentId: d.id,
  })
  const c = await admin.call<{ id: string }>('POST', '/api/divisions', {
    code: '320102001001',
    name: '石鼓路社区',
    level: 'community',
    parentId: s.id,
  })
  const g = await admin.call<{ id: string }>('POST', '/api/divisions', {
    code: '320102001001-G1',
    name: '第一网格',
    level: 'grid',
    parentId: c.id,
  })
  await admin.call('POST', '/api/users', {
    username: workerName,
    displayName: workerName,
    role: 'grid_worker',
    scopeDivisionIds: [g.id],
    password: 'First-Pass-123',
  })
  await apiFirstLogin(url, workerName, 'First-Pass-123', 'Grid-Worker-Pass-9')
  return { admin, gridId: g.id }
}

/**
 * seedGridWorker, a community lead of that grid (`lin.lead`, 林书记, password `Lead-Pass-2026`
 * already changed) and one building of one unit laid out in the grid: its households, in order.
 */
export async function seedLeadWithBuilding(
  url: string,
  firstAdminPassword: string,
  layout: { building: string; floors: [number, number]; roomsPerFloor: [number, number] },
): Promise<{ admin: ApiSession; gridId: string; households: { id: string }[] }> {
  const { admin, gridId } = await seedGridWorker(url, firstAdminPassword, 'zhou.gw')
  await admin.call('POST', '/api/users', {
    username: 'lin.lead',
    displayName: '林书记',
    role: 'community_lead',
    scopeDivisionIds: [gridId],
    password: 'First-Pass-123',
  })
  await apiFirstLogin(url, 'lin.lead', 'First-Pass-123', 'Lead-Pass-2026')
  await admin.call('POST', '/api/buildings/layout', { gridId, units: [1, 1], ...layout })
  const b = (await admin.call<{ items: { id: string }[] }>('GET', `/api/grids/${gridId}/buildings`))
    .items[0]!
  const u = (await admin.call<{ items: { id: string }[] }>('GET', `/api/buildings/${b.id}/units`))
    .items[0]!
  const households = (
    await admin.call<{ items: { id: string }[] }>('GET', `/api/units/${u.id}/households`)
  ).items
  return { admin, gridId, households }
}
