import { App, Button, Card, List, Space, Switch, Tag, Typography } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { failedLocale } from '../lib/refusal'
import { reasonText, useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { alertsApi, type AlertItem, type AlertList } from '../alerts/api'

export type { AlertItem }

export function useAlerts(open: boolean): ReturnType<typeof useQuery<AlertList>> {
  return useQuery({
    queryKey: ['alerts', open],
    queryFn: () => alertsApi.list(open),
    refetchInterval: 30_000,
  })
}

/** 预警: what needs someone now (pool positives in my grids, confirmed positives, conflicting results). */
export function AlertsPage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [onlyOpen, setOnlyOpen] = useState(true)
  const alerts = useAlerts(onlyOpen)
  async function acknowledge(id: number): Promise<void> {
    try {
      await alertsApi.acknowledge(id)
      await qc.invalidateQueries({ queryKey: ['alerts'] })
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  return (
    <Card
      title={t('alerts.title')}
      extra={
        <Space>
          <Typography.Text>{t('alerts.onlyOpen')}</Typography.Text>
          <Switch checked={onlyOpen} onChange={setOnlyOpen} aria-label={t('alerts.onlyOpen')} />
        </Space>
      }
    >
      <List<AlertItem>
        data-testid="alert-list"
        loading={alerts.isLoading}
        dataSource={alerts.data?.items ?? []}
        locale={{
          emptyText: (
            <Typography.Text type="secondary">
              {failedLocale(alerts.error, t)?.emptyText ?? t('alerts.none')}
            </Typography.Text>
          ),
        }}
        renderItem={(a) => (
          <List.Item
            actions={[
              typeof a.detail.roundId === 'string' ? (
                <Link key="round" to={`/rounds/${a.detail.roundId}`}>
                  {t('alerts.openRound')}
                </Link>
              ) : null,
              !a.acknowledgedAt ? (
                <Button key="ack" size="small" onClick={() => void acknowledge(a.id)}>
                  {t('alerts.acknowledge')}
                </Button>
              ) : (
                <Typography.Text key="by" type="secondary">
                  {a.acknowledgedBy}
                </Typography.Text>
              ),
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <Tag
                    color={
                      a.severity === 'critical'
                        ? 'red'
                        : a.severity === 'warning'
                          ? 'orange'
                          : 'blue'
                    }
                  >
                    {t(`alerts.kinds.${a.kind}`, { defaultValue: t('alerts.title') })}
                  </Tag>
                  {(a.code && reasonText({ code: a.code, params: a.params }, i18n.language)) ??
                    a.title}
                </Space>
              }
              description={formatDateTime(a.createdAt)}
            />
          </List.Item>
        )}
      />
    </Card>
  )
}
