import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { rows, type Db } from '../db/db.js'
import { canonicalJson, GENESIS_HASH } from './audit.chain.js'
import type { AuditKey } from './audit.key.js'
import { startPeriodic, type PeriodicJob } from '../periodic.js'

/**
 * A signed statement of the chain's head at one moment, kept outside the audit table (a file in
 * the data directory, copies wherever the operator keeps them). Removing the newest entries,
 * every entry, or re-chaining the log changes what the row `lastId` holds or how many rows lead
 * to it, and the signature cannot be redone without the audit key.
 */
export interface AuditCheckpoint {
  v: 1
  /** The newest entry's id (0 for an empty log). */
  lastId: number
  /** Entries with id <= lastId (ids have gaps: a rolled-back append uses one up). */
  count: number
  /** The newest entry's hash. */
  head: string
  /** Entries up to this id may carry the old unkeyed hash; every later one must be keyed. */
  legacyUpTo: number
  at: string
  /** Which audit key signed it. */
  key: string
  sig: string
}

export interface AuditHead {
  lastId: number
  count: number
  head: string
  legacyUpTo: number
}

function signedText(c: Omit<AuditCheckpoint, 'sig'>): string {
  return canonicalJson({
    v: c.v,
    lastId: c.lastId,
    count: c.count,
    head: c.head,
    legacyUpTo: c.legacyUpTo,
    at: c.at,
    key: c.key,
  })
}

function signature(key: AuditKey, c: Omit<AuditCheckpoint, 'sig'>): string {
  return crypto
    .createHmac('sha256', key.signKey)
    .update('weiguang-audit-checkpoint\n')
    .update(signedText(c))
    .digest('hex')
}

export function signCheckpoint(
  key: AuditKey,
  head: AuditHead,
  at: Date = new Date(),
): AuditCheckpoint {
  const body = { v: 1 as const, ...head, at: at.toISOString(), key: key.id }
  return { ...body, sig: signature(key, body) }
}

export function checkpointSignatureValid(key: AuditKey, c: AuditCheckpoint): boolean {
  if (c.key !== key.id) return false
  const { sig, ...body } = c
  const expect = Buffer.from(signature(key, body), 'hex')
  const given = Buffer.from(typeof sig === 'string' && /^[0-9a-f]{64}$/.test(sig) ? sig : '', 'hex')
  return given.length === expect.length && crypto.timingSafeEqual(given, expect)
}

/**
 * The head as the database holds it now, read in one statement (one snapshot). `legacyUpTo`
 * is the id before the first keyed entry, or the last id while every entry is unkeyed; pass the
 * value from an earlier call once keyed entries exist, since it never changes after that.
 */
export async function readAuditHead(db: Db, knownLegacyUpTo?: number): Promise<AuditHead> {
  const [last] = await rows<{ n: number; id: number | null; hash: string | null }>(
    db,
    sql`select (select count(*)::int from audit_log) as n, l.id, l.hash
        from (select 1) one left join lateral (select id, hash from audit_log order by id desc limit 1) l on true`,
  )
  const lastId = last?.id ?? 0
  let legacyUpTo = knownLegacyUpTo
  if (legacyUpTo === undefined) {
    // min(id) walks the primary key from the oldest entry and stops at the first keyed one.
    const [k] = await rows<{ first: number | null }>(
      db,
      sql`select min(id) as first from audit_log where chain_version = 1`,
    )
    legacyUpTo = k?.first != null ? k.first - 1 : lastId
  }
  return { lastId, count: last?.n ?? 0, head: last?.hash ?? GENESIS_HASH, legacyUpTo }
}

export async function takeCheckpoint(
  db: Db,
  key: AuditKey,
  knownLegacyUpTo?: number,
): Promise<AuditCheckpoint> {
  return signCheckpoint(key, await readAuditHead(db, knownLegacyUpTo))
}

export function checkpointLine(c: AuditCheckpoint): string {
  return JSON.stringify(c)
}

/** Appends one line and syncs it to disk (mode 0600): the file is evidence after a crash too. */
export function appendCheckpoint(file: string, c: AuditCheckpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, checkpointLine(c) + '\n')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function isCheckpoint(v: unknown): v is AuditCheckpoint {
  const c = v as Record<string, unknown> | null
  return (
    !!c &&
    c.v === 1 &&
    Number.isSafeInteger(c.lastId) &&
    Number.isSafeInteger(c.count) &&
    Number.isSafeInteger(c.legacyUpTo) &&
    typeof c.head === 'string' &&
    typeof c.at === 'string' &&
    typeof c.key === 'string' &&
    typeof c.sig === 'string'
  )
}

export interface ParsedCheckpoints {
  checkpoints: AuditCheckpoint[]
  /** Lines that are not checkpoints at all (1-based line numbers). */
  unreadable: number[]
}

/** JSON lines as written by appendCheckpoint or printed by `weiguang audit head`; blank lines skipped. */
export function parseCheckpoints(text: string): ParsedCheckpoints {
  const checkpoints: AuditCheckpoint[] = []
  const unreadable: number[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (!t) return
    let v: unknown
    try {
      v = JSON.parse(t)
    } catch {
      v = undefined
    }
    if (isCheckpoint(v)) checkpoints.push(v)
    else unreadable.push(i + 1)
  })
  return { checkpoints, unreadable }
}

export function readCheckpointFile(file: string): ParsedCheckpoints {
  if (!fs.existsSync(file)) return { checkpoints: [], unreadable: [] }
  return parseCheckpoints(fs.readFileSync(file, 'utf8'))
}

/** `--head` takes a file (the head file or a copy of it, or saved `audit head` output) or one checkpoint as text. */
export function readHeadArgument(arg: string): ParsedCheckpoints {
  const t = arg.trim()
  if (t.startsWith('{')) return parseCheckpoints(t)
  if (!fs.existsSync(arg)) return { checkpoints: [], unreadable: [1] }
  return parseCheckpoints(fs.readFileSync(arg, 'utf8'))
}

/** Writes a checkpoint now if the head moved since the last one (tick); stop writes a last one (shutdown). */
export type CheckpointWriter = PeriodicJob

/** Writes a checkpoint at start, every `intervalMs` while the head moves, and at stop. */
export function startCheckpointWriter(
  db: Db,
  key: AuditKey,
  file: string,
  opts: { intervalMs: number; onError: (err: unknown) => void },
): CheckpointWriter {
  let legacyUpTo: number | undefined
  let written: { lastId: number; count: number } | undefined
  const write = async (): Promise<void> => {
    const c = await takeCheckpoint(db, key, legacyUpTo)
    if (c.legacyUpTo < c.lastId) legacyUpTo = c.legacyUpTo
    if (written && written.lastId === c.lastId && written.count === c.count) return
    appendCheckpoint(file, c)
    written = { lastId: c.lastId, count: c.count }
  }
  return startPeriodic(write, { ...opts, runOnStop: true })
}
