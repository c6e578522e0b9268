/** Typed client for the Weiguang API: same-origin cookies, the CSRF header on writes, one error type. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message)
  }
}

function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)wg_csrf=([^;]+)/)
  return m ? decodeURIComponent(m[1]!) : ''
}

async function request<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } }
  if (method !== 'GET') (init.headers as Record<string, string>)['x-csrf-token'] = csrfToken()
  if (body !== undefined) {
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch(url, init)
  const text = await res.text()
  const data = text ? (JSON.parse(text) as unknown) : undefined
  if (!res.ok) {
    const err = (data as { error?: { code: string; message: string; requestId?: string } } | undefined)?.error
    throw new ApiError(res.status, err?.code ?? 'HTTP_' + res.status, err?.message ?? res.statusText, err?.requestId)
  }
  return data as T
}

/** A multipart upload (files), with the same CSRF header and error type as every other call. */
async function postForm<T>(url: string, form: FormData): Promise<T> {
  const res = await fetch(url, { method: 'POST', body: form, credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken(), accept: 'application/json' } })
  const text = await res.text()
  const data = (text ? JSON.parse(text) : undefined) as (T & { error?: { code: string; message: string; requestId?: string } }) | undefined
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'HTTP_' + res.status, data?.error?.message ?? res.statusText, data?.error?.requestId)
  return data as T
}

export const api = {
  get: <T>(url: string, headers?: Record<string, string>) => request<T>('GET', url, undefined, headers),
  postForm,
  delete: <T>(url: string) => request<T>('DELETE', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body),
  patch: <T>(url: string, body?: unknown) => request<T>('PATCH', url, body),
}

export type Role =
  | 'admin'
  | 'command'
  | 'community_lead'
  | 'grid_worker'
  | 'building_head'
  | 'checkpoint'
  | 'sampler'
  | 'doctor'
  | 'resident'

export const ROLES: Role[] = ['admin', 'command', 'community_lead', 'grid_worker', 'building_head', 'checkpoint', 'sampler', 'doctor', 'resident']

export interface ScopeNode {
  id: string
  code: string
  name: string
  level: string
}

export interface Me {
  id: string
  username: string
  displayName: string
  role: Role
  permissions: string[]
  mustChangePassword: boolean
  totpEnabled: boolean
  totpAllowed: boolean
  scope: ScopeNode[]
  wholeDeployment: boolean
  selectedScope: ScopeNode | null
  csrfToken: string
}

export interface Division extends ScopeNode {
  parentId: string | null
  path: string
  childCount: number
}

export interface User {
  id: string
  username: string
  displayName: string
  role: Role
  disabled: boolean
  mustChangePassword: boolean
  totpEnabled: boolean
  phone: string | null
  phoneRevealed: boolean
  scope: { id: string; code: string; name: string }[]
  createdAt: string
}

export interface AuditEntry {
  id: number
  at: string
  actorId: string | null
  actorName: string
  action: string
  targetType: string | null
  targetId: string | null
  targetLabel: string | null
  scopePath: string | null
  ip: string | null
  reason: string | null
  detail: Record<string, unknown> | null
}

export interface Page<T, K = string> {
  items: T[]
  next: K | null
}
