import { useState } from 'react'
import { App, Button, Card, Form, Input, Select, Space, Switch, Table, Tabs, Tag } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useApiError, useMessageText } from '../lib/apiError'
import { checkpointsApi, type ArrivalOut, type CheckpointIn, type Origin } from './api'
import { ORIGIN_CHOICES } from './ReportForm'

const today = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

/** 卡口: the checkpoints of my scope (set up, poster, desk) and the arrivals list by origin class. */
export function CheckpointsPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t('checkpoints.title')}</h1>}>
      <Tabs
        items={[
          { key: 'gates', label: t('checkpoints.tabs.gates'), children: <Gates me={me} /> },
          {
            key: 'arrivals',
            label: t('checkpoints.tabs.arrivals'),
            children: <Arrivals me={me} />,
          },
        ]}
      />
    </Card>
  )
}

function Gates({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<CheckpointIn>()
  const list = useQuery({ queryKey: ['checkpoints'], queryFn: () => checkpointsApi.list() })
  const create = useMutation({
    mutationFn: (b: CheckpointIn) => checkpointsApi.create(b),
    onSuccess: () => {
      form.resetFields()
      void qc.invalidateQueries({ queryKey: ['checkpoints'] })
      message.success(t('form.saved'))
    },
    onError: (e) => message.error(apiError(e)),
  })
  const rotate = useMutation({
    mutationFn: (id: string) => checkpointsApi.rotate(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['checkpoints'] })
      message.success(t('checkpoints.rotated'))
    },
    onError: (e) => message.error(apiError(e)),
  })
  const manage = can(me, 'checkpoints:manage')
  const communities = me.scope.filter((s) => s.level === 'community')
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {list.error ? <p role="alert">{apiError(list.error)}</p> : null}
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('checkpoints.none') }}
        columns={[
          { title: t('checkpoints.name'), dataIndex: 'name' },
          { title: t('checkpoints.community'), dataIndex: 'communityName' },
          { title: t('checkpoints.location'), dataIndex: 'location' },
          { title: t('checkpoints.hours'), dataIndex: 'hours' },
          {
            title: t('checkpoints.actions'),
            key: 'a',
            render: (_v, c) => (
              <Space wrap>
                <Link to={`/checkpoints/${c.id}/desk`} data-testid={`desk-${c.name}`}>
                  {t('checkpoints.desk.open')}
                </Link>
                <Link to={`/checkpoints/${c.id}/gate`} data-testid={`gate-${c.name}`}>
                  {t('checkpoints.gate.open')}
                </Link>
                {manage ? (
                  <>
                    <Link to={`/checkpoints/${c.id}/poster`}>{t('checkpoints.poster.open')}</Link>
                    <Button size="small" onClick={() => rotate.mutate(c.id)}>
                      {t('checkpoints.rotate')}
                    </Button>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {manage && communities.length ? (
        <Form<CheckpointIn>
          form={form}
          layout="vertical"
          onFinish={(v) => create.mutate(v)}
          initialValues={{ communityId: communities[0]!.id }}
          style={{ maxWidth: 480 }}
        >
          <h2 style={{ fontSize: 16 }}>{t('checkpoints.create')}</h2>
          <Form.Item
            name="communityId"
            label={t('checkpoints.community')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select options={communities.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('checkpoints.name')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="location" label={t('checkpoints.location')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="hours" label={t('checkpoints.hours')}>
            <Input maxLength={100} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('checkpoints.create')}
          </Button>
        </Form>
      ) : null}
    </Space>
  )
}

function Arrivals({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const text = useMessageText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const qc = useQueryClient()
  // A handed-over arrival is started here, by the community where the person lives.
  const start = useMutation({
    mutationFn: (id: string) => checkpointsApi.startMeasure(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['arrivals'] }),
    onError: (e) => message.error(apiError(e)),
  })
  const mayStart = can(me, 'checkpoints:start_measure')
  const [date, setDate] = useState(today())
  const [origin, setOrigin] = useState<Origin | undefined>()
  const [withoutMeasure, setWithoutMeasure] = useState(false)
  const q = withoutMeasure ? { withoutMeasure: true, origin } : { date, origin }
  const list = useQuery({
    queryKey: ['arrivals', q],
    queryFn: () => checkpointsApi.arrivals(q),
  })
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <label>
          {t('checkpoints.arrivals.date')}{' '}
          <Input
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            disabled={withoutMeasure}
            style={{ width: 160 }}
          />
        </label>
        <Select
          allowClear
          aria-label={t('checkpoints.form.origin')}
          placeholder={t('checkpoints.form.origin')}
          style={{ minWidth: 200 }}
          value={origin}
          onChange={setOrigin}
          options={ORIGIN_CHOICES.map((o) => ({ value: o, label: text(`ORIGIN_${o}`) ?? o }))}
        />
        <label>
          <Switch checked={withoutMeasure} onChange={setWithoutMeasure} />{' '}
          {t('checkpoints.arrivals.withoutMeasure')}
        </label>
      </Space>
      {list.error ? <p role="alert">{apiError(list.error)}</p> : null}
      <Table<ArrivalOut>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('checkpoints.arrivals.none') }}
        columns={[
          { title: t('checkpoints.form.name'), dataIndex: 'name' },
          { title: t('checkpoints.form.idNumber'), dataIndex: 'idNumber' },
          {
            title: t('checkpoints.form.origin'),
            dataIndex: 'origin',
            render: (o: Origin) => text(`ORIGIN_${o}`) ?? o,
          },
          { title: t('checkpoints.form.arrivalDate'), dataIndex: 'arrivalDate' },
          {
            title: t('checkpoints.arrivals.measure'),
            key: 'm',
            render: (_v, a) => (
              <Space wrap>
                <ArrivalState a={a} />
                {mayStart &&
                a.status === 'confirmed' &&
                a.category &&
                !a.measureId &&
                !a.handover ? (
                  <Button size="small" onClick={() => start.mutate(a.id)} loading={start.isPending}>
                    {t('checkpoints.arrivals.start')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  )
}

/** Where an arrival stands: reported, confirmed with no measure needed, measure owed, handed over, started. */
export function ArrivalState({ a }: { a: ArrivalOut }): React.JSX.Element {
  const { t } = useTranslation()
  if (a.status === 'reported') return <Tag>{t('checkpoints.state.reported')}</Tag>
  if (a.measureId)
    return (
      <Tag color="green">
        {t('checkpoints.state.started', { category: t(`measures.categories.${a.category}`) })}
      </Tag>
    )
  if (!a.category) return <Tag>{t('checkpoints.state.none')}</Tag>
  if (a.handover) return <Tag color="orange">{t('checkpoints.state.handover')}</Tag>
  return (
    <Tag color="volcano">
      {t('checkpoints.state.owed', { category: t(`measures.categories.${a.category}`) })}
    </Tag>
  )
}
