import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { systemActor } from '../core/auth/actor.js'
import { createBuildingLayout } from '../registry/registry.service.js'
import { buildChain, createTestApp, type Chain, type TestApp } from '../../test/helpers.js'
import { importResidents } from './imports.service.js'
import { detectEncoding } from './imports.read.js'
import { rejectedRowsWorkbook } from './imports.errorfile.js'

let t: TestApp
let chain: Chain
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-import-'))
const id = (first17: string): string => first17 + idCheckCharacter(first17)
const actor = systemActor('importer')
const wrongCheck = (first17: string): string => first17 + (idCheckCharacter(first17) === '1' ? '2' : '1')

const HEADER = ['序号', '姓名', '身份证号码', '联系电话', '性别', '楼号', '单元', '门牌号', '与户主关系', '人员类型', '标签']
const GOOD = [
  ['1', '张三', id('32010219850615003'), '13800138000', '男', '12栋', '1', '101', '户主', '户籍', '慢性病'],
  ['2', '李秀英', id('32010219520101002'), '', '女', '12', '', '101', '配偶', '户籍', ''],
  ['3', '王小明', id('32010220150707005'), '', '', '12', '1', '102', '子女', '租户', ''],
]
const BAD = [
  ['4', '赵六', '1.10105E+17', '', '', '12', '1', '102', '', '', ''],
  ['5', '钱七', id('32010219900101001'), '12345', '', '12', '1', '102', '', '', ''],
  ['6', '孙八', wrongCheck('32010219910202001'), '', '', '12', '1', '102', '', '', ''],
  ['7', '周九', id('32010219800101003'), '', '女', '12', '1', '102', '', '', ''],
  ['8', '吴十', id('32010219850615003'), '', '', '12', '1', '101', '', '', ''],
  ['9', '郑一', id('32010219700101005'), '', '', '99', '1', '101', '', '', ''],
]

function csv(rowsIn: string[][]): string {
  return [HEADER, ...rowsIn].map((r) => r.join(',')).join('\r\n') + '\r\n'
}

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  await t.database.db.transaction((tx) => createBuildingLayout(tx, actor, { gridId: chain.grid.id, building: '12', units: [1, 1], floors: [1, 2], roomsPerFloor: [1, 2] }))
})
afterAll(async () => {
  await t?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function residentCount(): Promise<number> {
  const [r] = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from resident where grid_path like ${chain.community.path + '%'}`)
  return r!.n
}

describe('roster import', () => {
  it('recognises GBK as GBK and UTF-8 as UTF-8', () => {
    expect(detectEncoding(iconv.encode('姓名,身份证号\r\n张三,1', 'gbk'))).toBe('gbk')
    expect(detectEncoding(Buffer.from('姓名,身份证号\r\n张三,1'))).toBe('utf8')
    expect(detectEncoding(Buffer.from('name,id\r\n'))).toBe('utf8')
  })

  it('keeps a UTF-8 file UTF-8 when its 64 KiB sample ends inside a character', () => {
    // A roster's first 64 KiB cut one or two bytes into a three-byte 陈 was once read as GBK.
    const full = Buffer.from('姓名,身份证号\n' + '张三,1\n'.repeat(20_000))
    for (let cut = 64 * 1024 - 3; cut <= 64 * 1024; cut++) expect(detectEncoding(full.subarray(0, cut))).toBe('utf8')
    const gbk = iconv.encode('姓名,身份证号\n' + '张三,1\n'.repeat(20_000), 'gbk')
    expect(detectEncoding(gbk.subarray(0, 64 * 1024))).toBe('gbk')
  })

  it('dry-runs a messy GBK file: reports what would happen and writes nothing', async () => {
    const file = path.join(dir, 'roster-gbk.csv')
    fs.writeFileSync(file, iconv.encode(csv([...GOOD, ...BAD]), 'gbk'))
    const r = await importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'roster.csv', dryRun: true, createMissing: false })
    expect(r).toMatchObject({ rows: 9, created: 3, rejected: 6, dryRun: true })
    expect(await residentCount()).toBe(0)
    const reasons = Object.fromEntries(r.rejections.map((x) => [x.rowNo, `${x.column}: ${x.reason}`]))
    expect(reasons[5]).toMatch(/^身份证号: 1\.10105E\+17: Excel stored it as a number/)
    expect(reasons[6]).toBe('联系电话: must have 11 digits, got 5')
    expect(reasons[7]).toMatch(/^身份证号: wrong check character/)
    expect(reasons[8]).toBe('性别: the ID number says male')
    expect(reasons[9]).toBe('身份证号: the same person as row 2')
    expect(reasons[10]).toMatch(/^楼栋: building 99 does not exist/)
    expect(r.repaired).toEqual([{ rowNo: 3, notes: ['unit: empty, taken from the row above (merged cell) as 1'] }])
  })

  it('commits the good rows, keeps the bad ones out, and a re-import changes nothing', async () => {
    const file = path.join(dir, 'roster.csv')
    fs.writeFileSync(file, csv([...GOOD, ...BAD]))
    const first = await importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'roster.csv', dryRun: false, createMissing: false, batchSize: 2 })
    expect(first).toMatchObject({ created: 3, rejected: 6 })
    expect(await residentCount()).toBe(3)
    const again = await importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'roster.csv', dryRun: false, createMissing: false })
    expect(again).toMatchObject({ created: 0, unchanged: 3, rejected: 6 })
    expect(await residentCount()).toBe(3)
  })

  it('takes the corrected error file back: fixed rows go in, moves are moves', async () => {
    const fixed = [
      ['4', '赵六', id('32010219700303007'), '', '', '12', '1', '102', '', '', ''],
      ['5', '钱七', id('32010219900101001'), '13912345678', '', '12', '1', '102', '', '', ''],
      ['3', '王小明', id('32010220150707005'), '', '', '12', '1', '201', '子女', '租户', ''],
    ]
    const file = path.join(dir, 'fixed.xlsx')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('花名册')
    ws.addRow(['石鼓路社区居民花名册'])
    ws.addRow(HEADER)
    for (const r of fixed) ws.addRow(r)
    await wb.xlsx.writeFile(file)
    const r = await importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'fixed.xlsx', dryRun: false, createMissing: false })
    expect(r).toMatchObject({ created: 2, moved: 1, rejected: 0 })
    const [moved] = await rows<{ kind: string }>(t.database.db, sql`select e.kind from resident_event e join resident r on r.id = e.resident_id where r.name = '王小明' order by e.id desc limit 1`)
    expect(moved!.kind).toBe('moved')
  })

  it('writes the rejected rows to an .xlsx with the column and the reason', async () => {
    const file = path.join(dir, 'bad.csv')
    fs.writeFileSync(file, csv(BAD))
    const r = await importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'bad.csv', dryRun: true, createMissing: false })
    const { rejectedRows } = await import('./imports.service.js')
    const stream = rejectedRowsWorkbook(r.headers, await rejectedRows(t.database.db, t.ring, r.jobId))
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    const back = new ExcelJS.Workbook()
    await back.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
    const sheet = back.worksheets[0]!
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADER, '原行号', '错误列', '原因'])
    // Alone in its file, 吴十's row carries the ID of the registered 张三: refused, not a rename.
    expect(r.rejections.find((x) => x.rowNo === 6)?.reason).toMatch(/^this ID number is registered to 张三/)
    expect(r.rejected).toBe(BAD.length)
    expect(sheet.rowCount).toBe(1 + r.rejected)
    expect(String(sheet.getRow(2).getCell(3).value)).toBe('1.10105E+17')
    expect(sheet.getRow(2).getCell(HEADER.length + 2).value).toBe('身份证号')
  })

  it('refuses a file without the required columns, naming them', async () => {
    const file = path.join(dir, 'cols.csv')
    fs.writeFileSync(file, '姓名,电话\r\n张三,13800138000\r\n')
    await expect(importResidents(t.database.db, t.ring, actor, file, { divisionId: chain.community.id, fileName: 'cols.csv', dryRun: true, createMissing: false })).rejects.toThrow(
      'mapping: columns not found: 身份证号, 楼栋, 单元, 房号; map them by hand',
    )
  })
})
