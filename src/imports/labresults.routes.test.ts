import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rows } from '../core/db/db.js'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import { buildSamplingPlace, openAreaRound, swabTube } from '../../test/sampling.js'

/**
 * A lab's result file with Ct columns (issue 10 item 4): the N and ORF1ab Ct values of each row are
 * stored on the tube, which the release check reads; a Ct cell that is not a number refuses its
 * row, naming the column, and the rest of the file is applied.
 */
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

const boundary = 'wgct'
const form = (name: string, content: string): Buffer =>
  Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="lab"\r\n\r\n金域检测\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])

describe('a result file with Ct columns', () => {
  it('stores the N and ORF1ab Ct of each row, and refuses a row whose Ct is not a number', async () => {
    const p = await buildSamplingPlace(t, { gridName: 'Ct网格', names: ['张伟', '王芳', '李娜'] })
    const roundId = (await openAreaRound(p, 10)).id
    const positive = await swabTube(p, roundId, [p.codes[0]!])
    const negative = await swabTube(p, roundId, [p.codes[1]!])
    const bad = await swabTube(p, roundId, [p.codes[2]!])
    const csv =
      `试管编码,检测结果,ORF1ab Ct,N基因Ct值\n` +
      `${positive},阳性,30.1,28.4\n${negative},阴性,,\n${bad},阳性,31,高\n`
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/results/upload',
      headers: {
        cookie: p.lead.cookie,
        'x-csrf-token': p.lead.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: form('结果.csv', csv),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      rows: 3,
      applied: 2,
      rejected: 1,
      problems: [{ rowNo: 4, tubeCode: bad, code: 'RESULT_CT_INVALID', field: 'ctN' }],
    })
    const tubes = await rows<{
      code: string
      result: string | null
      ct_n: number | null
      ct_orf1ab: number | null
    }>(
      t.database.db,
      sql`select code, result, ct_n, ct_orf1ab from tube
          where code = any(${sql.param([positive, negative, bad])}::text[]) order by code`,
    )
    const byCode = new Map(tubes.map((x) => [x.code, x]))
    expect(byCode.get(positive)).toMatchObject({ result: 'positive', ct_n: 28.4, ct_orf1ab: 30.1 })
    expect(byCode.get(negative)).toMatchObject({ result: 'negative', ct_n: null, ct_orf1ab: null })
    expect(byCode.get(bad)).toMatchObject({ result: null, ct_n: null, ct_orf1ab: null })
  })
})
