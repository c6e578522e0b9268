/** A job the server runs on a timer: a checkpoint writer, a sweep. */
export interface PeriodicJob {
  /** Runs the job now, after any run still going. */
  tick(): Promise<void>
  /** Stops the timer; waits for the run still going, or runs once more with `runOnStop`. */
  stop(): Promise<void>
}

/**
 * Runs `work` at start and every `intervalMs` (0: only when ticked), one run at a time; a
 * failure goes to `onError` and the next run still comes. The timer never keeps the process up.
 */
export function startPeriodic(
  work: () => Promise<void>,
  opts: { intervalMs: number; onError: (err: unknown) => void; runOnStop?: boolean },
): PeriodicJob {
  let running: Promise<void> = Promise.resolve()
  const tick = (): Promise<void> => {
    running = running.then(work).catch(opts.onError)
    return running
  }
  const timer = opts.intervalMs > 0 ? setInterval(() => void tick(), opts.intervalMs) : undefined
  timer?.unref()
  void tick()
  return {
    tick,
    stop: async () => {
      if (timer) clearInterval(timer)
      await (opts.runOnStop ? tick() : running)
    },
  }
}
