import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { listAudit } from '../core/audit/audit.service.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'

let t: TestApp
let chain: Chain
let lead: Client
let worker: Client
const id = (first17: string): string => first17 + idCheckCharacter(first17)

async function upload(
  c: Client,
  csv: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: { jobId: string | null; error: string | null } }> {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', new Blob([csv]), 'roster.csv')
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/imports/residents',
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
    payload: form,
  })
  return { status: res.statusCode, body: res.json() }
}

async function waitJob(
  c: Client,
  jobId: string,
): Promise<{ status: string; report: Record<string, number> }> {
  for (let i = 0; i < 200; i++) {
    const j = (await c.get(`/api/imports/${jobId}`)).json()
    if (j.status !== 'running') return j
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('import did not finish')
}

async function xlsxRows(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as unknown as ArrayBuffer)
  const out: unknown[][] = []
  wb.worksheets[0]!.eachRow((r) => out.push((r.values as unknown[]).slice(1)))
  return out
}

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  await lead.send('POST', '/api/buildings/layout', {
    gridId: chain.grid.id,
    building: '5',
    units: [1, 1],
    floors: [1, 2],
    roomsPerFloor: [1, 2],
  })
  await lead.send('POST', '/api/buildings/layout', {
    gridId: chain.grid2.id,
    building: '6',
    units: [1, 1],
    floors: [1, 1],
    roomsPerFloor: [1, 1],
  })
})
afterAll(async () => t?.close())

const CSV = [
  '姓名,身份证号,手机,楼栋,单元,房号',
  `陈一,${id('32010219700101001')},13800001111,5,1,101`,
  `陈二,${id('32010219720202002')},,5,1,102`,
  `坏行,123,,5,1,102`,
  `隔壁,${id('32010219800303003')},,6,1,101`,
].join('\n')

describe('roster import over HTTP', () => {
  it('runs a dry run and then the real import as a job, with a downloadable error file', async () => {
    const dry = await upload(worker, CSV, { divisionId: chain.community.id, dryRun: 'true' })
    expect(dry.status).toBe(403)

    // A corrected mapping travels as JSON and is kept for the next file with these headers.
    const mapping = JSON.stringify({
      name: 0,
      idNumber: 1,
      phone: 2,
      building: 3,
      unit: 4,
      room: 5,
    })
    const up = await upload(worker, CSV, { divisionId: chain.grid.id, dryRun: 'true', mapping })
    expect(up.status).toBe(202)
    const dryJob = await waitJob(worker, up.body.jobId!)
    expect(dryJob.report).toMatchObject({ created: 2, rejected: 2, dryRun: true })
    expect((await worker.get('/api/residents')).json().items).toHaveLength(0)

    const real = await upload(worker, CSV, { divisionId: chain.grid.id, dryRun: 'false' })
    const job = await waitJob(worker, real.body.jobId!)
    expect(job).toMatchObject({ status: 'done', report: { created: 2, rejected: 2 } })
    const errors = await t.app.inject({
      method: 'GET',
      url: `/api/imports/${real.body.jobId}/rejected.xlsx`,
      headers: { cookie: worker.cookie },
    })
    expect(errors.headers['content-type']).toContain('spreadsheetml')
    const rows = await xlsxRows(errors.rawPayload)
    expect(rows[0]).toEqual([
      '姓名',
      '身份证号',
      '手机',
      '楼栋',
      '单元',
      '房号',
      '原行号',
      '错误列',
      '原因',
    ])
    // The grid worker's import cannot reach the neighbouring grid's building 6.
    expect(rows.slice(1).map((r) => [r[0], r[7]])).toEqual([
      ['坏行', '身份证号'],
      ['隔壁', '楼栋'],
    ])
    expect(String(rows[1]![8])).toBe('应为 18 位，实际 3 位')

    // Asked in English (?lang=en or Accept-Language), the file's own headers stay and its words are English.
    for (const ask of [
      { url: '?lang=en', headers: {} },
      { url: '', headers: { 'accept-language': 'en-US,en;q=0.9' } },
    ]) {
      const en = await t.app.inject({
        method: 'GET',
        url: `/api/imports/${real.body.jobId}/rejected.xlsx${ask.url}`,
        headers: { cookie: worker.cookie, ...ask.headers },
      })
      const enRows = await xlsxRows(en.rawPayload)
      expect(enRows[0]).toEqual([
        '姓名',
        '身份证号',
        '手机',
        '楼栋',
        '单元',
        '房号',
        'Row',
        'Column',
        'Reason',
      ])
      expect(String(enRows[1]![8])).toBe('Must have 18 characters, got 3')
      expect(en.headers['content-disposition']).toContain(
        encodeURIComponent('roster-not-imported-masked.xlsx'),
      )
    }
  })

  it('answers a file without the needed columns at once, naming them', async () => {
    const up = await upload(lead, '姓名,电话\n张三,13800138000\n', {
      divisionId: chain.community.id,
    })
    expect(up.status).toBe(400)
    expect(up.body).toMatchObject({
      error: {
        code: 'IMPORT_COLUMNS_MISSING',
        field: 'mapping',
        params: { columns: '身份证号、楼栋、单元、房号' },
      },
    })
  })
})

describe('export', () => {
  it('exports the filtered list masked, and unmasked only with a reason, both audited', async () => {
    const masked = await t.app.inject({
      method: 'GET',
      url: '/api/residents/export.xlsx',
      headers: { cookie: worker.cookie },
    })
    const rows = await xlsxRows(masked.rawPayload)
    expect(rows.map((r) => r[0])).toEqual(['姓名', '陈一', '陈二'])
    expect(rows[1]![7]).toBe('138****1111')
    expect(String(rows[1]![6])).toMatch(/^320102\*{8}\d{3}[\dX]$/)

    const noReason = await t.app.inject({
      method: 'GET',
      url: '/api/residents/export.xlsx?reveal=phone',
      headers: { cookie: worker.cookie },
    })
    expect(noReason.json().error.message).toMatch(/^reason: /)
    const full = await t.app.inject({
      method: 'GET',
      url: `/api/residents/export.xlsx?reveal=phone&reason=${encodeURIComponent('入户核酸排查名单')}`,
      headers: { cookie: worker.cookie },
    })
    expect((await xlsxRows(full.rawPayload))[1]![7]).toBe('13800001111')
    await new Promise((r) => setTimeout(r, 100))
    const [entry] = await listAudit(t.database.db, { action: 'registry.export_unmasked', limit: 1 })
    expect(entry).toMatchObject({
      reason: '入户核酸排查名单',
      detail: { masked: false, revealed: ['phone'] },
    })
    // The started entry precedes the first byte; the row count comes with the completion entry.
    const [done] = await listAudit(t.database.db, { action: 'registry.export_completed', limit: 1 })
    expect(done).toMatchObject({ detail: { rows: 2, exportId: entry!.detail!.exportId } })
    expect(
      await listAudit(t.database.db, { action: 'registry.export', limit: 5 }),
    ).not.toHaveLength(0)
  })
})
