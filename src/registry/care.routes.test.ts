import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { rows } from '../core/db/db.js'
import { createTestApp, loginAs, type Client, type TestApp } from '../../test/helpers.js'
import { buildGrid, buildResident, buildUser, type BuiltResident } from '../../test/factories.js'

/** A vulnerable resident's helper (包保人), designated hospital and needs, on both engines. */
let t: TestApp
let person: BuiltResident
let worker: Client
let head: Client
let outsider: Client

beforeAll(async () => {
  t = await createTestApp()
  const grid = await buildGrid(t)
  person = await buildResident(t, { gridId: grid.id, tags: ['dialysis'] })
  worker = await loginAs(t, (await buildUser(t, { role: 'grid_worker', scope: [grid] })).username)
  head = await loginAs(t, (await buildUser(t, { role: 'building_head', scope: [grid] })).username)
  outsider = await loginAs(t, (await buildUser(t, { role: 'grid_worker' })).username)
})
afterAll(async () => t?.close())

const url = (): string => `/api/residents/${person.id}/care`
const body = {
  helperName: '王包保',
  helperPhone: '13912345678',
  hospital: '市第一人民医院',
  needs: '每周一三五透析',
}

describe('a resident’s helper and designated hospital', () => {
  it('nothing recorded yet reads as empty', async () => {
    const r = await worker.get(url())
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ helperName: null, helperPhone: null, hospital: null })
  })

  it('records the helper with a sealed phone, answered masked, audited without the number', async () => {
    const r = await worker.send('PUT', url(), body)
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({
      helperName: '王包保',
      helperPhone: '139****5678',
      revealed: false,
      hospital: '市第一人民医院',
      needs: '每周一三五透析',
    })
    const [stored] = await rows<{ helper_phone_enc: string; helper_phone_last4: string }>(
      t.database.db,
      sql`select helper_phone_enc, helper_phone_last4 from resident_care where resident_id = ${person.id}`,
    )
    expect(stored!.helper_phone_enc).not.toContain('13912345678')
    expect(stored!.helper_phone_last4).toBe('5678')
    const audits = await rows<{ detail: unknown }>(
      t.database.db,
      sql`select detail from audit_log where action = 'resident.care_set' and target_id = ${person.id}`,
    )
    expect(audits).toHaveLength(1)
    expect(JSON.stringify(audits[0]!.detail)).not.toContain('5678')
    expect((await worker.get(url())).json().helperPhone).toBe('139****5678')
  })

  it('shows the phone in full only on ?reveal=phone, audited; a building head may not', async () => {
    const r = await worker.get(`${url()}?reveal=phone`)
    expect(r.json()).toMatchObject({ helperPhone: '13912345678', revealed: true })
    const audits = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'pii.reveal' and target_id = ${person.id}`,
    )
    expect(audits[0]!.n).toBe(1)
    expect((await head.get(url())).json().helperPhone).toBe('139****5678')
    expect((await head.get(`${url()}?reveal=phone`)).statusCode).toBe(403)
    expect((await head.send('PUT', url(), body)).statusCode).toBe(403)
  })

  it('refuses a bad phone, a phone without a name and a helper without a phone, naming the field', async () => {
    const bad = await worker.send('PUT', url(), { ...body, helperPhone: '12345' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.field).toBe('helperPhone')
    const noName = await worker.send('PUT', url(), { ...body, helperName: '' })
    expect(noName.json().error).toMatchObject({
      field: 'helperName',
      code: 'CARE_HELPER_NAME_REQUIRED',
    })
    const noPhone = await worker.send('PUT', url(), { ...body, helperPhone: null })
    expect(noPhone.json().error).toMatchObject({
      field: 'helperPhone',
      code: 'CARE_HELPER_PHONE_REQUIRED',
    })
    expect((await worker.get(url())).json().helperName).toBe('王包保')
    // The phone left out (the form shows it masked): the recorded one stays.
    const kept = await worker.send('PUT', url(), {
      helperName: '王包保',
      hospital: '市第二人民医院',
      needs: null,
    })
    expect(kept.json()).toMatchObject({ helperPhone: '139****5678', hospital: '市第二人民医院' })
  })

  it('clears the helper when both are blank; another grid’s worker is refused', async () => {
    const r = await worker.send('PUT', url(), { ...body, helperName: '', helperPhone: '' })
    expect(r.json()).toMatchObject({
      helperName: null,
      helperPhone: null,
      hospital: '市第一人民医院',
    })
    expect((await outsider.get(url())).statusCode).toBe(403)
    expect((await outsider.send('PUT', url(), body)).statusCode).toBe(403)
  })
  it('records a proxy contact (代联系人) for someone without a phone: sealed, masked, kept when left out, revealed with the helper’s and audited', async () => {
    const elder = await buildResident(t, { gridId: person.gridId, tags: ['living_alone'] })
    const at = `/api/residents/${elder.id}/care`
    const saved = await worker.send('PUT', at, {
      helperName: null,
      hospital: null,
      needs: null,
      proxyName: '李儿子',
      proxyRelation: '儿子',
      proxyPhone: '13700001111',
    })
    expect(saved.statusCode).toBe(200)
    expect(saved.json()).toMatchObject({
      proxyName: '李儿子',
      proxyRelation: '儿子',
      proxyPhone: '137****1111',
    })
    const [stored] = await rows<{ proxy_phone_enc: string }>(
      t.database.db,
      sql`select proxy_phone_enc from resident_care where resident_id = ${elder.id}`,
    )
    expect(stored!.proxy_phone_enc).not.toContain('13700001111')
    // The helper form saved without the proxy fields: the proxy stays as recorded.
    const kept = await worker.send('PUT', at, {
      helperName: null,
      hospital: '社区卫生服务中心',
      needs: null,
    })
    expect(kept.json()).toMatchObject({ proxyName: '李儿子', proxyPhone: '137****1111' })
    const revealed = (await worker.get(`${at}?reveal=phone`)).json()
    expect(revealed).toMatchObject({ proxyPhone: '13700001111', revealed: true })
    const [audit] = await rows<{ detail: { fields: string[] } }>(
      t.database.db,
      sql`select detail from audit_log where action = 'pii.reveal' and target_id = ${elder.id}`,
    )
    expect(audit!.detail.fields).toEqual(['proxyPhone'])
    const noPhone = await worker.send('PUT', at, {
      helperName: null,
      hospital: null,
      needs: null,
      proxyName: '邻居王',
      proxyPhone: null,
    })
    expect(noPhone.json().error).toMatchObject({
      field: 'proxyPhone',
      code: 'CARE_PROXY_PHONE_REQUIRED',
    })
    const cleared = await worker.send('PUT', at, {
      helperName: null,
      hospital: null,
      needs: null,
      proxyName: '',
      proxyPhone: '',
    })
    expect(cleared.json()).toMatchObject({ proxyName: null, proxyRelation: null, proxyPhone: null })
  })
})
