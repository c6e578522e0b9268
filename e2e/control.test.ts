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
import { apiLogin, seedLeadWithBuilding } from './api.js'
import { idCheckCharacter } from '../src/core/pii/identifiers.js'

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/screenshots')
let server: RunningServer | undefined
let browser: BrowserContext | undefined
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const NAMES = ['张伟', '王芳', '李娜']
/** A neighbour who was not in the pool: no recheck of her own. */
const NEIGHBOUR = '赵敏'
const POOL = 'T-20261202-0001'
const OFFLINE_TUBE = 'T-20261202-0002'
const RECHECK_TUBE = 'R-20261202-0001'

type Scanned = { results: { status: string; warnings: string[] }[] }

/** A lab's result file uploaded on the round page's 导入检测结果 tab; resolves once its report shows. */
async function importResults(page: Page, csv: string): Promise<void> {
  await page.getByRole('tab', { name: '导入检测结果' }).click()
  await page.getByTestId('results-lab').fill('市疾控中心')
  await page.locator('input[type=file]').setInputFiles({
    name: '结果.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  })
  await page.getByTestId('results-report').waitFor()
}

/** The resident's drawer from the registry search. */
async function openResident(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/registry`)
  const search = page.getByPlaceholder('姓名、拼音首字母、手机或证件尾号')
  await search.fill(name)
  await search.press('Enter')
  await page.getByTestId('resident-table').getByText(name).click()
}

describe.skipIf(!hasChromium)(
  'a pooled positive puts its members under control, in a browser',
  () => {
    it(
      'a lab file with a positive pool → the alert lists who and where → the members are flagged on the sampling screen before the tube and on their resident page → the round closes after its confirm → a door-to-door single tube after the close, swabbed on the sampling screen’s 复核 section → negative → the control ends',
      { timeout: 420_000 },
      async () => {
        server = await startServer()
        const url = server.url
        // Setup over HTTP: three residents of building 5 with codes, a 10-in-1 round, one pool of the three.
        const { admin, gridId, households } = await seedLeadWithBuilding(
          url,
          printedAdminPassword(server.output()),
          { building: '5', floors: [1, 2], roomsPerFloor: [1, 2] },
        )
        const codes: string[] = []
        for (const [i, name] of [...NAMES, NEIGHBOUR].entries()) {
          const first17 = `320102199001${11 + i}${201 + i * 2}`
          const r = await admin.call<{ resident: { id: string } }>('POST', '/api/residents', {
            householdId: households[i]!.id,
            name,
            idNumber: first17 + idCheckCharacter(first17),
            residenceType: 'registered',
          })
          codes.push(
            (await admin.call<{ token: string }>('POST', `/api/residents/${r.resident.id}/code`))
              .token,
          )
        }
        const lead = await apiLogin(url, 'lin.lead', 'Lead-Pass-2026')
        const round = await lead.call<{ id: string }>('POST', '/api/rounds', {
          name: '第一网格 全员核酸',
          kind: 'area',
          divisionIds: [gridId],
          deadline: new Date(Date.now() + 12 * 3_600_000).toISOString(),
          poolSize: 10,
        })
        const scan = (person: string, tube: string, i: number) => ({
          clientId: `e2e-control-${tube}-${i}`,
          person,
          tube,
          scannedAt: new Date().toISOString(),
        })
        const pooled = await lead.call<Scanned>('POST', `/api/rounds/${round.id}/scans`, {
          scans: codes.slice(0, NAMES.length).map((c, i) => scan(c, POOL, i)),
        })
        expect(pooled.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted'])
        await lead.call('POST', `/api/rounds/${round.id}/tubes/${POOL}/close`)

        // The lab's file, imported on the round page on a phone: the pool is positive.
        browser = await launchBrowser({ width: 390, height: 844 })
        const page = await browser.newPage()
        await page.goto(`${url}/rounds/${round.id}`)
        await page.getByTestId('login-username').fill('lin.lead')
        await page.getByTestId('login-password').fill('Lead-Pass-2026')
        await page.getByTestId('login-submit').click()
        await importResults(page, `管码,结果\n${POOL},阳性\n`)

        // The alert names who and where: expanded on the phone, each member with address, deadline and assignee.
        await page.goto(`${url}/alerts`)
        await page.getByTestId('alert-expand').first().click()
        const sheet = page.getByRole('dialog')
        await expect
          .poll(() => sheet.getByTestId('alert-line').count(), { timeout: 15_000 })
          .toBe(NAMES.length)
        for (const name of NAMES) await sheet.getByText(name, { exact: true }).waitFor()
        await sheet
          .getByText(/^复核截止：\d{4}/)
          .first()
          .waitFor()
        await sheet
          .getByText(/^负责人：/)
          .first()
          .waitFor()
        expect(await englishSentences(page)).toEqual([])
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
        expect(await accessibilityProblems(page)).toEqual([])
        await page.screenshot({ path: path.join(SHOTS, 'alert-expanded.png') })
        await page.keyboard.press('Escape')

        // The sampling screen: a member's code is scanned, and before any tube the banner says
        // temporary control, single tube, and the recheck's deadline.
        await page.goto(`${url}/sampling?round=${round.id}`)
        await page.getByTestId('scan-input').waitFor()
        await page.keyboard.type(codes[0]!)
        await page.keyboard.press('Enter')
        const banner = page.getByTestId('person-check')
        await banner.getByText(/^临时管控：须单管采样，复核截止 \d{4}/).waitFor()
        await banner.getByText('请使用单管（1人1管）：扫描一支新的试管条码').waitFor()
        await banner.getByText(/张\*/).waitFor()
        expect(await banner.getAttribute('data-single-tube')).toBe('true')
        // Nothing went up yet: the person waits for their own tube.
        expect(await page.getByTestId('queue-count').textContent()).toBe('待上传 0 条')
        expect(await englishSentences(page)).toEqual([])
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
        expect(await accessibilityProblems(page)).toEqual([])
        await page.screenshot({ path: path.join(SHOTS, 'sampling-controlled.png') })

        // Offline, another member: the scan still queues, the banner says it could not be checked,
        // and once back online the server's single-tube rule applies (it answers her recheck).
        expect(await page.evaluate('navigator.serviceWorker.ready.then((r) => !!r.active)')).toBe(
          true,
        )
        await page.reload()
        await page.getByTestId('scan-input').waitFor()
        await browser.setOffline(true)
        await page.keyboard.type(codes[1]!)
        await page.keyboard.press('Enter')
        await banner.getByText('离线，未能核验管控状态').waitFor()
        await page.keyboard.type(OFFLINE_TUBE)
        await page.keyboard.press('Enter')
        await expect
          .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 10_000 })
          .toBe('待上传 1 条')
        expect(await englishSentences(page)).toEqual([])
        await browser.setOffline(false)
        await expect
          .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 15_000 })
          .toBe('待上传 0 条')
        await page.getByTestId('scan-line').first().getByText('单管复核').waitFor()

        // Their resident page: under temporary control.
        await openResident(page, url, '张伟')
        await page
          .getByTestId('person-measures')
          .getByTestId('measure-card')
          .getByText('临时管控')
          .first()
          .waitFor()
        expect(await englishSentences(page)).toEqual([])
        await page.keyboard.press('Escape')

        // The round closes, after the dialog says what is still open.
        await page.goto(`${url}/rounds/${round.id}`)
        await page.getByTestId('round-close').click()
        await page
          .locator('.ant-popover')
          .getByRole('button', { name: /确\s*定/ })
          .click()
        const dialog = page.locator('.ant-modal-confirm')
        await dialog
          .locator('.ant-modal-confirm-title', { hasText: '本轮还有未完成的复核或未出结果的管' })
          .waitFor()
        // Three rechecks open (one swabbed, no result yet) and that swab's tube without a result.
        await dialog.getByText(/还有 3 条单管复核未完成、1 管没有检测结果/).waitFor()
        await dialog.getByRole('button', { name: '仍然结束' }).click()
        await page.getByText('已结束').first().waitFor()

        // The door-to-door recheck after the close, on the sampling screen: 临时管控 links to it, the
        // closed round is offered in the 复核 section with the two rechecks still to swab.
        await page.reload()
        await page.getByRole('tab', { name: '临时管控' }).click()
        await page.getByTestId('control-go-sample').click()
        await page.getByTestId('recheck-mode').waitFor()
        await page
          .getByTestId('sampling-round')
          .getByText('第一网格 全员核酸（已结束）· 待复核 2 人')
          .waitFor()
        await page.getByTestId('scan-input').waitFor()
        await page.keyboard.type(codes[0]!)
        await page.keyboard.press('Enter')
        await banner.getByText(/张\*/).waitFor()
        await page.keyboard.type(RECHECK_TUBE)
        await page.keyboard.press('Enter')
        await expect
          .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 15_000 })
          .toBe('待上传 0 条')
        const swabbed = page.getByTestId('scan-line').first()
        await swabbed.getByText('单管复核').waitFor()
        expect(await page.getByTestId('tube-count').textContent()).toBe('1 / 1')
        // The neighbour has no recheck: the closed round refuses her, saying why in Chinese.
        await page.keyboard.type(codes[3]!)
        await page.keyboard.press('Enter')
        await page.getByTestId('person-check').waitFor()
        await page.keyboard.type('R-20261202-0002')
        await page.keyboard.press('Enter')
        await page.getByTestId('scan-problem').getByText('本轮检测已结束，不能再采样').waitFor()
        await page
          .getByTestId('sampling-round')
          .getByText('第一网格 全员核酸（已结束）· 待复核 1 人')
          .waitFor()
        expect(await englishSentences(page)).toEqual([])
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
        expect(await accessibilityProblems(page)).toEqual([])
        await page.screenshot({ path: path.join(SHOTS, 'sampling-recheck-closed.png') })

        // Its negative single tube (and the offline one's) come back: their control ends.
        await page.goto(`${url}/rounds/${round.id}`)
        await importResults(page, `管码,结果\n${RECHECK_TUBE},阴性\n${OFFLINE_TUBE},阴性\n`)
        await page.getByRole('tab', { name: '临时管控' }).click()
        const table = page.getByTestId('control-table')
        const row = (name: string) => table.locator('tr, .ant-list-item').filter({ hasText: name })
        await row('张伟').getByText('已解除').first().waitFor()
        await row('王芳').getByText('已解除').first().waitFor()
        await row('李娜').getByText('管控中').first().waitFor()
        expect(await englishSentences(page)).toEqual([])
        await page.screenshot({ path: path.join(SHOTS, 'round-control-ended.png'), fullPage: true })

        await openResident(page, url, '张伟')
        await page.getByTestId('person-measures').getByText('当前没有管控措施。').waitFor()
        expect(await englishSentences(page)).toEqual([])
      },
    )
  },
)
