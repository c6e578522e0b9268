import { Button, Card, Col, Descriptions, Empty, List, Row, Statistic, Tag, Typography } from 'antd'
import { ScanOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Me } from '../api'
import { treeApi } from '../core/api'
import { can } from '../auth/session'
import { OpenRoundsCard } from '../testing/OpenRoundsCard'
import { MeasuresCard } from '../measures/MeasuresCard'
import { ZonesCard } from '../zones/ZonesCard'
import { GateCard } from '../checkpoints/GateCard'
import { testingApi } from '../testing/api'
import { failedText } from '../lib/refusal'

/** 开始采样: a sampler's open rounds, each one tap from the scanning screen. */
function StartSamplingCard(): React.JSX.Element {
  const { t } = useTranslation()
  const rounds = useQuery({ queryKey: ['sampling-rounds'], queryFn: testingApi.samplingRounds })
  const items = rounds.data?.items ?? []
  return (
    <Card title={t('home.startSampling')} data-testid="home-sampling" loading={rounds.isLoading}>
      {items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={failedText(rounds.error, t) ?? t('sampling.noRounds')}
        />
      ) : (
        <List
          dataSource={items}
          renderItem={(r) => (
            <List.Item>
              <Link to={`/sampling?round=${r.id}`} style={{ width: '100%' }}>
                <Button
                  type="primary"
                  size="large"
                  block
                  icon={<ScanOutlined />}
                  data-testid="start-sampling"
                >
                  {t('home.startSamplingIn', { name: r.name })}
                </Button>
              </Link>
            </List.Item>
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('home.now.sampler')}
      </Typography.Paragraph>
    </Card>
  )
}

/** The home page: who you are, where you work, and what you can do now (open rounds, or 开始采样 for a sampler). */
export function HomePage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const roots = useQuery({
    queryKey: ['divisions', 'roots', me.selectedScope?.id],
    queryFn: () => treeApi.divisions(),
    enabled: can(me, 'tree:read'),
  })
  const scopeNames = me.selectedScope ? [me.selectedScope] : me.wholeDeployment ? [] : me.scope
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('home.welcome', { name: me.displayName })}
          </Typography.Title>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('home.role')}>{t(`roles.${me.role}`)}</Descriptions.Item>
            <Descriptions.Item label={t('home.scope')}>
              <span data-testid="home-scope">
                {scopeNames.length === 0 ? (
                  <Tag color="orange">{t('scope.whole')}</Tag>
                ) : (
                  scopeNames.map((s) => (
                    <Tag key={s.id}>
                      {s.name} · {s.code}
                    </Tag>
                  ))
                )}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card>
          <Statistic
            title={t('home.units')}
            value={roots.data?.items.reduce((n, d) => n + d.childCount, 0) ?? '—'}
          />
          <Typography.Text type="secondary">{t('home.unitsHint')}</Typography.Text>
        </Card>
      </Col>
      <Col xs={24} md={16}>
        {can(me, 'testing:read') ? (
          <OpenRoundsCard />
        ) : can(me, 'testing:sample') ? (
          <StartSamplingCard />
        ) : (
          <Card title={t('home.whatNow')}>
            <Typography.Paragraph type="secondary" data-testid="home-now">
              {t(`home.now.${me.role}`, { defaultValue: t('home.now.other') })}
            </Typography.Paragraph>
          </Card>
        )}
      </Col>
      {can(me, 'measures:read') && (
        <Col span={24}>
          <MeasuresCard />
        </Col>
      )}
      {can(me, 'zones:read') && (
        <Col span={24}>
          <ZonesCard />
        </Col>
      )}
      {can(me, 'checkpoints:read') && (
        <Col span={24}>
          <GateCard />
        </Col>
      )}
    </Row>
  )
}
