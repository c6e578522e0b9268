import { describe, expect, it } from 'vitest'
import { idCheckCharacter, parseIdNumber } from '../src/core/pii/identifiers.js'
import { identifierMessages } from '../src/core/pii/identifiers.messages.js'
import { installMessages, renderReason } from '../src/core/i18n/messages.js'
import { idProblem, phoneProblem } from '../web/src/lib/identifiers.js'

/** The registration form checks ID numbers and phones as you type with the server's own rules. */
describe('web form identifier checks', () => {
  const first17 = '32010219850615003'
  const good = first17 + idCheckCharacter(first17)
  const wrongCheck = first17 + (idCheckCharacter(first17) === '6' ? '7' : '6')

  it('say what the server would say about a wrong check character, with the expected one', () => {
    const p = idProblem(wrongCheck)
    expect(p).toMatchObject({
      code: 'ID_CHECK_CHARACTER',
      field: 'idNumber',
      params: { expected: idCheckCharacter(first17) },
    })
    const server = parseIdNumber(wrongCheck)
    expect(server.ok ? null : server.code).toBe(p?.code)
    installMessages(identifierMessages)
    expect(renderReason('zh-CN', p!)).toBe(
      `校验位不对（应为 ${idCheckCharacter(first17)}），请核对号码`,
    )
  })

  it('accept what the server accepts: a lower-case x, spaces, an old 15-digit number', () => {
    expect(idProblem(good)).toBeNull()
    expect(idProblem(` ${good.slice(0, 6)} ${good.slice(6)} `)).toBeNull()
    expect(idProblem('110105491231002')).toBeNull()
    expect(idProblem('11010519491231002x')).toBeNull()
  })

  it('refuse what the server refuses beyond the checksum: an impossible birth date, a region code 0', () => {
    const feb30 = '32010219900230123'
    expect(idProblem(feb30 + idCheckCharacter(feb30))).toMatchObject({ code: 'ID_BIRTH_DATE' })
    const region0 = '02010219850615003'
    expect(idProblem(region0 + idCheckCharacter(region0))).toMatchObject({ code: 'ID_REGION' })
  })

  it('check phones the server way (+86 and dashes removed; empty is fine)', () => {
    expect(phoneProblem('')).toBeNull()
    expect(phoneProblem('+86 138-0013-8000')).toBeNull()
    expect(phoneProblem('1380013800')).toMatchObject({
      code: 'PHONE_LENGTH',
      field: 'phone',
      params: { length: 10 },
    })
  })
})
