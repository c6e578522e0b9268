import { describe, expect, it } from 'vitest'
import { titlesOf, uniqueRoundName } from '../web/src/testing/roundName.js'

/** The open-round form's default name (web/src/testing/RoundsPage.tsx). */
const numbered = (n: number): string => `12月1日 第一网格 第${n}轮全员核酸`

describe("a new round's default name", () => {
  it('is the plain name while no round has it', () => {
    expect(
      uniqueRoundName('12月1日 第一网格 全员核酸', numbered, ['11月30日 第一网格 全员核酸']),
    ).toBe('12月1日 第一网格 全员核酸')
  })

  it('takes the next number when the plain name (and the numbered ones) are taken', () => {
    expect(
      uniqueRoundName('12月1日 第一网格 全员核酸', numbered, ['12月1日 第一网格 全员核酸']),
    ).toBe('12月1日 第一网格 第2轮全员核酸')
    expect(
      uniqueRoundName('12月1日 第一网格 全员核酸', numbered, [
        '12月1日 第一网格 全员核酸',
        '12月1日 第一网格 第2轮全员核酸',
      ]),
    ).toBe('12月1日 第一网格 第3轮全员核酸')
  })

  it('names the chosen places from the tree, children included', () => {
    const nodes = [
      {
        value: 'c',
        title: '石鼓路社区',
        children: [
          { value: 'g1', title: '第一网格' },
          { value: 'g2', title: '第二网格' },
        ],
      },
    ]
    expect(titlesOf(nodes, ['g2', 'c', 'unknown'])).toEqual(['第二网格', '石鼓路社区'])
  })
})
