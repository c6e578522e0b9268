import { idCheckCharacter } from '../core/pii/identifiers.js'

/** Synthetic people for the demo city: deterministic for a seed, never a real person. */

export type Rng = () => number

/** mulberry32: small, fast, and the same city for the same seed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!
}

export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = rng() * total
  for (const [v, w] of items) if ((x -= w) < 0) return v
  return items[items.length - 1]![0]
}

// Common surnames with rough frequencies (per mille), and characters used in given names.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 72],
  ['张', 68],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 23],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 12],
  ['郭', 12],
  ['何', 11],
  ['高', 10],
  ['林', 10],
  ['罗', 10],
  ['郑', 9],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 2],
  ['陆', 2],
  ['汪', 2],
  ['范', 2],
  ['金', 2],
  ['欧阳', 1],
  ['司马', 0.3],
  ['诸葛', 0.2],
]
const GIVEN_MALE =
  '伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋坤峰建国志文斌海东亮成晨阳博睿'
const GIVEN_FEMALE =
  '芳娜敏静丽艳娟霞秀英玲桂兰萍红燕梅琳雪慧莉婷颖倩琪悦欣怡佳彤晗雨萱婉琦蕾瑶楠雯洁晶丹'

export function chineseName(rng: Rng, sex: 'male' | 'female', surname?: string): string {
  const s = surname ?? weighted(rng, SURNAMES)
  const pool = sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE
  const len = rng() < 0.7 ? 2 : 1
  let given = ''
  for (let i = 0; i < len; i++) given += pick(rng, pool.split(''))
  return s + given
}

// Age pyramid of an older urban core (shares by 5-year band, 0–4 … 95–99), roughly Nanjing's.
const AGE_BANDS: readonly (readonly [number, number])[] = [
  [0, 3.6],
  [5, 4.4],
  [10, 4.2],
  [15, 3.6],
  [20, 5.0],
  [25, 7.4],
  [30, 8.6],
  [35, 7.6],
  [40, 6.8],
  [45, 7.2],
  [50, 7.6],
  [55, 7.0],
  [60, 6.2],
  [65, 5.2],
  [70, 3.8],
  [75, 2.4],
  [80, 1.6],
  [85, 0.9],
  [90, 0.4],
  [95, 0.1],
]

export function randomAge(rng: Rng, min = 0): number {
  for (;;) {
    const band = weighted(rng, AGE_BANDS)
    const age = band + Math.floor(rng() * 5)
    if (age >= min) return age
  }
}

export function birthDateFor(rng: Rng, age: number, today: Date): string {
  const dayOfYear = Math.floor(rng() * 365)
  const d = new Date(
    Date.UTC(
      today.getUTCFullYear() - age - 1,
      today.getUTCMonth(),
      today.getUTCDate() + 1 + dayOfYear,
    ),
  )
  return d.toISOString().slice(0, 10)
}

/** A synthetic GB 11643 number: a real county code, the birth date, a sequence of the right parity, a correct check. */
export function syntheticId(
  county: string,
  birthDate: string,
  sex: 'male' | 'female',
  serial: number,
): string {
  let seq = (serial % 500) * 2 + (sex === 'male' ? 1 : 0)
  if (seq === 0) seq = 2
  const first17 = county + birthDate.replace(/-/g, '') + String(seq).padStart(3, '0')
  return first17 + idCheckCharacter(first17)
}

export function syntheticMobile(rng: Rng): string {
  const prefix = pick(rng, [
    '133',
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '152',
    '157',
    '158',
    '159',
    '177',
    '180',
    '181',
    '186',
    '187',
    '188',
    '189',
    '199',
  ])
  return prefix + String(Math.floor(rng() * 1e8)).padStart(8, '0')
}
