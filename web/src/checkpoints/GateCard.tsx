import { Card, Col, Row, Statistic, Tag, Space } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useMessageText } from '../lib/apiError'
import { gateApi } from './gateApi'

/**
 * Home-page indicators of the gates (issue 11 item 7) in my scope, today: refused exits, arrivals
 * by origin class, and confirmed arrivals whose proposed measure has not started.
 */
export function GateCard(): React.JSX.Element {
  const { t } = useTranslation()
  const text = useMessageText()
  const q = useQuery({
    queryKey: ['gate-indicators'],
    queryFn: gateApi.indicators,
    refetchInterval: 60_000,
  })
  return (
    <Card
      title={t('checkpoints.gate.card')}
      loading={q.isLoading}
      data-testid="home-gates"
      extra={<Link to="/checkpoints">{t('menu.checkpoints')}</Link>}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Statistic title={t('checkpoints.gate.refusedExits')} value={q.data?.refusedExits ?? 0} />
        </Col>
        <Col span={12}>
          <Statistic
            title={t('checkpoints.gate.arrivalsWithoutMeasure')}
            value={q.data?.arrivalsWithoutMeasure ?? 0}
          />
        </Col>
      </Row>
      <Space wrap style={{ marginTop: 12 }}>
        {(q.data?.arrivalsByOrigin ?? []).map((o) => (
          <Tag key={o.origin}>
            {text(`ORIGIN_${o.origin}`) ?? o.origin} {o.count}
          </Tag>
        ))}
      </Space>
    </Card>
  )
}
