import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'

/**
 * A person's swabs with their round, tube and result (history.service): one indexed read on
 * specimen(resident_id, scanned_at), newest first, keyset by the swab time.
 */

export interface PersonSampleRow {
  specimenId: string
  roundId: string
  roundName: string
  roundKind: string
  scannedAt: Date | string
  siteName: string | null
  samplerName: string
  tubeCode: string
  tubeKind: string
  tubeMembers: number
  result: string | null
  resultWord: string | null
  ctN: number | null
  ctOrf1ab: number | null
  resultedAt: Date | string | null
  lab: string | null
  state: string
  recheck: boolean
}

export async function samplesOfResident(
  db: Db,
  residentId: string,
  page: { before?: Date; limit: number },
): Promise<PersonSampleRow[]> {
  return rows<PersonSampleRow>(
    db,
    sql`select s.id as "specimenId", r.id as "roundId", r.name as "roundName", r.kind as "roundKind",
          s.scanned_at as "scannedAt", site.name as "siteName", s.sampler_name as "samplerName",
          t.code as "tubeCode", t.kind as "tubeKind", t.members as "tubeMembers",
          t.result, t.result_word as "resultWord", t.ct_n as "ctN", t.ct_orf1ab as "ctOrf1ab",
          t.resulted_at as "resultedAt", t.lab, s.state,
          (s.recheck_order_id is not null) as recheck
        from specimen s
        join tube t on t.id = s.tube_id
        join test_round r on r.id = s.round_id
        left join sampling_site site on site.id = s.site_id
        where s.resident_id = ${residentId}
          ${page.before ? sql`and s.scanned_at < ${page.before}` : sql``}
        order by s.scanned_at desc, s.id desc
        limit ${page.limit}`,
  )
}

/** The grid path of a resident of any status (a moved-out person keeps their history). */
export async function residentGridPath(
  db: Db,
  residentId: string,
): Promise<{ gridPath: string } | undefined> {
  const [r] = await rows<{ gridPath: string }>(
    db,
    sql`select grid_path as "gridPath" from resident where id = ${residentId}`,
  )
  return r
}
