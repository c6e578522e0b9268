import { Card, Empty, List, Space, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { failedText } from '../lib/refusal'
import { zonesApi } from './api'
import { colourOf, countdownText, useZoneText } from './levels'

/**
 * Home-page indicator of risk areas (issue 11 item 7) in my scope: how many active areas at each
 * level (as the profile names them), how many may be lowered or lifted now, and each area with
 * its countdown (days left, or eligible), nearest first; a tap opens the area's page.
 */
export function ZonesCard(): React.JSX.Element {
  const z = useZoneText()
  const { t } = useTranslation()
  const q = useQuery({
    queryKey: ['zone-areas', 'home'],
    queryFn: () => zonesApi.list({ status: 'active', limit: 100 }),
    refetchInterval: 60_000,
  })
  const items = [...(q.data?.items ?? [])].sort(
    (a, b) =>
      Number(b.countdown?.eligible ?? false) - Number(a.countdown?.eligible ?? false) ||
      (a.countdown?.daysLeft ?? 99) - (b.countdown?.daysLeft ?? 99),
  )
  const byLevel = new Map<string, { levelName: string; colour: string; n: number }>()
  for (const a of items) {
    const had = byLevel.get(a.level) ?? { levelName: a.levelName, colour: colourOf(a), n: 0 }
    had.n++
    byLevel.set(a.level, had)
  }
  const eligible = items.filter((a) => a.countdown?.eligible).length
  return (
    <Card
      title={z('ZONE_UI_TITLE')}
      data-testid="home-zones"
      loading={q.isLoading}
      extra={<Link to="/zones">{t('measures.home.open')}</Link>}
    >
      {q.error ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={failedText(q.error, t)} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={z('ZONE_UI_HOME_NONE')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap size={[4, 4]} data-testid="home-zones-levels">
            {[...byLevel.entries()].map(([level, l]) => (
              <Tag key={level} color={l.colour}>
                {z(l.levelName)} {l.n}
              </Tag>
            ))}
            {eligible > 0 && (
              <Tag color="green" data-testid="home-zones-eligible">
                {z('ZONE_UI_HOME_ELIGIBLE', { n: eligible })}
              </Tag>
            )}
          </Space>
          <List
            size="small"
            dataSource={items.slice(0, 8)}
            renderItem={(a) => (
              <List.Item key={a.id} data-testid="home-zone">
                <Link to={`/zones/${a.id}`} style={{ minHeight: 44, display: 'block' }}>
                  <Typography.Text strong>{a.name}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">{countdownText(z, a)}</Typography.Text>
                </Link>
              </List.Item>
            )}
          />
        </Space>
      )}
    </Card>
  )
}
