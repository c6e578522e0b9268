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
import { seedLeadWithBuilding } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** A local date in Shanghai, `days` from today: '2026-11-29'. */
function shanghaiDay(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + days * 86_400_000),
  )
}

describe.skipIf(!hasChromium)('measures in a browser', () => {
  it('a community lead puts a resident under a close-contact measure, sees the test days, records a check-in on a phone, is told in Chinese why the release must wait, and prints the 告知书', async () => {
    server = await startServer()
    const { admin, households } = await seedLeadWithBuilding(
      server.url,
      printedAdminPassword(server.output()),
      { building: '5', floors: [1, 2], roomsPerFloor: [1, 2] },
    )
    const first17 = '32010219850101123'
    await admin.call('POST', '/api/residents', {
      householdId: households[0]!.id,
      name: '张三',
      idNumber: first17 + idCheckCharacter(first17),
      residenceType: 'registered',
    })

    browser = await launchBrowser()
    const page = await browser.newPage()
    await page.goto(`${server.url}/registry`)
    await page.getByTestId('login-username').fill('lin.lead')
    await page.getByTestId('login-password').fill('Lead-Pass-2026')
    await page.getByTestId('login-submit').click()

    // The resident's page: no measure yet; start one (close contact, last exposure three days ago).
    const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
    await search.fill('张三')
    await search.press('Enter')
    await page.getByTestId('resident-table').getByText('张三').click()
    const measures = page.getByTestId('person-measures')
    await measures.getByText('当前没有管控措施。').waitFor()
    await measures.getByTestId('measure-start').click()
    const form = page.getByTestId('measure-start-form')
    await form.getByTestId('measure-category').click()
    await page.locator('.ant-select-item-option', { hasText: '密切接触者' }).click()
    // The rule of the profile in force (v9), before anything is saved.
    await form
      .getByTestId('measure-rule')
      .getByText(/集中隔离 7 天/)
      .waitFor()
    const anchor = form.getByTestId('measure-anchor')
    await anchor.click()
    await anchor.fill(`${shanghaiDay(-3)} 10:00`)
    await anchor.press('Enter')
    await page.getByTestId('measure-start-submit').click()
    await page.getByText('已开始管控').waitFor()

    // Day 3 of 7 + 3: the tests of days 1 and 2 missed, today's due, the rest planned.
    const card = measures.getByTestId('measure-card')
    await card
      .getByTestId('measure-days')
      .getByText(/第 3 天/)
      .waitFor()
    await card.getByText('今天需做核酸').waitFor()
    await expect
      .poll(() =>
        card
          .getByTestId('test-day')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))),
      )
      .toEqual(['missed', 'missed', 'due', 'planned', 'planned', 'planned'])
    await card.getByText('居家健康监测', { exact: false }).first().waitFor()
    await page.screenshot({ path: path.join(SHOTS, 'measures-person.png') })
    await page.keyboard.press('Escape')

    // The board on a phone: the person under their building, a check-in recorded from the row.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${server.url}/measures`)
    const board = page.getByTestId('measures-board')
    const row = board.getByTestId('board-row').filter({ hasText: '张三' })
    await row.waitFor()
    await row.getByText('今日需检测').waitFor()
    // A field screen: Chinese only, 44 px targets, nothing wider than the phone, no serious WCAG problem.
    expect(await englishSentences(page)).toEqual([])
    expect(await smallTouchTargets(page)).toEqual([])
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    expect(await accessibilityProblems(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'measures-board.png') })
    await row.getByTestId('board-checkin').click()
    await page.getByTestId('checkin-temperature').fill('36.6')
    await page.getByTestId('checkin-submit').click()
    await page.getByText('体温已登记').waitFor()
    // Today's tests owed: the same person on the 今日待检 list.
    await board.getByTestId('board-lists').getByText('今日待检').click()
    await board.getByTestId('board-row').filter({ hasText: '张三' }).waitFor()

    // Their page from the board: the reading is there; the release is refused, with why, in Chinese.
    await board.getByTestId('board-row').filter({ hasText: '张三' }).getByText('张三').click()
    const drawerCard = page.getByTestId('person-measures').getByTestId('measure-card')
    await drawerCard.getByTestId('measure-checkins').getByText('36.6 ℃').waitFor()
    await drawerCard.getByTestId('measure-release').click()
    const problems = page.getByTestId('release-problems')
    await problems.getByText(/尚未期满/).waitFor()
    // Days 1 and 2 were test days without a swab.
    await problems
      .getByText(/应检未检/)
      .first()
      .waitFor()
    expect(await page.getByTestId('release-submit').isDisabled()).toBe(true)
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'measures-release-refused.png') })
    await page.keyboard.press('Escape')
    await problems.waitFor({ state: 'detached' })

    // The 告知书: Chinese text, printable without the app around it.
    await drawerCard.getByTestId('measure-print-start').click()
    const sheet = page.getByTestId('notice-sheet')
    await sheet.getByText('张三', { exact: false }).first().waitFor()
    const text = (await sheet.textContent()) ?? ''
    expect(text).toContain('告知书')
    expect(text).toContain('密切接触者')
    expect(text).toContain('集中隔离')
    // The sheet's own sentences, in Chinese: the planned end and the closing words.
    expect(text).toMatch(/预计于 \d{4}年\d{1,2}月\d{1,2}日 期满/)
    expect(text).toContain('感谢您的理解、支持与配合')
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.ant-layout-header').isVisible()).toBe(false)
    expect(await page.getByTestId('notice-print').isVisible()).toBe(false)
    expect(await sheet.isVisible()).toBe(true)
    await page.screenshot({ path: path.join(SHOTS, 'measures-notice-print.png'), fullPage: true })

    // The home page counts them: one close contact under a measure, today's test owed.
    await page.emulateMedia({ media: 'screen' })
    await page.goto(`${server.url}/`)
    const home = page.getByTestId('home-measures')
    await home.getByText('密切接触者 1').waitFor()
    await home.getByText('今日核酸 已检/应检').waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
  })
})
