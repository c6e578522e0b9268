import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { addDays, localDate } from '../core/clock.js'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { classifyArrival, classifyArrivals } from './arrivals.service.js'

let t: TestApp
let chain: Chain
let command: Client
let lead: Client
let gate: Client
const today = localDate(new Date())
const daysAgo = (n: number) => addDays(today, -n)

const boundary = 'wgh4'
const upload = (c: Client, name: string, content: Buffer) =>
  t.app.inject({
    method: 'POST',
    url: '/api/arrivals/external-areas/import',
    headers: {
      cookie: c.cookie,
      'x-csrf-token': c.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  })

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  command = await loginAs(t, (await buildUser(t, 'command', [chain.district])).username)
  lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  gate = await loginAs(t, (await buildUser(t, 'checkpoint', [chain.community])).username)
})
afterAll(async () => t?.close())

const csv = [
  '省,市,区（县）,街道（乡镇）,小区（村）,风险等级,起始日期,解除日期,来源',
  `江苏省,南京市,鼓楼区,湖南路街道,幸福里小区,高风险,${daysAgo(5)},,南京市卫健委`,
  `上海市,上海市,浦东新区,花木街道,,中风险,${daysAgo(3).replaceAll('-', '/')},,上海发布`,
  `广东省,广州市,海珠区,,,低风险,${daysAgo(20)},${daysAgo(10)},`,
  `四川省,成都市,,,,特高,${daysAgo(2)},,`,
  `河南省,郑州市,金水区,,,高,${daysAgo(1)},not a day,`,
  `,,,,,高,${daysAgo(1)},,`,
].join('\r\n')

describe('external risk-area list', () => {
  it('imports a GBK csv: good rows kept, bad rows named by row and field; the same file again updates, never duplicates', async () => {
    const first = await upload(command, '风险区.csv', iconv.encode(csv, 'gbk'))
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toMatchObject({ rows: 6, inserted: 3, updated: 0 })
    expect(first.json().rejected).toEqual([
      { row: 5, field: 'level', code: 'EXTERNAL_ROW_LEVEL', text: '' },
      { row: 6, field: 'validTo', code: 'EXTERNAL_ROW_DATE', text: '金水区' },
      { row: 7, field: 'place', code: 'EXTERNAL_ROW_NAMES_MISSING', text: '' },
    ])
    const again = await upload(command, '风险区.csv', iconv.encode(csv, 'gbk'))
    expect(again.json()).toMatchObject({ rows: 6, inserted: 0, updated: 3 })
    const [n] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from external_risk_area`,
    )
    expect(n!.n).toBe(3)

    const list = (await gate.get('/api/arrivals/external-areas')).json()
    expect(list.active).toBe(2)
    const nj = list.items.find((i: { city: string }) => i.city === '南京市')
    expect(nj).toMatchObject({
      district: '鼓楼区',
      place: '幸福里小区',
      level: 'high',
      validFrom: daysAgo(5),
      validTo: null,
      status: 'active',
      source: '南京市卫健委',
    })
    const gz = list.items.find((i: { city: string }) => i.city === '广州市')
    expect(gz.status).toBe('ended')
    const ended = (await gate.get('/api/arrivals/external-areas?status=ended')).json()
    expect(ended.items.map((i: { city: string }) => i.city)).toEqual(['广州市'])
    const q = (
      await gate.get(`/api/arrivals/external-areas?q=${encodeURIComponent('浦东')}`)
    ).json()
    expect(q.items.map((i: { street: string }) => i.street)).toEqual(['花木街道'])
  })

  it('imports an xlsx with the same columns; a re-import after a level change updates the entry', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    ws.addRow(['外地中高风险区名单'])
    ws.addRow(['省', '市', '区', '街道', '小区', '等级', '起始日期'])
    ws.addRow(['上海', '上海', '浦东新区', '花木街道', '', '高风险', daysAgo(3)])
    ws.addRow(['浙江省', '温州市', '鹿城区', '五马街道', '', '中', daysAgo(1)])
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    const res = await upload(command, 'list.xlsx', buf)
    expect(res.statusCode, res.body).toBe(200)
    // 上海 / 上海 / 浦东新区 is the same area as 上海市 / 上海市 / 浦东新区 of the csv.
    expect(res.json()).toMatchObject({ rows: 2, inserted: 1, updated: 1, rejected: [] })
    const sh = (
      await gate.get(`/api/arrivals/external-areas?q=${encodeURIComponent('花木')}`)
    ).json()
    expect(sh.items).toHaveLength(1)
    expect(sh.items[0].level).toBe('high')
  })

  it('refuses a file without a header, naming the file; only command keeps the list', async () => {
    const bad = await upload(command, 'x.csv', Buffer.from('a,b,c\n1,2,3\n'))
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'EXTERNAL_FILE_COLUMNS_MISSING', field: 'file' })
    const pdf = await upload(command, 'x.pdf', Buffer.from('%PDF'))
    expect(pdf.statusCode).toBe(400)
    expect(pdf.json().error.field).toBe('file')
    expect((await upload(gate, '风险区.csv', Buffer.from(csv))).statusCode).toBe(403)
    const byLead = await lead.send('POST', '/api/arrivals/external-areas', {
      city: '西安市',
      level: 'high',
      validFrom: today,
    })
    expect(byLead.statusCode).toBe(403)
  })

  it('enters, edits and ends an entry by hand; a retry updates; bad input names the field', async () => {
    const body = {
      province: '陕西省',
      city: '西安市',
      district: '雁塔区',
      street: '小寨路街道',
      level: 'medium',
      validFrom: daysAgo(2),
      source: '西安发布',
    }
    const made = await command.send('POST', '/api/arrivals/external-areas', body)
    expect(made.statusCode, made.body).toBe(201)
    const id = made.json().area.id
    const retry = await command.send('POST', '/api/arrivals/external-areas', {
      ...body,
      city: '西安',
    })
    expect(retry.statusCode).toBe(200)
    expect(retry.json()).toMatchObject({ updated: true, area: { id } })

    const edited = await command.send('PATCH', `/api/arrivals/external-areas/${id}`, {
      level: 'high',
    })
    expect(edited.json()).toMatchObject({ level: 'high', status: 'active' })

    const noNames = await command.send('POST', '/api/arrivals/external-areas', {
      level: 'high',
      validFrom: today,
    })
    expect(noNames.statusCode).toBe(400)
    expect(noNames.json().error.field).toBe('place')
    const order = await command.send('POST', '/api/arrivals/external-areas', {
      city: '咸阳市',
      level: 'high',
      validFrom: today,
      validTo: daysAgo(1),
    })
    expect(order.statusCode).toBe(400)
    expect(order.json().error.field).toBe('validTo')
    const badLevel = await command.send('POST', '/api/arrivals/external-areas', {
      city: '咸阳市',
      level: 'severe',
      validFrom: today,
    })
    expect(badLevel.statusCode).toBe(400)
    expect(badLevel.json().error.field).toBe('level')

    const end = await command.send('POST', `/api/arrivals/external-areas/${id}/end`, {})
    expect(end.json()).toMatchObject({ validTo: today, status: 'ended' })
    const audit = await rows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where target_id = ${id} order by id`,
    )
    expect(audit.map((a) => a.action)).toEqual([
      'arrivals.external_create',
      'arrivals.external_update',
      'arrivals.external_update',
      'arrivals.external_end',
    ])
    expect(
      (await command.send('POST', `/api/arrivals/external-areas/${crypto.randomUUID()}/end`, {}))
        .statusCode,
    ).toBe(404)
  })
})

describe('classification against the list and the local areas', () => {
  it('classifies at the desk under the profile in force (v9): high, risk county, unmatched kept', async () => {
    const res = await gate.send('POST', '/api/arrivals/classify', {
      arrivedOn: today,
      places: [
        { text: '南京鼓楼区湖南路幸福里', from: daysAgo(3), to: daysAgo(2) },
        { city: '南京', district: '鼓楼', street: '宁海路' },
        { text: '老家' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      origin: 'high_risk_area',
      category: 'high_risk_area',
      unmatched: [2],
    })
    expect(res.json().matches.map((m: { origin: string }) => m.origin)).toEqual([
      'high_risk_area',
      'low_risk_area_in_risk_county',
    ])
    const bad = await gate.send('POST', '/api/arrivals/classify', {
      arrivedOn: '2026-02-31',
      places: [],
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('arrivedOn')
  })

  it('an ended entry stops counting from its end day', async () => {
    const r = await classifyArrival(t.database.db, {
      arrivedOn: today,
      places: [{ city: '西安', district: '雁塔', street: '小寨路', from: today }],
    })
    expect(r.origin).toBeNull()
    expect(r.unmatched).toEqual([0])
    const before = await classifyArrival(t.database.db, {
      arrivedOn: today,
      places: [
        { city: '西安', district: '雁塔', street: '小寨路', from: daysAgo(1), to: daysAgo(1) },
      ],
    })
    expect(before.origin).toBe('high_risk_area')
  })

  it('a local risk area (this city) classifies a stay in it', async () => {
    const area = await lead.send('POST', '/api/zones/areas', {
      name: '测试封控区',
      level: 'high',
      reason: '确诊病例居住地',
      extents: [{ kind: 'grid', id: chain.grid.id }],
    })
    expect(area.statusCode, area.body).toBe(201)
    const [r, other] = await classifyArrivals(t.database.db, [
      {
        arrivedOn: today,
        places: [{ district: chain.district.name, street: '测试街道', place: '测试社区' }],
      },
      { arrivedOn: today, places: [{ district: chain.district.name, street: '别的街道' }] },
    ])
    expect(r).toMatchObject({ origin: 'high_risk_area', category: 'high_risk_area' })
    expect(r!.matches[0]).toMatchObject({ source: 'local', areaId: area.json().id })
    expect(other!.origin).toBe('low_risk_area_in_risk_county')
  })
})
