import { describe, expect, it } from 'vitest'
import { errorText, reasonText, uiLang } from '../web/src/lib/errorText.js'

/** The shape of web/src/api.ts ApiError (which needs a browser to import): an Error with status, code, field, params. */
const apiError = (
  status: number,
  code: string,
  field?: string,
  params?: Record<string, string | number>,
): Error =>
  Object.assign(new Error('The English fallback the server sent'), {
    status,
    code,
    requestId: 'req-1',
    field,
    params,
  })

/** What a screen says about a refused request: the catalogue text in the UI language, never the server's English. */
describe('web errorText', () => {
  it('renders a code with its field label and params in the UI language', () => {
    const err = apiError(400, 'VALIDATION', 'username', { rule: 'TOO_LONG', max: 64 })
    expect(errorText(err, 'zh-CN')).toBe('用户名最多 64 个字符')
    expect(errorText(err, 'en-US')).toBe('User name has at most 64 characters')
    expect(errorText(apiError(429, 'LOCKED_OUT', undefined, { seconds: 900 }), 'zh-CN')).toBe(
      '登录失败次数过多，账号已暂时锁定，请 900 秒后再试',
    )
    expect(
      errorText(
        apiError(400, 'DIVISION_WRONG_PARENT', 'level', {
          level: 'street',
          expectedLevel: 'district',
          actualLevel: 'community',
        }),
        'zh-CN',
      ),
    ).toBe('街道/乡镇应隶属于区县，而不是社区/村')
  })

  it('falls back to a generic text of the status, never the server English or a raw code', () => {
    const unknown = errorText(apiError(409, 'A_CODE_NO_CATALOGUE_HAS'), 'zh-CN')
    expect(unknown).toBe('与当前数据冲突，请刷新后重试')
    expect(errorText(apiError(418, 'HTTP_418'), 'zh-CN')).toBe('提交的内容有误，请检查后重试')
    expect(errorText(apiError(502, 'HTTP_502'), 'zh-CN')).toBe('服务器出错了，请稍后再试')
    expect(errorText(new TypeError('Failed to fetch'), 'zh-CN')).toBe(
      '网络连接失败，请检查网络后重试',
    )
    for (const text of [unknown, errorText(apiError(500, 'INTERNAL'), 'zh-CN')]) {
      expect(text).not.toMatch(/English fallback|[A-Z]{3,}_/)
    }
  })

  it('renders row-level reasons the same way and takes any spelling of the UI language', () => {
    expect(
      reasonText(
        { code: 'VALIDATION', field: 'results.3.password', params: { rule: 'REQUIRED' } },
        'zh-CN',
      ),
    ).toBe('密码不能为空')
    expect(reasonText({ code: 'NO_SUCH_THING' }, 'zh-CN')).toBeUndefined()
    expect([
      uiLang('en'),
      uiLang('en-GB'),
      uiLang('zh-CN'),
      uiLang('fr'),
      uiLang(undefined),
    ]).toEqual(['en', 'en', 'zh-CN', 'zh-CN', 'zh-CN'])
  })
})
