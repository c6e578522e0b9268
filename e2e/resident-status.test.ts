import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import {
  englishSentences,
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
} from './harness.js'
import { seedLeadWithBuilding } from './api.js'

let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe.skipIf(!hasChromium)('a resident’s status and registered address on a phone', () => {
  it('a grid worker (390 px) records 长期外出 with where to, sees the tag, records the 户籍地 (人在户不在), and undoes the status', async () => {
    server = await startServer()
    const { admin, households } = await seedLeadWithBuilding(
      server.url,
      printedAdminPassword(server.output()),
      { building: '9', floors: [1, 1], roomsPerFloor: [1, 1] },
    )
    await admin.call('POST', '/api/residents', {
      householdId: households[0]!.id,
      name: '王外出',
      idNumber: '11010519491231002X',
      residenceType: 'floating',
    })

    browser = await launchBrowser({ width: 390, height: 844 })
    const page = await browser.newPage()
    await page.goto(`${server.url}/registry`)
    await page.getByTestId('login-username').fill('zhou.gw')
    await page.getByTestId('login-password').fill('Grid-Worker-Pass-9')
    await page.getByTestId('login-submit').click()
    const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
    await search.fill('王外出')
    await search.press('Enter')
    await page.getByTestId('resident-table').getByText('王外出').click()

    // 长期外出 needs where to: the form says so before anything is sent.
    await page.getByTestId('resident-set-status').click()
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('status-select') })
    await modal.getByRole('button').last().click()
    await modal.getByText('外出去向').last().waitFor()
    await page.getByTestId('status-place').fill('深圳市南山区')
    await page.getByTestId('status-on').fill('2026-03-01')
    await modal.getByRole('button').last().click()
    await page.getByText('人员状态已更新').waitFor()
    await page
      .getByTestId('resident-status-tag')
      .first()
      .getByText('长期外出 · 2026-03-01 · 深圳市南山区')
      .waitFor()
    await page.locator('.ant-timeline').getByText('人员状态变更').waitFor()

    // 户籍地 elsewhere: 人在户不在 (after the status is undone, they live here again).
    await page.getByTestId('resident-edit-hukou').click()
    await page.getByTestId('hukou-address').fill('河南省周口市川汇区')
    await page.getByTestId('hukou-region').fill('411602')
    await page
      .locator('.ant-modal')
      .filter({ has: page.getByTestId('hukou-address') })
      .getByRole('button')
      .last()
      .click()
    await page.getByText('户籍地已保存').waitFor()
    await page.getByTestId('resident-hukou').getByText('河南省周口市川汇区 (411602)').waitFor()
    expect(await englishSentences(page)).toEqual([])

    // No phone of her own: a proxy contact (代联系人). A helper named without a phone is refused
    // under the helper's phone field, and nothing else is lost.
    await page.getByTestId('care-edit').click()
    await page.getByTestId('care-helperName').fill('赵包保')
    await page.getByTestId('care-proxyName').fill('王儿子')
    await page.getByTestId('care-proxyRelation').fill('儿子')
    await page.getByTestId('care-proxyPhone').fill('13700001111')
    await page.getByTestId('care-save').click()
    await page.getByText('请填写包保人的联系电话').waitFor()
    await page.getByTestId('care-helperName').fill('')
    await page.getByTestId('care-save').click()
    await page.getByText('已保存包保信息').waitFor()
    await page.getByTestId('care-proxy').getByText('王儿子（儿子） 137****1111').waitFor()
    expect(await englishSentences(page)).toEqual([])

    await page.getByTestId('resident-undo-status').click()
    await expect
      .poll(() => page.getByTestId('resident-status-tag').count(), { timeout: 10_000 })
      .toBe(0)
    await page.getByTestId('resident-separation-tag').first().getByText('人在户不在').waitFor()
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)

    // 以房管人: the household's occupancy is set on the registry screen and shown in the tree.
    await page.keyboard.press('Escape')
    const tree = page.getByTestId('place-tree')
    for (const name of ['第一网格', '9栋', '1单元'])
      await tree
        .locator('.ant-tree-treenode', { hasText: name })
        .first()
        .locator('.ant-tree-switcher')
        .click()
    await tree.getByText(/^101 · 1$/).click()
    await page.getByTestId('household-occupancy').click()
    await page.locator('.ant-select-item-option').getByText('出租', { exact: true }).click()
    await page.getByText('居住状态已保存').waitFor()
    await tree.getByText(/^101 · 1 · 出租$/).waitFor()
  })
})
