import { App, Button, Card, Drawer, Grid, List, Space, Switch, Tag, Typography } from 'antd'
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

/** One line of a grouped alert as the server stored it: a person (name, household, deadline, assignee) or a tube. */
type AlertLine = Record<string, string | number | null>

const linesOf = (a: AlertItem | undefined): AlertLine[] =>
  Array.isArray(a?.detail.items) ? (a.detail.items as AlertLine[]) : []

const text = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v)

/**
 * The lines of one grouped alert (GET /api/alerts/:id: all of them, not the list's first 20): who
 * and where, the recheck deadline and the assignee, or the tube and how late; a bottom sheet on a phone.
 */
function AlertDetail({
  alert,
  onClose,
}: {
  alert: AlertItem
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const phone = Grid.useBreakpoint().md === false
  const full = useQuery({ queryKey: ['alert', alert.id], queryFn: () => alertsApi.get(alert.id) })
  const lines = full.data ? linesOf(full.data) : linesOf(alert)
  const person = alert.kind !== 'testing.tube_overdue'
  return (
    <Drawer
      open
      onClose={onClose}
      placement={phone ? 'bottom' : 'right'}
      size={phone ? '85%' : 480}
      title={t('alerts.detailTitle')}
      data-testid="alert-detail"
    >
      <Typography.Paragraph type="secondary">
        {t('alerts.detailCount', { n: alert.itemCount })}
      </Typography.Paragraph>
      <List<AlertLine>
        size="small"
        loading={full.isLoading}
        dataSource={lines}
        locale={failedLocale(full.error, t)}
        renderItem={(l) => {
          const due = text(l.deadline ?? l.due)
          return (
            <List.Item data-testid="alert-line" style={{ minHeight: 44 }}>
              <Space direction="vertical" size={0} style={{ width: '100%' }}>
                <Typography.Text strong>{text(l.name) ?? text(l.tube) ?? '—'}</Typography.Text>
                {text(l.household) && (
                  <Typography.Text>
                    {t('alerts.item.household')}：{text(l.household)}
                  </Typography.Text>
                )}
                {person && text(l.name) && text(l.tube) && (
                  <Typography.Text type="secondary">
                    {t('alerts.item.tube')}：{text(l.tube)}
                  </Typography.Text>
                )}
                {text(l.site) && (
                  <Typography.Text type="secondary">
                    {t('alerts.item.site')}：{text(l.site)}
                  </Typography.Text>
                )}
                {due && (
                  <Space size={4} wrap>
                    <span>
                      {t(person ? 'alerts.item.deadline' : 'alerts.item.due')}：
                      {formatDateTime(due)}
                    </span>
                    {typeof l.hours === 'number' && l.hours > 0 && (
                      <Tag color="red">{t('alerts.item.hours', { n: l.hours })}</Tag>
                    )}
                  </Space>
                )}
                {person && 'assignee' in l && (
                  <Typography.Text type="secondary">
                    {t('alerts.item.assignee')}：{text(l.assignee) ?? t('alerts.item.unassigned')}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )
        }}
      />
    </Drawer>
  )
}

/** 预警: what needs someone now (pool positives in my grids, confirmed positives, conflicting results). */
export function AlertsPage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [onlyOpen, setOnlyOpen] = useState(true)
  const alerts = useAlerts(onlyOpen)
  const [expanded, setExpanded] = useState<AlertItem | null>(null)
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
              a.itemCount > 0 ? (
                <Button
                  key="people"
                  size="small"
                  data-testid="alert-expand"
                  style={{ minHeight: 44 }}
                  onClick={() => setExpanded(a)}
                >
                  {t('alerts.people', { n: a.itemCount })}
                </Button>
              ) : null,
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
      {expanded && <AlertDetail alert={expanded} onClose={() => setExpanded(null)} />}
    </Card>
  )
}
