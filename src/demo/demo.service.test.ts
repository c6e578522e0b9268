import crypto from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows, type Database } from '../core/db/db.js'
import { keyringFromMasters } from '../core/pii/keyring.js'
import { cloneTestDatabase } from '../../test/helpers.js'
import { generateDemoCity } from './demo.service.js'

const open: Database[] = []
afterAll(async () => {
  for (const d of open) await d.close()
})

async function city(seed: number): Promise<{ db: Database; names: string[] }> {
  const db = await cloneTestDatabase()
  open.push(db)
  const ring = keyringFromMasters([crypto.randomBytes(32)], 'test')
  await generateDemoCity(db, ring, {
    residents: 600,
    seed,
    today: new Date('2026-11-29T00:00:00Z'),
  })
  const names = (
    await rows<{ name: string }>(
      db.db,
      sql`select name from resident order by grid_path, sort_key, name limit 20`,
    )
  ).map((r) => r.name)
  return { db, names }
}

describe('demo city', () => {
  it('builds the real street of Nanjing with the asked number of residents, tags and accounts', async () => {
    const { db } = await city(1)
    const [d] = await rows<{
      street: string
      communities: number
      residents: number
      alone: number
      old: number
    }>(
      db.db,
      sql`select (select name from division where level = 'street') as street,
                 (select count(*)::int from division where level = 'community') as communities,
                 (select count(*)::int from resident) as residents,
                 (select count(*)::int from resident_tag where tag = 'living_alone') as alone,
                 (select count(*)::int from resident where birth_date <= '1946-11-29') as old`,
    )
    expect(d).toMatchObject({ street: '新街口街道', communities: 6, residents: 600 })
    expect(d!.alone).toBeGreaterThan(0)
    expect(d!.old).toBeGreaterThan(0)
    const accounts = await rows<{ n: number }>(
      db.db,
      sql`select count(*)::int as n from app_user where username like 'demo-%' and not must_change_password`,
    )
    expect(accounts[0]!.n).toBe(8)
    // Ready for the risk-area walk: a gate per community (the first staffed), an external
    // risk-area list to classify itineraries against, and helpers for some vulnerable people.
    const [ready] = await rows<{
      gates: number
      staffed: number
      external: number
      helpers: number
    }>(
      db.db,
      sql`select (select count(*)::int from checkpoint) as gates,
                 (select count(*)::int from checkpoint where jsonb_array_length(staff) > 0) as staffed,
                 (select count(*)::int from external_risk_area) as external,
                 (select count(*)::int from resident_care where helper_name is not null) as helpers`,
    )
    expect(ready).toMatchObject({ gates: 6, staffed: 1, external: 3 })
    expect(ready!.helpers).toBeGreaterThan(0)
    await expect(
      generateDemoCity(db, keyringFromMasters([crypto.randomBytes(32)], 't'), {
        residents: 100,
        seed: 1,
      }),
    ).rejects.toMatchObject({ status: 409, code: 'DEMO_NOT_EMPTY' })
  })

  // One city per test where it can be (each builds in seconds, but a busy 2-core machine is slow):
  // the seed-42 city is built once and compared in both.
  let seed42: Promise<{ db: Database; names: string[] }> | undefined
  const first42 = (): Promise<{ db: Database; names: string[] }> => (seed42 ??= city(42))

  it('gives the same city for the same seed', async () => {
    const [a, b] = [await first42(), await city(42)]
    expect(a.names).toEqual(b.names)
  })

  it('gives another city for another seed', async () => {
    const [a, c] = [await first42(), await city(43)]
    expect(a.names).not.toEqual(c.names)
  })
})
