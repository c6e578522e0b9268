import { describe, expect, it } from 'vitest'
import i18n from '../i18n'
import {
  CHECKIN_SLOTS,
  END_REASONS,
  MEASURE_CATEGORIES,
  MEASURE_LISTS,
  MEASURE_SOURCES,
  MEASURE_STATUSES,
  PHASE_KINDS,
  SYMPTOMS,
  TEST_DAY_STATES,
} from '../../../src/measures/measures.schema.js'
import { END_CONDITIONS } from '../../../src/measures/measures.profile.js'

/**
 * The measure screens label server values through template keys (t(`measures.categories.${c}`)):
 * a category or phase kind the server adds without its text would show raw (close_contact) on a
 * Chinese screen. Each value of every such enum needs a label in both locale files, and the
 * Chinese one must be Chinese.
 */
const LABELLED: readonly (readonly [prefix: string, values: readonly string[]])[] = [
  ['measures.categories', MEASURE_CATEGORIES],
  ['measures.phases', PHASE_KINDS],
  ['measures.statuses', MEASURE_STATUSES],
  ['measures.sources', MEASURE_SOURCES],
  ['measures.lists', MEASURE_LISTS],
  ['measures.empty', MEASURE_LISTS],
  ['measures.testDayStates', TEST_DAY_STATES],
  ['measures.slots', CHECKIN_SLOTS],
  ['measures.symptoms', SYMPTOMS],
  ['measures.endReasons', END_REASONS],
  ['measures.endConditions', END_CONDITIONS],
]

const label = (lng: 'zh-CN' | 'en', key: string): unknown =>
  i18n.getResource(lng, 'translation', key)

describe('every measure value the web labels has a text in both languages', () => {
  for (const [prefix, values] of LABELLED) {
    it(`${prefix}.*`, () => {
      const missing = values.flatMap((v) =>
        (['zh-CN', 'en'] as const)
          .filter((lng) => {
            const text = label(lng, `${prefix}.${v}`)
            return typeof text !== 'string' || text.trim() === ''
          })
          .map((lng) => `${lng}: ${prefix}.${v}`),
      )
      expect(missing).toEqual([])
    })
  }

  it('a Chinese label is Chinese (it has a Han character), an English one has none', () => {
    const wrong = LABELLED.flatMap(([prefix, values]) =>
      values.flatMap((v) => {
        const zh = label('zh-CN', `${prefix}.${v}`)
        const en = label('en', `${prefix}.${v}`)
        return [
          ...(typeof zh === 'string' && !/\p{Script=Han}/u.test(zh)
            ? [`zh-CN: ${prefix}.${v}`]
            : []),
          ...(typeof en === 'string' && /\p{Script=Han}/u.test(en) ? [`en: ${prefix}.${v}`] : []),
        ]
      }),
    )
    expect(wrong).toEqual([])
  })

  it('the check notices a value without a label', () => {
    expect(label('zh-CN', 'measures.categories.no_such_category')).toBeUndefined()
    expect(MEASURE_CATEGORIES).toContain('close_contact')
    expect(PHASE_KINDS).toContain('home_health_monitoring')
  })
})
