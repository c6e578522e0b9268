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
import { apiFirstLogin, seedLeadWithBuilding, type ApiSession } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
let shared: { admin: ApiSession; gridId: string; page: Page } | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const NAMES = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄勇',
  '周杰',
  '吴霞',
  '徐峰',
  '孙丽',
]

describe.skipIf(!hasChromium)('sampling on a phone', () => {
  it('a community lead opens a round, scans ten residents into a 10-in-1 tube with a wedge scanner, the tube closes, an offline scan syncs once, and the missed list shrinks', async () => {
    server = await startServer()
    // A community lead, and twelve residents in building 5 with their sampling codes.
    const {
      admin,
      gridId,
      households: hs,
    } = await seedLeadWithBuilding(server.url, printedAdminPassword(server.output()), {
      building: '5',
      floors: [1, 3],
      roomsPerFloor: [1, 2],
    })
    const codes: string[] = []
    for (const [i, name] of NAMES.entries()) {
      const first17 = `320102198${i % 10}0101${String(101 + i * 2).padStart(3, '0')}`
      const r = await admin.call<{ resident: { id: string } }>('POST', '/api/residents', {
        householdId: hs[i % hs.length]!.id,
        name,
        idNumber: first17 + idCheckCharacter(first17),
        residenceType: 'registered',
      })
      codes.push(
        (await admin.call<{ token: string }>('POST', `/api/residents/${r.resident.id}/code`)).token,
      )
    }

    browser = await launchBrowser({ width: 390, height: 844 })
    const page = await browser.newPage()
    await page.goto(`${server.url}/rounds`)
    await page.getByTestId('login-username').fill('lin.lead')
    await page.getByTestId('login-password').fill('Lead-Pass-2026')
    await page.getByTestId('login-submit').click()

    // Open a 10-in-1 round for the grid.
    await page.getByTestId('open-round').click()
    await page.getByTestId('round-scope').click()
    await page.locator('.ant-select-tree').getByText('第一网格').click()
    await page.getByTestId('round-name').click()
    await page.locator('.ant-modal').getByRole('button', { name: '开 启' }).click()
    await page.getByTestId('stat-missed').getByText('12').waitFor()

    // The sampling screen, driven only by the keyboard as a wedge scanner drives it.
    await page.goto(`${server.url}/sampling`)
    const input = page.getByTestId('scan-input')
    await input.waitFor()
    // A screen for a phone outdoors: Chinese only, every control a 44 px target, no serious WCAG problem.
    expect(await englishSentences(page)).toEqual([])
    expect(await smallTouchTargets(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.keyboard.type(codes[0]!)
    await page.keyboard.press('Enter')
    await page.keyboard.type('T-20261129-0001')
    await page.keyboard.press('Enter')
    for (const code of codes.slice(1, 10)) {
      await page.keyboard.type(code)
      await page.keyboard.press('Enter')
    }
    await page.getByTestId('tube-closed').waitFor()
    await expect.poll(() => page.getByTestId('tube-count').textContent()).toBe('10 / 10')
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toBe('待上传 0 条')
    await page.getByTestId('scan-line').first().getByText('满管已封').waitFor()

    // The network drops: the eleventh scan waits on the device, then goes up once. The phone
    // has the offline shell by now (web/sw.template.js), so even a reload with no network
    // opens the sampling screen with the scan still queued.
    expect(await page.evaluate('navigator.serviceWorker.ready.then((r) => !!r.active)')).toBe(true)
    await browser.setOffline(true)
    await page.keyboard.type(codes[10]!)
    await page.keyboard.press('Enter')
    await page.keyboard.type('T-20261129-0002')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 10_000 })
      .toBe('待上传 1 条')
    await page.reload()
    await page.getByTestId('scan-input').waitFor()
    await page.getByTestId('sampling-round').getByText('第一网格 全员核酸').waitFor()
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 10_000 })
      .toBe('待上传 1 条')
    await page.screenshot({ path: path.join(SHOTS, 'sampling-offline.png') })
    await browser.setOffline(false)
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 15_000 })
      .toBe('待上传 0 条')
    await expect.poll(() => page.getByTestId('tube-count').textContent()).toBe('1 / 10')

    // The round's missed-test list is down to the one resident nobody sampled.
    await page.goto(`${server.url}/rounds`)
    await page.getByText('全员核酸').first().click()
    await page.getByTestId('stat-missed').getByText('1', { exact: true }).waitFor()
    await page.getByTestId('missed-table').getByText('孙丽').waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await smallTouchTargets(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    await page.screenshot({ path: path.join(SHOTS, 'round-phone.png'), fullPage: true })
    // The lab's file comes back: the first tube negative, and a tube this round never had. The
    // report and its refused row are in Chinese, and the results tab passes axe-core too.
    await page.getByRole('tab', { name: '导入检测结果' }).click()
    await page.getByTestId('results-lab').fill('市疾控中心')
    await page.locator('input[type=file]').setInputFiles({
      name: '结果.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('管码,结果\nT-20261129-0001,阴性\nT-20261129-9999,阴性\n'),
    })
    await page.getByTestId('results-report').waitFor()
    await page.getByText('T-20261129-9999').waitFor()
    expect(await englishSentences(page)).toEqual([])
    expect(await accessibilityProblems(page)).toEqual([])
    const specimens = await admin.call<{ counters: { specimens: number } }>(
      'GET',
      `/api/rounds/${(await admin.call<{ items: { id: string }[] }>('GET', '/api/rounds')).items[0]!.id}/progress`,
    )
    expect(specimens.counters.specimens).toBe(11)

    shared = { admin, gridId, page }
  })

  it('on the same phone, a sampler is one tap from the open round, a resident meets no uncaught error, and a refused card says so', async () => {
    if (!shared || !server) throw new Error('runs after the round journey above')
    const { admin, gridId, page } = shared
    // Other roles on the same phone: the sampler is one tap from the open round, the resident's
    // home page raises no uncaught error and says what they can do now, and a card whose request
    // was refused says so in Chinese instead of "暂无数据".
    for (const [username, role] of [
      ['wu.sampler', 'sampler'],
      ['li.resident', 'resident'],
      ['he.command', 'command'],
    ] as const) {
      await admin.call('POST', '/api/users', {
        username,
        displayName: username,
        role,
        scopeDivisionIds: [gridId],
        password: 'First-Pass-123',
      })
      await apiFirstLogin(server.url, username, 'First-Pass-123', 'Other-Role-Pass-7')
    }
    const pageErrors: string[] = []
    const asRole = async (
      username: string,
      at: string,
      password = 'Other-Role-Pass-7',
    ): Promise<void> => {
      await browser!.clearCookies()
      await page.goto(`${server!.url}${at}`)
      await page.getByTestId('login-username').fill(username)
      await page.getByTestId('login-password').fill(password)
      await page.getByTestId('login-submit').click()
    }
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await asRole('wu.sampler', '/')
    await page.getByTestId('start-sampling').click()
    await page.getByTestId('scan-input').waitFor()
    expect(new URL(page.url()).pathname).toBe('/sampling')
    await page.getByTestId('sampling-round').getByText('第一网格 全员核酸').waitFor()
    // At 390 px the header is one row and the menu button sits in it, not over the content.
    const header = (await page.locator('.ant-layout-header').boundingBox())!
    const trigger = (await page.locator('.ant-layout-sider-zero-width-trigger').boundingBox())!
    const content = (await page.locator('.ant-layout-content').boundingBox())!
    expect(header.height).toBeLessThanOrEqual(64)
    expect(trigger.y + trigger.height).toBeLessThanOrEqual(content.y)
    await asRole('li.resident', '/')
    await page.getByTestId('home-now').getByText('修改密码').waitFor()
    expect(await page.getByText('将在对应功能上线后').count()).toBe(0)
    await asRole('he.command', '/rounds')
    await page.getByText('您没有查看此内容的权限').waitFor()
    expect(pageErrors).toEqual([])

    // A lead picks 已在外地检测 for the one missed resident and cancels the note: nothing is recorded, the select shows none.
    await asRole('lin.lead', '/rounds', 'Lead-Pass-2026')
    await page.getByText('全员核酸').first().click()
    const reason = page.getByTestId('missed-table').getByTestId('missed-reason').first()
    await reason.click()
    page.once('dialog', (d) => void d.dismiss())
    await page.locator('.ant-select-dropdown:visible').getByText('已在外地检测').click()
    await reason.getByText('登记原因').waitFor()
    expect(await reason.getByText('已在外地检测').count()).toBe(0)
  })
})
