import { describe, expect, it } from 'vitest'
import { afterAnswers } from '../web/src/testing/tubeCount.js'

interface TubeView {
  code: string
  members: number
  capacity: number
  status: string
  kind: string
}
type ScanResult = {
  clientId: string
  status: 'accepted' | 'rejected'
  tube?: TubeView
  warnings: string[]
  error?: { field: string; reason: string }
}
type QueuedScan = { clientId: string; person: string; tube: string; scannedAt: string }

/** The sampling screen's tube after the server has answered a batch (web/src/testing/SamplingPage.tsx). */
const scan = (clientId: string, tube = 'T-1'): QueuedScan => ({
  clientId,
  person: 'WG' + '0'.repeat(32),
  tube,
  scannedAt: '2026-12-01T08:00:00Z',
})
const tube = (members: number, status = 'open', capacity = 10): TubeView => ({
  code: 'T-1',
  members,
  capacity,
  status,
  kind: 'pooled',
})
const accepted = (clientId: string, t: TubeView): ScanResult => ({
  clientId,
  status: 'accepted',
  tube: t,
  warnings: [],
})
const rejected = (clientId: string, t?: TubeView): ScanResult => ({
  clientId,
  status: 'rejected',
  warnings: [],
  error: { field: t ? 'tube' : 'person', reason: 'x' },
  ...(t ? { tube: t } : {}),
})

describe('the sampling screen after a batch is answered', () => {
  it('takes a refused swab back off the counter', () => {
    // The device counted 4 (3 accepted + 1 refused person); the server holds 3.
    const out = afterAnswers(
      tube(4),
      [scan('a'), scan('b'), scan('c'), scan('d')],
      [accepted('a', tube(3)), accepted('b', tube(3)), rejected('d'), accepted('c', tube(3))],
    )
    expect(out).toMatchObject({ members: 3, status: 'open' })
  })

  it('reopens a tube the device closed on a count that included a refused swab', () => {
    const out = afterAnswers(tube(10, 'closed'), [scan('z')], [rejected('z')])
    expect(out).toMatchObject({ members: 9, status: 'open' })
  })

  it('shows a tube closed at once when the refusal says it is closed', () => {
    const out = afterAnswers(tube(1), [scan('q')], [rejected('q', tube(10, 'closed'))])
    expect(out).toMatchObject({ members: 10, status: 'closed' })
  })

  it('still counts scans made after the batch left', () => {
    expect(afterAnswers(tube(5), [scan('a')], [accepted('a', tube(4))])).toMatchObject({
      members: 5,
      status: 'open',
    })
  })

  it('ignores answers for another tube', () => {
    expect(afterAnswers(tube(2), [scan('a', 'T-OTHER')], [rejected('a')])).toEqual(tube(2))
  })
})
