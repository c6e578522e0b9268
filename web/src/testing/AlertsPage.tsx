import { App, Button, Card, List, Space, Switch, Tag, Typography } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import dayjs from 'dayjs'
import { api } from '../api'
import { failedLocale } from '../lib/refusal'

export interface AlertItem {
  id: number
  scopePath: string
  kind: string
  severity: 'info' | 'warning' | 'critical'
  title: string
  detail: Record<string, unknown>
  createdAt: string
  acknowledgedBy: string | null
  acknowledgedAt: string | null
}

export function useAlerts(open: boolean): ReturnType<typeof useQuery<{ items: AlertItem[]; open: number }>> {
  return useQuery({ queryKey: ['alerts', open], queryFn: () => api.get<{ items: AlertItem[]; open: number }>(`/api/alerts?open=${open}`), refetchInterval: 30_000 })
}

/** 预警: what needs someone now (pool positives in my grids, confirmed positives, conflicting results). */
export function AlertsPage(): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [onlyOpen, setOnlyOpen] = useState(true)
  const alerts = useAlerts(onlyOpen)
  async function acknowledge(id: number): Promise<void> {
    try {
      await api.post(`/api/alerts/${id}/acknowledge`)
      await qc.invalidateQueries({ queryKey: ['alerts'] })
    } catch (err) {
      void message.error((err as Error).message)
    }
  }
  return (
    <Card title={t('alerts.title')} extra={<Space><Typography.Text>{t('alerts.onlyOpen')}</Typography.Text><Switch checked={onlyOpen} onChange={setOnlyOpen} /></Space>}>
      <List<AlertItem>
        data-testid="alert-list"
        loading={alerts.isLoading}
        dataSource={alerts.data?.items ?? []}
        locale={failedLocale(alerts.error, t) ?? { emptyText: t('alerts.none') }}
        renderItem={(a) => (
          <List.Item
            actions={[
              typeof a.detail.roundId === 'string' ? <Link key="round" to={`/rounds/${a.detail.roundId}`}>{t('alerts.openRound')}</Link> : null,
              !a.acknowledgedAt ? <Button key="ack" size="small" onClick={() => void acknowledge(a.id)}>{t('alerts.acknowledge')}</Button> : <Typography.Text key="by" type="secondary">{a.acknowledgedBy}</Typography.Text>,
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={<Space wrap><Tag color={a.severity === 'critical' ? 'red' : a.severity === 'warning' ? 'orange' : 'blue'}>{t(`alerts.kinds.${a.kind}`, { defaultValue: a.kind })}</Tag>{a.title}</Space>}
              description={dayjs(a.createdAt).format('YYYY-MM-DD HH:mm')}
            />
          </List.Item>
        )}
      />
    </Card>
  )
}
