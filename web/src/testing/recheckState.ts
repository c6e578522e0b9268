import type { RecheckItem } from './api'

type RecheckStatus = RecheckItem['status']

/** The tag colour of a recheck's state, the same on the round's 复核 and 临时管控 tabs. */
export const RECHECK_COLOR: Record<RecheckStatus, string> = {
  ordered: 'red',
  sampled: 'orange',
  negative: 'green',
  positive: 'magenta',
}

/** A recheck still open: to swab (ordered) or swabbed and waiting for its result (sampled). */
export const OPEN_RECHECK: ReadonlySet<string> = new Set<RecheckStatus>(['ordered', 'sampled'])
