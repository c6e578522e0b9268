import { describe, expect, it } from 'vitest'
import { installAllMessages, MESSAGES } from '../../messages.js'
import { POLICIES } from '../../permissions.js'
import { invalid, lockedOut, conflict, notFound, badRequest } from '../errors.js'
import { LANGS, renderMessage, renderReason, templateParams } from './messages.js'
import { languageOf } from './language.js'

installAllMessages()

describe('the message catalogues', () => {
  it('give every entry a text in both languages, with the same {{params}} in each', () => {
    const problems: string[] = []
    for (const [code, text] of Object.entries(MESSAGES)) {
      for (const lang of LANGS) if (!text[lang]?.trim()) problems.push(`${code}: no ${lang} text`)
      const zh = templateParams(text['zh-CN']).join(',')
      const en = templateParams(text.en).join(',')
      if (zh !== en) problems.push(`${code}: zh-CN has {{${zh}}}, en has {{${en}}}`)
    }
    expect(problems).toEqual([])
  })

  it('name every permission (PERMISSION_<name>), so the roles tab shows no permission code', () => {
    const missing = POLICIES.flatMap((p) => p.permissions).filter(
      (p) => !(`PERMISSION_${p}` in MESSAGES),
    )
    expect(missing).toEqual([])
  })

  it('write Chinese texts in Chinese (an English word without any Chinese is a missing translation)', () => {
    const latinOnly = Object.entries(MESSAGES)
      .filter(
        ([, t]) =>
          /[A-Za-z]{3,}/.test(t['zh-CN'].replace(/\{\{\w+\}\}/g, '')) &&
          !/[\u4e00-\u9fff]/.test(t['zh-CN']),
      )
      .map(([c]) => c)
    expect(latinOnly).toEqual([])
  })
})

describe('renderMessage', () => {
  it('interpolates params in the requested language', () => {
    expect(renderMessage('zh-CN', 'LOCKED_OUT', { seconds: 900 })).toBe(
      '登录失败次数过多，账号已暂时锁定，请 900 秒后再试',
    )
    expect(renderMessage('en', 'LOCKED_OUT', { seconds: 900 })).toBe(
      'Too many failed logins; try again in 900 s',
    )
  })

  it('renders an unknown code as itself and leaves a missing param visible', () => {
    expect(renderMessage('zh-CN', 'NO_SUCH_CODE_ANYWHERE')).toBe('NO_SUCH_CODE_ANYWHERE')
    expect(renderMessage('en', 'USERNAME_TAKEN')).toBe('The user name {{username}} is taken')
  })

  it('renders a validation rule with the field label, and how many more problems there were', () => {
    expect(
      renderReason('zh-CN', {
        code: 'VALIDATION',
        field: 'username',
        params: { rule: 'TOO_LONG', max: 64 },
      }),
    ).toBe('用户名最多 64 个字符')
    expect(
      renderReason('en', {
        code: 'VALIDATION',
        field: 'results.3.username',
        params: { rule: 'REQUIRED', more: 2 },
      }),
    ).toBe('User name is required (and 2 more)')
    expect(
      renderReason('zh-CN', {
        code: 'VALIDATION',
        field: 'unlabelled',
        params: { rule: 'REQUIRED' },
      }),
    ).toBe('此项不能为空')
    expect(renderReason('zh-CN', { code: 'NOT_IN_ANY_CATALOGUE' })).toBeUndefined()
  })
})

describe('errors carry code, field and params; message is the English text', () => {
  it('builds code-based errors', () => {
    const e = invalid('username', 'VALIDATION', { rule: 'TOO_LONG', max: 64 })
    expect([e.status, e.code, e.field, e.params, e.message]).toEqual([
      400,
      'VALIDATION',
      'username',
      { rule: 'TOO_LONG', max: 64 },
      'username: User name has at most 64 characters',
    ])
    const c = conflict('USERNAME_TAKEN', { username: 'li' })
    expect([c.status, c.code, c.message]).toEqual([
      409,
      'USERNAME_TAKEN',
      'The user name li is taken',
    ])
    const l = lockedOut(60)
    expect([l.status, l.code, l.params, l.headers]).toEqual([
      429,
      'LOCKED_OUT',
      { seconds: 60 },
      { 'retry-after': '60' },
    ])
    expect(notFound().code).toBe('NOT_FOUND')
  })

  it('still accepts the old English reasons (deprecated) as generic codes', () => {
    const e = invalid('code', 'must start with the parent code')
    expect([e.code, e.field, e.message]).toEqual([
      'VALIDATION',
      'code',
      'code: must start with the parent code',
    ])
    expect([notFound('Resident').code, notFound('Resident').message]).toEqual([
      'NOT_FOUND',
      'Resident not found',
    ])
    expect(badRequest('Something odd').code).toBe('BAD_REQUEST')
  })
})

describe('requestLanguage', () => {
  it('prefers ?lang, then Accept-Language by weight, and defaults to Chinese', () => {
    expect(languageOf(undefined)).toBe('zh-CN')
    expect(languageOf('fr-FR, de;q=0.8')).toBe('zh-CN')
    expect(languageOf('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en')
    expect(languageOf('zh-CN;q=0.5, en;q=0.9')).toBe('en')
    expect(languageOf('fr, zh-TW;q=0.7, en;q=0.5')).toBe('zh-CN')
    expect(languageOf('en', 'zh-CN')).toBe('zh-CN')
    expect(languageOf(undefined, 'en')).toBe('en')
  })
})
