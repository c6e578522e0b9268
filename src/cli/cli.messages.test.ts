import { describe, expect, it } from 'vitest'
import { templateParams } from '../core/i18n/messages.js'
import { cliMessages } from './cli.messages.js'

// The CLI's catalogue is installed by the CLI itself (runCli), not composed into src/messages.ts,
// which the web app bundles: this is its share of the catalogue test.
describe('the CLI catalogue', () => {
  it('has both languages for every text, with the same {{params}}, and Chinese that is Chinese', () => {
    for (const [code, text] of Object.entries(cliMessages)) {
      expect(text['zh-CN'].trim(), code).not.toBe('')
      expect(text.en.trim(), code).not.toBe('')
      expect(templateParams(text['zh-CN']), code).toEqual(templateParams(text.en))
      // Single-brace tokens are cli-progress's and must match too.
      expect(text['zh-CN'].match(/(?<!\{)\{\w+\}(?!\})/g)?.sort() ?? [], code).toEqual(
        text.en.match(/(?<!\{)\{\w+\}(?!\})/g)?.sort() ?? [],
      )
    }
    const english = Object.entries(cliMessages).filter(
      ([, t]) =>
        !/[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/.test(t['zh-CN']) &&
        !/^[\s\d{}|,.;:()（）…-]*$/.test(t['zh-CN']),
    )
    expect(english.map(([code]) => code)).toEqual([])
  })
})
