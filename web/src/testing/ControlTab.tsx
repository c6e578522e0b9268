import { useEffect, useMemo, useState } from 'react'
import { App, Grid, Modal, Select, Space, Table, Tag, Typography, Button } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { TFunction } from 'i18next'
import type { Me } from '../api'
import { can } from '../auth/session'
import { testingApi, type ControlPerson } from './api'
import { useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { failedLocale } from '../lib/refusal'
import { useScrollTabStop } from '../lib/scrollTabStop'
import { OPEN_RECHECK, RECHECK_COLOR } from './recheckState'

/** "3小时12分" until the recheck deadline; null once it has passed. */
function countdown(deadline: string, now: number, t: TFunction): string | null {
  const s = Math.round((new Date(deadline).getTime() - now) / 1000)
  if (s <= 0) return null
  return t('control.left', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) })
}

/**
 * 临时管控: everyone a pooled positive of this round put under temporary control — who, where,
 * the door-to-door recheck's deadline and assignee, and whether they are still controlled (it ends
 * with their negative single tube). Users who may take results give an open recheck to another
 * worker of the person's grid. On a phone a row is the name with address, grid and deadline under it.
 */
export function ControlTab({
  roundId,
  grids,
  me,
}: {
  roundId: string
  grids: Map<string, string>
  me: Me
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const phone = Grid.useBreakpoint().md === false
  const box = useScrollTabStop()
  const mayAssign = can(me, 'testing:results')
  const maySample = can(me, 'testing:sample')
  const list = useQuery({
    queryKey: ['control', roundId],
    queryFn: () => testingApi.control(roundId),
    refetchInterval: 60_000,
  })
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  const [target, setTarget] = useState<ControlPerson | null>(null)
  const [assignee, setAssignee] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const assignees = useQuery({
    queryKey: ['recheck-assignees', roundId],
    queryFn: () => testingApi.recheckAssignees(roundId),
    enabled: mayAssign && target !== null,
  })
  const options = useMemo(() => {
    const users = assignees.data?.items.find((g) => g.gridPath === target?.gridPath)?.users ?? []
    return users.map((u) => ({
      value: u.id,
      label: `${u.name}（${t(`roles.${u.role}`, { defaultValue: t('control.otherRole') })}）`,
    }))
  }, [assignees.data, target, t])

  function open(p: ControlPerson): void {
    setTarget(p)
    setAssignee(p.assignee?.id)
  }
  async function save(): Promise<void> {
    if (!target || !assignee) return
    setSaving(true)
    try {
      await testingApi.reassignRecheck(roundId, target.orderId, { assigneeId: assignee })
      void message.success(t('control.reassigned'))
      setTarget(null)
      await qc.invalidateQueries({ queryKey: ['control', roundId] })
      await qc.invalidateQueries({ queryKey: ['rechecks', roundId] })
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }

  function deadline(p: ControlPerson): React.ReactNode {
    if (!p.deadline) return '—'
    if (!OPEN_RECHECK.has(p.recheck))
      return <Typography.Text type="secondary">{formatDateTime(p.deadline)}</Typography.Text>
    const left = countdown(p.deadline, now, t)
    return (
      <Space size={4} wrap>
        <span>{formatDateTime(p.deadline)}</span>
        {p.overdue || left === null ? (
          <Tag color="red" data-testid="control-overdue">
            {t('control.overdue')}
          </Tag>
        ) : (
          <Tag color="orange">{left}</Tag>
        )}
      </Space>
    )
  }
  const state = (p: ControlPerson): React.ReactNode => (
    <Space size={4} wrap>
      <Tag color={RECHECK_COLOR[p.recheck]}>{t(`rechecks.statuses.${p.recheck}`)}</Tag>
      <Tag color={p.controlled ? 'volcano' : 'default'}>
        {t(p.controlled ? 'control.controlled' : 'control.ended')}
      </Tag>
    </Space>
  )
  const where = (p: ControlPerson): string =>
    [grids.get(p.gridPath), p.household].filter(Boolean).join(' · ') || '—'

  return (
    <div ref={box}>
      <Typography.Paragraph type="secondary">{t('control.hint')}</Typography.Paragraph>
      {maySample && list.data?.items.some((p) => p.recheck === 'ordered') && (
        <Link to={`/sampling?round=${roundId}`} data-testid="control-go-sample">
          <Button type="primary" style={{ minHeight: 44, marginBottom: 12 }}>
            {t('sampling.recheck.go')}
          </Button>
        </Link>
      )}
      <Table<ControlPerson>
        rowKey="orderId"
        size="small"
        data-testid="control-table"
        loading={list.isLoading}
        locale={failedLocale(list.error, t) ?? { emptyText: t('control.empty') }}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        scroll={phone ? undefined : { x: 860 }}
        columns={[
          {
            title: t('missed.name'),
            render: (_, p) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{p.name}</Typography.Text>
                {phone && (
                  <>
                    <Typography.Text type="secondary">{where(p)}</Typography.Text>
                    <div>
                      {t('control.deadline')}：{deadline(p)}
                    </div>
                    <Typography.Text type="secondary">
                      {t('control.assignee')}：{p.assignee?.name ?? t('control.unassigned')}
                    </Typography.Text>
                    {state(p)}
                  </>
                )}
              </Space>
            ),
          },
          { title: t('missed.household'), responsive: ['md'], render: (_, p) => where(p) },
          { title: t('rechecks.sourceTube'), responsive: ['md'], dataIndex: 'sourceTube' },
          { title: t('control.deadline'), responsive: ['md'], render: (_, p) => deadline(p) },
          {
            title: t('control.assignee'),
            responsive: ['md'],
            render: (_, p) => p.assignee?.name ?? t('control.unassigned'),
          },
          { title: t('rechecks.status'), responsive: ['md'], render: (_, p) => state(p) },
          ...(mayAssign
            ? [
                {
                  title: '',
                  key: 'assign',
                  render: (_: unknown, p: ControlPerson) =>
                    OPEN_RECHECK.has(p.recheck) ? (
                      <Button size="small" onClick={() => open(p)} data-testid="control-reassign">
                        {t('control.reassign')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        title={target ? t('control.reassignTitle', { name: target.name }) : ''}
        open={target !== null}
        onCancel={() => setTarget(null)}
        onOk={() => void save()}
        okButtonProps={{ disabled: !assignee || assignee === target?.assignee?.id }}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Select
          style={{ width: '100%' }}
          aria-label={t('control.assignee')}
          placeholder={t('control.pickAssignee')}
          loading={assignees.isLoading}
          value={assignee}
          onChange={setAssignee}
          options={options}
          notFoundContent={assignees.error ? apiError(assignees.error) : t('control.noAssignees')}
          data-testid="control-assignee"
        />
      </Modal>
    </div>
  )
}
