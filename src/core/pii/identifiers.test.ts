import { describe, expect, it } from 'vitest'
import { installMessages, renderMessage } from '../i18n/messages.js'
import { identifierMessages } from './identifiers.messages.js'
import {
  compactIdentifier,
  convertId15To18,
  idCheckCharacter,
  parseIdNumber,
  parseCountry,
  parseDocument,
  parseMobile,
  parsePassport,
  parsePhone,
  phoneLast4,
  type IdDocumentType,
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

describe('documents people carry, each under its own type', () => {
  const today = new Date('2026-12-02')
  const accepted: [IdDocumentType, string, string, Partial<{ birthDate: string; sex: string }>][] =
    [
      // 回乡证: H/M + 8 digits; a 2-digit issue count after it is the same card.
      ['hk_macau_travel_permit', 'H12345678', 'H12345678', {}],
      ['hk_macau_travel_permit', 'h1234567801', 'H12345678', {}],
      ['hk_macau_travel_permit', 'Ｍ８７６５４３２１', 'M87654321', {}],
      // 台胞证: 8 digits.
      ['taiwan_travel_permit', '1234 5678', '12345678', {}],
      // 永居证: the older 15-character card, and the 2023 one whose birth date and sex are read.
      ['foreigner_id', 'usa310085062501', 'USA310085062501', {}],
      [
        'foreigner_id',
        makeId('931840', '19850625', '011'),
        makeId('931840', '19850625', '011'),
        { birthDate: '1985-06-25', sex: 'male' },
      ],
      ['passport', 'e1234 5678', 'E12345678', {}],
      ['resident_id', '11010519491231002X', '11010519491231002X', { birthDate: '1949-12-31' }],
    ]
  it.each(accepted)('%s %s is accepted as %s', (type, input, number, more) => {
    const r = parseDocument(type, input, today)
    expect(r).toMatchObject({ ok: true, value: { number, documentType: type, ...more } })
  })

  const refused: [IdDocumentType, string, string][] = [
    ['hk_macau_travel_permit', 'K12345678', 'RETURN_PERMIT_FORMAT'],
    ['hk_macau_travel_permit', 'H1234567', 'RETURN_PERMIT_FORMAT'],
    ['hk_macau_travel_permit', 'H123456789', 'RETURN_PERMIT_FORMAT'],
    ['taiwan_travel_permit', '1234567', 'TAIWAN_PERMIT_FORMAT'],
    ['taiwan_travel_permit', 'T1234567', 'TAIWAN_PERMIT_FORMAT'],
    ['foreigner_id', 'US310085062501', 'FOREIGNER_CARD_FORMAT'],
    // An ordinary resident ID is not a permanent residence card.
    ['foreigner_id', '11010519491231002X', 'FOREIGNER_CARD_FORMAT'],
    // The 2023 card's birth date is checked like a resident ID's.
    ['foreigner_id', makeId('931840', '19850230', '011'), 'ID_BIRTH_DATE'],
    ['foreigner_id', makeId('991840', '19850625', '011'), 'ID_REGION_UNKNOWN'],
    ['passport', 'ABCDEFG', 'PASSPORT_DIGITS'],
  ]
  it.each(refused)('%s %s is refused with %s on the idNumber field', (type, input, code) => {
    expect(parseDocument(type, input, today)).toMatchObject({ ok: false, code, field: 'idNumber' })
  })

  it('keys passports by a 3-letter issuing country', () => {
    expect(parseCountry(' usa ')).toEqual({ ok: true, value: 'USA' })
    expect(parseCountry('US')).toMatchObject({ ok: false, code: 'COUNTRY_FORMAT' })
  })
})

describe('GB/T 2260 region codes (province level)', () => {
  it.each(['11', '32', '46', '65', '71', '81', '82', '83'])('province %s is accepted', (p) => {
    expect(parseIdNumber(makeId(`${p}0102`, '19850615', '031')).ok).toBe(true)
  })
  it.each(['10', '19', '20', '24', '30', '38', '47', '55', '60', '66', '70', '84', '89'])(
    'province %s does not exist and is refused naming the code',
    (p) => {
      expect(parseIdNumber(makeId(`${p}0102`, '19850615', '031'))).toMatchObject({
        ok: false,
        code: 'ID_REGION_UNKNOWN',
        field: 'idNumber',
        params: { region: p },
      })
    },
  )
})

describe('phones: mobiles, landlines and Hong Kong / Macau / Taiwan numbers', () => {
  const accepted: [string, string, string][] = [
    ['138 0013 8000', '13800138000', 'mobile'],
    ['+86 138-0013-8000', '13800138000', 'mobile'],
    ['010-62345678', '010-62345678', 'landline'],
    ['(010)62345678', '010-62345678', 'landline'],
    ['02582345678', '025-82345678', 'landline'],
    ['0755 2345678', '0755-2345678', 'landline'],
    ['0571-87654321转123', '0571-87654321-123', 'landline'],
    ['0571-87654321-123', '0571-87654321-123', 'landline'],
    ['010 62345678 ext. 9', '010-62345678-9', 'landline'],
    ['+86 10 62345678', '010-62345678', 'landline'],
    ['+852 9123 4567', '+85291234567', 'hong_kong'],
    ['00852-21234567', '+85221234567', 'hong_kong'],
    ['+853 6612 3456', '+85366123456', 'macau'],
    ['+886 912 345 678', '+886912345678', 'taiwan'],
    ['+886 0912345678', '+886912345678', 'taiwan'],
    ['+886 2 2345 6789', '+886223456789', 'taiwan'],
  ]
  it.each(accepted)('%s is %s (%s)', (input, value, kind) => {
    expect(parsePhone(input)).toEqual({ ok: true, value, kind })
  })
  const refused: [string, string][] = [
    ['62345678', 'PHONE_AREA_CODE'],
    ['010-1234', 'PHONE_LANDLINE'],
    ['010-01234567', 'PHONE_LANDLINE'],
    ['+852 912345', 'PHONE_HK_MACAU'],
    ['+853 661234567', 'PHONE_HK_MACAU'],
    ['+886 12345', 'PHONE_TAIWAN'],
    ['+1 415 555 0100', 'PHONE_COUNTRY'],
    ['1380013800', 'PHONE_LENGTH'],
    ['12800138000', 'PHONE_PREFIX'],
    ['138001380a0', 'PHONE_DIGITS'],
    ['13800138000转12', 'PHONE_DIGITS'],
  ]
  it.each(refused)('%s is refused with %s on the phone field', (input, code) => {
    expect(parsePhone(input)).toMatchObject({ ok: false, code, field: 'phone' })
  })
  it('shows the last four digits of the number itself, never of an extension', () => {
    expect(phoneLast4('0571-87654321-123')).toBe('4321')
    expect(phoneLast4('+85291234567')).toBe('4567')
    expect(phoneLast4('13800138000')).toBe('8000')
  })
  it('every new refusal has a text in both languages', () => {
    installMessages(identifierMessages)
    for (const code of [
      'PHONE_LANDLINE',
      'PHONE_AREA_CODE',
      'PHONE_HK_MACAU',
      'PHONE_TAIWAN',
      'PHONE_COUNTRY',
      'RETURN_PERMIT_FORMAT',
      'TAIWAN_PERMIT_FORMAT',
      'FOREIGNER_CARD_FORMAT',
      'COUNTRY_FORMAT',
      'ID_REGION_UNKNOWN',
    ] as const) {
      expect(renderMessage('zh-CN', code, { region: '19' })).toMatch(/[\u4e00-\u9fff]/)
      expect(renderMessage('en', code, { region: '19' })).toMatch(/^[A-Z]/)
    }
  })
})
