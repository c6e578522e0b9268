import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'
import {
  accessibilityProblems,
  englishSentences,
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
} from './harness.js'
import { seedGridWorker } from './api.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-e2e-import-'))
const id = (first17: string): string => first17 + idCheckCharacter(first17)
let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function importFile(page: Page, file: string, dryRun: boolean): Promise<string> {
  await page.locator('input[type=file]').setInputFiles(file)
  await page.getByText('表头对应').waitFor()
  await page.getByTestId(dryRun ? 'import-dry-run' : 'import-run').click()
  await page.getByText(dryRun ? '试导入结果（未写入）' : '导入结果').waitFor()
  await expect
    .poll(() => page.getByTestId('import-rejected').isVisible(), { timeout: 30_000 })
    .toBe(true)
  return (await page.getByTestId('import-rejected').textContent())!
}

describe.skipIf(!hasChromium)('roster import in a browser', () => {
  it('imports a messy GBK roster, fixes the rejected row in the error file, re-imports it, finds the person by initials', async () => {
    server = await startServer()
    const { admin, gridId } = await seedGridWorker(
      server.url,
      printedAdminPassword(server.output()),
      'wu.gw',
    )
    await admin.call('POST', '/api/buildings/layout', {
      gridId,
      building: '7',
      units: [1, 2],
      floors: [1, 6],
      roomsPerFloor: [1, 2],
    })

    // A roster as Excel on Chinese Windows saves it: GBK, a title row, a merged building column,
    // an ID that Excel turned into 1.10105E+17, and an empty row.
    const rows = [
      '石鼓路社区第一网格居民花名册,,,,,,',
      '序号,姓名,身份证号码,联系电话,楼号,单元,房号',
      `1,欧阳娜娜,${id('32010219880808002')},13912340001,7栋,1,101`,
      `2,钱多多,1.10105E+17,,,1,102`,
      ',,,,,,',
      `3,孙悟空,${id('32010219600606003')},,7,2,201`,
    ]
    const roster = path.join(dir, '花名册.csv')
    fs.writeFileSync(roster, iconv.encode(rows.join('\r\n') + '\r\n', 'gbk'))

    browser = await launchBrowser()
    const page = await browser.newPage()
    await page.goto(`${server.url}/imports`)
    await page.getByTestId('login-username').fill('wu.gw')
    await page.getByTestId('login-password').fill('Grid-Worker-Pass-9')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('import-target').click()
    await page.locator('.ant-select-dropdown').getByText('第一网格', { exact: true }).click()

    expect(await importFile(page, roster, true)).toBe('1')
    // The reason is in the worker's language, with the file's own column name.
    await page
      .getByText(/请把该列设为“文本”格式/)
      .first()
      .waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    expect(await importFile(page, roster, false)).toBe('1')
    expect(await englishSentences(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'import-result.png') })

    // Download the error file, fix the ID as a worker would, import it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-errors').click(),
    ])
    const errorsFile = path.join(dir, 'errors.xlsx')
    await download.saveAs(errorsFile)
    // The unmasked error file: a short reason is stopped in the form, a good one downloads, the page stays.
    await page.getByTestId('import-errors-unmasked').click()
    await page.getByTestId('import-reveal-reason').fill('核对')
    await page
      .locator('.ant-modal')
      .filter({ has: page.getByTestId('import-reveal-reason') })
      .getByRole('button')
      .last()
      .click()
    await page.getByText('请填写事由，至少 5 个字').waitFor()
    await page.getByTestId('import-reveal-reason').fill('核对错误行的证件号')
    const [unmasked] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('.ant-modal')
        .filter({ has: page.getByTestId('import-reveal-reason') })
        .getByRole('button')
        .last()
        .click(),
    ])
    expect(unmasked.suggestedFilename()).toMatch(/\.xlsx$/)
    expect(new URL(page.url()).pathname).toBe('/imports')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(errorsFile)
    const sheet = wb.worksheets[0]!
    expect(sheet.getRow(2).getCell(2).value).toBe('钱多多')
    expect(sheet.getRow(2).getCell(9).value).toBe('身份证号码') // the file's own column name
    expect(sheet.getRow(2).getCell(10).value).toMatch(/Excel 把它存成了数字/)
    sheet.getRow(2).getCell(3).value = id('32010219750505004')
    await wb.xlsx.writeFile(errorsFile)
    expect(await importFile(page, errorsFile, false)).toBe('0')

    // The fixed person is in 7栋1单元102 (the merged building cell was filled down) and found by initials.
    await page.getByTestId('side-menu').getByText('居民登记').click()
    const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
    await search.fill('qdd')
    await search.press('Enter')
    await page.getByTestId('resident-table').getByText('7栋1单元102').waitFor()
    await search.fill('oynn')
    await search.press('Enter')
    await page.getByTestId('resident-table').getByText('欧阳娜娜').waitFor()
  })
})
