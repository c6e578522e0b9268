import { Card, Col, Empty, Row, Space, Statistic, Tag } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { failedText } from '../lib/refusal'
import { measuresApi } from './api'

/**
 * Home-page indicators of measures in my scope: people under each measure, today's tests done of
 * due, releases due, missing check-ins and people under temporary control.
 */
export function MeasuresCard({ divisionId }: { divisionId?: string }): React.JSX.Element {
  const { t } = useTranslation()
  const q = useQuery({
    queryKey: ['measure-indicators', divisionId ?? null],
    queryFn: () => measuresApi.indicators(divisionId),
    refetchInterval: 60_000,
  })
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
            <Col xs={12} md={8}>
              <Statistic
                title={t('measures.home.people')}
                value={n.people}
                data-testid="ind-people"
              />
            </Col>
            <Col xs={12} md={8}>
              <Statistic
                title={t('measures.home.testsToday')}
                value={n.testsDoneToday}
                suffix={`/ ${n.testsDueToday}`}
                data-testid="ind-tests"
              />
            </Col>
            <Col xs={12} md={8}>
              <Statistic
                title={t('measures.home.releasesDue')}
                value={n.releasesDue}
                data-testid="ind-releases"
              />
            </Col>
            <Col xs={12} md={8}>
              <Statistic
                title={t('measures.home.checkinsMissing')}
                value={n.checkinsMissing}
                data-testid="ind-checkins"
              />
            </Col>
            <Col xs={12} md={8}>
              <Statistic
                title={t('measures.home.temporaryControl')}
                value={n.temporaryControl}
                data-testid="ind-temporary"
              />
            </Col>
          </Row>
          {n.byCategory.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('measures.home.none')} />
          ) : (
            <Space wrap size={[4, 4]} data-testid="ind-categories">
              {n.byCategory.map((c) => (
                <Tag
                  key={c.category}
                  color={c.category === 'temporary_control' ? 'volcano' : 'orange'}
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
