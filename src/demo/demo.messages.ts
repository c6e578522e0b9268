import { defineMessages } from '../core/i18n/messages.js'

export const demoMessages = defineMessages({
  DEMO_NOT_EMPTY: {
    'zh-CN': '数据库中已有行政区划；演示城市只能填入空数据库',
    en: 'The database already has divisions; the demo city fills an empty database',
  },
})
