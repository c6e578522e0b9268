import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkpointsSection } from '../policy/policy.service.js'
import { installAllMessages } from '../messages.js'
import { renderReason } from '../core/i18n/messages.js'
import { decide, type GateFacts } from './gate.rules.js'

const gate = (profile: string) =>
  checkpointsSection.parse(
    JSON.parse(
      fs.readFileSync(
        new URL(`../policy/profiles/${profile}/checkpoints.json`, import.meta.url),
        'utf8',
      ),
    ) as unknown,
  ).gate

const at = new Date('2026-11-30T02:00:00Z')
const hoursAgo = (h: number) => new Date(at.getTime() - h * 3_600_000)

function resident(
  over: Partial<Extract<GateFacts['person'], { kind: 'resident' }>> = {},
): GateFacts['person'] {
  return {
    kind: 'resident',
    measures: [],
    lastNegativeAt: hoursAgo(10),
    lastNegativeDay: '2026-11-29',
    pass: { state: 'usable', id: 'p1' },
    ...over,
  }
}

const exit = (person: GateFacts['person'], zone: GateFacts['zone'] = 'sealed'): GateFacts => ({
  direction: 'out',
  zone,
  at,
  person,
})
const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code)

describe('gate rules in a lockdown, per profile', () => {
  it.each(['v9', 'opt20'])(
    '%s: a resident with a pass and a negative swab goes out, using the pass',
    (p) => {
      const d = decide(exit(resident()), gate(p))
      expect(d).toEqual({ allowed: true, reasons: [], usesPassId: 'p1' })
    },
  )

  it.each(['v9', 'opt20'])('%s: one pass a day: a second exit is refused with the limit', (p) => {
    const d = decide(exit(resident({ pass: { state: 'none_left', issued: 1 } })), gate(p))
    expect(d.allowed).toBe(false)
    expect(d.reasons).toEqual([{ code: 'GATE_PASS_USED_UP', params: { limit: 1 } }])
    expect(d.usesPassId).toBeNull()
  })

  it('v9: no pass issued yet says so; a used or other day pass says that', () => {
    const g = gate('v9')
    expect(codes(decide(exit(resident({ pass: null })), g))).toEqual(['GATE_PASS_MISSING'])
    expect(codes(decide(exit(resident({ pass: { state: 'used' } })), g))).toEqual([
      'GATE_PASS_USED_UP',
    ])
    const other = decide(exit(resident({ pass: { state: 'other_day', day: '2026-11-28' } })), g)
    expect(other.reasons).toEqual([
      { code: 'GATE_PASS_OTHER_DAY', params: { day: '2026-11-28', month: 11, date: 28 } },
    ])
  })

  it.each(['v9', 'opt20'])('%s: a negative older than 48 h refuses and names its day', (p) => {
    const d = decide(
      exit(resident({ lastNegativeAt: hoursAgo(49), lastNegativeDay: '2026-11-28' })),
      gate(p),
    )
    expect(d.reasons).toEqual([
      {
        code: 'GATE_NO_RECENT_NEGATIVE',
        params: { hours: 48, day: '2026-11-28', month: 11, date: 28 },
      },
    ])
    expect(codes(decide(exit(resident({ lastNegativeAt: hoursAgo(48) })), gate(p)))).toEqual([])
    expect(
      codes(decide(exit(resident({ lastNegativeAt: null, lastNegativeDay: null })), gate(p))),
    ).toEqual(['GATE_NO_NEGATIVE_EVER'])
  })

  it('new10: no pass and no test asked: a resident without either goes out', () => {
    const d = decide(
      exit(resident({ pass: null, lastNegativeAt: null, lastNegativeDay: null })),
      gate('new10'),
    )
    expect(d).toEqual({ allowed: true, reasons: [], usesPassId: null })
  })

  it.each(['v9', 'opt20', 'new10'])('%s: visitors may not come in, but may leave', (p) => {
    const inn = decide(
      { direction: 'in', zone: 'controlled', at, person: { kind: 'visitor' } },
      gate(p),
    )
    expect(inn.reasons).toEqual([{ code: 'GATE_VISITORS_BANNED', params: {} }])
    expect(
      decide({ direction: 'out', zone: 'sealed', at, person: { kind: 'visitor' } }, gate(p))
        .allowed,
    ).toBe(true)
  })

  it('every refusal reason is listed, not only the first', () => {
    const d = decide(
      exit(
        resident({
          measures: ['medium_risk_area'],
          pass: { state: 'none_left', issued: 1 },
          lastNegativeAt: null,
          lastNegativeDay: null,
        }),
      ),
      gate('v9'),
    )
    expect(codes(d)).toEqual(['GATE_UNDER_MEASURE', 'GATE_PASS_USED_UP', 'GATE_NO_NEGATIVE_EVER'])
  })

  it('a pass scanned alone cannot prove whose test it is where a test is asked', () => {
    const holder = { kind: 'pass_holder', pass: { state: 'usable', id: 'p9' } } as const
    expect(codes(decide(exit(holder), gate('v9')))).toEqual(['GATE_HOLDER_UNKNOWN'])
  })
})

describe('gate rules outside a lockdown', () => {
  it.each(['v9', 'opt20', 'new10'])('%s: anyone goes out and comes in; no pass is used', (p) => {
    const d = decide(exit(resident({ pass: null, lastNegativeAt: null }), null), gate(p))
    expect(d).toEqual({ allowed: true, reasons: [], usesPassId: null })
    expect(
      decide({ direction: 'in', zone: 'precaution', at, person: { kind: 'visitor' } }, gate(p))
        .allowed,
    ).toBe(true)
  })

  it('a person under home isolation may not go out (v9 secondary contact), and comes home', () => {
    const d = decide(exit(resident({ measures: ['secondary_contact'] }), null), gate('v9'))
    expect(d.reasons).toEqual([
      { code: 'GATE_UNDER_MEASURE', params: { category: 'secondary_contact' } },
    ])
    expect(
      decide(
        { ...exit(resident({ measures: ['secondary_contact'] }), null), direction: 'in' },
        gate('v9'),
      ).allowed,
    ).toBe(true)
  })

  it('the confining categories are the profile’s: new10 lets a medium-area arrival out (not listed)', () => {
    expect(
      decide(exit(resident({ measures: ['medium_risk_area'] }), null), gate('new10')).allowed,
    ).toBe(true)
    expect(decide(exit(resident({ measures: ['infected'] }), null), gate('new10')).allowed).toBe(
      false,
    )
    expect(decide(exit(resident({ measures: ['zone_sealed'] }), null), gate('v9')).allowed).toBe(
      true,
    )
  })
})

describe('the reasons staff read', () => {
  it('render in Chinese with the measure named and the day of the last swab', () => {
    installAllMessages()
    expect(
      renderReason('zh-CN', {
        code: 'GATE_UNDER_MEASURE',
        params: { category: 'secondary_contact' },
      }),
    ).toBe('密接的密接管控期间不得外出')
    expect(
      renderReason('zh-CN', {
        code: 'GATE_NO_RECENT_NEGATIVE',
        params: { hours: 48, day: '2026-11-28', month: 11, date: 28 },
      }),
    ).toBe('48小时内无核酸阴性结果（最近：11月28日）')
    expect(renderReason('zh-CN', { code: 'GATE_PASS_USED_UP', params: { limit: 1 } })).toBe(
      '该户今日出门证已用完（每户每天 1 张）',
    )
    expect(renderReason('en', { code: 'GATE_VISITORS_BANNED', params: {} })).toMatch(/visitors/i)
  })
})
