/**
 * Message catalogues: every error code, reason code, field label and readable name has its
 * text in zh-CN and English, beside the code that uses it (`<domain>.messages.ts`).
 * `src/messages.ts` composes them and installs them once; this module knows no domain.
 * Pure (no Node APIs): the web app renders the same catalogue.
 */

export type Lang = 'zh-CN' | 'en'
export const LANGS: readonly Lang[] = ['zh-CN', 'en']

export type MessageParams = Readonly<Record<string, string | number>>

/** One catalogue entry. Interpolation is `{{param}}`; both languages use the same params. */
export type MessageText = { readonly 'zh-CN': string; readonly en: string }
export type Catalogue = Readonly<Record<string, MessageText>>

/**
 * The composed catalogue's type, filled in by `src/messages.ts` through declaration merging
 * (`declare module './core/i18n/messages.js' { interface MessageRegister { messages: typeof MESSAGES } }`),
 * so core stays domain-free at run time and still types every code.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MessageRegister {}

export type MessageCode = MessageRegister extends { messages: infer M } ? keyof M & string : string

/** Declares a catalogue with its literal keys kept (`keyof typeof testingMessages`). */
export function defineMessages<const C extends Record<string, MessageText>>(catalogue: C): C {
  return catalogue
}

let installed: Catalogue = {}

/** Installs the composed catalogue (src/messages.ts does, once). Later entries override. */
export function installMessages<C extends Catalogue>(catalogue: C): C {
  installed = { ...installed, ...catalogue }
  return catalogue
}

/** Whether a code has a text. */
export function hasMessage(code: string): boolean {
  return Object.hasOwn(installed, code)
}

/** The texts of a code, if any (both languages). */
export function messageText(code: string): MessageText | undefined {
  return Object.hasOwn(installed, code) ? installed[code] : undefined
}

/** Every installed code (for word search over readable names: audit actions, permissions). */
export function messageCodes(): string[] {
  return Object.keys(installed)
}

/** `{{name}}` → params.name; a missing param stays visible as `{{name}}` so the gap is noticed. */
export function interpolate(template: string, params?: MessageParams): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const v = params?.[name]
    return v === undefined ? whole : String(v)
  })
}

/** The `{{params}}` a template names, sorted (the catalogue test compares both languages). */
export function templateParams(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!))].sort()
}

/** The text of a code in a language; an unknown code renders as itself (never throws). */
export function renderMessage(
  lang: Lang,
  code: MessageCode | (string & {}),
  params?: MessageParams,
): string {
  const text = messageText(code)
  if (!text) return code
  return interpolate(text[lang], params)
}

/** The label of a request field (`FIELD_<name>`), from its last non-numeric path segment. */
export function fieldLabel(lang: Lang, field: string | undefined): string | undefined {
  if (!field) return undefined
  const name = field
    .split('.')
    .filter((s) => s && !/^\d+$/.test(s))
    .pop()
  if (!name) return undefined
  const text = messageText(`FIELD_${name}`)
  return text ? text[lang] : undefined
}

/**
 * Params that name a word of a vocabulary (a level, a role, a permission) are shown by their
 * label: `{ level: 'street' }` renders LEVEL_street (街道/乡镇), `{ parentLevel: 'district' }`
 * LEVEL_district. Keyed by the last word of the param's name.
 */
const VOCABULARIES: Readonly<Record<string, string>> = {
  level: 'LEVEL_',
  role: 'ROLE_',
  permission: 'PERMISSION_',
  action: 'AUDIT_',
  category: 'MEASURE_CATEGORY_',
  kind: 'BUILDING_KIND_',
}

function labelledParams(
  lang: Lang,
  params: MessageParams | undefined,
): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params }
  for (const [name, value] of Object.entries(out)) {
    if (typeof value !== 'string') continue
    const word = (name.match(/[A-Z]?[a-z]+$/)?.[0] ?? name).toLowerCase()
    const prefix = VOCABULARIES[word]
    const text = prefix ? messageText(prefix + value) : undefined
    if (text) out[name] = text[lang]
  }
  return out
}

/** `NOT_ONE_OF` on a vocabulary field (`role`) lists the options by their labels, not their codes. */
function labelledOptions(
  lang: Lang,
  field: string | undefined,
  options: string | number | undefined,
): string | undefined {
  if (typeof options !== 'string') return undefined
  const name =
    field
      ?.split('.')
      .filter((s) => s && !/^\d+$/.test(s))
      .pop() ?? ''
  const prefix = VOCABULARIES[(name.match(/[A-Z]?[a-z]+$/)?.[0] ?? name).toLowerCase()]
  const words = options.split(', ')
  const labels = words.map((w) => (prefix ? messageText(prefix + w)?.[lang] : undefined))
  if (prefix && labels.every((l) => l !== undefined))
    return labels.join(lang === 'zh-CN' ? '、' : ', ')
  return lang === 'zh-CN' ? words.join('、') : options
}

/** An error or a row-level reason as data: what the server sends and what screens render. */
export interface Reason {
  code: string
  field?: string | undefined
  params?: MessageParams | undefined
}

/**
 * The text of an error or reason. `VALIDATION` with a `rule` param renders `VALIDATION_<rule>`;
 * `{{field}}` is the field's label (`FIELD_<name>`) or a generic "this value". Unknown codes
 * give undefined, so the caller picks a fallback rather than showing a raw code.
 */
export function renderReason(lang: Lang, reason: Reason): string | undefined {
  const rule = reason.params?.rule
  const code =
    reason.code === 'VALIDATION' && typeof rule === 'string' && hasMessage(`VALIDATION_${rule}`)
      ? `VALIDATION_${rule}`
      : reason.code
  const text = messageText(code)
  if (!text) return undefined
  const field = fieldLabel(lang, reason.field) ?? messageText('FIELD')?.[lang] ?? ''
  const options = labelledOptions(lang, reason.field, reason.params?.options)
  const out = interpolate(text[lang], {
    ...labelledParams(lang, reason.params),
    field,
    ...(options === undefined ? {} : { options }),
  })
  // `more`: how many further problems a validation error left out ("(and 2 more)").
  const more = reason.params?.more
  const moreText = messageText('VALIDATION_MORE')
  return typeof more === 'number' && more > 0 && moreText
    ? out + interpolate(moreText[lang], { count: more })
    : out
}

/** `zh-CN`, `zh`, `zh-Hans-CN` → zh-CN; `en`, `en-US` → en; anything else undefined. */
export function toLang(value: string | undefined | null): Lang | undefined {
  const v = value?.trim().toLowerCase()
  if (!v) return undefined
  if (v === 'zh' || v.startsWith('zh-') || v.startsWith('zh_')) return 'zh-CN'
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en'
  return undefined
}
