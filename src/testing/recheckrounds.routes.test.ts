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

/**
 * The sampling screen's 复核 section (issue 10 item 4): a closed round with rechecks still to swab
 * in my scope is offered with how many are left, the count falls as they are swabbed, the round
 * leaves the list with its last one, and another grid's sampler never sees it.
 */
let t: TestApp
let labToken: string
beforeAll(async () => {
  t = await createTestApp()
  labToken = await buildLabToken(t)
})
afterAll(async () => t?.close())

const names = ['张伟', '王芳', '李娜', '刘洋']

describe('closed rounds with open rechecks', () => {
  it(
    'are offered to the sampler of their grid with the rechecks left, and to no one else',
    { timeout: 120_000 },
    async () => {
      const p = await buildSamplingPlace(t, { gridName: '复核采样网格', names, scope: 'grid' })
      const other = await buildSamplingPlace(t, {
        gridName: '别的网格',
        names: ['赵敏'],
        scope: 'grid',
      })
      const round = await openAreaRound(p, 10)
      const tube = await swabTube(p, round.id, p.codes)
      const list = async (c = p.sampler) => {
        const res = await c.get('/api/sampling/recheck-rounds')
        expect(res.statusCode, res.body).toBe(200)
        return res.json().items as {
          id: string
          name: string
          status: string
          openRechecks: number
        }[]
      }
      // An open round is not in the 复核 list (it is on the sampling screen already).
      await postLabResults(t, labToken, [{ tubeCode: tube, result: '阳性' }])
      expect((await list()).find((r) => r.id === round.id)).toBeUndefined()
      const closed = await p.lead.send('POST', `/api/rounds/${round.id}/close?confirm=true`)
      expect(closed.statusCode, closed.body).toBe(200)
      expect((await list()).find((r) => r.id === round.id)).toMatchObject({
        name: round.name,
        status: 'closed',
        openRechecks: 4,
      })
      // The grid worker swabs rechecks at the door: they see it too; another grid's sampler does not.
      expect((await list(p.worker)).find((r) => r.id === round.id)).toMatchObject({
        openRechecks: 4,
      })
      expect((await list(other.sampler)).find((r) => r.id === round.id)).toBeUndefined()

      const swab = await p.sampler.send('POST', `/api/rounds/${round.id}/scans`, {
        scans: [scanOf(p.codes[0]!, uniqueCode('R'))],
      })
      expect(swab.json().results[0]).toMatchObject({ status: 'accepted' })
      expect((await list()).find((r) => r.id === round.id)).toMatchObject({ openRechecks: 3 })
      for (const code of p.codes.slice(1))
        await p.sampler.send('POST', `/api/rounds/${round.id}/scans`, {
          scans: [scanOf(code, uniqueCode('R'))],
        })
      expect((await list()).find((r) => r.id === round.id)).toBeUndefined()
    },
  )
})
