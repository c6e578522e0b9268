import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { inTransaction, rows } from '../core/db/db.js'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { systemActor } from '../core/auth/actor.js'
import { createBuildingLayout } from '../registry/registry.service.js'
import { buildChain, createTestApp, type Chain, type TestApp } from '../../test/helpers.js'
import { importResidents } from './imports.service.js'
import { detectEncoding } from './imports.read.js'
import { rejectedRowsWorkbook } from './imports.errorfile.js'
import { rejectedRows } from './imports.service.js'

let t: TestApp
let chain: Chain
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-import-'))
const id = (first17: string): string => first17 + idCheckCharacter(first17)
const actor = systemActor('importer')
const wrongCheck = (first17: string): string =>
  first17 + (idCheckCharacter(first17) === '1' ? '2' : '1')

const HEADER = [
  '序号',
  '姓名',
  '身份证号码',
  '联系电话',
  '性别',
  '楼号',
  '单元',
  '门牌号',
  '与户主关系',
  '人员类型',
  '标签',
]
const GOOD = [
  [
    '1',
    '张三',
    id('32010219850615003'),
    '13800138000',
    '男',
    '12栋',
    '1',
    '101',
    '户主',
    '户籍',
    '慢性病',
  ],
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
  await inTransaction(t.database.db, (tx) =>
    createBuildingLayout(tx, actor, {
      gridId: chain.grid.id,
      building: '12',
      units: [1, 1],
      floors: [1, 2],
      roomsPerFloor: [1, 2],
    }),
  )
})
afterAll(async () => {
  await t?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function residentCount(): Promise<number> {
  const [r] = await rows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from resident where grid_path like ${chain.community.path + '%'}`,
  )
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
    for (let cut = 64 * 1024 - 3; cut <= 64 * 1024; cut++)
      expect(detectEncoding(full.subarray(0, cut))).toBe('utf8')
    const gbk = iconv.encode('姓名,身份证号\n' + '张三,1\n'.repeat(20_000), 'gbk')
    expect(detectEncoding(gbk.subarray(0, 64 * 1024))).toBe('gbk')
  })

  it('dry-runs a messy GBK file: reports what would happen and writes nothing', async () => {
    const file = path.join(dir, 'roster-gbk.csv')
    fs.writeFileSync(file, iconv.encode(csv([...GOOD, ...BAD]), 'gbk'))
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'roster.csv',
      dryRun: true,
      createMissing: false,
    })
    expect(r).toMatchObject({ rows: 9, created: 3, rejected: 6, dryRun: true })
    expect(await residentCount()).toBe(0)
    // Each reason is a code with its params, under the file's own column header, and in Chinese by default.
    const reasons = Object.fromEntries(
      r.rejections.map((x) => [
        x.rowNo,
        x.reasons.map((y) => `${y.column} ${y.code} ${JSON.stringify(y.params ?? {})}`),
      ]),
    )
    expect(reasons[5]).toEqual(['身份证号码 ROW_LOST_DIGITS {"value":"1.10105E+17"}'])
    expect(reasons[6]).toEqual(['联系电话 PHONE_LENGTH {"length":5}'])
    expect(reasons[7]).toEqual([
      `身份证号码 ID_CHECK_CHARACTER {"expected":"${idCheckCharacter('32010219910202001')}"}`,
    ])
    expect(reasons[8]).toEqual(['性别 ROW_SEX_SAYS_MALE {}'])
    expect(reasons[9]).toEqual(['身份证号码 ROW_DUPLICATE {"row":2}'])
    expect(reasons[10]).toEqual([
      '楼号 ROW_BUILDING_NOT_FOUND {"building":"99","place":"测试社区"}',
    ])
    expect(r.rejections.find((x) => x.rowNo === 6)?.reason).toBe('手机号应为 11 位，实际 5 位')
    expect(r.repaired).toEqual([
      {
        rowNo: 3,
        notes: ['单元：为空，按上一行（合并单元格）取为 1'],
        repairs: [
          { code: 'REPAIR_MERGED_CELL', field: 'unit', column: '单元', params: { value: '1' } },
        ],
      },
    ])
  })

  it('commits the good rows, keeps the bad ones out, and a re-import changes nothing', async () => {
    const file = path.join(dir, 'roster.csv')
    fs.writeFileSync(file, csv([...GOOD, ...BAD]))
    const first = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'roster.csv',
      dryRun: false,
      createMissing: false,
      batchSize: 2,
    })
    expect(first).toMatchObject({ created: 3, rejected: 6 })
    expect(await residentCount()).toBe(3)
    const again = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'roster.csv',
      dryRun: false,
      createMissing: false,
    })
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
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'fixed.xlsx',
      dryRun: false,
      createMissing: false,
    })
    expect(r).toMatchObject({ created: 2, moved: 1, rejected: 0 })
    const [moved] = await rows<{ kind: string }>(
      t.database.db,
      sql`select e.kind from resident_event e join resident r on r.id = e.resident_id where r.name = '王小明' order by e.id desc limit 1`,
    )
    expect(moved!.kind).toBe('moved')
  })

  it('writes the rejected rows to an .xlsx with the column and the reason', async () => {
    const file = path.join(dir, 'bad.csv')
    fs.writeFileSync(file, csv(BAD))
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'bad.csv',
      dryRun: true,
      createMissing: false,
    })
    const stream = rejectedRowsWorkbook(
      r.headers,
      await rejectedRows(t.database.db, t.ring, r.jobId),
    )
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    const back = new ExcelJS.Workbook()
    await back.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer)
    const sheet = back.worksheets[0]!
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADER, '原行号', '错误列', '原因'])
    // Alone in its file, 吴十's row carries the ID of the registered 张三: refused, not a rename.
    expect(r.rejections.find((x) => x.rowNo === 6)).toMatchObject({
      code: 'ID_NAME_MISMATCH',
      reasons: [{ code: 'ID_NAME_MISMATCH', params: { name: '张三' } }],
    })
    expect(r.rejected).toBe(BAD.length)
    expect(sheet.rowCount).toBe(1 + r.rejected)
    expect(String(sheet.getRow(2).getCell(3).value)).toBe('1.10105E+17')
    // The column at fault is named as the file names it (身份证号码), not by an internal label.
    expect(sheet.getRow(2).getCell(HEADER.length + 2).value).toBe('身份证号码')
    expect(String(sheet.getRow(2).getCell(HEADER.length + 3).value)).toMatch(
      /^1\.10105E\+17：Excel 把它存成了数字/,
    )

    // Asked in English, the same rows come back in English (the file's own headers stay).
    const en = rejectedRowsWorkbook(
      r.headers,
      await rejectedRows(t.database.db, t.ring, r.jobId),
      'en',
    )
    const enChunks: Buffer[] = []
    for await (const c of en) enChunks.push(c as Buffer)
    const enBook = new ExcelJS.Workbook()
    await enBook.xlsx.load(Buffer.concat(enChunks) as unknown as ArrayBuffer)
    const enSheet = enBook.worksheets[0]!
    expect(enSheet.name).toBe('Rows not imported')
    expect(enSheet.getRow(1).values).toEqual([undefined, ...HEADER, 'Row', 'Column', 'Reason'])
    expect(String(enSheet.getRow(2).getCell(HEADER.length + 3).value)).toMatch(
      /^1\.10105E\+17: Excel stored it as a number/,
    )
  })

  it('keeps an ID the spreadsheet turned into a number as the text to fix: its error file, imported again unchanged, is refused again and stores nobody', async () => {
    // 320102198808295761 typed into a General column: Excel keeps 320102198808296000 (15 digits).
    const lost = Number('320102198808295761')
    const file = path.join(dir, 'lost.xlsx')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('花名册')
    ws.addRow(HEADER)
    ws.addRow(['1', '陈明', lost, '', '女', '12', '1', '101', '', '', ''])
    await wb.xlsx.writeFile(file)
    const before = await residentCount()
    const first = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: chain.community.id,
      fileName: 'lost.xlsx',
      dryRun: false,
      createMissing: false,
    })
    expect(first).toMatchObject({ created: 0, rejected: 1 })
    expect(first.rejections[0]!.reasons).toEqual([
      expect.objectContaining({
        code: 'ROW_LOST_DIGITS',
        params: { value: '3.20102198808296E+17' },
      }),
    ])
    // The full (unmasked) error file: the ID cell is the text the user saw, not 320102198808296000.
    const errorFile = path.join(dir, 'lost-errors.xlsx')
    const chunks: Buffer[] = []
    for await (const c of rejectedRowsWorkbook(
      first.headers,
      await rejectedRows(t.database.db, t.ring, first.jobId),
    ))
      chunks.push(c as Buffer)
    fs.writeFileSync(errorFile, Buffer.concat(chunks))
    const back = new ExcelJS.Workbook()
    await back.xlsx.readFile(errorFile)
    const idCell = back.worksheets[0]!.getRow(2).getCell(3).value
    expect(idCell).toBe('3.20102198808296E+17')
    expect(JSON.stringify(back.worksheets[0]!.getRow(2).values)).not.toContain('320102198808296000')
    // Imported again as it came back: refused for the same reason, and no second person appears.
    const again = await importResidents(t.database.db, t.ring, actor, errorFile, {
      divisionId: chain.community.id,
      fileName: 'lost-errors.xlsx',
      dryRun: false,
      createMissing: false,
    })
    expect(again).toMatchObject({ created: 0, rejected: 1 })
    expect(again.rejections[0]!.reasons).toEqual([
      expect.objectContaining({
        code: 'ROW_LOST_DIGITS',
        params: { value: '3.20102198808296E+17' },
      }),
    ])
    expect(await residentCount()).toBe(before)
    const [n] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from resident where name = '陈明'`,
    )
    expect(n!.n).toBe(0)
    // Fixed by the user (the true number typed as text), the same row goes in.
    const fixedWb = new ExcelJS.Workbook()
    await fixedWb.xlsx.readFile(errorFile)
    fixedWb.worksheets[0]!.getRow(2).getCell(3).value = '320102198808295761'
    const fixed = path.join(dir, 'lost-fixed.xlsx')
    await fixedWb.xlsx.writeFile(fixed)
    const done = await importResidents(t.database.db, t.ring, actor, fixed, {
      divisionId: chain.community.id,
      fileName: 'lost-fixed.xlsx',
      dryRun: false,
      createMissing: false,
    })
    expect(done).toMatchObject({ created: 1, rejected: 0 })
  })

  it('refuses a file without the required columns, naming them', async () => {
    const file = path.join(dir, 'cols.csv')
    fs.writeFileSync(file, '姓名,电话\r\n张三,13800138000\r\n')
    await expect(
      importResidents(t.database.db, t.ring, actor, file, {
        divisionId: chain.community.id,
        fileName: 'cols.csv',
        dryRun: true,
        createMissing: false,
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'IMPORT_COLUMNS_MISSING',
      field: 'mapping',
      params: { columns: '身份证号、楼栋、单元、房号' },
    })
  })
})

describe('what a new user tripped over', () => {
  let c: Chain
  const ROSTER = ['姓名', '证件号码', '手机', '网格', '楼栋', '单元', '房号', '性别', '标签']
  const write = (name: string, rowsIn: string[][], header = ROSTER): string => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, [header, ...rowsIn].map((r) => r.join(',')).join('\n') + '\n')
    return file
  }
  const gridPathOf = async (name: string): Promise<string | undefined> =>
    (
      await rows<{ grid_path: string }>(
        t.database.db,
        sql`select grid_path from resident where name = ${name} and grid_path like ${c.community.path + '%'}`,
      )
    )[0]?.grid_path

  beforeAll(async () => {
    c = await buildChain(t)
    // Both grids number their buildings from 1, as the demo city does: 1栋1单元101/102 in one, 1栋1单元201 in the other.
    await inTransaction(t.database.db, (tx) =>
      createBuildingLayout(tx, actor, {
        gridId: c.grid.id,
        building: '1',
        units: [1, 1],
        floors: [1, 1],
        roomsPerFloor: [1, 2],
      }),
    )
    await inTransaction(t.database.db, (tx) =>
      createBuildingLayout(tx, actor, {
        gridId: c.grid2.id,
        building: '1',
        units: [1, 1],
        floors: [2, 2],
        roomsPerFloor: [1, 1],
      }),
    )
  })

  it('reports every problem of a row in a dry run, not only the first', async () => {
    const file = write('many.csv', [
      ['冯二', id('32010219800101003'), '12345', '', '1', '1', '101', '女', '火星人'],
    ])
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: c.community.id,
      fileName: 'many.csv',
      dryRun: true,
      createMissing: false,
    })
    expect(r.rejected).toBe(1)
    expect(r.rejections[0]!.reasons.map((x) => `${x.column}:${x.code}`)).toEqual([
      '标签:ROW_UNKNOWN_TAG',
      '性别:ROW_SEX_SAYS_MALE',
      '手机:PHONE_LENGTH',
    ])
    expect(r.rejections[0]!.column).toBe('标签、性别、手机')
  })

  it('places rows by their household when building numbers repeat across grids, and says once what it could not place', async () => {
    const file = write('repeat.csv', [
      ['褚一', id('32010219810101001'), '', '', '1', '1', '101', '', ''],
      ['卫二', id('32010219820202002'), '', '', '1', '1', '201', '', ''],
      ['蒋三', id('32010219830303003'), '', '', '1', '1', '301', '', ''],
      ['沈四', id('32010219840404004'), '', '', '1', '1', '302', '', ''],
    ])
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: c.community.id,
      fileName: 'repeat.csv',
      dryRun: false,
      createMissing: false,
    })
    expect(r).toMatchObject({ created: 2, rejected: 2 })
    expect(await gridPathOf('褚一')).toBe(c.grid.path)
    expect(await gridPathOf('卫二')).toBe(c.grid2.path)
    expect(r.rejections.map((x) => x.code)).toEqual([
      'ROW_BUILDING_AMBIGUOUS',
      'ROW_BUILDING_AMBIGUOUS',
    ])
    expect(r.rejections[0]!.reasons[0]!.params).toMatchObject({
      building: '1',
      grids: '第一网格、第二网格',
    })
    expect(r.notices).toEqual([
      { code: 'IMPORT_NOTICE_AMBIGUOUS_BUILDINGS', params: { buildings: '1' } },
    ])
  })

  it('creates buildings from a roster that names the grid, and says so once when it cannot', async () => {
    const named = write('new-building.csv', [
      ['韩五', id('32010219850505005'), '', '第二网格', '88', '1', '101', '', ''],
      ['杨六', id('32010219860606006'), '', '第二网格', '88', '1', '102', '', ''],
    ])
    const dry = await importResidents(t.database.db, t.ring, actor, named, {
      divisionId: c.community.id,
      fileName: 'new-building.csv',
      dryRun: true,
      createMissing: true,
    })
    expect(dry).toMatchObject({ created: 2, rejected: 0, buildingsCreated: 1 })
    const count = async (): Promise<number> =>
      (
        await rows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from building where grid_id = ${c.grid2.id} and code = '88'`,
        )
      )[0]!.n
    expect(await count()).toBe(0)
    const real = await importResidents(t.database.db, t.ring, actor, named, {
      divisionId: c.community.id,
      fileName: 'new-building.csv',
      dryRun: false,
      createMissing: true,
    })
    expect(real).toMatchObject({ created: 2, rejected: 0, buildingsCreated: 1 })
    expect(real.notices).toEqual([
      { code: 'IMPORT_NOTICE_BUILDINGS_CREATED', params: { count: 1, buildings: '88' } },
    ])
    expect(await count()).toBe(1)
    expect(await gridPathOf('杨六')).toBe(c.grid2.path)

    // No grid known: one reason that says everything needed, with or without "create missing".
    const unnamed = write('no-grid.csv', [
      ['朱七', id('32010219870707007'), '', '', '99', '1', '101', '', ''],
    ])
    const off = await importResidents(t.database.db, t.ring, actor, unnamed, {
      divisionId: c.community.id,
      fileName: 'no-grid.csv',
      dryRun: true,
      createMissing: false,
    })
    expect(off.rejections[0]!.reasons).toEqual([
      {
        code: 'ROW_BUILDING_NOT_FOUND',
        field: 'building',
        column: '楼栋',
        params: { building: '99', place: '测试社区' },
      },
    ])
    expect(off.rejections[0]!.reason).toContain('网格')
    const on = await importResidents(t.database.db, t.ring, actor, unnamed, {
      divisionId: c.community.id,
      fileName: 'no-grid.csv',
      dryRun: true,
      createMissing: true,
    })
    expect(on.rejections[0]!.code).toBe('ROW_BUILDING_NEEDS_GRID')
    // Imported into one grid, the grid is known and the building is created.
    const inGrid = await importResidents(t.database.db, t.ring, actor, unnamed, {
      divisionId: c.grid.id,
      fileName: 'no-grid.csv',
      dryRun: true,
      createMissing: true,
    })
    expect(inGrid).toMatchObject({ created: 1, rejected: 0, buildingsCreated: 1 })
  })

  it('reports the repairs it made: lowercase x, +86, spaces, full-width digits, an old 15-digit number', async () => {
    const first17 = '11010519491231002'
    const file = write('repairs.csv', [
      [
        '许八',
        (first17 + idCheckCharacter(first17)).toLowerCase(),
        '+86 13800138000',
        '',
        '1',
        '1',
        '102',
        '',
        '',
      ],
      ['何九', '３２０１０２８６０７１６００４', '138 0013 8001', '', '1', '1', '102', '', ''],
    ])
    const r = await importResidents(t.database.db, t.ring, actor, file, {
      divisionId: c.grid.id,
      fileName: 'repairs.csv',
      dryRun: true,
      createMissing: false,
      lang: 'en',
    })
    expect(r.rejected).toBe(0)
    expect(r.repaired.map((x) => x.repairs.map((y) => `${y.column}:${y.code}`))).toEqual([
      ['证件号码:REPAIR_LOWERCASE_X', '手机:REPAIR_COUNTRY_CODE'],
      ['证件号码:REPAIR_FULL_WIDTH', '手机:REPAIR_SPACES_REMOVED', '证件号码:REPAIR_ID_15_TO_18'],
    ])
    // Written in the requester's language.
    expect(r.repaired[0]!.notes).toEqual([
      '证件号码: Lowercase x changed to X',
      '手机: Country code +86 removed',
    ])
  })
})
