import { useState } from 'react'
import { Alert, App, Button, Card, DatePicker, Input, Space, Table, Tag } from 'antd'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type AuditEntry, type Me, type Page } from '../api'
import { useApiError, useMessageText } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'

export function AuditPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const text = useMessageText()
  const [action, setAction] = useState('')
  const [range, setRange] = useState<[string, string] | null>(null)
  const [verify, setVerify] = useState<{ checked: number; problems: { id: number; problem: string; detail: string }[] } | null>(null)

  const list = useInfiniteQuery({
    queryKey: ['audit', action, range, me.selectedScope?.id],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ limit: '100' })
      if (action) p.set('action', action)
      if (range) {
        p.set('from', range[0])
        p.set('to', range[1])
      }
      if (pageParam) p.set('before', String(pageParam))
      return api.get<Page<AuditEntry, number>>(`/api/audit?${p}`)
    },
    getNextPageParam: (last) => last.next,
  })
  const rows = list.data?.pages.flatMap((p) => p.items) ?? []

  async function runVerify(): Promise<void> {
    try {
      setVerify(await api.post('/api/audit/verify'))
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  return (
    <Card title={t('menu.audit')} extra={me.wholeDeployment && <Button onClick={() => void runVerify()}>{t('audit.verify')}</Button>}>
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={verify.problems.length ? 'error' : 'success'}
          title={verify.problems.length ? t('audit.tampered', { n: verify.problems.length }) : t('audit.intact', { n: verify.checked })}
          description={verify.problems.slice(0, 10).map((p) => <div key={`${p.problem}-${p.id}`}>{t(`audit.problem.${p.problem}`, { id: p.id })}</div>)}
        />
      )}
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search allowClear placeholder={t('audit.actionSearch')} aria-label={t('audit.actionSearch')} onSearch={(v) => setAction(v.trim())} style={{ width: 260 }} />
        <DatePicker.RangePicker showTime onChange={(v) => setRange(v && v[0] && v[1] ? [v[0].toISOString(), v[1].toISOString()] : null)} />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v), width: 180 },
          { title: t('audit.actor'), dataIndex: 'actorName' },
          { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag color={v.startsWith('pii') || v.startsWith('scope') ? 'orange' : v.includes('fail') || v.includes('out_of_scope') || v.includes('locked') ? 'red' : 'default'}>{text(`AUDIT_${v}`) ?? t(`audit.actions.${v}`, { defaultValue: v })}</Tag> },
          {
            title: t('audit.target'),
            // A target without a readable name says what kind it is; its id stays in the tooltip for investigations.
            render: (_, e) => e.targetLabel ?? (e.targetType ? <span title={e.targetId ?? undefined}>{text(`TARGET_${e.targetType}`) ?? t('audit.otherTarget')}</span> : null),
          },
          { title: t('audit.reason'), dataIndex: 'reason' },
          { title: 'IP', dataIndex: 'ip', width: 120 },
        ]}
      />
      {list.hasNextPage && (
        <Button block style={{ marginTop: 12 }} onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('form.more')}
        </Button>
      )}
    </Card>
  )
}
