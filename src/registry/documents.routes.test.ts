import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildChain,
  buildUser,
  createTestApp,
  loginAs,
  type Chain,
  type Client,
  type TestApp,
} from '../../test/helpers.js'
import { buildIdNumber } from '../../test/factories.js'

/** Documents people carry beside the resident ID (回乡证, 台胞证, 永居证, passports) and phones beyond mobiles. */
let t: TestApp
let chain: Chain
let worker: Client
let flats: { id: string }[]

beforeAll(async () => {
  t = await createTestApp()
  chain = await buildChain(t)
  worker = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid])).username)
  const lead = await loginAs(t, (await buildUser(t, 'community_lead', [chain.community])).username)
  await lead.send('POST', '/api/buildings/layout', {
    gridId: chain.grid.id,
    building: '8',
    units: [1, 1],
    floors: [1, 2],
    roomsPerFloor: [1, 2],
  })
  const b = (await lead.get(`/api/grids/${chain.grid.id}/buildings`)).json().items[0]
  const u = (await lead.get(`/api/buildings/${b.id}/units`)).json().items[0]
  flats = (await lead.get(`/api/units/${u.id}/households`)).json().items
})
afterAll(async () => {
  await t.close()
})

const register = (body: object) =>
  worker.send('POST', '/api/residents', {
    residenceType: 'floating',
    householdId: flats[0]!.id,
    ...body,
  })

describe('registering people by the document they carry', () => {
  it('a 回乡证 with its issue count is the card itself, masked to its last four', async () => {
    const r = await register({
      name: '陈港生',
      idType: 'hk_macau_travel_permit',
      idNumber: 'h1234567801',
    })
    expect(r.statusCode).toBe(200)
    const p = (await worker.get(`/api/residents/${r.json().resident.id}`)).json()
    expect(p).toMatchObject({ idType: 'hk_macau_travel_permit', idNumber: '*****5678' })
    // The same card copied without the issue count is the same person, not a second one.
    const again = await register({
      name: '陈港生',
      idType: 'hk_macau_travel_permit',
      idNumber: 'H12345678',
    })
    expect(again.json().resident.id).toBe(r.json().resident.id)
  })

  it('a 台胞证 of 8 digits is accepted; a wrong one is refused naming the field', async () => {
    expect(
      (await register({ name: '林台生', idType: 'taiwan_travel_permit', idNumber: '87654321' }))
        .statusCode,
    ).toBe(200)
    const bad = await register({
      name: '林台生',
      idType: 'taiwan_travel_permit',
      idNumber: 'T7654321',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ field: 'idNumber', code: 'TAIWAN_PERMIT_FORMAT' })
  })

  it('the 2023 永居证 gives the birth date and sex; the older 15-character card is accepted', async () => {
    const first17 = '93184019850625011'
    const { idCheckCharacter } = await import('../core/pii/identifiers.js')
    const card = first17 + idCheckCharacter(first17)
    const r = await register({ name: 'John Smith', idType: 'foreigner_id', idNumber: card })
    expect(r.statusCode).toBe(200)
    const p = (await worker.get(`/api/residents/${r.json().resident.id}`)).json()
    expect(p).toMatchObject({ birthDate: '1985-06-25', sex: 'male', idType: 'foreigner_id' })
    const old = await register({
      name: 'Anna Berg',
      idType: 'foreigner_id',
      idNumber: 'SWE310085062501',
    })
    expect(old.statusCode).toBe(200)
  })

  it('an ID number of a province that does not exist is refused naming the code', async () => {
    const { idCheckCharacter } = await import('../core/pii/identifiers.js')
    const first17 = '19010219850615031'
    const r = await register({ name: '赵无', idNumber: first17 + idCheckCharacter(first17) })
    expect(r.statusCode).toBe(400)
    expect(r.json().error).toMatchObject({ field: 'idNumber', code: 'ID_REGION_UNKNOWN' })
  })

  it('a landline with an extension and a Hong Kong mobile are phones, masked to the number’s last four', async () => {
    const a = await register({
      name: '钱固话',
      idNumber: buildIdNumber({ birth: '19500101' }),
      phone: '0571-87654321转123',
    })
    expect(a.statusCode).toBe(200)
    const pa = (await worker.get(`/api/residents/${a.json().resident.id}`)).json()
    expect(pa.phone).toBe('0571-****4321')
    const b = await register({
      name: '孙港机',
      idNumber: buildIdNumber({ birth: '19600101' }),
      phone: '+852 9123 4567',
    })
    expect(b.statusCode).toBe(200)
    // The resident list finds the person by the number's last four.
    const found = (await worker.get('/api/residents?q=4321')).json()
    expect(found.items.map((x: { name: string }) => x.name)).toContain('钱固话')
    const bad = await register({
      name: '周短号',
      idNumber: buildIdNumber({ birth: '19700101' }),
      phone: '62345678',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ field: 'phone', code: 'PHONE_AREA_CODE' })
  })
})

describe('several documents per person', () => {
  let personId: string
  let other: string
  beforeAll(async () => {
    const a = await register({ name: '吴多证', idNumber: buildIdNumber({ birth: '19750505' }) })
    personId = a.json().resident.id
    const b = await register({ name: '郑别人', idNumber: buildIdNumber({ birth: '19760606' }) })
    other = b.json().resident.id
  })
  const add = (id: string, body: object) =>
    worker.send('POST', `/api/residents/${id}/documents`, body)

  it('records a 回乡证 and a passport beside the ID, masked in the list, and a retry adds nothing', async () => {
    const h = await add(personId, { type: 'hk_macau_travel_permit', number: 'M1122334402' })
    expect(h.statusCode, h.body).toBe(200)
    expect(h.json()).toMatchObject({
      type: 'hk_macau_travel_permit',
      number: '*****3344',
      country: null,
    })
    const p = await add(personId, { type: 'passport', country: 'usa', number: 'e 5566 7788' })
    expect(p.json()).toMatchObject({ type: 'passport', country: 'USA', number: '*****7788' })
    expect(
      (await add(personId, { type: 'passport', country: 'USA', number: 'E55667788' })).json().id,
    ).toBe(p.json().id)
    const list = (await worker.get(`/api/residents/${personId}/documents`)).json().items
    expect(list.map((d: { type: string }) => d.type)).toEqual([
      'hk_macau_travel_permit',
      'passport',
    ])
    expect(JSON.stringify(list)).not.toContain('55667788')
  })

  it('the same passport number of another country is another document; of this country for another person a conflict', async () => {
    expect(
      (await add(other, { type: 'passport', country: 'CAN', number: 'E55667788' })).statusCode,
    ).toBe(200)
    const clash = await add(other, { type: 'passport', country: 'USA', number: 'E55667788' })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().error).toMatchObject({ code: 'DOCUMENT_ELSEWHERE' })
  })

  it('refuses a passport without its country and a bad number, naming the field', async () => {
    const noCountry = await add(personId, { type: 'passport', number: 'G12345678' })
    expect(noCountry.statusCode).toBe(400)
    expect(noCountry.json().error).toMatchObject({
      field: 'country',
      code: 'DOCUMENT_NEEDS_COUNTRY',
    })
    const bad = await add(personId, { type: 'taiwan_travel_permit', number: '123' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ field: 'number', code: 'TAIWAN_PERMIT_FORMAT' })
  })

  it('the resident list finds the person by a carried document number', async () => {
    const byPermit = (await worker.get('/api/residents?q=M11223344')).json()
    expect(byPermit.items.map((x: { id: string }) => x.id)).toEqual([personId])
    const byPassport = (await worker.get('/api/residents?q=e55667788')).json()
    expect(byPassport.items.map((x: { id: string }) => x.id).sort()).toEqual(
      [personId, other].sort(),
    )
  })

  it('a grid worker of another grid can neither list nor add documents of this person', async () => {
    const stranger = await loginAs(t, (await buildUser(t, 'grid_worker', [chain.grid2])).username)
    expect((await stranger.get(`/api/residents/${personId}/documents`)).statusCode).toBe(403)
    expect(
      (
        await stranger.send('POST', `/api/residents/${personId}/documents`, {
          type: 'taiwan_travel_permit',
          number: '11112222',
        })
      ).statusCode,
    ).toBe(403)
  })
})
