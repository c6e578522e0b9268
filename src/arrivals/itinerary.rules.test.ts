import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkpointsSection } from '../policy/sections/checkpoints.profile.js'
import {
  AreaIndex,
  classifyItinerary,
  normaliseName,
  type CheckpointsProfile,
  type ExternalArea,
  type ItineraryPlace,
  type LocalAreaRef,
} from './itinerary.rules.js'

const PROFILES = ['v9', 'opt20', 'new10'] as const
type Profile = (typeof PROFILES)[number]
const profileOf = (p: Profile): CheckpointsProfile =>
  checkpointsSection.parse(
    JSON.parse(
      fs.readFileSync(new URL(`../policy/profiles/${p}/checkpoints.json`, import.meta.url), 'utf8'),
    ),
  )

const ARRIVED = '2026-12-02'
const external: ExternalArea[] = [
  {
    id: 'nj-high',
    province: '江苏省',
    city: '南京市',
    district: '鼓楼区',
    street: '湖南路街道',
    place: '幸福里小区',
    level: 'high',
    validFrom: '2026-11-20',
  },
  {
    id: 'sh-medium',
    province: '上海市',
    city: '上海市',
    district: '浦东新区',
    street: '花木街道',
    level: 'medium',
    validFrom: '2026-11-25',
  },
  {
    id: 'gz-high-ended',
    province: '广东省',
    city: '广州市',
    district: '海珠区',
    street: '赤岗街道',
    level: 'high',
    validFrom: '2026-10-01',
    validTo: '2026-11-01',
  },
  {
    id: 'cd-high-ends-today',
    province: '四川省',
    city: '成都市',
    district: '武侯区',
    level: 'high',
    validFrom: '2026-11-01',
    validTo: '2026-11-30',
  },
]
const local: LocalAreaRef[] = [
  {
    id: 'local-high',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    street: '灵隐街道',
    place: '玉泉小区',
    level: 'high',
    validFrom: '2026-11-28',
  },
]

const place = (p: ItineraryPlace): ItineraryPlace => p
const CASES: {
  name: string
  places: ItineraryPlace[]
  expect: Record<Profile, { origin: string | null; category: string | null; flagged?: boolean }>
  unmatched?: number[]
}[] = [
  {
    name: 'a compound of a high-risk area, names without suffixes and in 全角',
    places: [place({ city: '南京', district: '鼓楼', street: '湖南路', place: '幸福里' })],
    expect: {
      v9: { origin: 'high_risk_area', category: 'high_risk_area' },
      opt20: { origin: 'high_risk_area', category: 'high_risk_area' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'free text containing the area',
    places: [place({ text: '江苏 南京市 鼓楼区 湖南路街道 幸福里小区 ３栋' })],
    expect: {
      v9: { origin: 'high_risk_area', category: 'high_risk_area' },
      opt20: { origin: 'high_risk_area', category: 'high_risk_area' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'a street of a medium-risk area',
    places: [
      place({ province: '上海', city: '上海', district: '浦东', street: '花木', place: '某某苑' }),
    ],
    expect: {
      v9: { origin: 'medium_risk_area', category: 'medium_risk_area' },
      opt20: { origin: null, category: null, flagged: true },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'another street of a district that has a high area (low risk in a risk county)',
    places: [
      place({ province: '江苏省', city: '南京市', district: '鼓楼区', street: '宁海路街道' }),
    ],
    expect: {
      v9: { origin: 'low_risk_area_in_risk_county', category: 'low_risk_area' },
      opt20: { origin: null, category: null, flagged: true },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'another district of the same city: nothing, flagged for a person',
    places: [place({ province: '江苏省', city: '南京市', district: '玄武区' })],
    expect: {
      v9: { origin: null, category: null },
      opt20: { origin: null, category: null },
      new10: { origin: null, category: null },
    },
    unmatched: [0],
  },
  {
    name: 'overseas',
    places: [place({ countryCode: 'jp', text: '東京' })],
    expect: {
      v9: { origin: 'overseas', category: 'inbound' },
      opt20: { origin: 'overseas', category: 'inbound' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'Hong Kong by name',
    places: [place({ province: '香港特别行政区' })],
    expect: {
      v9: { origin: 'hk_macau_taiwan', category: 'inbound' },
      opt20: { origin: 'hk_macau_taiwan', category: 'inbound' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'overseas is more severe than a high area',
    places: [
      place({ city: '南京', district: '鼓楼', street: '湖南路', place: '幸福里' }),
      place({ overseas: true, text: 'Singapore' }),
    ],
    expect: {
      v9: { origin: 'overseas', category: 'inbound' },
      opt20: { origin: 'overseas', category: 'inbound' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'a local high area (this city) counts like an external one',
    places: [place({ city: '杭州', district: '西湖', street: '灵隐', place: '玉泉' })],
    expect: {
      v9: { origin: 'high_risk_area', category: 'high_risk_area' },
      opt20: { origin: 'high_risk_area', category: 'high_risk_area' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'an entry that ended before the stay does not count',
    places: [place({ city: '广州', district: '海珠', street: '赤岗', from: '2026-11-28' })],
    expect: {
      v9: { origin: null, category: null },
      opt20: { origin: null, category: null },
      new10: { origin: null, category: null },
    },
    unmatched: [0],
  },
  {
    name: 'an entry stops counting on its end date (stay on that day only)',
    places: [place({ city: '成都', district: '武侯', from: '2026-11-30', to: '2026-11-30' })],
    expect: {
      v9: { origin: null, category: null },
      opt20: { origin: null, category: null },
      new10: { origin: null, category: null },
    },
    unmatched: [0],
  },
  {
    name: 'but counts for a stay the day before it ended',
    places: [place({ city: '成都', district: '武侯', from: '2026-11-29', to: '2026-11-29' })],
    expect: {
      v9: { origin: 'high_risk_area', category: 'high_risk_area' },
      opt20: { origin: 'high_risk_area', category: 'high_risk_area' },
      new10: { origin: null, category: null, flagged: true },
    },
  },
  {
    name: 'a stay before the window is not matched',
    places: [
      place({
        city: '南京',
        district: '鼓楼',
        street: '湖南路',
        place: '幸福里',
        from: '2026-11-20',
        to: '2026-11-24',
      }),
    ],
    expect: {
      v9: { origin: null, category: null },
      opt20: { origin: null, category: null },
      new10: { origin: null, category: null },
    },
  },
  {
    name: 'a same-named district in another city does not match',
    places: [place({ province: '福建省', city: '福州市', district: '鼓楼区', street: '湖南路' })],
    expect: {
      v9: { origin: null, category: null },
      opt20: { origin: null, category: null },
      new10: { origin: null, category: null },
    },
    unmatched: [0],
  },
]

describe('classifyItinerary', () => {
  for (const c of CASES) {
    for (const p of PROFILES) {
      it(`${p}: ${c.name}`, () => {
        const r = classifyItinerary({
          places: c.places,
          arrivedOn: ARRIVED,
          externalAreas: external,
          localAreas: local,
          profile: profileOf(p),
        })
        expect({ origin: r.origin, category: r.category }).toEqual({
          origin: c.expect[p].origin,
          category: c.expect[p].category,
        })
        expect(r.stricterLocalRule ?? false).toBe(c.expect[p].flagged ?? false)
        expect(r.unmatched).toEqual(c.unmatched ?? [])
      })
    }
  }

  it('keeps every place: unknown text and empty places are flagged, never dropped', () => {
    const r = classifyItinerary({
      places: [{ text: '老家' }, {}, { city: '南京', district: '鼓楼', place: '幸福里' }],
      arrivedOn: ARRIVED,
      externalAreas: external,
      localAreas: [],
      profile: profileOf('v9'),
    })
    expect(r.unmatched).toEqual([0, 1])
    expect(r.matches).toEqual([
      {
        placeIndex: 2,
        areaId: 'nj-high',
        level: 'high',
        source: 'external',
        origin: 'high_risk_area',
      },
    ])
    expect(r.windowStart).toBe('2026-11-25')
  })

  it('the window follows the profile', () => {
    const p = { ...profileOf('v9'), itineraryWindowDays: 14 }
    const r = classifyItinerary({
      places: [
        { city: '南京', district: '鼓楼', street: '湖南路', place: '幸福里', to: '2026-11-20' },
      ],
      arrivedOn: ARRIVED,
      externalAreas: external,
      localAreas: [],
      profile: p,
    })
    expect(r.origin).toBe('high_risk_area')
    expect(r.windowStart).toBe('2026-11-18')
  })

  it('one index serves a batch and gives the same answers', () => {
    const idx = new AreaIndex(external, local)
    const input = {
      places: [{ text: '上海浦东花木街道' }],
      arrivedOn: ARRIVED,
      externalAreas: external,
      localAreas: local,
      profile: profileOf('v9'),
    }
    expect(classifyItinerary(input, idx)).toEqual(classifyItinerary(input))
    expect(classifyItinerary(input, idx).origin).toBe('medium_risk_area')
  })
})

describe('normaliseName', () => {
  it.each([
    ['province', '江苏省', '江苏'],
    ['province', '广西壮族自治区', '广西'],
    ['city', '南京市', '南京'],
    ['city', '市辖区', ''],
    ['district', '鼓楼区', '鼓楼'],
    ['district', '浦东新区', '浦东'],
    ['district', '和县', '和'],
    ['street', '湖南路街道', '湖南路'],
    ['place', ' 幸福里 小区 ', '幸福里'],
    ['place', 'ＡＢＣ花园', 'abc花园'],
  ] as const)('%s %s → %s', (field, name, want) => {
    expect(normaliseName(field, name)).toBe(want)
  })
})
