/**
 * Shared set-up for the testing benches: a demo city, and rounds whose specimens are written
 * set-wise in SQL (a day of sampling in seconds), so that each bench times only what it measures.
 */
import { sql } from 'drizzle-orm'
import { rows, type Database } from '../src/core/db/db.js'
import { systemActor } from '../src/core/auth/actor.js'
import type { Keyring } from '../src/core/pii/keyring.js'
import { generateDemoCity } from '../src/demo/demo.service.js'
import { createRound } from '../src/testing/testing.service.js'

export async function demoStreet(
  database: Database,
  ring: Keyring,
  residents: number,
  seed: number,
): Promise<{ id: string; path: string }> {
  process.stderr.write(`generating a demo city of ${residents} residents…\n`)
  await generateDemoCity(database, ring, { residents, seed })
  const [street] = await rows<{ id: string; path: string }>(
    database.db,
    sql`select id, path from division where level = 'street'`,
  )
  return street!
}

/**
 * A round over the street with every resident whose id hashes below `share` (0..1) sampled,
 * ten to a closed tube coded `<prefix>-<n>`. Returns the round id and the tube count.
 */
export async function sampledRound(
  database: Database,
  street: { id: string },
  name: string,
  share: number,
  prefix: string,
): Promise<{ id: string; tubes: number; specimens: number }> {
  const db = database.db
  const round = await db.transaction((tx) =>
    createRound(tx, systemActor('bench'), {
      name,
      kind: 'area',
      divisionIds: [street.id],
      deadline: new Date(Date.now() + 20 * 3_600_000).toISOString(),
      poolSize: 10,
    }),
  )
  const cut = Math.max(1, Math.round(share * 10000))
  await db.execute(
    sql`create table if not exists bench_pick (rn bigint, resident_id uuid, grid_path text)`,
  )
  await db.execute(
    sql`insert into bench_pick select row_number() over (order by r.grid_path, r.sort_key, r.id), r.id, r.grid_path from resident r where r.status = 'active' and abs(hashtext(r.id::text || ${prefix})) % 10000 < ${cut}`,
  )
  const [n] = await rows<{ n: number }>(db, sql`select count(*)::int as n from bench_pick`)
  if (n!.n === 0) throw new Error(`round ${name}: nobody picked at share ${share}`)
  await db.execute(sql`insert into tube (id, code, round_id, kind, capacity, members, status, opened_at, opened_by, closed_at)
    select gen_random_uuid(), ${prefix} || '-' || lpad(k::text, 7, '0'), ${round.id}, 'pooled', 10, least(10, ${n!.n} - k * 10), 'closed', now() - interval '3 hours', 'bench', now() - interval '2 hours'
    from generate_series(0, (${n!.n} - 1) / 10) as k`)
  await db.execute(sql`insert into specimen (id, client_id, round_id, tube_id, resident_id, grid_path, sampler_name, scanned_at, received_at)
    select gen_random_uuid(), ${prefix} || ':' || p.rn, ${round.id}, t.id, p.resident_id, p.grid_path, 'bench', now() - interval '3 hours', now() - interval '3 hours'
    from bench_pick p join tube t on t.code = ${prefix} || '-' || lpad(((p.rn - 1) / 10)::text, 7, '0')`)
  await db.execute(sql`drop table bench_pick`)
  await db.execute(sql`analyze tube`)
  await db.execute(sql`analyze specimen`)
  const [t] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tube where round_id = ${round.id}`,
  )
  return { id: round.id, tubes: t!.n, specimens: n!.n }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
