import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Popconfirm,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd'
import { PoolNote } from '../zones/PoolNote'
import { UploadOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError, type Me } from '../api'
import { can } from '../auth/session'
import { Chart } from './Chart'
import { ControlTab } from './ControlTab'
import { MissedTab } from './MissedTab'
import { RECHECK_COLOR } from './recheckState'
import { Coverage, roundScopeText, stopAdviceText } from './RoundsPage'
import { testingApi, type ConflictItem, type RecheckItem, type ResultsReport } from './api'
import { reasonText, useApiError } from '../lib/apiError'
import { formatTime } from '../lib/dates'
import { failedLocale } from '../lib/refusal'

function timeLeft(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  return `${h}:${String(m).padStart(2, '0')}`
}

function RechecksTab({
  roundId,
  grids,
}: {
  roundId: string
  grids: Map<string, string>
}): React.JSX.Element {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['rechecks', roundId],
    queryFn: () => testingApi.rechecks(roundId),
  })
  return (
    <Table<RecheckItem>
      rowKey="id"
      size="small"
      data-testid="recheck-table"
      loading={list.isLoading}
      locale={failedLocale(list.error, t)}
      dataSource={list.data?.items ?? []}
      pagination={{ pageSize: 50 }}
      scroll={{ x: 640 }}
      columns={[
        { title: t('missed.grid'), render: (_, o) => grids.get(o.gridPath) ?? '' },
        { title: t('missed.household'), dataIndex: 'household' },
        { title: t('missed.name'), dataIndex: 'name' },
        { title: t('missed.phone'), dataIndex: 'phone' },
        { title: t('rechecks.sourceTube'), dataIndex: 'sourceTube' },
        {
          title: t('rechecks.status'),
          render: (_, o) => (
            <Tag color={RECHECK_COLOR[o.status]}>{t(`rechecks.statuses.${o.status}`)}</Tag>
          ),
        },
      ]}
    />
  )
}

/** 结果冲突: a later result that would make a tube less strict waits here; whoever holds all of the tube decides. */
function ConflictsTab({ roundId, me }: { roundId: string; me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const list = useQuery({
    queryKey: ['conflicts', roundId],
    queryFn: () => testingApi.conflicts(roundId),
  })
  const color = { open: 'red', kept: 'default', accepted: 'blue' } as const
  const resultColor: Record<string, string> = {
    negative: 'green',
    abnormal: 'orange',
    positive: 'red',
  }
  async function resolve(c: ConflictItem, decision: 'keep' | 'accept'): Promise<void> {
    const note = window.prompt(t('conflicts.notePrompt'))?.trim()
    if (!note) return
    try {
      await testingApi.resolveConflict(roundId, c.id, { decision, note })
      await qc.invalidateQueries({ queryKey: ['conflicts', roundId] })
      await qc.invalidateQueries({ queryKey: ['round', roundId] })
      await qc.invalidateQueries({ queryKey: ['rechecks', roundId] })
      await qc.invalidateQueries({ queryKey: ['control', roundId] })
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('conflicts.hint')}</Typography.Paragraph>
      <Table<ConflictItem>
        rowKey="id"
        size="small"
        data-testid="conflict-table"
        loading={list.isLoading}
        locale={failedLocale(list.error, t)}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        scroll={{ x: 720 }}
        columns={[
          { title: t('conflicts.tube'), dataIndex: 'tubeCode' },
          {
            title: t('conflicts.held'),
            render: (_, c) => (
              <Tag color={resultColor[c.held]}>{t(`conflicts.results.${c.held}`)}</Tag>
            ),
          },
          {
            title: t('conflicts.incoming'),
            render: (_, c) => (
              <Tag color={resultColor[c.incoming]}>{t(`conflicts.results.${c.incoming}`)}</Tag>
            ),
          },
          { title: t('conflicts.retest'), render: (_, c) => (c.retest ? '✓' : '') },
          { title: t('conflicts.lab'), dataIndex: 'lab' },
          { title: t('conflicts.members'), dataIndex: 'members' },
          {
            title: t('conflicts.status'),
            render: (_, c) => (
              <Tag color={color[c.status]}>{t(`conflicts.statuses.${c.status}`)}</Tag>
            ),
          },
          {
            title: '',
            render: (_, c) =>
              c.status === 'open' && can(me, 'testing:results') ? (
                <Space>
                  <Button size="small" onClick={() => void resolve(c, 'keep')}>
                    {t('conflicts.keep')}
                  </Button>
                  <Popconfirm
                    title={t('conflicts.accept')}
                    onConfirm={() => void resolve(c, 'accept')}
                  >
                    <Button size="small" danger>
                      {t('conflicts.accept')}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : c.resolvedBy ? (
                <Typography.Text type="secondary">
                  {t('conflicts.resolvedBy')}：{c.resolvedBy}
                  {c.note ? `（${c.note}）` : ''}
                </Typography.Text>
              ) : null,
          },
        ]}
      />
    </Space>
  )
}

function ResultsTab({ roundId }: { roundId: string }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [lab, setLab] = useState('')
  const [report, setReport] = useState<ResultsReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  async function upload(file: File): Promise<void> {
    setError(null)
    const form = new FormData()
    form.append('lab', lab)
    form.append('file', file)
    try {
      setReport(await testingApi.uploadResults(form))
      await qc.invalidateQueries({ queryKey: ['round', roundId] })
      await qc.invalidateQueries({ queryKey: ['rechecks', roundId] })
      await qc.invalidateQueries({ queryKey: ['control', roundId] })
      await qc.invalidateQueries({ queryKey: ['alerts'] })
    } catch (err) {
      setError(apiError(err))
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('results.hint')}</Typography.Paragraph>
      <Space wrap>
        <Input
          style={{ width: 220 }}
          placeholder={t('results.lab')}
          aria-label={t('results.lab')}
          value={lab}
          onChange={(e) => setLab(e.target.value)}
          data-testid="results-lab"
        />
        <Upload
          accept=".csv,.xlsx"
          showUploadList={false}
          beforeUpload={(f) => (void upload(f), false)}
          disabled={!lab.trim()}
        >
          <Button icon={<UploadOutlined />} disabled={!lab.trim()} data-testid="results-upload">
            {t('results.upload')}
          </Button>
        </Upload>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {report && (
        <>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 3 }}
            data-testid="results-report"
          >
            <Descriptions.Item label={t('results.applied')}>{report.applied}</Descriptions.Item>
            <Descriptions.Item label={t('results.cleared')}>{report.cleared}</Descriptions.Item>
            <Descriptions.Item label={t('results.poolPositive')}>
              {report.poolPositiveTubes}
            </Descriptions.Item>
            <Descriptions.Item label={t('results.rechecksOrdered')}>
              {report.rechecksOrdered}
            </Descriptions.Item>
            <Descriptions.Item label={t('results.confirmed')}>{report.confirmed}</Descriptions.Item>
            <Descriptions.Item label={t('results.duplicates')}>
              {report.duplicates}
            </Descriptions.Item>
            <Descriptions.Item label={t('results.conflicts')}>{report.conflicts}</Descriptions.Item>
            <Descriptions.Item label={t('results.rejected')}>{report.rejected}</Descriptions.Item>
          </Descriptions>
          {report.problems.length > 0 && (
            <Table
              size="small"
              rowKey={(p) => `${p.rowNo}-${p.tubeCode}`}
              dataSource={report.problems}
              pagination={{ pageSize: 20 }}
              columns={[
                { title: t('results.row'), dataIndex: 'rowNo', width: 80 },
                { title: t('results.tube'), dataIndex: 'tubeCode' },
                {
                  title: t('results.outcome'),
                  render: (_, p) => t(`results.outcomes.${p.outcome}`),
                },
                {
                  title: t('results.reason'),
                  render: (_, p) => reasonText(p, i18n.language) ?? p.reason,
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  )
}

/** One round: time left, coverage by grid and by hour, tubes and turnaround, and the lists to work down. */
export function RoundPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const qc = useQueryClient()
  const { message, modal } = App.useApp()
  const apiError = useApiError()
  const progress = useQuery({
    queryKey: ['round', id],
    queryFn: () => testingApi.progress(id),
    refetchInterval: 15_000,
  })
  const [tab, setTab] = useState('missed')
  const p = progress.data
  const grids = useMemo(() => new Map((p?.byGrid ?? []).map((g) => [g.gridPath, g.gridName])), [p])
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  const coverageOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('rounds.sampled'), t('rounds.missed')] },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (p?.byGrid ?? []).map((g) => g.gridName) },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('rounds.sampled'),
          type: 'bar',
          stack: 'n',
          data: (p?.byGrid ?? []).map((g) => g.sampled),
          itemStyle: { color: '#52c41a' },
        },
        {
          name: t('rounds.missed'),
          type: 'bar',
          stack: 'n',
          data: (p?.byGrid ?? []).map((g) => g.missed),
          itemStyle: { color: '#fa541c' },
        },
      ],
    }),
    [p, t],
  )
  const hourOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (p?.byHour ?? []).map((h) => formatTime(h.hour)) },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          data: (p?.byHour ?? []).map((h) => h.specimens),
          itemStyle: { color: '#d46b08' },
        },
      ],
    }),
    [p],
  )
  const turnaroundOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: (p?.turnaround ?? []).map((b) => b.bucket) },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          data: (p?.turnaround ?? []).map((b) => b.tubes),
          itemStyle: { color: '#1677ff' },
        },
      ],
    }),
    [p],
  )
  if (!p)
    return (
      <Card loading={progress.isLoading}>
        {progress.error && <Alert type="error" title={apiError(progress.error)} />}
      </Card>
    )
  const left = Math.max(0, Math.round((new Date(p.round.deadline).getTime() - now) / 1000))
  // The deadline holds sampling and testing together: it runs until the round is closed with every result in.
  const unresulted = p.counters.tubesOpen + p.counters.tubesClosed - p.counters.tubesResulted
  const finished = p.round.status === 'closed' && unresulted <= 0
  const advice = p.round.stopAdvice
  // Open rechecks or unresulted tubes: the server says how many (409) and the user confirms.
  async function close(confirm = false): Promise<void> {
    try {
      await testingApi.closeRound(id, confirm)
      await qc.invalidateQueries({ queryKey: ['round', id] })
      await qc.invalidateQueries({ queryKey: ['rounds'] })
    } catch (err) {
      if (!confirm && err instanceof ApiError && err.code === 'ROUND_CLOSE_NEEDS_CONFIRM') {
        modal.confirm({
          title: t('rounds.closeNeedsConfirm.title'),
          content: t('rounds.closeNeedsConfirm.body', {
            rechecks: err.params?.rechecks ?? 0,
            tubes: err.params?.tubes ?? 0,
          }),
          okText: t('rounds.closeNeedsConfirm.ok'),
          cancelText: t('rounds.closeNeedsConfirm.cancel'),
          okButtonProps: { danger: true },
          onOk: () => close(true),
        })
        return
      }
      void message.error(apiError(err))
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space wrap>
            {p.round.name}
            <Tag color={p.round.status === 'open' ? 'orange' : 'default'}>
              {t(`rounds.statuses.${p.round.status}`)}
            </Tag>
            <PoolNote round={p.round} />
            <Typography.Text type="secondary">{roundScopeText(t, p.round)}</Typography.Text>
          </Space>
        }
        extra={
          can(me, 'testing:manage') &&
          p.round.status === 'open' && (
            <Popconfirm title={t('rounds.closeConfirm')} onConfirm={() => void close()}>
              <Button data-testid="round-close">{t('rounds.close')}</Button>
            </Popconfirm>
          )
        }
      >
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic
              data-testid="stat-time-left"
              title={t('rounds.timeLeft')}
              value={finished ? t('rounds.done') : left > 0 ? timeLeft(left) : t('rounds.overdue')}
              valueStyle={{ color: !finished && left === 0 ? '#cf1322' : undefined }}
            />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title={t('rounds.inScope')} value={p.totals.inScope} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title={t('rounds.sampled')}
              value={p.totals.sampled}
              data-testid="stat-sampled"
            />
          </Col>
          <Col xs={12} md={4}>
            <div data-testid="stat-missed">
              <Statistic
                title={t('rounds.missed')}
                value={p.totals.missed}
                valueStyle={{ color: p.totals.missed ? '#fa541c' : undefined }}
              />
            </div>
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title={t('rounds.tubes')}
              value={`${p.counters.tubesOpen} / ${p.counters.tubesClosed}`}
            />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title={t('rounds.rechecks')}
              value={`${p.counters.rechecksOpen} / ${p.counters.rechecksOrdered}`}
              valueStyle={{ color: p.counters.rechecksOpen ? '#cf1322' : undefined }}
            />
          </Col>
        </Row>
        <div style={{ marginTop: 12 }}>
          <Coverage sampled={p.totals.sampled + p.totals.excused} inScope={p.totals.inScope} />
        </div>
        {advice && (
          <Alert
            style={{ marginTop: 12 }}
            data-testid="stop-advice"
            type={advice.next === 'stop' ? 'success' : 'info'}
            showIcon
            title={`${t('rounds.stop.title')}：${stopAdviceText(t, advice)}`}
            description={[
              t('rounds.stop.rule', advice.rule),
              advice.pendingRounds > 0 ? t('rounds.stop.pending', { n: advice.pendingRounds }) : '',
            ]
              .filter(Boolean)
              .join('；')}
          />
        )}
        {p.counters.confirmed > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            title={t('rounds.confirmedAlert', { n: p.counters.confirmed })}
          />
        )}
        {p.overdueTubes > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t('rounds.overdueTubes', {
              n: p.overdueTubes,
              pooled: p.round.turnaroundHours.pooled,
              single: p.round.turnaroundHours.single,
            })}
          />
        )}
        {p.counters.conflicts > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={t('rounds.conflicts', { n: p.counters.conflicts })}
          />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('rounds.byGrid')}>
            <Chart option={coverageOption} testId="chart-grid" />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('rounds.byHour')}>
            <Chart option={hourOption} />
          </Card>
        </Col>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('rounds.turnaround')}>
            <Chart option={turnaroundOption} />
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            can(me, 'testing:missed') && {
              key: 'missed',
              label: t('missed.title', { n: p.totals.missed }),
              children: <MissedTab roundId={id} grids={grids} me={me} />,
            },
            {
              key: 'rechecks',
              label: t('rechecks.title', { n: p.counters.rechecksOrdered }),
              children: <RechecksTab roundId={id} grids={grids} />,
            },
            {
              key: 'control',
              label: t('control.title'),
              children: <ControlTab roundId={id} grids={grids} me={me} />,
            },
            {
              key: 'conflicts',
              label: t('conflicts.title', { n: p.counters.conflicts }),
              children: <ConflictsTab roundId={id} me={me} />,
            },
            can(me, 'testing:results') && {
              key: 'results',
              label: t('results.title'),
              children: <ResultsTab roundId={id} />,
            },
          ].filter((x): x is { key: string; label: string; children: React.JSX.Element } => !!x)}
        />
      </Card>
    </Space>
  )
}
