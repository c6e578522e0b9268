import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
  accessibilityProblems,
  englishSentences,
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
} from './harness.js'
import { apiFirstLogin, apiLogin, seedLeadWithBuilding } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
const browsers: BrowserContext[] = []
afterAll(async () => {
  for (const b of browsers) await b.close()
  await server?.stop()
})

const TUBE = 'T-20261202-0101'
const FIRST17 = '32010219880512301'

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

async function phoneChecks(page: Page, shot: string, axe = true): Promise<void> {
  expect(await englishSentences(page)).toEqual([])
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  if (axe) expect(await accessibilityProblems(page)).toEqual([])
  await page.screenshot({ path: path.join(SHOTS, shot) })
}

describe.skipIf(!hasChromium)('a walk-in is sampled and reconciled, in a browser', () => {
  it('a sampler registers a walk-in on the sampling screen (390 px) and tubes them at once; offline it says it needs the network; a grid worker confirms them into a household on 临时人员', async () => {
    server = await startServer()
    const url = server.url
    const { admin, gridId } = await seedLeadWithBuilding(
      url,
      printedAdminPassword(server.output()),
      {
        building: '7',
        floors: [1, 1],
        roomsPerFloor: [1, 2],
      },
    )
    await admin.call('POST', '/api/users', {
      username: 'wu.sampler',
      displayName: '吴采样',
      role: 'sampler',
      scopeDivisionIds: [gridId],
      password: 'First-Pass-123',
    })
    await apiFirstLogin(url, 'wu.sampler', 'First-Pass-123', 'Sampler-Pass-2026')
    const lead = await apiLogin(url, 'lin.lead', 'Lead-Pass-2026')
    const round = await lead.call<{ id: string }>('POST', '/api/rounds', {
      name: '第一网格 全员核酸',
      kind: 'area',
      divisionIds: [gridId],
      deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
      poolSize: 10,
    })

    // The sampler, on a phone: 登记临时人员 on the sampling screen.
    const desk = await launchBrowser({ width: 390, height: 844 })
    browsers.push(desk)
    const page = await desk.newPage()
    await page.goto(`${url}/sampling?round=${round.id}`)
    await login(page, 'wu.sampler', 'Sampler-Pass-2026')
    await page.getByTestId('scan-input').waitFor()
    await page.getByTestId('walkin-open').click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByText('无健康码、未在本社区登记的人员').waitFor()
    // Nothing typed: each field says what it needs, in Chinese.
    await page.getByTestId('walkin-submit').click()
    await drawer.getByText('请填写姓名').waitFor()
    await drawer.getByText('请填写联系电话').waitFor()
    await drawer.getByText('请选择暂住的网格或户').waitFor()
    // A mistyped ID number is named under its field as typed (the shared check character rule).
    await page.getByTestId('walkin-name').fill('过路人')
    const wrong = idCheckCharacter(FIRST17) === '1' ? '2' : '1'
    await page.getByTestId('walkin-id').fill(FIRST17 + wrong)
    await drawer.getByText(/校验/).first().waitFor()
    await page.getByTestId('walkin-id').fill(FIRST17 + idCheckCharacter(FIRST17))
    await page.getByTestId('walkin-phone').fill('13900001111')
    await page.getByTestId('walkin-place').click()
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '第一网格' }).click()
    await page.getByTestId('walkin-submit').click()
    await drawer.getByText('选择网格时须填写暂住地址').waitFor()
    await page.getByTestId('walkin-address').fill('幸福路8号3楼，租住')
    // axe runs on the screens under it (it reads the page behind the drawer's mask as low contrast).
    await phoneChecks(page, 'walkin-drawer.png', false)

    // Offline: not queued, it says it needs the network.
    await desk.setOffline(true)
    await page.getByTestId('walkin-submit').click()
    await page
      .getByTestId('walkin-refusal')
      .getByText(/登记临时人员需要联网/)
      .waitFor()
    expect(await englishSentences(page)).toEqual([])
    await desk.setOffline(false)

    // Online: registered, and their code is in the scan flow: the next scan is the tube.
    await page.getByTestId('walkin-submit').click()
    await page.getByText('已登记临时人员 过*人，请扫试管').waitFor()
    // The drawer closes and the cursor is back in the scan field: the scanner's next code goes there.
    await drawer.waitFor({ state: 'hidden' })
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("data-testid")'))
      .toBe('scan-input')
    await page.getByTestId('person-check').waitFor()
    await page.getByTestId('scan-input').click()
    await page.keyboard.type(TUBE)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 15_000 })
      .toBe('待上传 0 条')
    await page
      .getByTestId('scan-line')
      .filter({ hasText: '过' })
      .first()
      .waitFor({ timeout: 45_000 })
    expect(await page.getByTestId('tube-count').textContent()).toBe('1 / 10')
    await phoneChecks(page, 'walkin-tubed.png')

    // The grid worker, on a phone: 临时人员 lists them; confirm into a household.
    const worker = await launchBrowser({ width: 390, height: 844 })
    browsers.push(worker)
    const wp = await worker.newPage()
    await wp.goto(`${url}/registry/provisional`)
    await login(wp, 'zhou.gw', 'Grid-Worker-Pass-9')
    const row = wp.getByTestId('provisional-row').filter({ hasText: '过路人' })
    await row.getByText('幸福路8号3楼，租住', { exact: false }).waitFor()
    await row.getByText('待核实').waitFor()
    await row.getByText(/139\*{4}1111/).waitFor()
    await phoneChecks(wp, 'provisional-list.png')
    await row.getByTestId('provisional-confirm').click()
    const dialog = wp.locator('.ant-modal')
    await dialog.getByText('确认 过路人 住在以下户中？').waitFor()
    await wp.getByTestId('provisional-household').click()
    // 第一网格 → 7 → 单元 → the first room.
    for (let level = 0; level < 3; level++) {
      await wp
        .locator(
          '.ant-select-tree-treenode:not(.ant-select-tree-treenode-switcher-open) .ant-select-tree-switcher_close',
        )
        .first()
        .click()
      await wp.waitForTimeout(400)
    }
    await wp
      .locator('.ant-select-tree-treenode')
      .filter({ has: wp.locator('.ant-select-tree-switcher-noop') })
      .first()
      .locator('.ant-select-tree-node-content-wrapper')
      .click()
    expect(await englishSentences(wp)).toEqual([])
    await wp.getByTestId('provisional-ok').click()
    await wp.getByRole('button', { name: '知道了' }).waitFor()
    expect(await wp.locator('.ant-modal-confirm').textContent()).toMatch(/已确认 过路人 入户/)
    expect(await englishSentences(wp)).toEqual([])
    await wp.getByRole('button', { name: '知道了' }).click()
    await expect.poll(() => row.count()).toBe(0)
    // Under 已确认入户 they are there, with the household.
    await wp.getByTestId('provisional-status').getByText('已确认入户').click()
    await wp
      .getByTestId('provisional-row')
      .filter({ hasText: '过路人' })
      .getByText('已确认入户')
      .first()
      .waitFor()
    await phoneChecks(wp, 'provisional-confirmed.png')
  }, 240_000)
})
