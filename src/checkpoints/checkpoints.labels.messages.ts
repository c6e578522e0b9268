import { defineMessages } from '../core/i18n/messages.js'

/** Readable names of the checkpoints' permissions, audit actions and targets. */
export const checkpointsLabelMessages = defineMessages({
  'PERMISSION_checkpoints:read': {
    'zh-CN': '查看卡口与来访登记',
    en: 'Read checkpoints and arrivals',
  },
  'PERMISSION_checkpoints:manage': { 'zh-CN': '管理卡口', en: 'Manage checkpoints' },
  'PERMISSION_checkpoints:desk': { 'zh-CN': '卡口值守', en: 'Work the checkpoint desk' },
  'PERMISSION_checkpoints:start_measure': {
    'zh-CN': '为来访人员启动管控',
    en: 'Start an arrival’s measure',
  },
  'PERMISSION_checkpoints:gate': { 'zh-CN': '卡口出入登记', en: 'Log entries and exits at a gate' },
  'PERMISSION_checkpoints:exit_pass': { 'zh-CN': '发放出门证', en: 'Issue exit passes' },
  'AUDIT_exit_pass.issue': { 'zh-CN': '发放出门证', en: 'Exit passes issued' },
  TARGET_household_exit_pass: { 'zh-CN': '出门证', en: 'Exit pass' },
  'AUDIT_checkpoint.create': { 'zh-CN': '新建卡口', en: 'Checkpoint created' },
  'AUDIT_checkpoint.update': { 'zh-CN': '修改卡口', en: 'Checkpoint changed' },
  'AUDIT_checkpoint.archive': { 'zh-CN': '撤销卡口', en: 'Checkpoint retired' },
  'AUDIT_checkpoint.rotate_token': { 'zh-CN': '更换卡口二维码', en: 'Checkpoint poster renewed' },
  'AUDIT_arrival.report': { 'zh-CN': '来访报备', en: 'Arrival reported' },
  'AUDIT_arrival.update': { 'zh-CN': '更新来访报备', en: 'Arrival report updated' },
  'AUDIT_arrival.confirm': { 'zh-CN': '卡口确认到达', en: 'Arrival confirmed at the gate' },
  'AUDIT_arrival.start_measure': {
    'zh-CN': '为来访人员启动管控',
    en: 'Measure started for an arrival',
  },
  TARGET_checkpoint: { 'zh-CN': '卡口', en: 'Checkpoint' },
  TARGET_arrival: { 'zh-CN': '来访报备', en: 'Arrival report' },
  ORIGIN_high_risk_area: { 'zh-CN': '高风险区', en: 'High-risk area' },
  ORIGIN_medium_risk_area: { 'zh-CN': '中风险区', en: 'Medium-risk area' },
  ORIGIN_low_risk_area_in_risk_county: {
    'zh-CN': '有中高风险区的县（区）的低风险区',
    en: 'Low-risk area of a county with medium or high areas',
  },
  ORIGIN_overseas: { 'zh-CN': '境外', en: 'Overseas' },
  ORIGIN_hk_macau_taiwan: { 'zh-CN': '港澳台', en: 'Hong Kong, Macau or Taiwan' },
  ORIGIN_low_risk_area: { 'zh-CN': '低风险区', en: 'Low-risk area' },
})
