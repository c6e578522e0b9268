import fs from 'node:fs'
import type { z } from 'zod'
import type { Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { findActiveProfile, insertProfileIfMissing } from './policy.repo.js'

/**
 * The profiles shipped with Weiguang, one folder each under `profiles/`: `profile.json` (name,
 * title) and one `<section>.json` per domain section (testing, measures, …). The first becomes
 * active on a new deployment.
 */
const BUNDLED_NAMES = ['v9']
const BUNDLED = BUNDLED_NAMES.map((name) => {
  const dir = new URL(`./profiles/${name}/`, import.meta.url)
  const head = JSON.parse(fs.readFileSync(new URL('profile.json', dir), 'utf8')) as {
    name: string
    title: string
  }
  const sections: Record<string, unknown> = {}
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file === 'profile.json') continue
    sections[file.slice(0, -'.json'.length)] = JSON.parse(
      fs.readFileSync(new URL(file, dir), 'utf8'),
    ) as unknown
  }
  return { ...head, ...sections }
})

export interface ActiveProfile {
  name: string
  title: string
  settings: Record<string, unknown>
}

/** The active profile; a deployment without one gets the first bundled profile, once. */
export async function activeProfile(db: Db): Promise<ActiveProfile> {
  const p = await findActiveProfile(db)
  if (p) return { name: p.name, title: p.title, settings: p.settings }
  for (const b of BUNDLED) {
    const { name, title, ...settings } = b
    await insertProfileIfMissing(db, {
      name,
      title,
      settings,
      active: b === BUNDLED[0],
      updatedBy: 'system',
    })
  }
  const q = await findActiveProfile(db)
  if (!q) throw new Error('no active policy profile')
  return { name: q.name, title: q.title, settings: q.settings }
}

/** One domain's section of the active profile, validated by that domain's schema. */
export async function profileSection<T extends z.ZodType>(
  db: Db,
  section: string,
  schema: T,
): Promise<{ profile: string; settings: z.infer<T> }> {
  const p = await activeProfile(db)
  const parsed = schema.safeParse(p.settings[section])
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalid(`profile.${section}`, 'POLICY_PROFILE_INVALID', {
      profile: p.name,
      section,
      path: issue?.path.join('.') ?? '',
    })
  }
  return { profile: p.name, settings: parsed.data }
}
