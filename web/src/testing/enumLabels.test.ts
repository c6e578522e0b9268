import { describe, expect, it } from 'vitest'
import i18n from '../i18n'
import { ROLES } from '../../../src/core/auth/roles.js'
import { LEVELS } from '../../../src/core/tree/tree.schema.js'
import { AUDIT_PROBLEM_KINDS } from '../../../src/core/audit/audit.schema.js'
import {
  KNOWN_TAGS,
  RELATIONS,
  RESIDENCE_TYPES,
  SEXES,
  RESIDENT_EVENT_KINDS,
  TRANSFER_STATUSES,
} from '../../../src/registry/registry.vocab.js'
import { registerOutcome, transferOut } from '../../../src/registry/registry.schema.js'
import { ROSTER_FIELDS } from '../../../src/imports/imports.headers.js'
import { ROUND_STATUSES, SCAN_FIELDS, SCAN_WARNINGS } from '../../../src/testing/testing.schema.js'
import { KEY_GROUP_KINDS, ROUND_KINDS } from '../../../src/testing/testing.tables.js'
import { MISSED_REASONS } from '../../../src/testing/missed.schema.js'
import {
  CONFLICT_STATUSES,
  RECHECK_STATUSES,
  RESULT_OUTCOMES,
  TUBE_RESULTS,
} from '../../../src/testing/results.schema.js'
// Alert kinds are free strings on the server (alerts.kind is text): the ones results and the
// missed list raise are read from their source, every quoted kind of a `kind:` line (a line may
// choose between two: `kind: invalidTube ? 'testing.reswab' : 'testing.pool_positive'`).
import resultsService from '../../../src/testing/results.service.ts?raw'
import missedService from '../../../src/testing/missed.service.ts?raw'

const ALERT_KINDS = [
  ...new Set(
    [resultsService, missedService].flatMap((src) =>
      [...src.matchAll(/^\s*kind: (.+)$/gm)].flatMap((line) =>
        [...line[1]!.matchAll(/'(testing\.[a-z_]+)'/g)].map((m) => m[1]!),
      ),
    ),
  ),
]

/**
 * The screens label a server enum value through a template key (t(`sampling.warnings.${w}`)).
 * A value the server adds without its label would show raw (`outside_sampler_scope`) on a
 * Chinese screen; this checks each value of every such enum has its text in both locale files.
 * (Codes rendered from the message catalogue are checked by src/core/i18n/messages.test.ts.)
 */
const LABELLED: readonly (readonly [prefix: string, values: readonly string[]])[] = [
  ['roles', ROLES],
  ['levels', LEVELS],
  ['audit.problem', AUDIT_PROBLEM_KINDS],
  ['tags', KNOWN_TAGS],
  ['relations', RELATIONS],
  ['residenceTypes', RESIDENCE_TYPES],
  ['sex', SEXES],
  ['events', RESIDENT_EVENT_KINDS],
  ['registry.transfers.statuses', TRANSFER_STATUSES],
  ['registry.transfers', transferOut.shape.direction.options],
  ['registry.outcomes', registerOutcome.shape.outcome.options],
  ['imports.fields', ROSTER_FIELDS],
  ['rounds.kinds', ROUND_KINDS],
  ['rounds.statuses', ROUND_STATUSES],
  ['sampling.warnings', SCAN_WARNINGS],
  ['webui.scanRefused', SCAN_FIELDS],
  ['routine.kinds', KEY_GROUP_KINDS],
  ['missed.reasons', MISSED_REASONS],
  ['conflicts.statuses', CONFLICT_STATUSES],
  ['conflicts.results', TUBE_RESULTS],
  ['rechecks.statuses', RECHECK_STATUSES],
  ['results.outcomes', RESULT_OUTCOMES],
  ['alerts.kinds', ALERT_KINDS],
]

function label(lng: 'zh-CN' | 'en', key: string): unknown {
  return i18n.getResource(lng, 'translation', key)
}

describe('every server enum value the web labels has a text in both languages', () => {
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

  it('a Chinese label is Chinese, not the raw value', () => {
    const raw = LABELLED.flatMap(([prefix, values]) =>
      values.filter((v) => label('zh-CN', `${prefix}.${v}`) === v).map((v) => `${prefix}.${v}`),
    )
    expect(raw).toEqual([])
  })

  it('the check itself notices a value without a label', () => {
    expect(label('zh-CN', 'sampling.warnings.no_such_warning')).toBeUndefined()
    expect(ALERT_KINDS).toEqual(
      expect.arrayContaining([
        'testing.pool_positive',
        'testing.reswab',
        'testing.confirmed_positive',
        'testing.result_conflict',
        'testing.test_refused',
      ]),
    )
  })
})
