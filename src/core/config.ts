import path from 'node:path'

export interface Config {
  host: string
  port: number
  dataDir: string
  databaseUrl: string | undefined
  /** PostgreSQL: the tables' owner, for migrations only; the server then runs as DATABASE_URL's role, which owns nothing. */
  databaseMigrationUrl: string | undefined
  secretKey: string | undefined
  oldSecretKeys: string[]
  /** The audit chain key (WEIGUANG_AUDIT_KEY); unset = `audit-key.json` in the data directory. */
  auditKey: string | undefined
  /** Where signed audit head checkpoints are appended (WEIGUANG_AUDIT_HEAD_FILE). */
  auditHeadFile: string
  /** Seconds between audit head checkpoints while the log grows (0 = only at start and shutdown). */
  auditCheckpointSeconds: number
  /** Seconds between sweeps for overdue tubes and rechecks (0 = only at start). */
  overdueSweepSeconds: number
  logLevel: string
  /** Session idle expiry in minutes. */
  sessionIdleMinutes: number
  /** Session absolute expiry in hours. */
  sessionAbsoluteHours: number
  /** Failed logins of one account from one address before that pair is locked. */
  loginMaxFailures: number
  /** Failed logins of one account from anywhere (within the lock window) before the account itself is locked: the higher, slower ceiling. */
  loginAccountMaxFailures: number
  /** Lockout duration in minutes. */
  loginLockMinutes: number
  bodyLimitBytes: number
  /** Requests a minute per address to each public route (health, metrics, lab API) without its own limit. */
  publicRateLimitPerMinute: number
  /** Bearer token for `/metrics` on the main port (WEIGUANG_METRICS_TOKEN); without it the main port refuses `/metrics`. */
  metricsToken: string | undefined
  /** `host:port` to serve `/metrics` alone (WEIGUANG_METRICS_LISTEN), e.g. on a private interface. */
  metricsListen: { host: string; port: number } | undefined
  /** Secure cookies: on unless WEIGUANG_INSECURE_COOKIES=1 (plain-http local use). */
  secureCookies: boolean
  webDistDir: string
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name}: must be a non-negative integer, got "${raw}"`)
  return n
}

function listenEnv(
  env: NodeJS.ProcessEnv,
  name: string,
): { host: string; port: number } | undefined {
  const raw = env[name]
  if (!raw) return undefined
  const m = /^(.*):(\d{1,5})$/.exec(raw)
  if (!m || Number(m[2]) > 65535) throw new Error(`${name}: must be host:port, got "${raw}"`)
  return { host: m[1]!.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(m[2]) }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.WEIGUANG_DATA_DIR ?? './data')
  return {
    host: env.HOST ?? '127.0.0.1',
    port: intEnv(env, 'PORT', 3000),
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseMigrationUrl: env.DATABASE_MIGRATION_URL || undefined,
    secretKey: env.WEIGUANG_SECRET_KEY || undefined,
    oldSecretKeys: (env.WEIGUANG_OLD_SECRET_KEYS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    auditKey: env.WEIGUANG_AUDIT_KEY || undefined,
    auditHeadFile: path.resolve(
      env.WEIGUANG_AUDIT_HEAD_FILE || path.join(dataDir, 'audit-head.jsonl'),
    ),
    auditCheckpointSeconds: intEnv(env, 'WEIGUANG_AUDIT_CHECKPOINT_SECONDS', 300),
    overdueSweepSeconds: intEnv(env, 'WEIGUANG_OVERDUE_SWEEP_SECONDS', 300),
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionIdleMinutes: intEnv(env, 'WEIGUANG_SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: intEnv(env, 'WEIGUANG_SESSION_ABSOLUTE_HOURS', 12),
    loginMaxFailures: intEnv(env, 'WEIGUANG_LOGIN_MAX_FAILURES', 5),
    loginAccountMaxFailures: intEnv(env, 'WEIGUANG_LOGIN_ACCOUNT_MAX_FAILURES', 50),
    loginLockMinutes: intEnv(env, 'WEIGUANG_LOGIN_LOCK_MINUTES', 15),
    bodyLimitBytes: intEnv(env, 'WEIGUANG_BODY_LIMIT_BYTES', 1024 * 1024),
    publicRateLimitPerMinute: intEnv(env, 'WEIGUANG_PUBLIC_RATE_LIMIT', 600),
    metricsToken: env.WEIGUANG_METRICS_TOKEN || undefined,
    metricsListen: listenEnv(env, 'WEIGUANG_METRICS_LISTEN'),
    secureCookies: env.WEIGUANG_INSECURE_COOKIES !== '1',
    webDistDir: path.resolve(
      env.WEIGUANG_WEB_DIST ?? path.join(import.meta.dirname, '../../web/dist'),
    ),
  }
}
