import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import {
  accessibilityProblems,
  englishSentences,
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  smallTouchTargets,
  startServer,
  type RunningServer,
} from './harness.js'
import { apiFirstLogin, seedLeadWithBuilding } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const shanghaiDay = (days: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + days * 86_400_000),
  )

describe.skipIf(!hasChromium)('checkpoint in a browser', () => {
  it('an arrival self-reports from the poster link on a phone, the gate desk confirms her, sees the proposed measure and starts it in her household', async () => {
    server = await startServer(
      process.env.WEIGUANG_WEB_DIST
        ? { env: { WEIGUANG_WEB_DIST: process.env.WEIGUANG_WEB_DIST } }
        : {},
    )
    const { admin, gridId } = await seedLeadWithBuilding(
      server.url,
      printedAdminPassword(server.output()),
      { building: '7', floors: [1, 1], roomsPerFloor: [1, 2] },
    )
    const grid = await admin.call<{ parentId: string }>('GET', `/api/divisions/${gridId}`)
    await admin.call('POST', '/api/users', {
      username: 'gao.lead',
      displayName: '高书记',
      role: 'community_lead',
      scopeDivisionIds: [grid.parentId],
      password: 'First-Pass-123',
    })
    await apiFirstLogin(server.url, 'gao.lead', 'First-Pass-123', 'Lead-Pass-2026')
    const cp = await admin.call<{ id: string; reportPath: string }>('POST', '/api/checkpoints', {
      communityId: grid.parentId,
      name: '东门卡口',
      location: '石鼓路东门',
    })

    // The poster's link on a phone, no login: the 报备 form.
    browser = await launchBrowser()
    const phone = await browser.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    await phone.goto(`${server.url}${cp.reportPath}`)
    await phone.getByText('石鼓路社区 · 东门卡口 来访报备').waitFor()
    await phone.getByLabel('姓名').fill('王来访')
    const first17 = '32010219900307002'
    await phone
      .getByLabel('证件号码')
      .fill(first17 + (idCheckCharacter(first17) === '0' ? '1' : '0'))
    await phone.getByLabel('手机号码').fill('13912345678')
    await phone.getByLabel('来源地类别').click()
    await phone.locator('.ant-select-item-option', { hasText: /^高风险区$/ }).click()
    await phone.getByLabel('来源地', { exact: true }).fill('某省某市某区')
    await phone.getByTestId('add-place').click()
    await phone.getByLabel('地点1', { exact: true }).fill('火星市某街道')
    await phone.getByLabel('地点1的日期').fill(shanghaiDay(-2))
    await phone.getByTestId('report-submit').click()
    // A wrong check character is refused as typed, on its field.
    await phone
      .getByText(/校验位不对/)
      .first()
      .waitFor()
    await phone.getByLabel('证件号码').fill(first17 + idCheckCharacter(first17))
    expect(await englishSentences(phone)).toEqual([])
    expect(await smallTouchTargets(phone)).toEqual([])
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    expect(await accessibilityProblems(phone)).toEqual([])
    await phone.getByTestId('report-submit').click()
    const reference = (await phone.getByTestId('report-reference').textContent())!.trim()
    expect(reference).toMatch(/^[A-Z2-9]{8}$/)
    await phone.getByTestId('report-qr').waitFor()
    await phone.screenshot({ path: path.join(SHOTS, 'checkpoint-self-report.png') })

    // The gate desk on a phone: the wedge scanner types the reference and Enter.
    const desk = await browser.newPage()
    await desk.setViewportSize({ width: 390, height: 844 })
    await desk.goto(`${server.url}/checkpoints/${cp.id}/desk`)
    await desk.getByTestId('login-username').fill('gao.lead')
    await desk.getByTestId('login-password').fill('Lead-Pass-2026')
    await desk.getByTestId('login-submit').click()
    const scan = desk.getByPlaceholder('扫描或输入报备码')
    await scan.fill(reference.toLowerCase())
    await scan.press('Enter')
    const card = desk.getByTestId('desk-arrival')
    await card.getByText('待确认').waitFor()
    // Where she will live: grid, building, unit, room.
    await desk.getByTestId('desk-household').click()
    // Each column loads when the one before is opened: pick inside its own column, so a click
    // never lands on the previous column while the next is still loading.
    const column = (n: number) => desk.locator('.ant-cascader-menu').nth(n)
    await column(0).locator('.ant-cascader-menu-item', { hasText: '第一网格' }).click()
    await column(1).locator('.ant-cascader-menu-item').first().click()
    await column(2).locator('.ant-cascader-menu-item').first().click()
    await column(3).locator('.ant-cascader-menu-item').last().click()
    // Choosing the room closes the menu and shows the whole path in the field.
    await desk.locator('.ant-cascader-dropdown').waitFor({ state: 'hidden' })
    await desk
      .getByTestId('desk-household')
      .getByText(/第一网格/)
      .waitFor()
    await desk.getByTestId('desk-confirm').click()
    await desk
      .getByTestId('desk-proposal')
      .getByText(/拟采取措施/)
      .waitFor()
    // The place no list knows is kept and flagged for a person.
    await card.getByText(/以下地点未能匹配风险区名单.*火星市某街道/).waitFor()
    expect(await englishSentences(desk)).toEqual([])
    expect(await accessibilityProblems(desk)).toEqual([])
    await desk.getByTestId('desk-start').click()
    await card.getByText(/已启动/).waitFor()
    await desk.screenshot({ path: path.join(SHOTS, 'checkpoint-desk.png') })

    // The measure is on the person in the registry's household: the board shows her.
    await desk.goto(`${server.url}/measures`)
    await desk.getByTestId('measures-board').getByText('王来访').first().waitFor()
  }, 240_000)
})
