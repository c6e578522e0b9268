import { defineMessages } from '../core/i18n/messages.js'

/** Texts of an area's 居住人员 and 重点人群 tabs (web/src/zones/AreaPeople.tsx). */
export const zonesInsideMessages = defineMessages({
  ZONE_UI_TAB_RESIDENTS: { 'zh-CN': '居住人员', en: 'Residents' },
  ZONE_UI_TAB_VULNERABLE: { 'zh-CN': '重点人群', en: 'Vulnerable' },
  ZONE_UI_INSIDE_SEARCH: { 'zh-CN': '姓名、拼音或房号', en: 'Name, pinyin or flat' },
  ZONE_UI_INSIDE_ALL: { 'zh-CN': '全部', en: 'All' },
  ZONE_UI_INSIDE_UNDER: { 'zh-CN': '有管控措施', en: 'Under a measure' },
  ZONE_UI_INSIDE_NOT_UNDER: { 'zh-CN': '无管控措施', en: 'Under no measure' },
  ZONE_UI_INSIDE_MORE: { 'zh-CN': '加载更多', en: 'Load more' },
  ZONE_UI_INSIDE_EMPTY: { 'zh-CN': '没有符合条件的居民', en: 'Nobody matches' },
  ZONE_UI_INSIDE_NO_MEASURE: { 'zh-CN': '无措施', en: 'No measure' },
  ZONE_UI_INSIDE_DAYS_LEFT: { 'zh-CN': '剩 {{n}} 天', en: '{{n}} days left' },
  ZONE_UI_INSIDE_OPEN_END: { 'zh-CN': '至解除', en: 'Until released' },
  ZONE_UI_VULNERABLE_SUMMARY: {
    'zh-CN': '重点人群 {{n}} 人，其中 {{missing}} 人未指定包保人',
    en: '{{n}} vulnerable, {{missing}} without a helper',
  },
  /** The summary card's value beside its 重点人群 label. */
  ZONE_UI_VULNERABLE_COUNT: {
    'zh-CN': '{{n}} 人，其中 {{missing}} 人未指定包保人',
    en: '{{n}}, {{missing}} without a helper',
  },
  ZONE_UI_VULNERABLE_ONLY_MISSING: {
    'zh-CN': '只看未指定包保人',
    en: 'Only those without a helper',
  },
  ZONE_UI_NO_HELPER: { 'zh-CN': '未指定包保人', en: 'No helper named' },
  ZONE_UI_HELPER: { 'zh-CN': '包保人：{{name}} {{phone}}', en: 'Helper: {{name}} {{phone}}' },
  ZONE_UI_PROXY: {
    'zh-CN': '无手机，代联系人：{{name}}{{relation}} {{phone}}',
    en: 'No phone; call {{name}}{{relation}} {{phone}}',
  },
  ZONE_UI_HOSPITAL: { 'zh-CN': '定点医院：{{name}}', en: 'Hospital: {{name}}' },
  ZONE_UI_NO_HOSPITAL: { 'zh-CN': '未指定定点医院', en: 'No designated hospital' },
  ZONE_UI_MEASURE_zone_sealed: { 'zh-CN': '封控（足不出户）', en: 'Sealed (stay home)' },
  ZONE_UI_MEASURE_zone_controlled: {
    'zh-CN': '管控（不出区域）',
    en: 'Controlled (stay in the area)',
  },
  ZONE_UI_MEASURE_zone_precaution: { 'zh-CN': '防范', en: 'Precaution' },
})
