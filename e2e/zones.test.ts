import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import {
  englishSentences,
  hasChromium,
  launchBrowser,
  printedAdminPassword,
  startServer,
  type RunningServer,
} from './harness.js'
import { apiLogin, seedLeadWithBuilding } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'
import { addDays, localDate, startOfLocalDay } from '../src/core/clock.js'

/**
 * A community lead on a 390 px phone (issue 11): a building sealed as 高风险区 shows on the home
 * page's 风险区 card with its countdown; on the area page 发起本区域核酸 opens the area's round,
 * whose page says it pools 封控区 单户一管; pressed again, the same round opens (no second one).
 * And an area drawn 7 days ago as 中风险区: its countdown waits for the day-7 round; the round is
 * started from the area page, swabbed and its negative lab file imported on the round page; the
 * countdown then says it may be lowered, the lead lowers it to 低风险区 and lifts it, and the
 * history records both decisions with their reasons.
 */

let server: RunningServer | undefined
let browser: BrowserContext | undefined
let phone: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await phone?.close()
  await server?.stop()
})

describe.skipIf(!hasChromium)('risk areas in a browser', () => {
  let seeded: Awaited<ReturnType<typeof seedLeadWithBuilding>>
  beforeAll(async () => {
    server = await startServer(
      process.env.WEIGUANG_WEB_DIST
        ? { env: { WEIGUANG_WEB_DIST: process.env.WEIGUANG_WEB_DIST } }
        : {},
    )
    seeded = await seedLeadWithBuilding(server.url, printedAdminPassword(server.output()), {
      building: '3',
      floors: [1, 2],
      roomsPerFloor: [1, 2],
    })
  }, 120_000)

  it('a lead sees a sealed building on the home page, starts its round at one tube per household, and a second press opens the same round', async () => {
    const { admin, households } = seeded
    const first17 = '32010219800101001'
    await admin.call('POST', '/api/residents', {
      householdId: households[0]!.id,
      name: '陈封控',
      idNumber: first17 + idCheckCharacter(first17),
      residenceType: 'registered',
    })
    const lead = await apiLogin(server!.url, 'lin.lead', 'Lead-Pass-2026')
    const area = await lead.call<{ id: string }>('POST', '/api/zones/areas', {
      name: '3栋封控',
      level: 'high',
      reason: '出现阳性病例',
      extents: households.map((h) => ({ kind: 'household', id: h.id })),
    })

    browser = await launchBrowser()
    const page = await browser.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${server!.url}/`)
    await page.getByTestId('login-username').fill('lin.lead')
    await page.getByTestId('login-password').fill('Lead-Pass-2026')
    await page.getByTestId('login-submit').click()
    const card = page.getByTestId('home-zones')
    await card.getByText('3栋封控').waitFor()
    await expect(card.getByTestId('home-zones-levels').textContent()).resolves.toMatch(/1/)

    await card.getByText('3栋封控').click()
    await page.waitForURL(`**/zones/${area.id}`)
    await page.getByTestId('zone-start-round').click()
    await page.waitForURL('**/rounds/*')
    const roundUrl = page.url()
    await page.getByTestId('round-pool').getByText('封控区 单户一管').waitFor()
    expect(await englishSentences(page)).toEqual([])

    await page.goto(`${server!.url}/zones/${area.id}`)
    await page.getByTestId('zone-start-round').click()
    await page.getByText(/今天本区域的核酸已发起/).waitFor()
    await page.waitForURL('**/rounds/*')
    expect(page.url()).toBe(roundUrl)
  })

  it('an area drawn 7 days ago as 中风险区 waits for its day-7 round; once the round is negative the lead lowers it and lifts it, and the history records both', async () => {
    const url = server!.url
    const { admin, gridId } = seeded
    await admin.call('POST', '/api/buildings/layout', {
      gridId,
      building: '8',
      units: [1, 1],
      floors: [1, 1],
      roomsPerFloor: [1, 1],
    })
    const b = (
      await admin.call<{ items: { id: string; name: string }[] }>(
        'GET',
        `/api/grids/${gridId}/buildings`,
      )
    ).items.find((x) => x.name.startsWith('8'))!
    const u = (await admin.call<{ items: { id: string }[] }>('GET', `/api/buildings/${b.id}/units`))
      .items[0]!
    const [home] = (
      await admin.call<{ items: { id: string }[] }>('GET', `/api/units/${u.id}/households`)
    ).items
    const first17 = '32010219750505002'
    const resident = await admin.call<{ resident: { id: string } }>('POST', '/api/residents', {
      householdId: home!.id,
      name: '吴管控',
      idNumber: first17 + idCheckCharacter(first17),
      residenceType: 'registered',
    })
    const code = (
      await admin.call<{ token: string }>('POST', `/api/residents/${resident.resident.id}/code`)
    ).token
    // Drawn at 10:00 local seven days ago: today is its day 7.
    const zone = 'Asia/Shanghai'
    const started = new Date(
      startOfLocalDay(addDays(localDate(new Date(), zone), -7), zone).getTime() + 10 * 3_600_000,
    )
    const lead = await apiLogin(url, 'lin.lead', 'Lead-Pass-2026')
    const area = await lead.call<{ id: string }>('POST', '/api/zones/areas', {
      name: '8栋管控',
      level: 'medium',
      reason: '密接居住',
      startedAt: started.toISOString(),
      extents: [{ kind: 'household', id: home!.id }],
    })

    phone = await launchBrowser({ width: 390, height: 844 })
    const page = await phone.newPage()
    await page.goto(`${url}/zones/${area.id}`)
    await page.getByTestId('login-username').fill('lin.lead')
    await page.getByTestId('login-password').fill('Lead-Pass-2026')
    await page.getByTestId('login-submit').click()
    const countdown = page.getByTestId('zone-page-countdown')
    // Seven clean days, but no negative round on day 7 yet.
    await countdown.getByText(/第 7 天（.*）区域全员核酸检测阴性/).waitFor()
    await expect(countdown.textContent()).resolves.not.toMatch(/已满足降级条件/)

    await page.getByTestId('zone-start-round').click()
    await page.waitForURL('**/rounds/*')
    const roundId = page.url().split('/rounds/')[1]!.split(/[?#]/)[0]!
    const TUBE = 'Z8000001'
    await lead.call('POST', `/api/rounds/${roundId}/scans`, {
      scans: [
        {
          clientId: 'e2e-zones-lift-1',
          person: code,
          tube: TUBE,
          scannedAt: new Date().toISOString(),
        },
      ],
    })
    await lead.call('POST', `/api/rounds/${roundId}/tubes/${TUBE}/close`)
    // The lab's negative file on the round page.
    await page.getByRole('tab', { name: '导入检测结果' }).click()
    await page.getByTestId('results-lab').fill('市疾控中心')
    await page.locator('input[type=file]').setInputFiles({
      name: '结果.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`管码,结果\n${TUBE},阴性\n`),
    })
    await page.getByTestId('results-report').waitFor()

    await page.goto(`${url}/zones/${area.id}`)
    await countdown.getByText('已满足降级条件').waitFor()
    await page.getByTestId('zone-lower').click()
    await page.getByTestId('zone-action-reason').fill('连续7天无新增，第7天核酸阴性')
    // Eligible: no reason against the checks is asked for.
    await expect(page.getByTestId('zone-action-override').count()).resolves.toBe(0)
    await page.getByTestId('zone-action-ok').click()
    await page.getByTestId('zone-level').getByText('低风险区').waitFor()
    await page
      .getByTestId('zone-event')
      .filter({ hasText: /调整等级 · 中风险区 → 低风险区/ })
      .getByText('连续7天无新增，第7天核酸阴性')
      .waitFor()

    await page.getByTestId('zone-lift').click()
    await page.getByTestId('zone-action-reason').fill('恢复常态管理')
    await page.getByTestId('zone-action-ok').click()
    await countdown.waitFor({ state: 'detached' })
    await page.getByText('已解除').first().waitFor()
    const events = page.getByTestId('zone-event')
    await expect(events.count()).resolves.toBe(3)
    await expect(events.first().textContent()).resolves.toMatch(/解除.*恢复常态管理.*lin\.lead/)
    expect(await englishSentences(page)).toEqual([])
    // Measured once the dialog has gone (while it closes, antd locks the page's scroll).
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  }, 240_000)
})
