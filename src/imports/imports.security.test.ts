import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { rows } from '../core/db/db.js'
import { listAudit } from '../core/audit/audit.service.js'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'

/**
 * Issue 8, the roster import's part: findings 4 (sealed rejected cells, uploads that never stay
 * on disk), 5 (no SQL in a job), 7 (no name from outside the caller's scope), 9 (masked,
 * audited error file), 11 (malformed uploads are 4xx) and 14 (interrupted jobs, rowsDone).
 */
const id = (first17: string): string => first17 + idCheckCharacter(first17)
const FULL_ID = /\d{17}[\dX]/
const MOBILE = /1[3-9]\d{9}/
const dirs: string[] = []
function tempDataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-imports-sec-'))
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** Every file under `<dataDir>/uploads` (and nothing of ours in /tmp/wg-upload-*). */
function leftovers(dataDir: string): string[] {
  const root = path.join(dataDir, 'uploads')
  const out: string[] = fs.existsSync(root)
    ? (fs.readdirSync(root, { recursive: true }) as string[]).map((f) => path.join(root, f))
    : []
  return out.filter((f) => fs.statSync(f).isFile())
}

interface Part {
  name: string
  value: string | Buffer
  filename?: string
}
async function post(
  t: TestApp,
  c: Client,
  url: string,
  parts: Part[],
): Promise<{
  status: number
  body: Record<string, unknown> & { error?: { code: string; message: string; field?: string } }
  raw: string
}> {
  const form = new FormData()
  for (const p of parts) {
    if (p.filename !== undefined) form.append(p.name, new Blob([p.value]), p.filename)
    else form.append(p.name, String(p.value))
  }
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
    payload: form,
  })
  return { status: res.statusCode, body: res.json(), raw: res.body }
}

async function waitJob(
  c: Client,
  jobId: string,
): Promise<
  Record<string, unknown> & {
    status: string
    rowsDone: number
    report: {
      rejections: { rowNo: number; column: string; reason: string; code?: string }[]
    } & Record<string, unknown>
  }
> {
  for (let i = 0; i < 400; i++) {
    const j = (await c.get(`/api/imports/${jobId}`)).json()
    if (j.status !== 'running') return j
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('import did not finish')
}

async function xlsxRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as unknown as ArrayBuffer)
  const out: string[][] = []
  wb.worksheets[0]!.eachRow((r) =>
    out.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  )
  return out
}

const HEAD = '姓名,身份证号,手机,楼栋,单元,房号,备注'
const ID_A = id('32010219700101001')
const ID_BAD = id('32010219720202002').slice(0, 17) // 17 digits: rejected, still personal
const ID_Z = id('32010219850505005')

let t: TestApp
let dataDir: string
let chain: Chain
let lead: Client
let worker: Client

beforeAll(async () => {
  dataDir = tempDataDir()
  t = await createTestApp({ dataDir })
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

const csvFile = (lines: string[], filename = 'roster.csv'): Part => ({
  name: 'file',
  value: [HEAD, ...lines].join('\n') + '\n',
  filename,
})

describe('finding 4: rejected cells are sealed; uploads never stay on disk', () => {
  it('keeps no ID number or phone of a rejected row in plaintext in import_rejection', async () => {
    const up = await post(t, worker, '/api/imports/residents', [
      { name: 'divisionId', value: chain.grid.id },
      csvFile([
        `错号,${ID_BAD},13800001111,5,1,101,`,
        `电话错,${ID_A},1380000,5,1,102,身份证 ${ID_A}`,
      ]),
    ])
    expect(up.status).toBe(202)
    const job = await waitJob(worker, String(up.body.jobId))
    expect(job.report.rejected).toBe(2)
    const raw = await rows<{ t: string }>(
      t.database.db,
      sql`select concat_ws('|', r.column, r.reason, r.code, r.cells::text, r.cells_enc) as t from import_rejection r where job_id = ${String(up.body.jobId)}`,
    )
    expect(raw).toHaveLength(2)
    for (const r of raw) {
      expect(r.t).not.toMatch(/\d{17}/)
      expect(r.t).not.toMatch(MOBILE)
      expect(r.t).not.toContain('1380000')
    }
    // The importer still gets the row back to fix (masked; see finding 9).
    const file = await xlsxRows(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/imports/${String(up.body.jobId)}/rejected.xlsx`,
          headers: { cookie: worker.cookie },
        })
      ).rawPayload,
    )
    expect(file.slice(1).map((r) => r[0])).toEqual(['错号', '电话错'])
    expect(leftovers(dataDir)).toEqual([])
  })

  it('answers every malformed upload with a 4xx naming the field, never a 500, and leaves no file (finding 11)', async () => {
    const good = csvFile([`陈一,${ID_A},13800001111,5,1,101,`])
    const garbageXlsx: Part = {
      name: 'file',
      value: Buffer.from(`PK\u0003\u0004 not really a zip ${ID_A}`),
      filename: 'roster.xlsx',
    }
    const cases: { label: string; parts: Part[]; field: string; status?: number }[] = [
      {
        label: 'bad mapping JSON',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { name: 'mapping', value: '{name:0' },
          good,
        ],
        field: 'mapping',
      },
      {
        label: 'mapping of the wrong shape',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { name: 'mapping', value: '{"name":"x"}' },
          good,
        ],
        field: 'mapping',
      },
      { label: 'missing divisionId', parts: [good], field: 'divisionId' },
      {
        label: 'non-UUID divisionId',
        parts: [{ name: 'divisionId', value: 'not-a-uuid' }, good],
        field: 'divisionId',
      },
      {
        label: 'divisionId with a NUL',
        parts: [{ name: 'divisionId', value: `${chain.grid.id}\u0000` }, good],
        field: 'divisionId',
      },
      {
        label: 'dryRun that is not a boolean',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { name: 'dryRun', value: 'yes please' },
          good,
        ],
        field: 'dryRun',
      },
      {
        label: 'two files',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          good,
          { ...good, filename: 'second.csv' },
        ],
        field: 'file',
      },
      { label: 'no file', parts: [{ name: 'divisionId', value: chain.grid.id }], field: 'file' },
      {
        label: 'a garbage .xlsx',
        parts: [{ name: 'divisionId', value: chain.grid.id }, garbageXlsx],
        field: 'file',
      },
      {
        label: 'a CSV with an unclosed quote',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          csvFile([`"陈一,${ID_A},13800001111,5,1,101,`]),
        ],
        field: 'file',
      },
      {
        label: 'a file named ..',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { ...good, filename: '..' },
        ],
        field: 'file',
      },
      {
        label: 'a file named /',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { ...good, filename: '/' },
        ],
        field: 'file',
      },
      {
        label: 'a .doc',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { ...good, filename: 'roster.doc' },
        ],
        field: 'file',
      },
      {
        label: 'a header row with NUL',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          {
            name: 'file',
            value: `姓名\u0000,身份证号,楼栋,单元,房号\n陈一,${ID_A},5,1,101\n`,
            filename: 'r.csv',
          },
        ],
        field: 'file',
      },
      {
        label: 'columns missing',
        parts: [
          { name: 'divisionId', value: chain.grid.id },
          { name: 'file', value: '姓名,电话\n张三,13800138000\n', filename: 'r.csv' },
        ],
        field: 'mapping',
      },
      {
        label: 'a division that does not exist',
        parts: [{ name: 'divisionId', value: '00000000-0000-4000-8000-000000000000' }, good],
        field: 'divisionId',
      },
    ]
    for (const c of cases) {
      for (const url of [
        '/api/imports/residents',
        ...(c.field === 'file' ? ['/api/imports/preview'] : []),
      ]) {
        const res = await post(t, worker, url, c.parts)
        expect(res.status, `${c.label} → ${url}: ${res.raw}`).toBeGreaterThanOrEqual(400)
        expect(res.status, `${c.label} → ${url}: ${res.raw}`).toBeLessThan(500)
        expect(res.body.error?.code, c.label).toMatch(/^[A-Z_]+$/)
        // The field travels as data (error.field); the message is the catalogue's English, not `field: …`.
        expect(res.body.error?.field, c.label).toBe(c.field)
        expect(res.body.error?.message, c.label).toBeTruthy()
        expect(res.raw, c.label).not.toMatch(FULL_ID)
        expect(leftovers(dataDir), `${c.label} → ${url} left a file`).toEqual([])
      }
    }
    // Nothing of ours in the system temp directory either (the old /tmp/wg-upload-* place).
    expect(
      fs
        .readdirSync(os.tmpdir())
        .filter(
          (f) =>
            f.startsWith('wg-upload-') &&
            fs.statSync(path.join(os.tmpdir(), f)).mtimeMs > Date.now() - 60_000,
        ),
    ).toEqual([])
  })

  it('removes uploads a killed process left behind when the server starts', async () => {
    const other = tempDataDir()
    const stray = path.join(other, 'uploads', '4194305-abcdef')
    fs.mkdirSync(stray, { recursive: true })
    fs.writeFileSync(path.join(stray, 'roster.csv'), `${HEAD}\n陈一,${ID_A},13800001111,5,1,101,\n`)
    fs.writeFileSync(path.join(other, 'uploads', 'loose.csv'), 'x')
    const ownPid = path.join(other, 'uploads', `${process.pid}-zzz`)
    fs.mkdirSync(ownPid)
    fs.writeFileSync(path.join(ownPid, 'roster.csv'), 'x')
    const app = await buildApp({
      config: { ...t.config, dataDir: other },
      database: t.database,
      ring: t.ring,
      logger: false,
    })
    await app.ready()
    await app.close()
    expect(leftovers(other)).toEqual([])
  })
})

describe('finding 5: a NUL byte is a row rejection; no job field carries SQL', () => {
  it('rejects a row with a NUL byte naming the column, and the job and its answers hold no SQL', async () => {
    const up = await post(t, worker, '/api/imports/residents', [
      { name: 'divisionId', value: chain.grid.id },
      csvFile([
        `陈一,${ID_A},13800001111,5,1,101,备注\u0000里有空字符`,
        `陈\u0000二,${id('32010219720202002')},,5,1,102,`,
      ]),
    ])
    expect(up.status).toBe(202)
    expect(Object.keys(up.body)).toEqual(['jobId'])
    await waitJob(worker, String(up.body.jobId))
    const res = await worker.get(`/api/imports/${String(up.body.jobId)}`)
    const job = res.json()
    expect(job.status).toBe('done')
    expect(job.error).toBeNull()
    // Coded with the field and the file's own column header; the reason text is the job's language (Chinese by default).
    expect(job.report.rejections).toEqual([
      {
        rowNo: 2,
        column: '备注',
        code: 'ROW_NUL_BYTE',
        reason: expect.stringContaining('空字符'),
        reasons: [{ code: 'ROW_NUL_BYTE', field: 'notes', column: '备注' }],
      },
      {
        rowNo: 3,
        column: '姓名',
        code: 'ROW_NUL_BYTE',
        reason: expect.stringContaining('空字符'),
        reasons: [{ code: 'ROW_NUL_BYTE', field: 'name', column: '姓名' }],
      },
    ])
    expect(res.body).not.toMatch(/insert into|params|select |Failed query/i)
    expect(res.body).not.toMatch(FULL_ID)
  })

  it('keeps a stable code, not the database text, when a batch fails', async () => {
    // Any insert of a rejected row now fails inside the database, with the row as parameters.
    await t.database.db.execute(
      sql`alter table import_rejection add constraint wg_test_never check (row_no < 0) not valid`,
    )
    try {
      const up = await post(t, lead, '/api/imports/residents', [
        { name: 'divisionId', value: chain.community.id },
        csvFile([`坏,${ID_BAD},13800001111,5,1,101,`]),
      ])
      expect(up.status).toBe(202)
      expect(up.raw).not.toMatch(/insert|params|1380000/i)
      const job = await waitJob(lead, String(up.body.jobId))
      expect(job).toMatchObject({ status: 'failed', error: 'INTERNAL' })
      expect(JSON.stringify(job)).not.toMatch(/insert|params|import_rejection|1380000|320102/i)
    } finally {
      await t.database.db.execute(sql`alter table import_rejection drop constraint wg_test_never`)
    }
  })
})

describe("finding 7: an ID registered outside the caller's scope", () => {
  it('names no one, moves no one, and audits the attempt with the ID masked', async () => {
    const placed = await post(t, lead, '/api/imports/residents', [
      { name: 'divisionId', value: chain.grid2.id },
      csvFile([`张莉丹,${ID_Z},13900002222,6,1,101,`]),
    ])
    expect((await waitJob(lead, String(placed.body.jobId))).report.created).toBe(1)

    // A grid worker of the neighbouring grid probes the ID: a dry run with another name, then a real run with hers.
    for (const [name, dryRun] of [
      ['李某', 'true'],
      ['张莉丹', 'false'],
    ] as const) {
      const up = await post(t, worker, '/api/imports/residents', [
        { name: 'divisionId', value: chain.grid.id },
        { name: 'dryRun', value: dryRun },
        csvFile([`${name},${ID_Z},,5,1,201,`]),
      ])
      await waitJob(worker, String(up.body.jobId))
      const res = await worker.get(`/api/imports/${String(up.body.jobId)}`)
      // A dry run says a real import files a transfer request; the real import says it filed one.
      const code = dryRun === 'true' ? 'ID_REGISTERED_ELSEWHERE_DRY_RUN' : 'ID_REGISTERED_ELSEWHERE'
      expect(res.json().report.rejections).toEqual([
        {
          rowNo: 2,
          column: '身份证号',
          code,
          reason: expect.any(String),
          reasons: [{ code, field: 'idNumber', column: '身份证号' }],
        },
      ])
      expect(res.body).not.toContain('张莉丹')
      expect(res.body).not.toContain('第二网格')
      const file = await t.app.inject({
        method: 'GET',
        url: `/api/imports/${String(up.body.jobId)}/rejected.xlsx`,
        headers: { cookie: worker.cookie },
      })
      const reasons = (await xlsxRows(file.rawPayload)).slice(1).map((r) => r[r.length - 1])
      expect(reasons.join('|')).not.toContain('张莉丹')
    }
    // Still where the community registered her.
    const seen = (await lead.get(`/api/residents?q=${encodeURIComponent('张莉丹')}`)).json().items
    expect(seen).toHaveLength(1)
    expect(seen[0].gridId).toBe(chain.grid2.id)
    const probes = await listAudit(t.database.db, {
      action: 'registry.import_id_elsewhere',
      limit: 10,
    })
    expect(probes).toHaveLength(2)
    expect(JSON.stringify(probes)).not.toContain(ID_Z)
    expect(probes[0]!.detail).toMatchObject({
      ids: [ID_Z.slice(0, 6) + '********' + ID_Z.slice(-4)],
    })
  })
})

describe('finding 9: the error file is masked by default; unmasked is a reveal, audited first', () => {
  let jobId: string
  beforeAll(async () => {
    const up = await post(t, worker, '/api/imports/residents', [
      { name: 'divisionId', value: chain.grid.id },
      { name: 'dryRun', value: 'true' },
      csvFile([`无房,${ID_A},13800001111,5,9,909,电话 13912345678`]),
    ])
    jobId = String(up.body.jobId)
    await waitJob(worker, jobId)
  })

  it('masks ID numbers and phones wherever they sit, and audits the download', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/imports/${jobId}/rejected.xlsx`,
      headers: { cookie: lead.cookie },
    })
    expect(res.statusCode).toBe(200)
    const [, row] = await xlsxRows(res.rawPayload)
    expect(row!.slice(0, 3)).toEqual([
      '无房',
      ID_A.slice(0, 6) + '********' + ID_A.slice(-4),
      '138****1111',
    ])
    expect(row!.join('|')).not.toMatch(MOBILE)
    expect(row!.join('|')).not.toMatch(FULL_ID)
    const [entry] = await listAudit(t.database.db, { action: 'imports.rejected_export', limit: 1 })
    expect(entry).toMatchObject({
      actorName: expect.stringContaining('communitylead'),
      targetId: jobId,
      detail: { masked: true },
    })
  })

  it('wants a reason for the unmasked file, and audits who, which job, why and which columns before the first byte', async () => {
    for (const q of ['unmasked=true', 'unmasked=true&reason=' + encodeURIComponent('核对')]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/imports/${jobId}/rejected.xlsx?${q}`,
        headers: { cookie: worker.cookie },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION',
        field: 'reason',
        params: { rule: 'TOO_SHORT', min: 5 },
      })
    }
    // Over a real socket: read the first chunk, then hang up.
    const served = await buildApp({
      config: { ...t.config, dataDir: tempDataDir() },
      database: t.database,
      ring: t.ring,
      logger: false,
    })
    const address = await served.listen({ host: '127.0.0.1', port: 0 })
    try {
      const reason = '核对未导入人员身份证号'
      const controller = new AbortController()
      const res = await fetch(
        `${address}/api/imports/${jobId}/rejected.xlsx?unmasked=true&reason=${encodeURIComponent(reason)}`,
        { headers: { cookie: worker.cookie }, signal: controller.signal },
      )
      expect(res.status).toBe(200)
      const reader = res.body!.getReader()
      await reader.read()
      const [started] = await listAudit(t.database.db, {
        action: 'imports.rejected_export_unmasked',
        limit: 1,
      })
      expect(started).toMatchObject({
        reason,
        targetId: jobId,
        actorName: expect.stringContaining('gridworker'),
        detail: { masked: false, revealed: ['身份证号', '手机'] },
      })
      expect((started!.detail as { columns: string[] }).columns).toContain('身份证号')
      controller.abort()
      // The full file, read to the end, is complete and recorded as such.
      const full = await fetch(
        `${address}/api/imports/${jobId}/rejected.xlsx?unmasked=true&reason=${encodeURIComponent(reason)}`,
        { headers: { cookie: worker.cookie } },
      )
      const [, row] = await xlsxRows(Buffer.from(await full.arrayBuffer()))
      expect(row!.slice(1, 3)).toEqual([ID_A, '13800001111'])
      await new Promise((r) => setTimeout(r, 200))
      expect(
        await listAudit(t.database.db, { action: 'imports.export_completed', limit: 5 }),
      ).not.toHaveLength(0)
    } finally {
      served.server.closeAllConnections()
      await served.close()
    }
  })
})

describe('finding 14: interrupted jobs and committed rows', () => {
  it('marks a job left running by a killed process interrupted at start, and reports it so on read (without writing) once its heartbeat stopped', async () => {
    const ids = await rows<{ id: string }>(
      t.database.db,
      sql`insert into import_job (kind, file_name, division_id, actor_name, dry_run, status, heartbeat_at)
          values ('residents', 'a.csv', ${chain.grid.id}, 'x', false, 'running', now() - interval '10 minutes'),
                 ('residents', 'b.csv', ${chain.grid.id}, 'x', false, 'running', now())
          returning id`,
    )
    const app = await buildApp({
      config: { ...t.config, dataDir: tempDataDir() },
      database: t.database,
      ring: t.ring,
      logger: false,
    })
    await app.ready()
    await app.close()
    const after = await rows<{ id: string; status: string; error: string | null }>(
      t.database.db,
      sql`select id, status, error from import_job where id in (${ids[0]!.id}, ${ids[1]!.id}) order by file_name`,
    )
    // The first stopped beating. The second may be another instance's live run on PostgreSQL;
    // embedded PGlite has one process, so at its start every running job is a dead one.
    const live = t.database.kind === 'pglite' ? ['interrupted', 'INTERRUPTED'] : ['running', null]
    expect(after.map((r) => [r.status, r.error])).toEqual([['interrupted', 'INTERRUPTED'], live])
    // On read: a job whose heartbeat stopped a while ago is reported interrupted; reading writes
    // nothing (a GET never does), the next start records it.
    const [later] = await rows<{ id: string }>(
      t.database.db,
      sql`insert into import_job (kind, file_name, division_id, actor_name, dry_run, status, heartbeat_at)
          values ('residents', 'c.csv', ${chain.grid.id}, 'x', false, 'running', now() - interval '5 minutes') returning id`,
    )
    const admin = await loginAs(t, (await buildUser(t, 'admin', [])).username)
    expect((await admin.get(`/api/imports/${later!.id}`)).json()).toMatchObject({
      status: 'interrupted',
      error: 'INTERRUPTED',
    })
    const [stored] = await rows<{ status: string }>(
      t.database.db,
      sql`select status from import_job where id = ${later!.id}`,
    )
    expect(stored!.status).toBe('running')
    const restarted = await buildApp({
      config: { ...t.config, dataDir: tempDataDir() },
      database: t.database,
      ring: t.ring,
      logger: false,
    })
    await restarted.ready()
    await restarted.close()
    const [recorded] = await rows<{ status: string }>(
      t.database.db,
      sql`select status from import_job where id = ${later!.id}`,
    )
    expect(recorded!.status).toBe('interrupted')
  })

  it('stops a running import on shutdown: interrupted, rowsDone = committed rows, its upload gone', async () => {
    const dir = tempDataDir()
    const app = await buildApp({
      config: { ...t.config, dataDir: dir },
      database: t.database,
      ring: t.ring,
      logger: false,
    })
    await app.ready()
    await lead.send('POST', '/api/buildings/layout', {
      gridId: chain.grid.id,
      building: '8',
      units: [1, 4],
      floors: [1, 30],
      roomsPerFloor: [1, 10],
    })
    const lines: string[] = []
    for (let i = 0; i < 6000; i++) {
      const first17 = `320102${1940 + (i % 60)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 997).padStart(3, '0')}`
      lines.push(
        `居民${i},${first17 + idCheckCharacter(first17)},,8,${1 + (i % 4)},${1 + (Math.floor(i / 4) % 30)}${String(1 + (Math.floor(i / 120) % 10)).padStart(2, '0')},`,
      )
    }
    const form = new FormData()
    form.append('divisionId', chain.grid.id)
    form.append('file', new Blob([[HEAD, ...lines].join('\n')]), 'big.csv')
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/residents',
      headers: { cookie: lead.cookie, 'x-csrf-token': lead.csrf },
      payload: form,
    })
    expect(res.statusCode).toBe(202)
    const jobId = res.json().jobId as string
    await app.close()
    const [job] = await rows<{ status: string; rows_done: number; error: string }>(
      t.database.db,
      sql`select status, rows_done, error from import_job where id = ${jobId}`,
    )
    const [{ n }] = (await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from resident where grid_id = ${chain.grid.id} and name like '居民%'`,
    )) as [{ n: number }]
    expect(job).toMatchObject({ status: 'interrupted', error: 'INTERRUPTED' })
    expect(n).toBeLessThan(6000)
    expect(job!.rows_done).toBe(n)
    expect(leftovers(dir)).toEqual([])
  })
})
