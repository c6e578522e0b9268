import http from 'node:http'
import type { AddressInfo } from 'node:net'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { listAudit, type AuditRow } from '../core/audit/audit.service.js'
import { uuidv7 } from '../core/ids.js'
import { bulkLoadResidents, type BulkResident } from './bulk.service.js'
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
let other: Chain
let lead: Client
let worker: Client
let port: number
const PEOPLE = 2400
let firstId = ''

function idFor(n: number): string {
  const first17 = `320102198${Math.floor(n / 1000)}0101${String(n % 1000).padStart(3, '0')}`
  return first17 + idCheckCharacter(first17)
}

async function xlsxRows(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as unknown as ArrayBuffer)
  const out: unknown[][] = []
  wb.worksheets[0]!.eachRow((r) => out.push((r.values as unknown[]).slice(1)))
  return out
}

/** Audit entries of one action newer than `sinceId`, waiting briefly for outcome entries written after the reply. */
async function entries(action: string, sinceId: number, want = 1): Promise<AuditRow[]> {
  for (let i = 0; i < 100; i++) {
    const found = (await listAudit(t.database.db, { action, limit: 50 })).filter(
      (e) => e.id > sinceId && e.action === action,
    )
    if (found.length >= want) return found
    await new Promise((r) => setTimeout(r, 50))
  }
  return []
}

async function lastAuditId(): Promise<number> {
  const [e] = await listAudit(t.database.db, { limit: 1 })
  return e?.id ?? 0
}

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  other = await buildChain(t)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  await lead.send('POST', '/api/buildings/layout', {
    gridId: chain.grid.id,
    building: '1',
    units: [1, 1],
    floors: [1, 6],
    roomsPerFloor: [1, 4],
  })
  const b = (await lead.get(`/api/grids/${chain.grid.id}/buildings`)).json().items[0]
  const u = (await lead.get(`/api/buildings/${b.id}/units`)).json().items[0]
  const hs: { id: string; label: string }[] = (
    await lead.get(`/api/units/${u.id}/households`)
  ).json().items
  const people: BulkResident[] = []
  for (let i = 0; i < PEOPLE; i++) {
    const h = hs[i % hs.length]!
    people.push({
      id: uuidv7(),
      householdId: h.id,
      gridId: chain.grid.id,
      gridPath: chain.grid.path,
      sortKey: `0001|0001|${h.label}`,
      name: `居民${i}`,
      idNumber: idFor(i),
      phone: `139${String(i).padStart(8, '0')}`,
      sex: i % 2 ? 'male' : 'female',
      birthDate: `198${i % 10}-01-01`,
      relation: 'head',
      residenceType: 'registered',
      tags: [],
    })
  }
  firstId = people[0]!.idNumber
  await bulkLoadResidents(t.database, t.ring, people, 'seed')
  const addr = await t.app.listen({ port: 0, host: '127.0.0.1' })
  port = Number(new URL(addr).port) || (t.app.server.address() as AddressInfo).port
})
afterAll(async () => t?.close())

/** A real HTTP download that the client abandons after the first body chunk. */
function abandonAfterFirstChunk(
  c: Client,
  path: string,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { cookie: c.cookie } },
      (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy()
          resolve({ status: res.statusCode ?? 0, bytes: chunk.length })
        })
      },
    )
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)))
  })
}

describe('resident export audit (issue 8, findings 1, 4, 10)', () => {
  it('files the started entry before the first byte and the completed entry with the row count after a full download', async () => {
    const since = await lastAuditId()
    const res = await lead.get('/api/residents/export.xlsx')
    expect(res.statusCode).toBe(200)
    expect((await xlsxRows(res.rawPayload)).length).toBe(PEOPLE + 1)
    const [started] = await entries('registry.export', since)
    expect(started).toMatchObject({
      scopePath: chain.community.path,
      detail: { masked: true, columns: expect.arrayContaining(['证件号码', '联系电话']) },
    })
    const [done] = await entries('registry.export_completed', since)
    expect(done).toMatchObject({
      scopePath: chain.community.path,
      detail: { rows: PEOPLE, exportId: started!.detail!.exportId, masked: true },
    })
    expect(done!.id).toBeGreaterThan(started!.id)
  })

  it('keeps the unmasked export audited when the client stops reading after the first chunk', async () => {
    const since = await lastAuditId()
    const reason = encodeURIComponent('入户核酸排查名单')
    const got = await abandonAfterFirstChunk(
      lead,
      `/api/residents/export.xlsx?reveal=id,phone&reason=${reason}`,
    )
    expect(got.status).toBe(200)
    // Already committed when the first byte arrived: no waiting here.
    const [started] = (
      await listAudit(t.database.db, { action: 'registry.export_unmasked', limit: 1 })
    ).filter((e) => e.id > since)
    expect(started).toMatchObject({
      reason: '入户核酸排查名单',
      scopePath: chain.community.path,
      detail: { masked: false, revealed: ['id', 'phone'] },
    })
    const [aborted] = await entries('registry.export_aborted', since)
    expect(aborted).toMatchObject({
      detail: { exportId: started!.detail!.exportId, masked: false },
    })
    const completed = await listAudit(t.database.db, {
      action: 'registry.export_completed',
      limit: 20,
    })
    expect(completed.filter((e) => e.detail!.exportId === started!.detail!.exportId)).toHaveLength(
      0,
    )
  })

  it('answers 403 at once (no hanging 200) for a division elsewhere, and audits the attempt', async () => {
    const since = await lastAuditId()
    const res = await lead.get(`/api/residents/export.xlsx?divisionId=${other.community.id}`)
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.json().error.code).toBe('OUT_OF_SCOPE')
    const [denied] = await entries('access.out_of_scope', since)
    expect(denied).toMatchObject({ targetType: 'division', targetId: other.community.id })
    expect(
      (await listAudit(t.database.db, { action: 'registry.export', limit: 5 })).filter(
        (e) => e.id > since,
      ),
    ).toHaveLength(0)
    const w = await worker.get(`/api/residents/export.xlsx?divisionId=${chain.grid2.id}`)
    expect(w.statusCode).toBe(403)
  })

  it('files a filtered export under the part exported, never under a path asked for elsewhere', async () => {
    const since = await lastAuditId()
    const res = await lead.get(`/api/residents/export.xlsx?divisionId=${chain.grid.id}&maxAge=0`)
    expect(res.statusCode).toBe(200)
    const [started] = await entries('registry.export', since)
    expect(started!.scopePath).toBe(chain.grid.path)
    const elsewhere = await lead.get(
      `/api/residents/export.xlsx?grid=${encodeURIComponent(other.grid.path)}`,
    )
    expect(elsewhere.statusCode).toBe(400)
    const all = await listAudit(t.database.db, { scopePaths: [other.community.path], limit: 20 })
    expect(all.filter((e) => e.id > since && e.action.startsWith('registry.'))).toHaveLength(0)
  })

  it('keeps no full ID number or phone of a search term in the export audit entry', async () => {
    const since = await lastAuditId()
    for (const q of [firstId, '13900000007']) {
      const res = await worker.get(`/api/residents/export.xlsx?q=${q}`)
      expect(res.statusCode).toBe(200)
      expect((await xlsxRows(res.rawPayload)).length).toBe(2)
    }
    const started = await entries('registry.export', since, 2)
    const text = JSON.stringify(started.map((e) => e.detail))
    expect(text).not.toContain(firstId)
    expect(text).not.toContain('13900000007')
    expect(text).toContain(`320102********${firstId.slice(-4)}`)
    expect(text).toContain('139****0007')
    expect(started.every((e) => e.scopePath === chain.grid.path)).toBe(true)
  })
})

describe('resident export language (issue 9, item 5)', () => {
  /** The first person's row, tagged 慢性病 and 重点: headers and the row of one export. */
  async function tagged(
    headers: Record<string, string> = {},
    query = '',
  ): Promise<{ header: unknown[]; row: unknown[]; disposition: string }> {
    const res = await worker.get(`/api/residents/export.xlsx?q=${firstId}${query}`, headers)
    expect(res.statusCode).toBe(200)
    const [header, row] = await xlsxRows(res.rawPayload)
    return { header: header!, row: row!, disposition: String(res.headers['content-disposition']) }
  }

  beforeAll(async () => {
    const id = (await worker.get(`/api/residents?q=${firstId}`)).json().items[0].id
    expect(
      (
        await worker.send('PUT', `/api/residents/${id}/tags`, {
          tags: ['chronic_disease', 'chronic_key', 'own_code'],
        })
      ).statusCode,
    ).toBe(200)
  })

  it('is written in Chinese by default: headers, and tag labels instead of codes', async () => {
    const { header, row, disposition } = await tagged()
    expect(header).toEqual([
      '姓名',
      '住址',
      '与户主关系',
      '性别',
      '年龄',
      '出生日期',
      '证件号码',
      '联系电话',
      '人员类型',
      '标签',
      '工作单位',
      '备注',
    ])
    expect(row[2]).toBe('户主')
    expect(row[3]).toBe('女')
    expect(row[8]).toBe('户籍')
    // A free tag has no label and stays as typed; the known ones never show their codes.
    expect(row[9]).toBe('慢性病、慢病重点、own_code')
    expect(JSON.stringify(row)).not.toContain('chronic_')
    expect(disposition).toContain(encodeURIComponent('居民名单.xlsx'))
  })

  it('is written in English for an English requester (Accept-Language or ?lang=en)', async () => {
    for (const [headers, query] of [
      [{ 'accept-language': 'en-US,en;q=0.9' }, ''],
      [{ 'accept-language': 'zh-CN' }, '&lang=en'],
    ] as const) {
      const { header, row, disposition } = await tagged(headers, query)
      expect(header.slice(0, 3)).toEqual(['Name', 'Address', 'Relation to head'])
      expect(header).toContain('Tags')
      expect(row.slice(2, 4)).toEqual(['Head', 'Female'])
      expect(row[8]).toBe('Registered')
      expect(row[9]).toBe('Chronic disease, Chronic (key), own_code')
      expect(disposition).toContain('residents.xlsx')
    }
  })

  it('refuses an unmasked export without a reason as a code naming the field, in no language of its own', async () => {
    const res = await lead.get('/api/residents/export.xlsx?reveal=id&reason=abc')
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'EXPORT_REASON_REQUIRED',
      field: 'reason',
      params: { min: 5 },
    })
  })
})
