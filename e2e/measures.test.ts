import crypto from 'node:crypto'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
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
import { seedLeadWithBuilding, type ApiSession } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
const browsers: BrowserContext[] = []
const servers: RunningServer[] = []
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  for (const b of browsers) await b.close()
  for (const s of servers) await s.stop()
})

/** A synthetic resident ID with a correct check character. */
const idNumber = (first17: string): string => first17 + idCheckCharacter(first17)

/** Logs a browser page in at `path`. */
async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Opens a resident's page from the registry search. */
async function openResident(page: Page, name: string): Promise<void> {
  const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
  await search.fill(name)
  await search.press('Enter')
  await page.getByTestId('resident-table').getByText(name).click()
}

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
    // Nobody under temporary control: no recheck is late or near its deadline.
    await home.getByTestId('ind-recheck-overdue').getByText('0').waitFor()
    await home.getByTestId('ind-recheck-next').getByText('无').waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
  })

  /** The server, the lead's households and the admin's session of the profile-switch journey, for the door sensors after it. */
  let switched:
    { server: RunningServer; admin: ApiSession; households: { id: string }[] } | undefined

  it('a close contact started under v9 keeps its 7 + 3 days after the switch to opt20 and says so; a new close contact gets opt20’s 5 + 3', async () => {
    const srv = await startServer()
    servers.push(srv)
    const { admin, households } = await seedLeadWithBuilding(
      srv.url,
      printedAdminPassword(srv.output()),
      { building: '6', floors: [1, 2], roomsPerFloor: [1, 2] },
    )
    switched = { server: srv, admin, households }
    const zhang = await admin.call<{ resident: { id: string } }>('POST', '/api/residents', {
      householdId: households[0]!.id,
      name: '张三',
      idNumber: idNumber('32010219850101123'),
      residenceType: 'registered',
    })
    await admin.call('POST', '/api/residents', {
      householdId: households[1]!.id,
      name: '李四',
      idNumber: idNumber('32010219900202224'),
      residenceType: 'registered',
    })
    // 张三: a close contact under v9 (the profile in force at the deployment's start), exposed three days ago.
    const exposure = new Date(`${shanghaiDay(-3)}T10:00:00+08:00`).toISOString()
    await admin.call('POST', '/api/measures', {
      residentId: zhang.resident.id,
      category: 'close_contact',
      anchorAt: exposure,
    })

    const ctx = await launchBrowser()
    browsers.push(ctx)
    const page = await ctx.newPage()
    // The administrator switches the profile on the 防控策略 screen, from today.
    await logIn(page, `${srv.url}/policy`, 'admin', 'Strong-Root-Pass-1')
    const inForce = page.getByTestId('policy-in-force')
    await inForce.getByText('(v9)').waitFor()
    await page.getByTestId('policy-page').getByRole('button', { name: '切换配置' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('配置').click()
    await page.locator('.ant-select-item-option', { hasText: 'opt20' }).click()
    await dialog.locator('textarea').fill('执行优化防控二十条')
    await dialog.getByRole('button', { name: '切换配置' }).click()
    // Asked once more, with the date and that it is audited.
    await page.getByText('此操作记入审计日志').waitFor()
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '切换配置' }).click()
    await page.getByText('已切换').waitFor()
    await inForce.getByText('(opt20)').waitFor()

    // A new close contact: the form gives opt20's rule before anything is saved.
    await page.goto(`${srv.url}/registry`)
    await openResident(page, '李四')
    const measures = page.getByTestId('person-measures')
    await measures.getByTestId('measure-start').click()
    const form = page.getByTestId('measure-start-form')
    await form.getByTestId('measure-category').click()
    await page.locator('.ant-select-item-option', { hasText: '密切接触者' }).click()
    const rule = form.getByTestId('measure-rule')
    await rule.getByText(/集中隔离 5 天/).waitFor()
    expect(await rule.textContent()).toContain('居家隔离 3 天')
    const anchor = form.getByTestId('measure-anchor')
    await anchor.click()
    await anchor.fill(`${shanghaiDay(-3)} 10:00`)
    await anchor.press('Enter')
    await page.getByTestId('measure-start-submit').click()
    await page.getByText('已开始管控').waitFor()
    const fresh = measures.getByTestId('measure-card')
    // Day 3 of 5 + 3: five days left (the home without a single room makes its second phase centralized too).
    await fresh
      .getByTestId('measure-days')
      .getByText(/第 3 天 · 还剩 5 天/)
      .waitFor()
    // opt20's test days: 1, 2, 3, 5, then days 1 and 3 of the second phase (6 and 8); no monitoring phase.
    const freshText = (await fresh.textContent()) ?? ''
    expect(freshText).toContain('第 6 天 · 待检')
    expect(freshText).toContain('第 8 天 · 待检')
    expect(freshText).not.toContain('第 10 天')
    expect(freshText).not.toContain('居家健康监测')
    expect(await fresh.getByTestId('measure-profile-changed').count()).toBe(0)
    expect(await englishSentences(page)).toEqual([])
    await page.goto(`${srv.url}/registry`)

    // The old one keeps v9's 7 + 3 and says it follows the profile it started under.
    await openResident(page, '张三')
    const kept = page.getByTestId('person-measures').getByTestId('measure-card')
    await kept
      .getByTestId('measure-days')
      .getByText(/第 3 天 · 还剩 7 天/)
      .waitFor()
    const note = kept.getByTestId('measure-profile-changed')
    await note.waitFor()
    const said = (await note.textContent()) ?? ''
    expect(said).toContain('按开始时的方案（第九版防控方案）执行')
    expect(said).toContain('现行方案为 优化防控二十条')
    await kept.getByText('居家健康监测', { exact: false }).first().waitFor()
    // v9's test days: 1, 2, 3, 5, 7 and day 3 of the monitoring (day 10).
    expect(await kept.textContent()).toContain('第 10 天 · 待检')
    expect(await englishSentences(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'measures-profile-switch.png') })
  })

  it('a community lead registers a door sensor on a phone, keeps its secret shown once, sees the door opening of a household under a measure, and rotates the secret', async () => {
    if (!switched) throw new Error('needs the profile-switch journey above')
    const { server: srv, households } = switched
    const ctx = await launchBrowser({ width: 390, height: 844 })
    browsers.push(ctx)
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url })
    const page = await ctx.newPage()
    await logIn(page, `${srv.url}/measures`, 'lin.lead', 'Lead-Pass-2026')
    await page.getByTestId('board-doors').click()
    const screen = page.getByTestId('door-sensors-page')
    await screen.getByText('本范围内没有登记的门磁', { exact: false }).waitFor()

    await page.getByTestId('door-register').click()
    const form = page.getByTestId('door-register-form')
    await form.getByTestId('door-device-id').fill('MC-0601')
    await form.getByTestId('door-grid').click()
    // The household picker offers the grid's buildings once they have loaded: open it after that.
    const buildings = page.waitForResponse(
      (r) => /\/api\/grids\/[^/]+\/buildings/.test(r.url()) && r.ok(),
    )
    await page.locator('.ant-select-tree-title', { hasText: '第一网格' }).click()
    await buildings
    await form.getByTestId('door-household').click()
    await page
      .locator('.ant-cascader-menu')
      .nth(0)
      .locator('.ant-cascader-menu-item')
      .first()
      .click()
    await page
      .locator('.ant-cascader-menu')
      .nth(1)
      .locator('.ant-cascader-menu-item')
      .first()
      .click()
    await page
      .locator('.ant-cascader-menu')
      .nth(2)
      .locator('.ant-cascader-menu-item', { hasText: '101' })
      .click()
    await page.getByTestId('door-register-submit').click()

    // The secret, once: a warning that it will not be shown again, and a copy button.
    const secretBox = page.getByTestId('door-secret-value')
    await secretBox.waitFor()
    const secret = ((await secretBox.textContent()) ?? '').trim()
    expect(secret).toMatch(/^wgdoor_[\w-]{40,}$/)
    expect(await page.getByTestId('door-secret-warning').textContent()).toContain(
      '密钥只显示这一次',
    )
    await page.getByTestId('door-secret-copy').click()
    await page.getByText(/已复制|密钥已选中/).waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'door-secret.png') })
    await page.getByTestId('door-secret-done').click()
    await secretBox.waitFor({ state: 'detached' })

    // Listed without its secret: active, the household is under a measure (张三), nothing heard yet.
    const row = screen.getByTestId('door-sensor').filter({ hasText: 'MC-0601' })
    await row.getByText('启用中').waitFor()
    await row.getByText('住户在管').waitFor()
    await row.getByText('尚未收到门磁消息').waitFor()
    expect(await screen.textContent()).not.toContain(secret)

    // The device reports the door opening, signed with the secret it was given.
    const post = (key: string, eventId: string) => {
      const body = JSON.stringify({
        deviceId: 'MC-0601',
        householdId: households[0]!.id,
        event: 'open',
        at: new Date().toISOString(),
        eventId,
      })
      const ts = String(Math.floor(Date.now() / 1000))
      const mac = crypto.createHmac('sha256', key).update(`${ts}.${body}`).digest('hex')
      return fetch(`${srv.url}/api/measures/doors/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wg-timestamp': ts,
          'x-wg-signature': `sha256=${mac}`,
        },
        body,
      })
    }
    expect((await post(secret, 'ev-1')).status).toBe(200)
    await page.reload()
    await row
      .getByTestId('door-last-event')
      .getByText(/最近：开门/)
      .waitFor()
    const events = page.getByTestId('door-events')
    await events.getByTestId('door-event').filter({ hasText: '开门' }).first().waitFor()
    expect(await events.textContent()).toContain('MC-0601')
    // A field screen on a phone: Chinese only, 44 px targets, no sideways scroll, no serious WCAG problem.
    expect(await englishSentences(page)).toEqual([])
    expect(await smallTouchTargets(page)).toEqual([])
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    expect(await accessibilityProblems(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'door-sensors.png'), fullPage: true })

    // A new secret, shown once again; the old one no longer signs.
    await row.getByTestId('door-rotate').click()
    await page.getByText('旧密钥立即失效', { exact: false }).waitFor()
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '更换密钥' }).click()
    await secretBox.waitFor()
    const next = ((await secretBox.textContent()) ?? '').trim()
    expect(next).toMatch(/^wgdoor_/)
    expect(next).not.toBe(secret)
    await page.getByTestId('door-secret-done').click()
    expect((await post(secret, 'ev-2')).status).toBe(401)
    expect((await post(next, 'ev-3')).status).toBe(200)
  })
})
