import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idCheckCharacter } from '../core/pii/identifiers.js'
import { systemActor } from '../core/auth/actor.js'
import { createBuildingLayout } from '../registry/registry.service.js'
import { buildChain, createTestApp, engine, type Chain, type TestApp } from '../../test/helpers.js'
import { importResidents } from './imports.service.js'

/** Spreadsheets as LibreOffice writes them (the other office suite communities use). */
const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => fs.existsSync(p))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-lo-'))
const id = (first17: string): string => first17 + idCheckCharacter(first17)
let t: TestApp
let chain: Chain

function convert(file: string): string {
  const out = path.join(dir, 'out')
  // CSV: comma-separated, double quotes, UTF-8 (76), as a user picks in LibreOffice's import dialog.
  const infilter = file.endsWith('.csv') ? ['--infilter=CSV:44,34,76'] : []
  execFileSync(
    soffice!,
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
      ...infilter,
      '--convert-to',
      'xlsx',
      '--outdir',
      out,
      file,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  )
  return path.join(out, path.basename(file).replace(/\.\w+$/, '.xlsx'))
}

beforeAll(async () => {
  if (!soffice) return
  t = await createTestApp()
  chain = await buildChain(t)
  await t.database.db.transaction((tx) =>
    createBuildingLayout(tx, systemActor(), {
      gridId: chain.grid.id,
      building: '3',
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

describe.skipIf(!soffice || engine !== 'pglite')('LibreOffice .xlsx files', () => {
  it('imports a roster re-saved by LibreOffice with IDs kept as text', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('花名册')
    ws.addRow(['姓名', '身份证号', '联系电话', '楼栋', '单元', '房号', '出生日期'])
    ws.addRow([
      '刘一',
      id('32010219610203004'),
      '13800001234',
      '3',
      '1',
      '101',
      new Date(Date.UTC(1961, 1, 3)),
    ])
    ws.addRow(['刘二', id('32010219650405006'), '', '3', '1', '102', ''])
    ws.getColumn(2).numFmt = '@'
    const src = path.join(dir, 'exceljs-roster.xlsx')
    await wb.xlsx.writeFile(src)
    fs.mkdirSync(path.join(dir, 'lo'), { recursive: true })
    const copy = path.join(dir, 'lo', 'roster.xlsx')
    fs.copyFileSync(src, copy)
    const file = convert(copy)
    const r = await importResidents(t.database.db, t.ring, systemActor(), file, {
      divisionId: chain.community.id,
      fileName: 'roster.xlsx',
      dryRun: false,
      createMissing: false,
    })
    expect(r).toMatchObject({ created: 2, rejected: 0 })
  })

  it('rejects IDs that LibreOffice turned into numbers from a plain CSV, and repairs phones it turned into numbers', async () => {
    const csv = path.join(dir, 'plain.csv')
    fs.writeFileSync(
      csv,
      [
        '姓名,身份证号,联系电话,楼栋,单元,房号',
        `周一,${id('32010219700101005')},13900001111,3,1,201`,
        `周二,110105491231002,13900002222,3,1,202`,
      ].join('\n') + '\n',
    )
    const file = convert(csv)
    const r = await importResidents(t.database.db, t.ring, systemActor(), file, {
      divisionId: chain.community.id,
      fileName: 'plain.xlsx',
      dryRun: true,
      createMissing: false,
    })
    expect(r.rejections).toEqual([
      expect.objectContaining({
        rowNo: 2,
        column: '身份证号',
        code: 'ROW_LOST_DIGITS',
        reason: expect.stringMatching(/后几位已丢失/),
      }),
    ])
    expect(r.created).toBe(1)
    expect(r.repaired.find((x) => x.rowNo === 3)?.repairs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'REPAIR_NUMBER_AS_TEXT', column: '身份证号' }),
        expect.objectContaining({ code: 'REPAIR_NUMBER_AS_TEXT', column: '联系电话' }),
      ]),
    )
  })
})
