import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import {
  buildBuilding,
  buildGrid,
  buildIdNumber,
  buildResident,
  buildUser,
  type BuiltGrid,
  type BuiltResident,
} from '../../test/factories.js'

/** A household's 户代表 and, when let (出租 / 群租), its landlord or 二房东 contact, on both engines. */
let t: TestApp
let householdId: string
let otherHouseholdId: string
let member: BuiltResident
let neighbour: BuiltResident
let worker: Client
let lead: Client
let outsider: Client
let buildingId: string
let grid: BuiltGrid

beforeAll(async () => {
  t = await createTestApp()
  grid = await buildGrid(t, { name: '出租网格' })
  const b = await buildBuilding(t, { gridId: grid.id, floors: [1, 1], roomsPerFloor: [1, 2] })
  buildingId = b.id
  householdId = b.households[0]!.id
  otherHouseholdId = b.households[1]!.id
  member = await buildResident(t, {
    householdId,
    name: '户主甲',
    idNumber: buildIdNumber({ birth: '19800101' }),
  })
  neighbour = await buildResident(t, {
    householdId: otherHouseholdId,
    name: '邻居乙',
    idNumber: buildIdNumber({ birth: '19810101' }),
  })
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  lead = await loginAs(
    t,
    (await buildUser(t, { role: 'community_lead', scope: [grid.community] })).username,
  )
  outsider = await loginAs(t, (await buildUser(t, { role: 'grid_worker' })).username)
})
afterAll(async () => t?.close())

const url = (id = householdId): string => `/api/households/${id}/occupancy`
const landlord = {
  name: '张二房东',
  kind: 'sub_landlord',
  phone: '13912345678',
  tenancyStart: '2026-03-01',
  tenancyEnd: '2027-02-28',
}

describe('a household’s landlord contact and 户代表', () => {
  it('records the 二房东 with a sealed phone, answered masked, audited without the number', async () => {
    const r = await worker.send('PUT', url(), {
      occupancy: 'group_rented',
      landlord,
      representativeId: member.id,
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({
      occupancy: 'group_rented',
      representativeId: member.id,
      landlord: {
        name: '张二房东',
        kind: 'sub_landlord',
        phone: '139****5678',
        tenancyStart: '2026-03-01',
        tenancyEnd: '2027-02-28',
      },
    })
    expect(r.body).not.toContain('13912345678')
    const [stored] = await rows<{ landlord_phone_enc: string; landlord_phone_last4: string }>(
      t.database.db,
      sql`select landlord_phone_enc, landlord_phone_last4 from household where id = ${householdId}`,
    )
    expect(stored!.landlord_phone_enc).not.toContain('13912345678')
    expect(stored!.landlord_phone_last4).toBe('5678')
    const audits = await rows<{ detail: unknown }>(
      t.database.db,
      sql`select detail from audit_log where action = 'household.occupancy' and target_id = ${householdId}`,
    )
    expect(audits).toHaveLength(1)
    expect(JSON.stringify(audits[0]!.detail)).not.toContain('5678')
    expect(JSON.stringify(audits[0]!.detail)).toContain('张二房东')
    // The unit's household list shows the contact masked and the 户代表.
    const units = (await lead.get(`/api/buildings/${buildingId}/units`)).json().items
    const list = await lead.get(`/api/units/${units[0].id}/households`)
    expect(list.body).not.toContain('13912345678')
    const hh = list.json().items.find((h: { id: string }) => h.id === householdId)
    expect(hh).toMatchObject({
      representativeId: member.id,
      landlord: { name: '张二房东', phone: '139****5678' },
    })
  })

  it('shows the landlord’s phone in full only on ?reveal=phone, audited; a building head may not', async () => {
    const at = `/api/households/${householdId}/landlord`
    const masked = await worker.get(at)
    expect(masked.statusCode).toBe(200)
    expect(masked.json()).toMatchObject({
      landlord: { name: '张二房东', phone: '139****5678' },
      revealed: false,
    })
    const full = await worker.get(`${at}?reveal=phone`)
    expect(full.json()).toMatchObject({ landlord: { phone: '13912345678' }, revealed: true })
    const [entry] = await rows<{ detail: { fields: string[] } }>(
      t.database.db,
      sql`select detail from audit_log where action = 'pii.reveal' and target_id = ${householdId}`,
    )
    expect(entry!.detail.fields).toEqual(['landlordPhone'])
    const head = await loginAs(
      t,
      (await buildUser(t, { role: 'building_head', scope: [grid] })).username,
    )
    expect((await head.get(at)).json().landlord.phone).toBe('139****5678')
    expect((await head.get(`${at}?reveal=phone`)).statusCode).toBe(403)
    expect((await outsider.get(at)).statusCode).toBe(403)
    expect((await worker.get(`/api/households/${crypto.randomUUID()}/landlord`)).statusCode).toBe(
      404,
    )
  })

  it('refuses bad input naming the field', async () => {
    const bad = async (body: unknown, field: string): Promise<void> => {
      const r = await worker.send('PUT', url(), body)
      expect(r.statusCode, r.body).toBe(400)
      expect(r.body).toContain(field)
    }
    await bad(
      { occupancy: 'rented', landlord: { ...landlord, tenancyEnd: '2026-02-01' } },
      'tenancyEnd',
    )
    await bad({ occupancy: 'rented', landlord: { ...landlord, phone: '12345' } }, 'phone')
    await bad({ occupancy: 'rented', landlord: { ...landlord, kind: 'owner' } }, 'kind')
    await bad({ occupancy: 'owner_occupied', landlord }, 'landlord')
    // A resident of another household is not this one's 户代表.
    await bad({ occupancy: 'rented', representativeId: neighbour.id }, 'representativeId')
    // Nothing of the refused writes stuck.
    const units = (await lead.get(`/api/buildings/${buildingId}/units`)).json().items
    const hh = (await lead.get(`/api/units/${units[0].id}/households`))
      .json()
      .items.find((h: { id: string }) => h.id === householdId)
    expect(hh).toMatchObject({ occupancy: 'group_rented', representativeId: member.id })
  })

  it('keeps the contact when left out, clears it when the flat is no longer let', async () => {
    const kept = await worker.send('PUT', url(), { occupancy: 'rented' })
    expect(kept.json()).toMatchObject({
      occupancy: 'rented',
      representativeId: member.id,
      landlord: { name: '张二房东', phone: '139****5678' },
    })
    const selfOwned = await worker.send('PUT', url(), {
      occupancy: 'owner_occupied',
      representativeId: null,
    })
    expect(selfOwned.json()).toMatchObject({ landlord: null, representativeId: null })
  })

  it('a 户代表 who moves to another flat or out of the area is no longer the household’s contact', async () => {
    const rep = await buildResident(t, {
      householdId,
      name: '代表丙',
      idNumber: buildIdNumber({ birth: '19820101' }),
    })
    const occupancy = async (): Promise<unknown> =>
      (
        await lead.get(
          `/api/units/${(await lead.get(`/api/buildings/${buildingId}/units`)).json().items[0].id}/households`,
        )
      )
        .json()
        .items.find((h: { id: string }) => h.id === householdId).representativeId
    await worker.send('PUT', url(), { occupancy: 'owner_occupied', representativeId: rep.id })
    expect(await occupancy()).toBe(rep.id)
    const moved = await worker.send('POST', `/api/residents/${rep.id}/move`, {
      householdId: otherHouseholdId,
    })
    expect(moved.statusCode).toBe(200)
    expect(await occupancy()).toBeNull()

    await worker.send('PUT', url(), { occupancy: 'owner_occupied', representativeId: member.id })
    const out = await worker.send('POST', `/api/residents/${member.id}/move-out`, {
      reason: '搬离本市',
    })
    expect(out.statusCode).toBe(200)
    expect(await occupancy()).toBeNull()
  })

  it('records a 集体户 with its kind and name, asks for them, and forgets them when the flat is no longer collective', async () => {
    const households = async (): Promise<
      { id: string; occupancy: string; collective: unknown }[]
    > => {
      const units = (await lead.get(`/api/buildings/${buildingId}/units`)).json().items
      return (await lead.get(`/api/units/${units[0].id}/households`)).json().items
    }
    const bare = await worker.send('PUT', url(otherHouseholdId), { occupancy: 'collective' })
    expect(bare.statusCode).toBe(400)
    expect(bare.json().error).toMatchObject({
      field: 'collective.name',
      code: 'COLLECTIVE_NAME_REQUIRED',
    })
    const camp = { kind: 'work_site', name: '某建筑工地项目部宿舍' }
    const saved = await worker.send('PUT', url(otherHouseholdId), {
      occupancy: 'collective',
      collective: camp,
    })
    expect(saved.statusCode).toBe(200)
    expect(saved.json()).toMatchObject({ occupancy: 'collective', collective: camp })
    expect((await households()).find((h) => h.id === otherHouseholdId)).toMatchObject({
      occupancy: 'collective',
      collective: camp,
    })
    // Left out: kept.
    const kept = await worker.send('PUT', url(otherHouseholdId), { occupancy: 'collective' })
    expect(kept.json()).toMatchObject({ collective: camp })
    const badKind = await worker.send('PUT', url(otherHouseholdId), {
      occupancy: 'collective',
      collective: { kind: 'castle', name: '城堡' },
    })
    expect(badKind.statusCode).toBe(400)
    expect(badKind.json().error.field).toMatch(/^collective/)
    const notCollective = await worker.send('PUT', url(otherHouseholdId), {
      occupancy: 'rented',
      collective: camp,
    })
    expect(notCollective.json().error).toMatchObject({
      field: 'collective',
      code: 'COLLECTIVE_ONLY_WHEN_COLLECTIVE',
    })
    const rented = await worker.send('PUT', url(otherHouseholdId), { occupancy: 'owner_occupied' })
    expect(rented.json()).toMatchObject({ occupancy: 'owner_occupied', collective: null })
  })

  it('another grid’s worker is refused', async () => {
    const r = await outsider.send('PUT', url(), { occupancy: 'rented', landlord })
    expect(r.statusCode).toBe(403)
  })
})
