import { describe, expect, it } from 'vitest'
import { memoryIo } from './io.js'
import { runCli } from './main.js'

/** A mistyped command line, run in-process: commander refuses it before any database opens. */
async function refused(lang: 'zh-CN' | 'en', ...argv: string[]): Promise<string> {
  const io = memoryIo({ env: {} })
  const code = await runCli(['--lang', lang, ...argv], io)
  expect(code, argv.join(' ')).not.toBe(0)
  return io.err()
}

const MISTAKES: readonly { argv: string[]; zh: RegExp; en: RegExp }[] = [
  {
    argv: ['user', 'reset-password', '--username', 'li', '--generat'],
    zh: /没有 --generat 这个选项\n（是否想写 --generate？）/,
    en: /unknown option '--generat'\n\(did you mean --generate\?\)/,
  },
  { argv: ['usr'], zh: /没有 usr 这个命令/, en: /unknown command 'usr'/ },
  {
    argv: ['import', 'residents', '--community', '320102001001'],
    zh: /缺少参数 file/,
    en: /missing required argument 'file'/,
  },
  {
    argv: ['user', 'create', '--username', 'li', '--role', 'mayor', '--scope', '1'],
    zh: /选项 --role <role> 的值“mayor”不在可选范围内，可选：.*grid_worker/,
    en: /option '--role <role>' argument 'mayor' is not one of .*grid_worker/,
  },
  {
    argv: ['user', 'create', '--username', 'li', '--scope', '1'],
    zh: /必须写选项 --role <role>/,
    en: /required option '--role <role>' not specified/,
  },
  {
    argv: ['user', 'list', 'extra'],
    zh: /参数太多：应为 0 个，实际 1 个/,
    en: /too many arguments/,
  },
  {
    argv: ['user', 'create', '--username'],
    zh: /选项 --username <\w+> 后面要写一个值/,
    en: /needs a value/,
  },
]

describe("commander's parse errors, in the operator's language", () => {
  it('says in Chinese what is wrong with the command line, naming the option, with no English sentence', async () => {
    for (const m of MISTAKES) {
      const err = await refused('zh-CN', ...m.argv)
      expect(err, m.argv.join(' ')).toMatch(m.zh)
      expect(err, m.argv.join(' ')).not.toMatch(/error:|unknown|Did you mean|required|Allowed/)
      expect(err, m.argv.join(' ')).toContain('（加 --help 查看用法）')
    }
  })

  it('says it in English with --lang en', async () => {
    for (const m of MISTAKES) expect(await refused('en', ...m.argv), m.argv.join(' ')).toMatch(m.en)
  })
})
