import { defineMessages } from '../core/i18n/messages.js'

/**
 * Texts of the measure rules' codes (measures.rules.ts): a category the profile in force does not
 * identify, why home isolation became centralized, and why a person cannot be released yet.
 */
export const measuresRulesMessages = defineMessages({
  MEASURE_CATEGORY_NOT_IDENTIFIED: {
    'zh-CN': '现行防控方案不认定此类人员，不能据此采取措施',
    en: 'The policy profile in force does not identify this category of people',
  },
  HOME_NO_SINGLE_ROOM: {
    'zh-CN': '家中没有单独房间',
    en: 'The home has no single room',
  },
  HOME_NO_OWN_BATHROOM: {
    'zh-CN': '没有独立卫生间',
    en: 'No bathroom of their own',
  },
  HOME_SHARED_CENTRAL_AIR: {
    'zh-CN': '与他人共用中央空调',
    en: 'Central air conditioning shared with others',
  },
  HOME_CORESIDENTS_NOT_ISOLATED: {
    'zh-CN': '同住人员未一同隔离',
    en: 'Co-residents are not isolated too',
  },
  MEASURE_RELEASE_NOT_YET: {
    'zh-CN': '尚未期满：{{date}} 方可解除',
    en: 'Not finished yet: release from {{date}}',
  },
  MEASURE_RELEASE_SYMPTOMS: {
    'zh-CN': '有症状，不能解除，请就医排查',
    en: 'Has symptoms: cannot be released; refer to a fever clinic',
  },
  MEASURE_RELEASE_POSITIVE: {
    'zh-CN': '{{day}} 核酸结果为阳性，不能解除',
    en: 'The test of {{day}} is positive: cannot be released',
  },
  MEASURE_RELEASE_TEST_MISSING: {
    'zh-CN': '{{day}} 应检未检',
    en: 'No test result for the test day {{day}}',
  },
  MEASURE_RELEASE_TEST_NOT_CLEAR: {
    'zh-CN': '{{day}} 结果为“{{result}}”，需重新采样',
    en: 'The result of {{day}} is "{{result}}": swab again',
  },
  MEASURE_RELEASE_TEST_POOLED: {
    'zh-CN': '{{day}} 的检测为混管，隔离人员须单管检测',
    en: 'The test of {{day}} was pooled: people in isolation need a single tube',
  },
  MEASURE_RELEASE_CT_LOW: {
    'zh-CN': '{{day}} 的 Ct 值为 {{ct}}，低于解除标准 {{releaseCt}}',
    en: 'The Ct value of {{day}} is {{ct}}, below the release threshold {{releaseCt}}',
  },
  MEASURE_RELEASE_TESTS_WITHIN: {
    'zh-CN':
      '须在 {{days}} 天内完成 {{count}} 次检测（间隔至少 {{hours}} 小时），目前 {{found}} 次',
    en: '{{count}} tests within {{days}} days at least {{hours}} h apart are needed; {{found}} so far',
  },
  MEASURE_RELEASE_RECHECK_MISSING: {
    'zh-CN': '尚无单管复核阴性结果',
    en: 'No negative single-tube recheck yet',
  },
  MEASURE_RELEASE_CLEAR_TESTS_MISSING: {
    'zh-CN': '须连续 {{count}} 次检测阴性或 Ct 值不低于 {{releaseCt}}',
    en: '{{count}} consecutive results negative or with Ct at least {{releaseCt}} are needed',
  },
  MEASURE_RELEASE_AREA_CHANGE: {
    'zh-CN': '此为风险区措施，不能手动解除：所在风险区降级或解除时自动结束，请在风险区页面办理',
    en: 'A risk-area measure is not released by hand: it ends when the area is lowered or lifted (on the area page)',
  },
})
