/**
 * Labels of policy profile paths ("testing.turnaroundHours.recheck" → 核酸检测 · 出结果时限 · 复核管)
 * in zh-CN and English, so the diff and the overrides never show a raw path on a Chinese screen.
 * A path is labelled segment by segment: a whole-path entry first, else each segment's label; an
 * array index reads 第N项 / #N; a key not in the catalogue is kept as the key itself (an identifier,
 * never an English sentence).
 */
type Lang = 'zh-CN' | 'en'
type Label = Record<Lang, string>

const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en })

/** Whole paths whose meaning is more than their segments'. */
const PATHS: Record<string, Label> = {
  'testing.turnaroundHours.recheck': L(
    '复核管出结果时限（小时）',
    'Recheck tube turnaround (hours)',
  ),
  'testing.turnaroundHours.pooled': L('混管出结果时限（小时）', 'Pooled tube turnaround (hours)'),
  'testing.turnaroundHours.single': L('单管出结果时限（小时）', 'Single tube turnaround (hours)'),
  'testing.recheckHours': L('单管复核采样时限（小时）', 'Recheck swab deadline (hours)'),
  'testing.areaRoundHours': L('区域全员检测时限（小时）', 'Area-wide round deadline (hours)'),
}

const SEGMENTS: Record<string, Label> = {
  // sections
  measures: L('管控措施', 'Measures'),
  testing: L('核酸检测', 'Testing'),
  zones: L('风险区', 'Risk areas'),
  checkpoints: L('卡口', 'Checkpoints'),
  tracing: L('流调', 'Tracing'),
  // testing
  poolSizes: L('混采比例', 'Pool sizes'),
  defaultPoolSize: L('默认混采比例', 'Default pool size'),
  householdTubeCapacity: L('一户一管上限', 'Household tube capacity'),
  singleTubeTags: L('单采单检人群', 'Single-tube groups'),
  zonePoolSizes: L('各风险区混采比例', 'Pool size by area level'),
  turnaroundHours: L('出结果时限（小时）', 'Turnaround (hours)'),
  pooled: L('混管', 'Pooled'),
  single: L('单管', 'Single'),
  recheck: L('复核管', 'Recheck'),
  recheckHours: L('单管复核采样时限（小时）', 'Recheck deadline (hours)'),
  areaRoundHours: L('区域全员检测时限（小时）', 'Area-wide round (hours)'),
  areaRounds: L('区域全员检测', 'Area-wide rounds'),
  allowed: L('是否允许', 'Allowed'),
  stopRule: L('停止规则', 'Stop rule'),
  cleanRounds: L('连续无阳性轮数', 'Clean rounds'),
  waitDays: L('间隔天数', 'Days to wait'),
  finalRounds: L('最后检测轮数', 'Final rounds'),
  keyJobs: L('重点人群', 'Key jobs'),
  frequency: L('频次', 'Frequency'),
  routineFrequencies: L('常态化检测频次', 'Routine frequencies'),
  missedReasons: L('未检原因', 'Missed-test reasons'),
  specimenTypes: L('样本类型', 'Specimen types'),
  antigenAllowed: L('允许抗原', 'Antigen allowed'),
  ct: L('Ct 值', 'Ct values'),
  releaseCt: L('解除 Ct 值', 'Release Ct'),
  positiveBelow: L('阳性判定 Ct 值', 'Positive below Ct'),
  dayCounting: L('天数计算', 'Day counting'),
  dayZero: L('第0天', 'Day zero'),
  convention: L('计算方式', 'Convention'),
  fillUp: L('填平补齐', 'Fill up'),
  withinHours: L('小时内', 'Within hours'),
  withinDays: L('天内', 'Within days'),
  maxAgeYears: L('最大年龄（岁）', 'Maximum age (years)'),
  needsNote: L('须填写说明', 'Needs a note'),
  // measures
  categories: L('人员类别', 'Categories'),
  category: L('类别', 'Category'),
  phases: L('阶段', 'Phases'),
  days: L('天数', 'Days'),
  testDays: L('检测日', 'Test days'),
  endCondition: L('解除条件', 'End condition'),
  anchor: L('起算点', 'Start anchor'),
  homeFallback: L('居家条件不足时', 'Home fallback'),
  checkinsPerDay: L('每日健康监测次数', 'Check-ins a day'),
  releaseTests: L('解除前检测', 'Release tests'),
  releaseAtLeast: L('至少', 'At least'),
  testsWithin: L('检测间隔', 'Tests within'),
  minHoursApart: L('最少间隔（小时）', 'Hours apart at least'),
  close_contact: L('密切接触者', 'Close contact'),
  secondary_contact: L('密接的密接', 'Secondary contact'),
  high_risk_area: L('高风险区来返人员', 'From a high-risk area'),
  medium_risk_area: L('中风险区来返人员', 'From a medium-risk area'),
  low_risk_area: L('低风险区来返人员', 'From a low-risk area'),
  closed_loop_worker: L('闭环作业人员', 'Closed-loop worker'),
  infected: L('感染者', 'Infected'),
  temporary_control: L('临时管控', 'Temporary control'),
  home_isolation: L('居家隔离', 'Home isolation'),
  kind: L('类型', 'Kind'),
  // zones
  levels: L('风险等级', 'Levels'),
  levelNames: L('等级名称', 'Level names'),
  level: L('等级', 'Level'),
  sealed: L('封控区', 'Sealed area'),
  controlled: L('管控区', 'Controlled area'),
  precaution: L('防范区', 'Precaution area'),
  smallerUnits: L('更小单元', 'Smaller units'),
  areaUnits: L('划定单元', 'Area units'),
  forbiddenUnits: L('不得划定的单元', 'Forbidden units'),
  cleanDays: L('无新增天数', 'Clean days'),
  newCaseRestartsClock: L('新增病例重新计时', 'New case restarts the clock'),
  transitions: L('等级调整', 'Transitions'),
  // checkpoints, tracing
  negativeTestHours: L('核酸阴性证明时限（小时）', 'Negative test within (hours)'),
  negativeTestHoursChoices: L('阴性证明时限可选', 'Negative test choices (hours)'),
  healthCode: L('健康码', 'Health code'),
  healthCodeChecked: L('查验健康码', 'Health code checked'),
  exitPassesPerHouseholdPerDay: L('每户每日出入证', 'Exit passes a household a day'),
  visitorsAllowedInLockdown: L('封控期间允许访客', 'Visitors in lockdown'),
  manualRegistration: L('人工登记', 'Manual registration'),
  confinedMeasures: L('不得外出的管控类别', 'Measures that keep people in'),
  lookBackDays: L('追溯天数', 'Look-back days'),
  itineraryWindowDays: L('行程追溯天数', 'Itinerary window (days)'),
  cellMeters: L('时空伴随范围（米）', 'Cell radius (metres)'),
  phoneInCellHours: L('同时空时长（小时）', 'Hours in the cell'),
  minMinutes: L('最短接触（分钟）', 'Minutes at least'),
  widenOnlyWhenChainUnclear: L('传播链不清时才扩大', 'Widen only when the chain is unclear'),
  // profile
  overrides: L('本地规定', 'Local overrides'),
  mode: L('方式', 'Mode'),
  title: L('名称', 'Title'),
  issued: L('发布日期', 'Issued'),
  replaces: L('替代', 'Replaces'),
  hours: L('小时', 'Hours'),
  count: L('次数', 'Count'),
  cite: L('依据', 'Source'),
}

const langOf = (lang: string): Lang => (lang.startsWith('zh') ? 'zh-CN' : 'en')

/** Whether a path's last key is a citation ("cite", "recheckCite", "singleTubeCite"). */
export function isCitePath(path: string): boolean {
  const last = path.split('.').pop() ?? ''
  return /^cite$|Cite$/.test(last)
}

function segmentLabel(seg: string, lang: Lang): string {
  if (/^\d+$/.test(seg)) return lang === 'zh-CN' ? `第${Number(seg) + 1}项` : `#${Number(seg) + 1}`
  const known = SEGMENTS[seg]
  if (known) return known[lang]
  if (/Cite$/.test(seg)) return SEGMENTS.cite![lang]
  return seg
}

/** A profile path in the UI language: "核酸检测 · 出结果时限（小时） · 复核管". */
export function pathLabel(path: string, uiLang: string): string {
  const lang = langOf(uiLang)
  const whole = PATHS[path]
  const parts = path.split('.')
  if (whole) return `${segmentLabel(parts[0]!, lang)} · ${whole[lang]}`
  return parts.map((p) => segmentLabel(p, lang)).join(' · ')
}

/** Whether a cited text is written in the UI language (a profile's cite is shown only then). */
export function citeInLanguage(text: unknown, uiLang: string): text is string {
  if (typeof text !== 'string' || text.trim() === '') return false
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length
  const latin = (text.match(/[A-Za-z]/g) ?? []).length
  return langOf(uiLang) === 'zh-CN' ? han > 0 && han >= latin / 4 : han === 0
}
