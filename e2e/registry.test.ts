import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import {
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
  accessibilityProblems,
  englishSentences,
} from './harness.js'
import { seedGridWorker } from './api.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe.skipIf(!hasChromium)('registry in a browser', () => {
  it('a grid worker adds a building, registers a resident with a mistyped ID fixed as they type, and finds them by pinyin initials', async () => {
    server = await startServer()
    await seedGridWorker(server.url, printedAdminPassword(server.output()), 'zhou.gw')

    browser = await launchBrowser()
    const page = await browser.newPage()
    await page.goto(`${server.url}/registry`)
    await page.getByTestId('login-username').fill('zhou.gw')
    await page.getByTestId('login-password').fill('Grid-Worker-Pass-9')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('side-menu').getByText('居民登记').click()

    // Building 12: one unit, floors 1–3, rooms 01–02.
    const tree = page.getByTestId('place-tree')
    await tree.getByText('第一网格', { exact: true }).click()
    await page.getByTestId('layout-open').click()
    await page.getByPlaceholder('12').fill('12')
    const ranges = page.locator('.ant-modal .ant-input-number-input')
    for (const [i, v] of ['1', '1', '1', '3', '1', '2'].entries()) await ranges.nth(i).fill(v)
    await page.locator('.ant-modal').getByRole('button').last().click()
    await page.getByText('共 6 户，新建 6 户').waitFor()

    // Walk grid → building → unit → household 101.
    await tree
      .locator('.ant-tree-treenode', { hasText: '第一网格' })
      .locator('.ant-tree-switcher')
      .click()
    await tree
      .locator('.ant-tree-treenode', { hasText: '12栋' })
      .locator('.ant-tree-switcher')
      .click()
    await tree
      .locator('.ant-tree-treenode', { hasText: '1单元' })
      .locator('.ant-tree-switcher')
      .click()
    await tree.getByText(/^101 · 0$/).click()
    await page.getByTestId('register-open').click()
    await page.getByTestId('resident-name').fill('张三')
    // A mistyped check character is caught as the worker types.
    await page.getByTestId('resident-id').fill('110105194912310021')
    await page.getByText('校验位不对（应为 X），请核对号码').waitFor()
    // The registration form, with its refusal showing: Chinese only, no serious WCAG problem.
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.getByTestId('resident-id').fill('11010519491231002X')
    await page.getByText('校验位不对（应为 X），请核对号码').waitFor({ state: 'detached' })
    await page.getByTestId('resident-save').click()
    await page.getByText('已登记', { exact: true }).waitFor()
    // The household's count in the tree follows.
    await tree.getByText(/^101 · 1$/).waitFor()
    // The building shows its resident total.
    await tree.getByText(/^12栋 · \d+$/).click()
    await page.getByTestId('place-total').getByText('共 1 人').waitFor()

    // Find by pinyin initials, open, reveal.
    const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
    await search.fill('zs')
    await search.press('Enter')
    await page.getByTestId('resident-table').getByText('张三').click()
    await expect
      .poll(() => page.getByTestId('resident-id-number').textContent(), { timeout: 10_000 })
      .toBe('110105********002X')
    await page.screenshot({ path: path.join(SHOTS, 'registry-resident.png') })
    await page.getByTestId('resident-reveal').click()
    await expect
      .poll(() => page.getByTestId('resident-id-number').textContent(), { timeout: 10_000 })
      .toBe('11010519491231002X')

    // An unmasked export with a short reason is stopped in the form; a good one downloads, and the page stays.
    await page.keyboard.press('Escape')
    await page.getByTestId('export-unmasked').click()
    await page.getByTestId('export-reason').fill('abc')
    await page
      .locator('.ant-modal')
      .filter({ has: page.getByTestId('export-reason') })
      .getByRole('button')
      .last()
      .click()
    await page.getByText('请填写事由，至少 5 个字').waitFor()
    expect(new URL(page.url()).pathname).toBe('/registry')
    await page.getByTestId('export-reason').fill('核对本楼住户信息')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('.ant-modal')
        .filter({ has: page.getByTestId('export-reason') })
        .getByRole('button')
        .last()
        .click(),
    ])
    expect(download.suggestedFilename()).toBe('居民名单.xlsx')
    expect(new URL(page.url()).pathname).toBe('/registry')
  })
  it('on a phone, a grid worker lays out a villager group: each 门牌号 a household, shown as 整户', async () => {
    const page = await browser!.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${server!.url}/registry`)
    const tree = page.getByTestId('place-tree')
    await tree.getByText('第一网格', { exact: true }).click()
    await page.getByTestId('layout-open').click()
    const modal = page.locator('.ant-modal')
    await modal.locator('.ant-select').first().click()
    await page.locator('.ant-select-item-option', { hasText: '村民小组' }).click()
    await page.getByPlaceholder('三组、第三村民小组、王家湾组').fill('第三村民小组')
    await modal.getByText('门牌号（起止）').waitFor()
    const ranges = modal.locator('.ant-input-number-input')
    // No floors or rooms unless the houses are let room by room.
    expect(await ranges.count()).toBe(2)
    await ranges.nth(0).fill('1')
    await ranges.nth(1).fill('2')
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await modal.getByRole('button').last().click()
    await page.getByText('共 2 户，新建 2 户').waitFor()
    await tree
      .locator('.ant-tree-treenode', { hasText: '第一网格' })
      .locator('.ant-tree-switcher')
      .click()
    await tree
      .locator('.ant-tree-treenode', { hasText: /^3组 · 0$/ })
      .locator('.ant-tree-switcher')
      .click()
    await tree
      .locator('.ant-tree-treenode', { hasText: /^1号 · 0$/ })
      .locator('.ant-tree-switcher')
      .click()
    await tree.getByText(/^整户 · 0$/).waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'registry-village-phone.png') })
  })
})
