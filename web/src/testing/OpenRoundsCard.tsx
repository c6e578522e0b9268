import { Card, Empty, List, Progress, Space, Tag, Typography } from 'antd'
import { useQueries, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { testingApi } from './api'
import { formatShort } from '../lib/dates'
import { failedText } from '../lib/refusal'

/** Home-page indicators: each open round's coverage, missed, open rechecks and confirmed positives under my scope. */
export function OpenRoundsCard(): React.JSX.Element {
  const { t } = useTranslation()
  const rounds = useQuery({
    queryKey: ['rounds', 'open'],
    queryFn: () => testingApi.rounds({ status: 'open', limit: 5 }),
  })
  const items = rounds.data?.items.slice(0, 5) ?? []
  const progress = useQueries({
    queries: items.map((r) => ({
      queryKey: ['round', r.id],
      queryFn: () => testingApi.progress(r.id),
      refetchInterval: 60_000,
    })),
  })
  return (
    <Card title={t('home.openRounds')} data-testid="home-rounds">
      {items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={failedText(rounds.error, t) ?? t('home.noOpenRounds')}
        />
      ) : (
        <List
          dataSource={items}
          renderItem={(r, i) => {
            const p = progress[i]?.data
            const done = p ? p.totals.sampled + p.totals.excused : 0
            return (
              <List.Item>
                <Space direction="vertical" style={{ width: '100%' }} size={2}>
                  <Space wrap>
                    <Link to={`/rounds/${r.id}`}>{r.name}</Link>
                    <Typography.Text type="secondary">
                      {t('home.deadline', { time: formatShort(r.deadline) })}
                    </Typography.Text>
                    {p && p.totals.missed > 0 && (
                      <Tag color="orange">{t('home.missed', { n: p.totals.missed })}</Tag>
                    )}
                    {p && p.counters.rechecksOpen > 0 && (
                      <Tag color="red">
                        {t('home.rechecksOpen', { n: p.counters.rechecksOpen })}
                      </Tag>
                    )}
                    {p && p.counters.confirmed > 0 && (
                      <Tag color="magenta">{t('home.confirmed', { n: p.counters.confirmed })}</Tag>
                    )}
                  </Space>
                  <Progress
                    percent={
                      p && p.totals.inScope ? Math.floor((done / p.totals.inScope) * 1000) / 10 : 0
                    }
                    size="small"
                    aria-label={t('a11y.sampled')}
                  />
                </Space>
              </List.Item>
            )
          }}
        />
      )}
    </Card>
  )
}
