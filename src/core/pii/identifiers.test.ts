import { describe, expect, it } from 'vitest'
import { installMessages, renderMessage } from '../i18n/messages.js'
import { identifierMessages } from './identifiers.messages.js'
import {
  compactIdentifier,
  convertId15To18,
  idCheckCharacter,
  parseIdNumber,
  parseMobile,
  parsePassport,
} from './identifiers.js'

/** A synthetic ID from a real county code, with a correct check character. */
function makeId(county: string, birth: string, seq: string): string {
  const first17 = county + birth + seq
  return first17 + idCheckCharacter(first17)
}

describe('GB 11643 ID numbers', () => {
  it('accepts the standard’s own examples', () => {
    const a = parseIdNumber('11010519491231002X')
    expect(a).toEqual({
      ok: true,
      value: {
        number: '11010519491231002X',
        documentType: 'resident_id',
        birthDate: '1949-12-31',
        sex: 'female',
        converted: false,
      },
    })
    const b = parseIdNumber('440524188001010014')
    expect(b.ok && b.value.birthDate).toBe('1880-01-01')
    expect(b.ok && b.value.sex).toBe('male')
  })

  it('repairs full-width digits and letters and spaces of every kind (NFKC), the same number as typed in ASCII', () => {
    // 440524188001010014 typed on a full-width keyboard, with an ideographic space inside.
    const r = parseIdNumber('４４０５２４\u3000１８８００１０１００１４')
    expect(r.ok && r.value.number).toBe('440524188001010014')
    expect(r.ok && r.value.birthDate).toBe('1880-01-01')
    const x = parseIdNumber('１１０１０５\u00a0１９４９１２３１\u200b００２ｘ')
    expect(x.ok && x.value.number).toBe('11010519491231002X')
    expect(compactIdentifier(' ４４０\u3000５２４ ')).toBe('440524')
    // A full-width wrong check character is refused like an ASCII one, naming the expected one.
    expect(parseIdNumber('４４０５２４１８８００１０１００１５')).toMatchObject({
      ok: false,
      code: 'ID_CHECK_CHARACTER',
      params: { expected: '4' },
    })
    expect(parseMobile('１３８\u3000００１３\u3000８０００')).toEqual({
      ok: true,
      value: '13800138000',
    })
    expect(parsePassport('Ｅ１２３４５６７８')).toEqual({ ok: true, value: 'E12345678' })
  })

  it('accepts a lower-case x and surrounding spaces', () => {
    const r = parseIdNumber(' 11010519491231002x ')
    expect(r.ok && r.value.number).toBe('11010519491231002X')
  })

  it('rejects a wrong check character and names the expected one, as a code with its field and params', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({
      ok: false,
      reason: 'wrong check character (expected X)',
      code: 'ID_CHECK_CHARACTER',
      field: 'idNumber',
      params: { expected: 'X' },
    })
  })

  it('rejects impossible birth dates even with a correct check character', () => {
    const feb30 = makeId('320102', '19900230', '123')
    expect(parseIdNumber(feb30)).toMatchObject({
      ok: false,
      code: 'ID_BIRTH_DATE',
      params: { date: '19900230' },
    })
    const future = makeId('320102', '20991231', '123')
    expect(parseIdNumber(future, new Date('2026-11-29')).ok).toBe(false)
  })

  it('rejects wrong lengths and letters', () => {
    expect(parseIdNumber('1101051949123100')).toMatchObject({
      ok: false,
      code: 'ID_LENGTH',
      field: 'idNumber',
      params: { length: 16 },
    })
    expect(parseIdNumber('11010519491231A02X')).toMatchObject({ ok: false, code: 'ID_FORMAT' })
  })

  it('converts old 15-digit numbers by inserting 19 and computing the check', () => {
    expect(convertId15To18('110105491231002')).toBe('11010519491231002X')
    const r = parseIdNumber('110105491231002')
    expect(r.ok && r.value).toMatchObject({ number: '11010519491231002X', converted: true })
  })

  it('recognises HK/Macau and Taiwan residence permits and the foreigner ID', () => {
    const hk = parseIdNumber(makeId('810000', '19850615', '031'))
    expect(hk.ok && hk.value.documentType).toBe('hk_macau_permit')
    const tw = parseIdNumber(makeId('830000', '19850615', '042'))
    expect(tw.ok && tw.value.documentType).toBe('taiwan_permit')
    const foreigner = parseIdNumber(makeId('931586', '20230512', '001'))
    expect(foreigner.ok && foreigner.value.documentType).toBe('foreigner_id')
  })

  it('validates a thousand generated numbers and catches every single-digit typo', () => {
    const counties = ['320102', '320104', '320105', '320106', '320111', '310101', '440305']
    let seed = 42
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let i = 0; i < 1000; i++) {
      const y = 1930 + rand(90)
      const birth = `${y}${String(1 + rand(12)).padStart(2, '0')}${String(1 + rand(28)).padStart(2, '0')}`
      const id = makeId(
        counties[rand(counties.length)]!,
        birth,
        String(rand(1000)).padStart(3, '0'),
      )
      expect(parseIdNumber(id).ok).toBe(true)
      const pos = rand(17)
      const wrongDigit = (Number(id[pos]) + 1 + rand(9)) % 10
      const typo = id.slice(0, pos) + wrongDigit + id.slice(pos + 1)
      expect(parseIdNumber(typo).ok).toBe(false)
    }
  })
})

describe('mobile numbers and passports', () => {
  it('normalises +86, spaces and dashes', () => {
    expect(parseMobile('+86 138-0013-8000')).toEqual({ ok: true, value: '13800138000' })
    expect(parseMobile('008613800138000')).toEqual({ ok: true, value: '13800138000' })
  })
  it('rejects wrong lengths and prefixes with a code, the field and params', () => {
    expect(parseMobile('1380013800')).toMatchObject({
      ok: false,
      code: 'PHONE_LENGTH',
      field: 'phone',
      params: { length: 10 },
    })
    expect(parseMobile('12800138000')).toMatchObject({
      ok: false,
      code: 'PHONE_PREFIX',
      field: 'phone',
    })
    expect(parseMobile('1380013800a')).toMatchObject({
      ok: false,
      code: 'PHONE_DIGITS',
      field: 'phone',
    })
  })
  it('accepts passports of letters and digits', () => {
    expect(parsePassport('e1234 5678')).toEqual({ ok: true, value: 'E12345678' })
    expect(parsePassport('ABCDEFG')).toMatchObject({
      ok: false,
      code: 'PASSPORT_DIGITS',
      field: 'idNumber',
    })
    expect(parsePassport('A1').ok).toBe(false)
  })
})

describe('identifier reasons in both languages', () => {
  it('renders the code of a refused ID in Chinese and in English, with its params', () => {
    installMessages(identifierMessages)
    const r = parseIdNumber('110105194912310021')
    if (r.ok) throw new Error('expected a refusal')
    expect(renderMessage('zh-CN', r.code, r.params)).toBe('校验位不对（应为 X），请核对号码')
    expect(renderMessage('en', r.code, r.params)).toBe(
      'Wrong check character (expected X); check the number',
    )
  })
})
