import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../test/helpers.js'
import {
  buildLabToken,
  buildSamplingPlace,
  openAreaRound,
  postLabResults,
  scanOf,
  swabTube,
  uniqueCode,
} from '../../test/sampling.js'
import type { PersonSamplesOut } from './history.schema.js'

/**
 * A person's 核酸记录 on their page: each swab with its round, tube and the lab's result and Ct
 * values, newest first and paged; the pool's positive and the single-tube recheck that cleared it
 * both appear; another grid's worker is refused; a sampler (no testing:read) is refused.
 */
let t: TestApp
let labToken: string
beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
})
afterAll(async () => t?.close())

describe("a person's test history", () => {
  it(
    'lists the pooled swab with its positive Ct values, then the recheck that cleared it, newest first',
    { timeout: 120_000 },
    async () => {
      const p = await buildSamplingPlace(t, {
        gridName: '核酸记录网格',
        names: ['张伟', '王芳', '李娜'],
        scope: 'grid',
      })
      const other = await buildSamplingPlace(t, { gridName: '隔壁网格', names: ['赵敏'] })
      const round = await openAreaRound(p, 10)
      const pool = await swabTube(p, round.id, p.codes)
      const history = async (c = p.worker, query = '') =>
        c.get(`/api/residents/${p.people[0]!.id}/samples${query}`)

      const pending = (await history()).json() as PersonSamplesOut
      expect(pending.items).toHaveLength(1)
      expect(pending.items[0]).toMatchObject({
        roundId: round.id,
        roundName: round.name,
        tubeCode: pool,
        tubeKind: 'pooled',
        tubeMembers: 3,
        result: null,
        ctN: null,
        state: 'pending',
        recheck: false,
      })

      const lab = await postLabResults(t, labToken, [
        { tubeCode: pool, result: '阳性', ctN: 28.4, ctOrf1ab: '30.1' },
      ])
      expect(lab.statusCode, lab.body).toBe(200)
      const single = uniqueCode('S')
      const swab = await p.sampler.send('POST', `/api/rounds/${round.id}/scans`, {
        scans: [scanOf(p.codes[0]!, single)],
      })
      expect(swab.json().results[0], swab.body).toMatchObject({ status: 'accepted' })
      const cleared = await postLabResults(t, labToken, [
        { tubeCode: single, result: '阴性', ctN: 38, ctOrf1ab: 37.5 },
      ])
      expect(cleared.statusCode, cleared.body).toBe(200)

      const res = await history()
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json() as PersonSamplesOut
      expect(body.next).toBeNull()
      expect(body.items.map((i) => [i.tubeCode, i.result, i.ctN, i.ctOrf1ab, i.recheck])).toEqual([
        [single, 'negative', 38, 37.5, true],
        [pool, 'positive', 28.4, 30.1, false],
      ])
      expect(body.items[0]!.tubeMembers).toBe(1)
      expect(body.items[1]!.resultWord).toBe('阳性')
      expect(body.items[1]!.resultedAt).not.toBeNull()

      // Paged: one at a time, the cursor leads to the older swab and then to none.
      const first = (await history(p.worker, '?limit=1')).json() as PersonSamplesOut
      expect(first.items.map((i) => i.tubeCode)).toEqual([single])
      expect(first.next).not.toBeNull()
      const second = (
        await history(p.worker, `?limit=1&before=${encodeURIComponent(first.next!)}`)
      ).json() as PersonSamplesOut
      expect(second.items.map((i) => i.tubeCode)).toEqual([pool])
      expect(second.next).toBeNull()

      // Another grid's worker and a sampler without testing:read never read it.
      const foreign = await history(other.worker)
      expect(foreign.statusCode).toBe(403)
      expect(foreign.json().error.code).toBe('OUT_OF_SCOPE')
      expect((await history(p.sampler)).statusCode).toBe(403)
      const unknown = await p.worker.get(`/api/residents/${crypto.randomUUID()}/samples`)
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error.code).toBe('RESIDENT_NOT_FOUND')
      expect((await history(p.worker, '?before=yesterday')).statusCode).toBe(400)
    },
  )
})
