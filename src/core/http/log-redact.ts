import type { FastifyRequest } from 'fastify'

/**
 * What the server log may say about a request or a failure: never an ID number or a mobile
 * number (domain.md §15), never SQL parameters. Used by the logger's serializers and by the
 * one line per request, so every line written through Fastify's logger goes through it.
 */

const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g
const MOBILE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g
const REDACTED = '[redacted]'

/** Query parameters that carry personal data whatever their value looks like. */
const PERSONAL_PARAMS = new Set(['q', 'idnumber', 'id_number', 'phone', 'mobile', 'name', 'search'])

export function redactPii(text: string): string {
  return text.replace(ID_NUMBER, REDACTED).replace(MOBILE, REDACTED)
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return part
  }
}

/** A request URL for the log: values of personal query parameters and anything shaped like an ID or a mobile become `[redacted]`. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?')
  const rawPath = at < 0 ? url : url.slice(0, at)
  const decodedPath = decode(rawPath)
  const path = redactPii(decodedPath) === decodedPath ? rawPath : redactPii(decodedPath)
  if (at < 0) return path
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return redactPii(decode(pair)) === decode(pair) ? pair : REDACTED
      const key = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (value === '') return pair
      const name = decode(key).toLowerCase()
      if (PERSONAL_PARAMS.has(name) || redactPii(decode(value)) !== decode(value))
        return `${key}=${REDACTED}`
      return pair
    })
    .join('&')
  return `${path}?${query}`
}

interface DatabaseErrorLike {
  code: string
  message: string
  table?: string
  column?: string
  constraint?: string
}

/** The PostgreSQL error behind a failure (pg, PGlite, or wrapped by Drizzle's DrizzleQueryError), if any. */
export function databaseErrorOf(err: unknown): DatabaseErrorLike | null {
  let e: unknown = err
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const o = e as Record<string, unknown>
    if (
      typeof o.code === 'string' &&
      /^[0-9A-Z]{5}$/.test(o.code) &&
      ('severity' in o || 'routine' in o || o.name === 'DatabaseError')
    ) {
      return {
        code: o.code,
        message: typeof o.message === 'string' ? o.message : '',
        ...(typeof o.table === 'string' ? { table: o.table } : {}),
        ...(typeof o.column === 'string' ? { column: o.column } : {}),
        ...(typeof o.constraint === 'string' ? { constraint: o.constraint } : {}),
      }
    }
    e = o.cause
  }
  return null
}

/** Whether an error is (or wraps) a failed query: Drizzle's wrapper carries the SQL text and its parameters. */
export function isQueryError(err: unknown): boolean {
  return (
    databaseErrorOf(err) !== null ||
    (err instanceof Error &&
      (err.name === 'DrizzleQueryError' || err.message.startsWith('Failed query:')))
  )
}

function stackFrames(stack: string | undefined): string | undefined {
  if (!stack) return undefined
  const at = stack.indexOf('\n    at ')
  return at < 0 ? undefined : stack.slice(at + 1)
}

/**
 * The logger's `err` serializer. A failed query is logged as its PostgreSQL code, message
 * (values in it redacted) and table/column/constraint: never the SQL text, its parameters or
 * the `detail` line (which quotes the row). Other errors keep type, message and stack, redacted.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: redactPii(String(err)) }
  if (isQueryError(err)) {
    const db = databaseErrorOf(err)
    return {
      type: err.name,
      message: db ? redactPii(db.message) : 'database query failed',
      ...(db ? { dbCode: db.code } : {}),
      ...(db?.table ? { table: db.table } : {}),
      ...(db?.column ? { column: db.column } : {}),
      ...(db?.constraint ? { constraint: db.constraint } : {}),
      stack: stackFrames(err.stack),
    }
  }
  const out: Record<string, unknown> = {
    type: err.name,
    message: redactPii(err.message),
    stack: err.stack ? redactPii(err.stack) : undefined,
  }
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' || typeof code === 'number') out.code = code
  if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1)
  return out
}

/**
 * Redacts strings anywhere in a log line's own fields. pino runs this before its serializers,
 * so `err` is left to the `err` serializer; an Error under any other key is serialized here.
 */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactPii(v)
    if (v instanceof Error) return serializeError(v)
    if (depth > 4 || v === null || typeof v !== 'object') return v
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1))
    if (Object.getPrototypeOf(v) !== Object.prototype) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1)
    return out
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj))
    out[k] = k === 'err' && v instanceof Error ? v : walk(v, 1)
  return out
}

/** The logger options every app gets: safe serializers and the redacting formatter. */
export function safeLoggerOptions(base: Record<string, unknown>): Record<string, unknown> {
  const serializers = (base.serializers ?? {}) as Record<string, unknown>
  const formatters = (base.formatters ?? {}) as Record<string, unknown>
  return {
    ...base,
    serializers: {
      ...serializers,
      err: serializeError,
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
    },
    formatters: { ...formatters, log: redactLogObject },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void): void {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactPii(a) : a)),
        )
      },
    },
  }
}
