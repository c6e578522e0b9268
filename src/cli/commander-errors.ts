import { renderMessage, type Lang } from '../core/i18n/messages.js'

/**
 * Commander writes its parse errors in English ("error: unknown option '--rol'"). The CLI shows
 * them in the operator's language instead: each message commander 14 writes is matched here and
 * rendered from the CLI catalogue with the option, value or command it names. A message no
 * pattern knows keeps commander's words behind the catalogue's prefix (and a test names it).
 */
const PATTERNS: readonly { re: RegExp; code: string; names: readonly string[] }[] = [
  { re: /^unknown option '([^']+)'/, code: 'CLI_PARSE_UNKNOWN_OPTION', names: ['option'] },
  { re: /^unknown command '([^']+)'/, code: 'CLI_PARSE_UNKNOWN_COMMAND', names: ['command'] },
  {
    re: /^missing required argument '([^']+)'/,
    code: 'CLI_PARSE_MISSING_ARGUMENT',
    names: ['argument'],
  },
  { re: /^option '([^']+)' argument missing/, code: 'CLI_PARSE_OPTION_VALUE', names: ['option'] },
  {
    re: /^required option '([^']+)' not specified/,
    code: 'CLI_PARSE_REQUIRED_OPTION',
    names: ['option'],
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/s,
    code: 'CLI_PARSE_CHOICES',
    names: ['option', 'value', 'choices'],
  },
  {
    re: /^option '([^']+)' argument '([^']*)' is invalid\.\s*(.*)$/s,
    code: 'CLI_PARSE_INVALID_VALUE',
    names: ['option', 'value', 'detail'],
  },
  {
    re: /^command-argument value '([^']*)' is invalid for argument '([^']+)'\.\s*(.*)$/s,
    code: 'CLI_PARSE_INVALID_ARGUMENT',
    names: ['value', 'argument', 'detail'],
  },
  {
    re: /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./,
    code: 'CLI_PARSE_TOO_MANY',
    names: ['command', 'expected', 'got'],
  },
  {
    re: /^(.+) cannot be used with (.+)$/s,
    code: 'CLI_PARSE_CONFLICT',
    names: ['option', 'other'],
  },
]

/** Commander's error text (as given to `outputError`) in the operator's language, one line or two. */
export function commanderErrorText(lang: Lang, text: string): string {
  const [first = '', ...rest] = text
    .replace(/^error: /, '')
    .trimEnd()
    .split('\n')
  // "(Did you mean --role?)" follows the unknown option or command on its own line.
  const suggestion = /^\(Did you mean (?:one of )?(.+)\?\)$/.exec(rest.join(' ').trim())?.[1]
  const body = suggestion === undefined ? [first, ...rest].join('\n') : first
  let line = renderMessage(lang, 'CLI_PARSE_OTHER', { message: body })
  for (const p of PATTERNS) {
    const m = p.re.exec(body)
    if (!m) continue
    const params = Object.fromEntries(p.names.map((n, i) => [n, m[i + 1] ?? '']))
    line = renderMessage(lang, p.code, params)
    break
  }
  const hint = suggestion ? `\n${renderMessage(lang, 'CLI_PARSE_SUGGESTION', { suggestion })}` : ''
  return `${line}${hint}\n`
}
