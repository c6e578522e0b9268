import { describe, expect, it } from 'vitest'
import { startPeriodic } from './periodic.js'

describe('a periodic job', () => {
  it('runs at start and on each tick one run at a time, and keeps going after a failure', async () => {
    const order: string[] = []
    const errors: unknown[] = []
    let n = 0
    const job = startPeriodic(
      async () => {
        const i = ++n
        order.push(`start ${i}`)
        await new Promise((r) => setTimeout(r, 5))
        order.push(`end ${i}`)
        if (i === 2) throw new Error('boom')
      },
      { intervalMs: 0, onError: (e) => errors.push(e) },
    )
    await Promise.all([job.tick(), job.tick()])
    await job.stop()
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
    expect(errors).toHaveLength(1)
  })
  it('waits for the run still going at stop, or runs once more with runOnStop', async () => {
    let plain = 0
    await startPeriodic(async () => void plain++, { intervalMs: 0, onError: () => {} }).stop()
    expect(plain).toBe(1)
    let last = 0
    await startPeriodic(async () => void last++, {
      intervalMs: 0,
      onError: () => {},
      runOnStop: true,
    }).stop()
    expect(last).toBe(2)
  })
})
