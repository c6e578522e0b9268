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

describe.skipIf(!hasChromium)('a rented household’s landlord and 户代表 on a phone', () => {
  it('a grid worker (390 px) marks a flat 群租, enters the 二房东 and tenancy dates, sees the phone masked and the 户代表 tag, and marks the next flat a 集体户 with its name', async () => {
    server = await startServer()
    const { admin, households } = await seedLeadWithBuilding(
      server.url,
      printedAdminPassword(server.output()),
      { building: '9', floors: [1, 1], roomsPerFloor: [1, 2] },
    )
    await admin.call('POST', '/api/residents', {
      householdId: households[0]!.id,
      name: '李租户',
      idNumber: '11010519491231002X',
      residenceType: 'floating',
    })

    browser = await launchBrowser({ width: 390, height: 844 })
    const page = await browser.newPage()
    await page.goto(`${server.url}/registry`)
    await page.getByTestId('login-username').fill('zhou.gw')
    await page.getByTestId('login-password').fill('Grid-Worker-Pass-9')
    await page.getByTestId('login-submit').click()
    const tree = page.getByTestId('place-tree')
    for (const name of ['第一网格', '9栋', '1单元'])
      await tree
        .locator('.ant-tree-treenode', { hasText: name })
        .first()
        .locator('.ant-tree-switcher')
        .click()
    await tree.getByText(/^101 · 1$/).click()
    await page.getByTestId('household-occupancy').click()
    await page.locator('.ant-select-item-option').getByText('群租', { exact: true }).click()
    await page.getByText('居住状态已保存').waitFor()
    await tree.getByText(/^101 · 1 · 群租$/).waitFor()

    await page.getByTestId('household-facts-open').getByText('户代表与房东').click()
    await page.getByTestId('household-representative').click()
    await page.locator('.ant-select-item-option').getByText('李租户').click()
    await page.locator('.ant-modal').getByText('房东', { exact: true }).click()
    await page.locator('.ant-select-item-option').getByText('二房东', { exact: true }).click()
    await page.getByTestId('landlord-name').fill('张二房东')
    await page.getByTestId('landlord-phone').fill('13912345678')
    await page.getByTestId('tenancy-start').fill('2026-03-01')
    // The end before the start: the server names the field.
    await page.getByTestId('tenancy-end').fill('2026-02-01')
    await page.getByTestId('household-facts-save').click()
    await page.getByText('租期结束日期不能早于开始日期').waitFor()
    await page.getByTestId('tenancy-end').fill('2027-02-28')
    await page.getByTestId('household-facts-save').click()
    await page.getByText('户信息已保存').waitFor()
    await page
      .getByTestId('household-landlord')
      .getByText('二房东 张二房东 139****5678 · 2026-03-01 ~ 2027-02-28')
      .waitFor()
    await page.getByTestId('representative-tag').getByText('户代表').waitFor()
    expect(await page.content()).not.toContain('13912345678')
    expect(await englishSentences(page)).toEqual([])
    // To call the 二房东: the full number on request (audited by the server).
    await page.getByTestId('landlord-reveal').click()
    await page
      .getByTestId('household-landlord')
      .getByText(/二房东 张二房东 13912345678/)
      .waitFor()

    // 集体户: choosing it asks for its kind and name before anything is saved.
    await tree.getByText(/^102 · 0$/).click()
    await page.getByTestId('household-occupancy').click()
    await page.locator('.ant-select-item-option').getByText('集体户', { exact: true }).click()
    await page.getByTestId('collective-kind').click()
    await page.locator('.ant-select-item-option').getByText('工地', { exact: true }).click()
    await page.getByTestId('household-facts-save').click()
    await page.getByText('请填写集体户名称').waitFor()
    await page.getByTestId('collective-name').fill('某建筑工地项目部宿舍')
    // The first flat's notice has gone (3 s), so the one awaited next is this flat's own.
    await page.getByText('户信息已保存').waitFor({ state: 'hidden' })
    await page.getByTestId('household-facts-save').click()
    await page.getByText('户信息已保存').waitFor()
    await tree.getByText(/^102 · 0 · 集体户 · 某建筑工地项目部宿舍$/).waitFor()
    await page.getByTestId('household-collective').getByText('工地 某建筑工地项目部宿舍').waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  })
})
