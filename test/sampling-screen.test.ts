import { describe, expect, it } from 'vitest'
import { afterAnswers } from '../web/src/testing/tubeCount.js'
import { bannerOf, type PersonCheck } from '../web/src/testing/personCheck.js'
import zh from '../web/src/locales/zh-CN.json' with { type: 'json' }

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

/** The banner on the person step (web/src/testing/personCheck.ts), rendered from the zh-CN catalogue. */
const zhT = (key: string, params: Record<string, string | number> = {}): string => {
  let v: unknown = zh
  for (const k of key.split('.')) v = (v as Record<string, unknown>)[k]
  if (typeof v !== 'string') throw new Error(`no zh-CN text for ${key}`)
  return v.replace(/{{(\w+)}}/g, (_, k: string) => String(params[k]))
}
const when = (iso: string): string => `@${iso.slice(11, 16)}`
const checked = (control: Partial<PersonCheck['control']>): PersonCheck => ({
  person: { name: '张*', idNumber: '320102********1234', household: '5栋1单元101', room: '101' },
  control: {
    singleTube: false,
    temporaryControl: null,
    measures: [],
    underMeasure: false,
    pendingRecheck: false,
    positive: false,
    ...control,
  },
})

describe('the sampling screen’s banner for a scanned person', () => {
  it('says temporary control, the single tube and the recheck deadline', () => {
    const b = bannerOf(
      {
        kind: 'checked',
        result: checked({
          singleTube: true,
          pendingRecheck: true,
          temporaryControl: { deadline: '2026-12-02T06:30:00.000Z', overdue: false },
        }),
      },
      zhT,
      when,
    )
    expect(b).toEqual({
      type: 'error',
      singleTube: true,
      lines: [
        '临时管控：须单管采样，复核截止 @06:30',
        '请使用单管（1人1管）：扫描一支新的试管条码',
      ],
    })
  })

  it('says an overdue recheck is overdue', () => {
    const b = bannerOf(
      {
        kind: 'checked',
        result: checked({
          singleTube: true,
          temporaryControl: { deadline: '2026-12-02T06:30:00.000Z', overdue: true },
        }),
      },
      zhT,
      when,
    )
    expect(b.lines[0]).toBe('临时管控：须单管采样，复核已超时（截止 @06:30）')
  })

  it('names the measure where the caller may read it, else says 隔离管控中; a positive says 阳性', () => {
    const named = bannerOf(
      {
        kind: 'checked',
        result: checked({ singleTube: true, underMeasure: true, measures: ['close_contact'] }),
      },
      zhT,
      when,
    )
    expect(named.lines[0]).toBe('隔离管控中（密切接触者）')
    const unnamed = bannerOf(
      { kind: 'checked', result: checked({ singleTube: true, underMeasure: true }) },
      zhT,
      when,
    )
    expect(unnamed.lines[0]).toBe('隔离管控中')
    const positive = bannerOf(
      { kind: 'checked', result: checked({ singleTube: true, positive: true }) },
      zhT,
      when,
    )
    expect(positive).toMatchObject({ type: 'error', singleTube: true })
    expect(positive.lines[0]).toBe('阳性')
  })

  it('lets a person under no control into the pool', () => {
    expect(bannerOf({ kind: 'checked', result: checked({}) }, zhT, when)).toEqual({
      type: 'success',
      singleTube: false,
      lines: ['无管控记录，可混管采样'],
    })
  })

  it('says offline that the status could not be checked, without holding the scan back', () => {
    expect(bannerOf({ kind: 'unverified' }, zhT, when)).toMatchObject({
      type: 'warning',
      singleTube: false,
      lines: ['离线，未能核验管控状态', '扫码已保存；上传时系统仍按管控规则单管采样'],
    })
  })
})
