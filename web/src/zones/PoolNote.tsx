import { Tag } from 'antd'
import { useZoneText } from './levels'

/**
 * How a round pools, where the sampler and the round's page see it before the first scan: 封控区
 * 单户一管 (a sealed area's round: one tube per household), 单人单管, or N 合 1 混采 (issue 11 item 2;
 * the sampling API refuses a wrong pool with TUBE_ZONE_POOL, this says it first).
 */
export function PoolNote({
  round,
}: {
  round: { poolSize: number; householdPool: boolean }
}): React.JSX.Element {
  const z = useZoneText()
  const text = round.householdPool
    ? z('ZONE_UI_POOL_HOUSEHOLD')
    : round.poolSize === 1
      ? z('ZONE_UI_POOL_SINGLE')
      : z('ZONE_UI_POOL_SIZE', { n: round.poolSize })
  return (
    <Tag
      color={round.householdPool || round.poolSize === 1 ? 'red' : 'blue'}
      data-testid="round-pool"
    >
      {text}
    </Tag>
  )
}
