import { useEffect, useState } from 'react'
import { Card, Col, Empty, Row, Space, Statistic, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { Link } from 'react-router'
import { formatShort } from '../lib/dates'
import { failedText } from '../lib/refusal'
import { measuresApi, type IndicatorsOut } from './api'

/** One figure of the card: its title, value (and "/ due" suffix) and how it reads when it needs action. */
interface Stat {
  key: string
  title: string
  value: number | string
  suffix?: string
  /** Red: something is late (overdue rechecks). */
  alarm?: boolean
}

/** "1 小时 20 分" until the deadline, or null once it has passed. */
function timeLeft(deadline: string, now: number, t: TFunction): string | null {
  const s = Math.round((new Date(deadline).getTime() - now) / 1000)
  if (s <= 0) return null
  return t('measures.home.left', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) })
}

function stats(n: IndicatorsOut, now: number, t: TFunction): Stat[] {
  const r = n.recheck
  return [
    { key: 'people', title: t('measures.home.people'), value: n.people },
    // A sealed building's residents are counted apart: 封控 is not 隔离 (one card, two questions).
    { key: 'zone-sealed', title: t('measures.categories.zone_sealed'), value: n.zone.sealed },
    ...(n.zone.controlled > 0
      ? [
          {
            key: 'zone-controlled',
            title: t('measures.categories.zone_controlled'),
            value: n.zone.controlled,
          },
        ]
      : []),
    ...(n.zone.precaution > 0
      ? [
          {
            key: 'zone-precaution',
            title: t('measures.categories.zone_precaution'),
            value: n.zone.precaution,
          },
        ]
      : []),
    {
      key: 'tests',
      title: t('measures.home.testsToday'),
      value: n.testsDoneToday,
      suffix: `/ ${n.testsDueToday}`,
    },
    { key: 'releases', title: t('measures.home.releasesDue'), value: n.releasesDue },
    { key: 'checkins', title: t('measures.home.checkinsMissing'), value: n.checkinsMissing },
    { key: 'temporary', title: t('measures.home.temporaryControl'), value: n.temporaryControl },
    {
      key: 'recheck-overdue',
      title: t('measures.home.recheckOverdue'),
      value: r.overdue,
      alarm: r.overdue > 0,
    },
    {
      key: 'recheck-soon',
      title: t('measures.home.recheckDueSoon', { h: r.dueSoonHours }),
      value: r.dueSoon,
    },
    {
      key: 'recheck-next',
      title: t('measures.home.recheckNext'),
      value: (r.nextDeadline && timeLeft(r.nextDeadline, now, t)) || t('measures.home.noDeadline'),
    },
  ]
}

/**
 * Home-page indicators of measures in my scope: people under each measure, today's tests done of
 * due, releases due, missing check-ins, people under temporary control and the clocks of their
 * door-to-door rechecks (overdue, due within the next hours, the nearest deadline counting down).
 */
export function MeasuresCard({ divisionId }: { divisionId?: string }): React.JSX.Element {
  const { t } = useTranslation()
  const q = useQuery({
    queryKey: ['measure-indicators', divisionId ?? null],
    queryFn: () => measuresApi.indicators(divisionId),
    refetchInterval: 60_000,
  })
  // The countdown moves on between refetches.
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  const n = q.data
  return (
    <Card
      title={t('measures.home.title')}
      data-testid="home-measures"
      loading={q.isLoading}
      extra={<Link to="/measures">{t('measures.home.open')}</Link>}
    >
      {!n ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={failedText(q.error, t)} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            {stats(n, now, t).map((s) => (
              <Col xs={12} md={8} key={s.key}>
                <Statistic
                  title={s.title}
                  value={s.value}
                  suffix={s.suffix}
                  valueStyle={s.alarm ? { color: '#cf1322' } : undefined}
                  data-testid={`ind-${s.key}`}
                />
              </Col>
            ))}
          </Row>
          {n.recheck.nextDeadline && (
            <Typography.Text type="secondary" data-testid="ind-recheck-deadline">
              {t('measures.home.recheckDeadline', {
                at: formatShort(n.recheck.nextDeadline),
              })}
            </Typography.Text>
          )}
          {n.byCategory.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('measures.home.none')} />
          ) : (
            <Space wrap size={[4, 4]} data-testid="ind-categories">
              {n.byCategory.map((c) => (
                <Tag
                  key={c.category}
                  color={
                    c.category === 'temporary_control'
                      ? 'volcano'
                      : c.category.startsWith('zone_')
                        ? 'red'
                        : 'orange'
                  }
                >
                  {t(`measures.categories.${c.category}`)} {c.people}
                </Tag>
              ))}
            </Space>
          )}
        </Space>
      )}
    </Card>
  )
}
