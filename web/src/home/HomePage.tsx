import { Card, Col, Descriptions, Row, Statistic, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Division, type Me, type Page } from '../api'
import { can } from '../auth/session'
import { OpenRoundsCard } from '../testing/OpenRoundsCard'

/** The home page: who you are, where you work, and (from later capabilities) each domain's indicators. */
export function HomePage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const roots = useQuery({ queryKey: ['divisions', 'roots', me.selectedScope?.id], queryFn: () => api.get<Page<Division>>('/api/divisions'), enabled: can(me, 'tree:read') })
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
                {scopeNames.length === 0 ? <Tag color="orange">{t('scope.whole')}</Tag> : scopeNames.map((s) => <Tag key={s.id}>{s.name} · {s.code}</Tag>)}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} md={8}>
        <Card>
          <Statistic title={t('home.units')} value={roots.data?.items.reduce((n, d) => n + d.childCount, 0) ?? '—'} />
          <Typography.Text type="secondary">{t('home.unitsHint')}</Typography.Text>
        </Card>
      </Col>
      <Col xs={24} md={16}>
        {can(me, 'testing:read') ? (
          <OpenRoundsCard />
        ) : (
          <Card title={t('home.indicators')}>
            <Typography.Paragraph type="secondary">{t('home.indicatorsHint')}</Typography.Paragraph>
          </Card>
        )}
      </Col>
    </Row>
  )
}
