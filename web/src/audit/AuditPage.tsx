import { useState } from 'react'
import { Alert, App, Button, Card, DatePicker, Input, Space, Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, query, type AuditEntry, type Me, type Page } from '../api'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'
import { useApiError, useMessageText } from '../lib/apiError'
import type { AuditVerify } from '../core/api'
import { formatDateTime } from '../lib/dates'

export function AuditPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const text = useMessageText()
  const [action, setAction] = useState('')
  const [range, setRange] = useState<[string, string] | null>(null)
  const [verify, setVerify] = useState<AuditVerify | null>(null)

  const list = useKeysetList<AuditEntry, number>(
    ['audit', action, range, me.selectedScope?.id],
    (before) =>
      api.get<Page<AuditEntry, number>>(
        `/api/audit${query({ limit: 100, action: action || undefined, from: range?.[0], to: range?.[1], before: before ?? undefined })}`,
      ),
  )

  async function runVerify(): Promise<void> {
    try {
      setVerify(await api.post<AuditVerify>('/api/audit/verify'))
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  return (
    <Card
      title={t('menu.audit')}
      extra={
        me.wholeDeployment && <Button onClick={() => void runVerify()}>{t('audit.verify')}</Button>
      }
    >
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={verify.problems.length ? 'error' : 'success'}
          title={
            verify.problems.length
              ? t('audit.tampered', { n: verify.problems.length })
              : t('audit.intact', { n: verify.checked })
          }
          description={verify.problems.slice(0, 10).map((p) => (
            <div key={`${p.problem}-${p.id}`}>{t(`audit.problem.${p.problem}`, { id: p.id })}</div>
          ))}
        />
      )}
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('audit.actionSearch')}
          aria-label={t('audit.actionSearch')}
          onSearch={(v) => setAction(v.trim())}
          style={{ width: 260 }}
        />
        <DatePicker.RangePicker
          showTime
          onChange={(v) =>
            setRange(v && v[0] && v[1] ? [v[0].toISOString(), v[1].toISOString()] : null)
          }
        />
      </Space>
      <KeysetTable<AuditEntry>
        list={list}
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'at',
            render: (v: string) => formatDateTime(v),
            width: 180,
          },
          { title: t('audit.actor'), dataIndex: 'actorName' },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => (
              <Tag
                color={
                  v.startsWith('pii') || v.startsWith('scope')
                    ? 'orange'
                    : v.includes('fail') || v.includes('out_of_scope') || v.includes('locked')
                      ? 'red'
                      : 'default'
                }
              >
                {text(`AUDIT_${v}`) ?? t(`audit.actions.${v}`, { defaultValue: v })}
              </Tag>
            ),
          },
          {
            title: t('audit.target'),
            // A target without a readable name says what kind it is; its id stays in the tooltip for investigations.
            render: (_, e) =>
              e.targetLabel ??
              (e.targetType ? (
                <span title={e.targetId ?? undefined}>
                  {text(`TARGET_${e.targetType}`) ?? t('audit.otherTarget')}
                </span>
              ) : null),
          },
          { title: t('audit.reason'), dataIndex: 'reason' },
          { title: 'IP', dataIndex: 'ip', width: 120 },
        ]}
      />
    </Card>
  )
}
