import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
} from './harness.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')

let server: RunningServer | undefined
let browser: BrowserContext | undefined

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByTestId('pw-current').fill(current)
  await page.getByTestId('pw-new').fill(next)
  await page.getByTestId('pw-confirm').fill(next)
  await page.getByTestId('pw-submit').click()
}

async function addChild(page: Page, parentName: string, code: string, name: string): Promise<void> {
  await page.getByTestId('division-tree').getByText(parentName, { exact: true }).click()
  await page.getByTestId('tree-add-child').click()
  await page.getByTestId('division-code').fill(code)
  await page.getByTestId('division-name').fill(name)
  await page
    .getByRole('button', { name: '保 存' })
    .or(page.getByRole('button', { name: '保存' }))
    .click()
  await page.getByTestId('division-tree').getByText(parentName, { exact: true }).click()
}

describe.skipIf(!hasChromium)('first start in a browser', () => {
  it('admin logs in with the printed password, changes it, creates a grid worker who sees only their grid', async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    // As on a new machine: no database yet; the server creates and migrates it.
    server = await startServer({ empty: true })
    const adminPassword = printedAdminPassword(server.output())
    browser = await launchBrowser()
    const page = await browser.newPage()
    await page.goto(server.url)

    await login(page, 'admin', adminPassword)
    await page.getByTestId('pw-current').waitFor()
    await page.screenshot({ path: path.join(SHOTS, '01-forced-change.png') })
    await changePassword(page, adminPassword, 'Strong-New-Pass-2026')
    await page.getByTestId('side-menu').waitFor()
    await expect
      .poll(() => page.getByTestId('home-scope').textContent(), { timeout: 15_000 })
      .toContain('全域')

    // Build the tree district → street → community → grid on the tree screen.
    await page.getByTestId('side-menu').getByText('行政区划与网格').click()
    await page.getByRole('button', { name: '添加区县' }).click()
    await page.getByTestId('division-code').fill('320102')
    await page.getByTestId('division-name').fill('玄武区')
    await page.locator('.ant-modal').getByRole('button').last().click()
    await page.getByTestId('division-tree').getByText('玄武区').waitFor()
    await addChild(page, '玄武区', '320102001', '新街口街道')
    await page.getByTestId('division-tree').locator('.ant-tree-switcher').first().click()
    await page.getByTestId('division-tree').getByText('新街口街道').waitFor()
    await addChild(page, '新街口街道', '320102001001', '石鼓路社区')
    await page.getByTestId('division-tree').locator('.ant-tree-switcher').nth(1).click()
    await page.getByTestId('division-tree').getByText('石鼓路社区').waitFor()
    await addChild(page, '石鼓路社区', '320102001001-G1', '第一网格')
    await addChild(page, '石鼓路社区', '320102001001-G2', '第二网格')
    await page.getByTestId('division-tree').locator('.ant-tree-switcher').nth(2).click()
    await page.getByTestId('division-tree').getByText('第二网格').waitFor()
    await page.screenshot({ path: path.join(SHOTS, '02-tree.png') })

    // Create a grid worker scoped to the first grid.
    await page.getByTestId('side-menu').getByText('用户与角色').click()
    await page.getByTestId('user-new').click()
    await page.getByTestId('user-username').fill('zhang.gw')
    await page.getByTestId('user-display-name').fill('张网格员')
    await page.getByTestId('user-role').click()
    await page.locator('.ant-select-dropdown').getByText('网格员', { exact: true }).click()
    await page.getByTestId('user-scope').click()
    const dropdown = page.locator('.ant-select-dropdown').last()
    for (const name of ['玄武区', '新街口街道', '石鼓路社区']) {
      await dropdown
        .locator('.ant-select-tree-treenode', { hasText: name })
        .last()
        .locator('.ant-select-tree-switcher')
        .click()
    }
    await dropdown.getByText('第一网格', { exact: true }).click()
    await page.keyboard.press('Escape')
    await page.getByTestId('user-save').click()
    const temp = page.getByTestId('temp-password')
    await temp.waitFor()
    const tempPassword = (await temp.textContent())!.trim()
    expect(tempPassword).toMatch(/^[A-Za-z0-9]{16}$/)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(SHOTS, '03-user-created.png') })
    await page.locator('.ant-modal-confirm-btns button').click()
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' })

    // Log out, log in as the grid worker.
    await page.getByTestId('user-menu').hover()
    await page.getByRole('menuitem', { name: '退出登录' }).click()
    await page.getByTestId('login-username').waitFor()
    await login(page, 'zhang.gw', tempPassword)
    await page.getByTestId('pw-current').waitFor()
    await changePassword(page, tempPassword, 'Grid-Worker-Pass-9')
    await expect
      .poll(() => page.getByTestId('home-scope').textContent(), { timeout: 15_000 })
      .toContain('第一网格')
    const menu = await page.getByTestId('side-menu').textContent()
    expect(menu).not.toContain('用户与角色')
    expect(menu).not.toContain('审计日志')
    await page.getByTestId('side-menu').getByText('行政区划与网格').click()
    await expect
      .poll(() => page.getByTestId('division-tree').textContent(), { timeout: 15_000 })
      .toContain('第一网格')
    expect(await page.getByTestId('division-tree').textContent()).not.toContain('第二网格')
    expect(await page.getByTestId('division-tree').textContent()).not.toContain('石鼓路社区')
    await page.screenshot({ path: path.join(SHOTS, '04-grid-worker.png') })

    // The API agrees: the neighbouring grid is out of scope.
    const res = await page.evaluate(async () =>
      (await fetch('/api/divisions?q=%E7%BD%91%E6%A0%BC')).json(),
    )
    expect((res as { items: { name: string }[] }).items.map((d) => d.name)).toEqual(['第一网格'])
  })
})
