import fs from 'node:fs'
import type { z } from 'zod'
import { inTransaction, type Db, type Tx } from '../core/db/db.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { audit } from '../core/audit/audit.service.js'
import { systemActor, type Actor } from '../core/auth/actor.js'
import { localDate, startOfLocalDay } from '../core/clock.js'
import {
  findInForce,
  findLegacyActiveName,
  findOverride,
  findOverrideInForce,
  findProfile,
  insertActivation,
  insertFirstActivation,
  insertOverride,
  insertProfile,
  listActivations,
  listOverrideRows,
  listProfileRows,
  listVersions,
  markOverrideWithdrawn,
  updateProfileContent,
  type ActivationRow,
  type OverrideRow,
  type PolicyProfileRow,
} from './policy.repo.js'
import {
  contentHash,
  diffValues,
  direction,
  getPath,
  overrideFlag,
  setPath,
  type OverrideMode,
  type StrictnessRule,
} from './policy.rules.js'
import {
  profileHead,
  type ActivateIn,
  type ActivationOut,
  type AppliedOverride,
  type DiffOut,
  type InForceOut,
  type OverrideIn,
  type OverrideOut,
  type ProfileListOut,
  type ProfileOut,
  type ProfileSummary,
} from './policy.schema.js'

export type { AppliedOverride } from './policy.schema.js'

/* ------------------------------------------------------------------ section schemas */

/** One domain's section: its zod schema and how an override of it is judged stricter. */
export interface SectionSpec {
  schema: z.ZodType
  strictness: readonly StrictnessRule[]
}

let SECTIONS: Readonly<Record<string, SectionSpec>> = {}

/**
 * Installs every domain's section schema (src/profile-sections.ts composes them, as
 * src/permissions.ts composes policies): policy imports no domain.
 */
export function installSectionSpecs(specs: Readonly<Record<string, SectionSpec>>): void {
  SECTIONS = specs
}

export function sectionSpec(section: string): SectionSpec | undefined {
  return Object.prototype.hasOwnProperty.call(SECTIONS, section) ? SECTIONS[section] : undefined
}

/* ------------------------------------------------------------------ bundled profiles */

/** A profile as written: profile.json (name, title, meta) and one `<section>.json` per section. */
export interface ProfileDocument {
  name: string
  title: string
  meta: Record<string, unknown>
  settings: Record<string, unknown>
}

/** The profile a new deployment starts under. */
export const FIRST_PROFILE = 'v9'
const PROFILES_DIR = new URL('./profiles/', import.meta.url)

/** Reads one profile folder (profile.json + `<section>.json`), unvalidated. */
export function readProfileFolder(dir: URL): ProfileDocument {
  const head = JSON.parse(fs.readFileSync(new URL('profile.json', dir), 'utf8')) as Record<
    string,
    unknown
  >
  const settings: Record<string, unknown> = {}
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file === 'profile.json') continue
    settings[file.slice(0, -'.json'.length)] = JSON.parse(
      fs.readFileSync(new URL(file, dir), 'utf8'),
    ) as unknown
  }
  const { name, title, ...meta } = head
  return { name: String(name), title: String(title), meta, settings }
}

let bundledCache: ProfileDocument[] | undefined
/** The profiles shipped with Weiguang: every folder under src/policy/profiles, by issue date. */
export function bundledProfiles(): ProfileDocument[] {
  bundledCache ??= fs
    .readdirSync(PROFILES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => readProfileFolder(new URL(`${e.name}/`, PROFILES_DIR)))
    .sort((a, b) => String(a.meta.issued).localeCompare(String(b.meta.issued)))
  return bundledCache
}

/**
 * The whole profile checked: profile.json by its schema, every section by its domain's. A
 * failure is 400 with the field `profile.<section>.<path>` and the same in the params.
 */
export function validateProfile(doc: ProfileDocument): void {
  const head = profileHead.safeParse({ name: doc.name, title: doc.title, ...doc.meta })
  if (!head.success) {
    const path = head.error.issues[0]?.path.join('.') ?? ''
    throw invalid(`profile.${path}`, 'POLICY_PROFILE_INVALID', {
      profile: doc.name,
      section: 'profile',
      path,
    })
  }
  for (const [section, spec] of Object.entries(SECTIONS)) {
    const value = doc.settings[section]
    if (value === undefined) continue // a section the profile does not have: that domain's rules are off
    const parsed = spec.schema.safeParse(value)
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.') ?? ''
      throw invalid(`profile.${section}${path ? '.' + path : ''}`, 'POLICY_PROFILE_INVALID', {
        profile: doc.name,
        section,
        path,
      })
    }
  }
}

const hashOf = (doc: ProfileDocument): string =>
  contentHash({ name: doc.name, title: doc.title, meta: doc.meta, settings: doc.settings })

export interface SyncReport {
  added: string[]
  updated: { name: string; from: string | null; to: string }[]
  unchanged: string[]
}

/**
 * The data migration of policy profiles, run at every start after the SQL migrations: a bundled
 * profile that is new is added, one whose content changed gets the new content as a new version
 * (audited), and a deployment without an activation gets its first one (the profile it had
 * active, else FIRST_PROFILE). Which profile is in force and the local overrides are kept.
 */
export async function syncBundledProfiles(
  tx: Tx,
  bundled: readonly ProfileDocument[] = bundledProfiles(),
): Promise<SyncReport> {
  const report: SyncReport = { added: [], updated: [], unchanged: [] }
  const system = systemActor('system')
  for (const doc of bundled) {
    validateProfile(doc)
    const content = { ...doc, contentHash: hashOf(doc) }
    const row = await findProfile(tx, doc.name)
    if (!row) {
      if (await insertProfile(tx, content, 'system')) report.added.push(doc.name)
      continue
    }
    if (row.contentHash === content.contentHash) {
      report.unchanged.push(doc.name)
      continue
    }
    await updateProfileContent(tx, content, 'system')
    await audit(
      tx,
      system,
      'policy.sync',
      { type: 'policy_profile', id: doc.name },
      { detail: { from: row.contentHash, to: content.contentHash } },
    )
    report.updated.push({ name: doc.name, from: row.contentHash, to: content.contentHash })
  }
  const first = (await findLegacyActiveName(tx)) ?? FIRST_PROFILE
  if (await findProfile(tx, first))
    await insertFirstActivation(tx, {
      profile: first,
      effectiveFrom: new Date(0),
      reason: 'initial',
      createdBy: 'system',
    })
  return report
}

/* ------------------------------------------------------------------ the profile in force */

const OVERRIDE_MODES: readonly OverrideMode[] = ['floor', 'national']
function modeOf(meta: Record<string, unknown>): OverrideMode {
  const m = (meta.overrides as { mode?: unknown } | undefined)?.mode
  return OVERRIDE_MODES.includes(m as OverrideMode) ? (m as OverrideMode) : 'floor'
}

interface Applied {
  settings: unknown
  overrides: AppliedOverride[]
}

/** The national section with the overrides applied in order; one whose path is gone is skipped. */
function applyOverrides(
  national: unknown,
  overrides: readonly {
    path: string
    value: unknown
    reason: string
    flag: string | null
    by: string
    at: string
  }[],
): Applied {
  let settings = national
  const applied: AppliedOverride[] = []
  for (const o of overrides) {
    const at = getPath(national, o.path)
    if (!at.found || !getPath(settings, o.path).found) continue
    settings = setPath(settings, o.path, o.value)
    applied.push({
      path: o.path,
      value: o.value,
      national: at.value,
      reason: o.reason,
      flag: o.flag === 'below_floor' || o.flag === 'stricter' ? o.flag : null,
      by: o.by,
      at: o.at,
    })
  }
  return { settings, overrides: applied }
}

const isoText = (t: string | Date): string => new Date(t).toISOString()

/**
 * One domain's section of the profile in force at `at`, with the local overrides in force then
 * applied, validated by that domain's schema. `overrides` lists what was replaced (the national
 * value beside it), so a screen can say "7 天，本地规定，国家为 5 天".
 */
export async function profileSectionAt<T extends z.ZodType>(
  db: Db,
  section: string,
  schema: T,
  at: Date,
): Promise<{ profile: string; settings: z.infer<T>; overrides: AppliedOverride[] }> {
  let r = await findInForce(db, at, section)
  if (!r) {
    // A database no start has synced yet (tests' templates): the data migration, once.
    await inTransaction(db, (tx) => syncBundledProfiles(tx))
    r = await findInForce(db, at, section)
  }
  if (!r) throw notFound('POLICY_NONE_IN_FORCE')
  const refuse = (issues: readonly { path: PropertyKey[] }[]): never => {
    throw invalid(`profile.${section}`, 'POLICY_PROFILE_INVALID', {
      profile: r.name,
      section,
      path: issues[0]?.path.map(String).join('.') ?? '',
    })
  }
  // National values with the schema's defaults filled in, so an override may name a default.
  const national = schema.safeParse(r.section)
  if (!national.success) return refuse(national.error.issues)
  if (r.overrides.length === 0)
    return { profile: r.name, settings: national.data as z.infer<T>, overrides: [] }
  const { settings, overrides } = applyOverrides(
    national.data,
    r.overrides.map((o) => ({ ...o, by: o.created_by, at: isoText(o.created_at) })),
  )
  const parsed = schema.safeParse(settings)
  if (!parsed.success) return refuse(parsed.error.issues)
  return { profile: r.name, settings: parsed.data as z.infer<T>, overrides }
}

/** One domain's section of the profile in force now (see profileSectionAt). */
export async function profileSection<T extends z.ZodType>(
  db: Db,
  section: string,
  schema: T,
): Promise<{ profile: string; settings: z.infer<T>; overrides: AppliedOverride[] }> {
  return profileSectionAt(db, section, schema, new Date())
}

export interface ActiveProfile {
  name: string
  title: string
  settings: Record<string, unknown>
}

/** The profile in force now, its national content (no overrides). */
export async function activeProfile(db: Db): Promise<ActiveProfile> {
  const name = await inForceName(db, new Date())
  const p = await findProfile(db, name)
  if (!p) throw notFound('POLICY_NONE_IN_FORCE')
  return { name: p.name, title: p.title, settings: p.settings }
}

async function inForceName(db: Db, at: Date): Promise<string> {
  let r = await findInForce(db, at, '')
  if (!r) {
    await inTransaction(db, (tx) => syncBundledProfiles(tx))
    r = await findInForce(db, at, '')
  }
  if (!r) throw notFound('POLICY_NONE_IN_FORCE')
  return r.name
}

/* ------------------------------------------------------------------ reading (command, leads) */

function summary(p: PolicyProfileRow): ProfileSummary {
  const m = p.meta
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)
  return {
    name: p.name,
    title: p.title,
    issued: text(m.issued),
    replaces: text(m.replaces),
    cite: text(m.cite),
    overrideMode: m.overrides ? modeOf(m) : null,
    contentHash: p.contentHash,
    updatedAt: p.updatedAt.toISOString(),
    sections: Object.keys(p.settings).sort(),
  }
}

function activationOut(a: ActivationRow): ActivationOut {
  return {
    id: a.id,
    profile: a.profile,
    effectiveFrom: a.effectiveFrom.toISOString(),
    contentHash: a.contentHash,
    reason: a.reason,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
  }
}

async function profileOrNotFound(db: Db, name: string): Promise<PolicyProfileRow> {
  const p = await findProfile(db, name)
  if (!p) throw notFound('POLICY_PROFILE_NOT_FOUND', { profile: name })
  return p
}

/** The activation in force at `at` and the next one decided after it. */
function inForceAmong(
  activations: ActivationRow[],
  at: Date,
): { current: ActivationRow | undefined; next: ActivationRow | undefined } {
  // Newest first: the first effective at or before `at` is in force.
  const i = activations.findIndex((a) => a.effectiveFrom <= at)
  const current = i >= 0 ? activations[i] : undefined
  const later = activations.filter((a) => a.effectiveFrom > at)
  return { current, next: later[later.length - 1] }
}

export async function policyInForce(db: Db, actor: Actor): Promise<InForceOut> {
  requireAccess(actor, 'policy:read')
  const now = new Date()
  const name = await inForceName(db, now)
  const { current, next } = inForceAmong(await listActivations(db), now)
  const p = await profileOrNotFound(db, name)
  const overrides = await listOverrideRows(db, { profile: name })
  return {
    profile: summary(p),
    since: (current?.effectiveFrom ?? new Date(0)).toISOString(),
    next: next ? activationOut(next) : null,
    overrides: overrides.length,
  }
}

export async function listPolicyProfiles(db: Db, actor: Actor): Promise<ProfileListOut> {
  requireAccess(actor, 'policy:read')
  const inForce = await inForceName(db, new Date())
  const [profiles, activations] = await Promise.all([listProfileRows(db), listActivations(db)])
  return {
    inForce,
    profiles: profiles.map(summary),
    activations: activations.map(activationOut),
  }
}

export async function getPolicyProfile(db: Db, actor: Actor, name: string): Promise<ProfileOut> {
  requireAccess(actor, 'policy:read')
  const p = await profileOrNotFound(db, name)
  const versions = await listVersions(db, name)
  return {
    profile: summary(p),
    settings: p.settings,
    versions: versions.map((v) => ({
      contentHash: v.contentHash,
      recordedAt: v.recordedAt.toISOString(),
      recordedBy: v.recordedBy,
    })),
  }
}

/** Every value where two profiles differ (profile.json fields under `profile.`). */
export async function diffPolicyProfiles(
  db: Db,
  actor: Actor,
  q: { a: string; b: string },
): Promise<DiffOut> {
  requireAccess(actor, 'policy:read')
  const a = await profileOrNotFound(db, q.a)
  const b = await profileOrNotFound(db, q.b)
  const doc = (p: PolicyProfileRow) => ({ profile: { title: p.title, ...p.meta }, ...p.settings })
  return { a: a.name, b: b.name, rows: diffValues(doc(a), doc(b)) }
}

/* ------------------------------------------------------------------ switching (admins) */

/**
 * Puts a profile in force from a local day (00:00 in the deployment's zone; today or later) or
 * now. Audited. Measures already started keep the rules they started under.
 */
export async function activatePolicyProfile(
  tx: Tx,
  actor: Actor,
  body: ActivateIn,
  now: Date = new Date(),
): Promise<ActivationOut> {
  requireAccess(actor, 'policy:manage')
  const p = await profileOrNotFound(tx, body.profile)
  validateProfile({ name: p.name, title: p.title, meta: p.meta, settings: p.settings })
  let effectiveFrom = now
  if (body.effectiveFrom !== undefined) {
    if (body.effectiveFrom < localDate(now))
      throw invalid('effectiveFrom', 'POLICY_EFFECTIVE_IN_PAST', { date: body.effectiveFrom })
    effectiveFrom =
      body.effectiveFrom === localDate(now) ? now : startOfLocalDay(body.effectiveFrom)
  }
  const activations = await listActivations(tx)
  const { current } = inForceAmong(activations, effectiveFrom)
  const later = activations.filter((a) => a.effectiveFrom > effectiveFrom)
  if (current?.profile === p.name && later.length === 0)
    throw conflict('POLICY_ALREADY_IN_FORCE', { profile: p.name })
  const row = await insertActivation(tx, {
    profile: p.name,
    effectiveFrom,
    contentHash: p.contentHash,
    reason: body.reason,
    createdBy: actor.username,
  })
  await audit(
    tx,
    actor,
    'policy.activate',
    { type: 'policy_profile', id: p.name },
    {
      reason: body.reason,
      detail: {
        effectiveFrom: effectiveFrom.toISOString(),
        previous: current?.profile ?? null,
        contentHash: p.contentHash,
      },
    },
  )
  return activationOut(row)
}

/* ------------------------------------------------------------------ local overrides */

/** A profile's section with its schema's defaults filled in (as it was when it passed at start). */
function nationalSection(p: PolicyProfileRow | undefined, section: string): unknown {
  const raw = p?.settings[section]
  const parsed = raw === undefined ? undefined : sectionSpec(section)?.schema.safeParse(raw)
  return parsed?.success ? parsed.data : raw
}

function overrideOut(o: OverrideRow, profile: PolicyProfileRow | undefined): OverrideOut {
  const section = nationalSection(profile, o.section)
  return {
    id: o.id,
    profile: o.profile,
    section: o.section,
    path: o.path,
    value: o.value,
    national: o.national,
    reason: o.reason,
    flag: o.flag === 'below_floor' || o.flag === 'stricter' ? o.flag : null,
    createdBy: o.createdBy,
    createdAt: o.createdAt.toISOString(),
    withdrawnAt: o.withdrawnAt?.toISOString() ?? null,
    withdrawnBy: o.withdrawnBy,
    withdrawnReason: o.withdrawnReason,
    stale: section === undefined || !getPath(section, o.path).found,
  }
}

export async function listPolicyOverrides(
  db: Db,
  actor: Actor,
  q: { profile?: string | undefined; withdrawn?: boolean | undefined },
): Promise<{ items: OverrideOut[] }> {
  requireAccess(actor, 'policy:read')
  const [items, profiles] = await Promise.all([listOverrideRows(db, q), listProfileRows(db)])
  const byName = new Map(profiles.map((p) => [p.name, p]))
  return { items: items.map((o) => overrideOut(o, byName.get(o.profile))) }
}

const overlaps = (a: string, b: string): boolean =>
  a === b || a.startsWith(b + '.') || b.startsWith(a + '.')

/**
 * A local override of one value of a profile's section. The path must exist; the section with
 * every override in force must still pass its schema; a looser value needs `belowFloor`, and
 * under a profile whose mode is 'national' a stricter one needs `stricter`. Audited.
 */
export async function addPolicyOverride(
  tx: Tx,
  actor: Actor,
  body: OverrideIn,
): Promise<OverrideOut> {
  requireAccess(actor, 'policy:manage')
  const p = await profileOrNotFound(tx, body.profile)
  const spec = sectionSpec(body.section)
  const national = nationalSection(p, body.section)
  if (!spec || national === undefined)
    throw invalid('section', 'POLICY_SECTION_UNKNOWN', { section: body.section, profile: p.name })
  const at = getPath(national, body.path)
  if (!at.found)
    throw invalid('path', 'POLICY_OVERRIDE_PATH_UNKNOWN', {
      section: body.section,
      path: body.path,
    })
  const existing = await findOverrideInForce(tx, { profile: p.name, section: body.section })
  const clash = existing.find((o) => overlaps(o.path, body.path))
  if (clash) throw conflict('POLICY_OVERRIDE_EXISTS', { path: clash.path, id: clash.id })
  const { settings } = applyOverrides(national, [
    ...existing.map((o) => ({ ...o, by: o.createdBy, at: '' })),
    { path: body.path, value: body.value, reason: body.reason, flag: null, by: '', at: '' },
  ])
  const parsed = spec.schema.safeParse(settings)
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? ''
    throw invalid('value', 'POLICY_OVERRIDE_INVALID', { section: body.section, path })
  }
  const judged = overrideFlag(
    modeOf(p.meta),
    direction(spec.strictness, body.path, at.value, body.value),
  )
  if ('same' in judged) throw invalid('value', 'POLICY_OVERRIDE_SAME', { path: body.path })
  if (judged.flag === 'below_floor' && body.belowFloor !== true)
    throw invalid('belowFloor', 'POLICY_OVERRIDE_BELOW_FLOOR', {
      path: body.path,
      national: JSON.stringify(at.value),
    })
  if (judged.flag === 'stricter' && body.stricter !== true)
    throw invalid('stricter', 'POLICY_OVERRIDE_STRICTER', {
      path: body.path,
      national: JSON.stringify(at.value),
      profile: p.name,
    })
  const row = await insertOverride(tx, {
    profile: p.name,
    section: body.section,
    path: body.path,
    value: body.value,
    national: at.value,
    reason: body.reason,
    flag: judged.flag,
    createdBy: actor.username,
  })
  await audit(
    tx,
    actor,
    'policy.override_add',
    { type: 'policy_override', id: String(row.id) },
    {
      reason: body.reason,
      detail: {
        profile: p.name,
        section: body.section,
        path: body.path,
        value: body.value,
        national: at.value,
        flag: judged.flag,
      },
    },
  )
  return overrideOut(row, p)
}

/** Withdraws an override (it stays on record with who, when and why). Audited. */
export async function withdrawPolicyOverride(
  tx: Tx,
  actor: Actor,
  id: number,
  reason: string,
): Promise<OverrideOut> {
  requireAccess(actor, 'policy:manage')
  const o = await findOverride(tx, id)
  if (!o) throw notFound('POLICY_OVERRIDE_NOT_FOUND', { id })
  if (!(await markOverrideWithdrawn(tx, id, { by: actor.username, reason })))
    throw conflict('POLICY_OVERRIDE_WITHDRAWN', { id })
  await audit(
    tx,
    actor,
    'policy.override_withdraw',
    { type: 'policy_override', id: String(id) },
    { reason, detail: { profile: o.profile, section: o.section, path: o.path } },
  )
  const after = await findOverride(tx, id)
  return overrideOut(after!, await findProfile(tx, o.profile))
}

/** The checkpoints section and its vocabularies, for the domains that read it (checkpoints, arrivals). */
export {
  ARRIVAL_CATEGORIES,
  CODE_COLOURS,
  ORIGINS,
  checkpointsSection,
  type CheckpointsSettings,
} from './sections/checkpoints.profile.js'
