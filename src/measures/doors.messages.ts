import { defineMessages } from '../core/i18n/messages.js'

/** Texts of the door sensors (门磁): refusals of the webhook and of registration, labels. */
export const doorsMessages = defineMessages({
  DOOR_SENSOR_UNKNOWN: {
    'zh-CN': '门磁设备未登记或已停用',
    en: 'The door sensor is not registered or has been revoked',
  },
  DOOR_SIGNATURE_INVALID: {
    'zh-CN': '门磁消息签名无效',
    en: 'The door sensor message has no valid signature',
  },
  DOOR_TIMESTAMP_OUT_OF_WINDOW: {
    'zh-CN': '门磁消息时间与服务器相差超过 {{minutes}} 分钟，已拒收',
    en: 'The door sensor message is more than {{minutes}} minutes off the server time',
  },
  DOOR_EVENT_REPLAYED: {
    'zh-CN': '门磁事件 {{eventId}} 已收到过，重复消息已拒收',
    en: 'The door sensor event {{eventId}} was already received: replay refused',
  },
  DOOR_HOUSEHOLD_MISMATCH: {
    'zh-CN': '门磁消息中的住户与该设备登记的住户不一致',
    en: 'The household of the message is not the household the sensor is registered to',
  },
  DOOR_HOUSEHOLD_NOT_FOUND: {
    'zh-CN': '找不到该住户',
    en: 'Household not found',
  },
  DOOR_SENSOR_TAKEN: {
    'zh-CN': '设备 {{deviceId}} 已登记在用',
    en: 'The device {{deviceId}} is already registered',
  },
  DOOR_SENSOR_NOT_FOUND: {
    'zh-CN': '找不到该门磁设备',
    en: 'Door sensor not found',
  },
  DOOR_SENSOR_REVOKED: {
    'zh-CN': '设备 {{deviceId}} 已停用，不能更换密钥；请重新登记',
    en: 'The device {{deviceId}} is revoked: its secret cannot be rotated; register it again',
  },
  DOOR_DIVISION_UNKNOWN: {
    'zh-CN': '找不到该社区或网格',
    en: 'Community or grid not found',
  },
  'AUDIT_doors.rotate': { 'zh-CN': '更换门磁密钥', en: 'Door sensor secret rotated' },
  'AUDIT_doors.register': { 'zh-CN': '登记门磁', en: 'Door sensor registered' },
  'AUDIT_doors.revoke': { 'zh-CN': '停用门磁', en: 'Door sensor revoked' },
  TARGET_door_sensor: { 'zh-CN': '门磁', en: 'Door sensor' },
  'PERMISSION_doors:manage': {
    'zh-CN': '登记、停用门磁和更换密钥',
    en: 'Register and revoke door sensors, rotate their secrets',
  },
  'PERMISSION_doors:read': { 'zh-CN': '查看门磁', en: 'Read door sensors' },
})
