import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import type { ButtonProps } from 'antd'
import { ArrowLeftOutlined, CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useApiError } from '../lib/apiError'
import { formatDate, formatDateTime } from '../lib/dates'
import { zonesApi, type AreaDetailOut, type ZoneLevel, type ZoneSettingsOut } from './api'
import { PartsPicker, type PickedPart } from './AreaForm'
import { AreaPeople, VulnerableCount } from './AreaPeople'
import { colourOf, countdownText, extentText, useZoneText } from './levels'

const ORDER: ZoneLevel[] = ['high', 'medium', 'low']

type Action = 'lower' | 'raise' | 'lift' | 'widen'

/** The catalogue code of what the profile in force calls a level (by risk if it has no such level). */
function nameOf(settings: ZoneSettingsOut | undefined, level: string): string {
  return settings?.levels.find((l) => l.level === level)?.name ?? `ZONE_RISK_${level}`
}

function Countdown({
  a,
  settings,
}: {
  a: AreaDetailOut
  settings: ZoneSettingsOut | undefined
}): React.JSX.Element {
  const z = useZoneText()
  const c = a.countdown
  if (!c) return <Typography.Text>{z('ZONE_LIFTED')}</Typography.Text>
  const nextName =
    c.next === 'lifted' ? z('ZONE_UI_LIFT') : c.next ? z(nameOf(settings, c.next)) : ''
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="zone-page-countdown">
      <Typography.Text strong style={{ fontSize: 16 }}>
        {countdownText(z, a)}
      </Typography.Text>
      <Typography.Text>
        {z('ZONE_UI_CLOCK_FROM', { date: formatDate(c.clockFrom), n: c.cleanDays })}
      </Typography.Text>
      {c.next ? (
        <Typography.Text>{z('ZONE_UI_NEXT', { name: nextName })}</Typography.Text>
      ) : (
        <Typography.Text>{z('ZONE_UI_NO_STEP')}</Typography.Text>
      )}
      {c.eligibleOn && (
        <Typography.Text>
          {z('ZONE_UI_ELIGIBLE_ON', { date: formatDate(c.eligibleOn) })}
        </Typography.Text>
      )}
      <List
        size="small"
        dataSource={c.checks}
        renderItem={(k) => (
          <List.Item style={{ paddingInline: 0 }} data-testid="zone-check">
            <Space align="start">
              {k.ok ? (
                <CheckCircleFilled style={{ color: '#237804' }} aria-hidden />
              ) : (
                <CloseCircleFilled style={{ color: '#cf1322' }} aria-hidden />
              )}
              <span>
                {z(k.code, {
                  ...k.params,
                  ...(typeof k.params.date === 'string' ? { date: formatDate(k.params.date) } : {}),
                })}
              </span>
            </Space>
          </List.Item>
        )}
      />
    </Space>
  )
}

/** Lower / raise / lift with a reason (and a lead's reason against failed checks), or widen. */
function ActionModal({
  me,
  a,
  action,
  settings,
  onClose,
}: {
  me: Me
  a: AreaDetailOut
  action: Action | null
  settings: ZoneSettingsOut | undefined
  onClose: () => void
}): React.JSX.Element {
  const z = useZoneText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const client = useQueryClient()
  const [form] = Form.useForm<{ level?: ZoneLevel; reason: string; overrideReason?: string }>()
  const [parts, setParts] = useState<PickedPart[]>([])
  const [saving, setSaving] = useState(false)
  const levels = (settings?.levels ?? []).filter((l) =>
    action === 'lower'
      ? ORDER.indexOf(l.level) > ORDER.indexOf(a.level)
      : ORDER.indexOf(l.level) < ORDER.indexOf(a.level),
  )
  const needsOverride =
    (action === 'lower' || action === 'lift') && !a.countdown?.eligible && can(me, 'zones:override')
  const title = action ? z(`ZONE_UI_${action.toUpperCase()}`) : ''
  const submit = async (v: {
    level?: ZoneLevel
    reason: string
    overrideReason?: string
  }): Promise<void> => {
    setSaving(true)
    try {
      const over = v.overrideReason ? { overrideReason: v.overrideReason } : {}
      if (action === 'lift') await zonesApi.lift(a.id, { reason: v.reason, ...over })
      else if (action === 'widen')
        await zonesApi.widen(a.id, { reason: v.reason, extents: parts.map((p) => p.extent) })
      else await zonesApi.changeLevel(a.id, { level: v.level!, reason: v.reason, ...over })
      void message.success(z('ZONE_UI_DONE'))
      await client.invalidateQueries({ queryKey: ['zone-area', a.id] })
      await client.invalidateQueries({ queryKey: ['zones'] })
      form.resetFields()
      setParts([])
      onClose()
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open={action !== null}
      title={title}
      onCancel={onClose}
      okText={z('ZONE_UI_SUBMIT')}
      cancelText={z('ZONE_UI_CANCEL')}
      okButtonProps={{ loading: saving, 'data-testid': 'zone-action-ok' } as ButtonProps}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {(action === 'lower' || action === 'raise') && (
          <Form.Item
            name="level"
            label={z('ZONE_UI_TO_LEVEL')}
            rules={[{ required: true }]}
            initialValue={levels[action === 'lower' ? 0 : levels.length - 1]?.level}
          >
            <Select
              options={levels.map((l) => ({ value: l.level, label: z(l.name) }))}
              data-testid="zone-action-level"
            />
          </Form.Item>
        )}
        {action === 'widen' && settings && (
          <Form.Item label={z('ZONE_UI_PARTS')} required>
            <PartsPicker me={me} settings={settings} parts={parts} onChange={setParts} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={z('ZONE_UI_REASON_LABEL')}
          rules={[{ required: true, min: 2, max: 200 }]}
        >
          <Input.TextArea rows={2} data-testid="zone-action-reason" />
        </Form.Item>
        {needsOverride && (
          <Form.Item
            name="overrideReason"
            label={z('ZONE_UI_OVERRIDE_LABEL')}
            rules={[{ required: true, min: 2, max: 200 }]}
          >
            <Input.TextArea rows={2} data-testid="zone-action-override" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

/** 发起本区域核酸: a round of the area's buildings and units at its level's pool; opens the round. */
function StartRoundButton({
  id,
  onStarted,
}: {
  id: string
  onStarted: (roundId: string) => void
}): React.JSX.Element {
  const z = useZoneText()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [busy, setBusy] = useState(false)
  return (
    <Button
      type="primary"
      loading={busy}
      style={{ minHeight: 44 }}
      data-testid="zone-start-round"
      onClick={() => {
        setBusy(true)
        zonesApi
          .startRound(id)
          .then((r) => {
            if (r.existing) void message.info(z('ZONE_UI_ROUND_EXISTS', { name: r.name }))
            else void message.success(z('ZONE_UI_ROUND_STARTED', { name: r.name }))
            onStarted(r.roundId)
          })
          .catch((e: unknown) => void message.error(apiError(e)))
          .finally(() => setBusy(false))
      }}
    >
      {z('ZONE_UI_START_ROUND')}
    </Button>
  )
}

/**
 * An area's page: its level as the profile names it, how many live inside, the countdown with
 * each check (clean days, the round of the required day), the rounds inside and the history;
 * a lead lowers, raises, widens or lifts it with a reason. One column on a phone.
 */
export function ZoneAreaPage({ me }: { me: Me }): React.JSX.Element {
  const z = useZoneText()
  const navigate = useNavigate()
  const { id = '' } = useParams()
  const [action, setAction] = useState<Action | null>(null)
  const area = useQuery({ queryKey: ['zone-area', id], queryFn: () => zonesApi.area(id) })
  const settings = useQuery({ queryKey: ['zone-settings'], queryFn: zonesApi.settings })
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/zones')}>
      {z('ZONE_UI_BACK')}
    </Button>
  )
  if (area.isLoading) return <Card loading />
  const a = area.data
  if (!a)
    return (
      <Space direction="vertical">
        {back}
        <Typography.Text type="danger">{z('ZONE_AREA_NOT_FOUND')}</Typography.Text>
      </Space>
    )
  const colour = colourOf(a)
  const manage = can(me, 'zones:manage') && a.status === 'active'
  const lowest = ORDER.indexOf(a.level) === ORDER.length - 1
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="zone-area-page">
      {back}
      <Space wrap align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {a.name}
        </Typography.Title>
        <Tag color={colour} style={{ fontSize: 14, padding: '2px 8px' }} data-testid="zone-level">
          {a.status === 'lifted' ? z('ZONE_LIFTED') : z(a.levelName)}
        </Tag>
      </Space>
      {a.overlaps.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="zone-overlaps"
          title={z('ZONE_UI_OVERLAPS')}
          description={
            <Space direction="vertical" size={2}>
              {a.overlaps.map((o) => (
                <Typography.Link key={o.id} onClick={() => void navigate(`/zones/${o.id}`)}>
                  {z('ZONE_UI_OVERLAP_ROW', { name: o.name, level: z(o.levelName), n: o.people })}
                </Typography.Link>
              ))}
            </Space>
          }
        />
      )}
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={z('ZONE_UI_PEOPLE_INSIDE')}>
            <span data-testid="zone-people">{z('ZONE_UI_PEOPLE_N', { n: a.peopleInside })}</span>
          </Descriptions.Item>
          {can(me, 'registry:read') && (
            <Descriptions.Item label={z('ZONE_UI_TAB_VULNERABLE')}>
              <VulnerableCount areaId={a.id} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={z('ZONE_UI_CASES')}>{a.casesInside}</Descriptions.Item>
          <Descriptions.Item label={z('ZONE_UI_STARTED')}>
            {formatDateTime(a.startedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={z('ZONE_UI_LEVEL_SINCE')}>
            {formatDateTime(a.levelSince)}
          </Descriptions.Item>
          <Descriptions.Item label={z('ZONE_UI_REASON')}>{a.reason}</Descriptions.Item>
          <Descriptions.Item label={z('ZONE_UI_PARTS')}>
            <Space wrap size={[4, 4]}>
              {a.extents.map((e) => (
                <Tag key={e.id}>{extentText(z, e)}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={z('ZONE_UI_COUNTDOWN')}>
        <Countdown a={a} settings={settings.data} />
      </Card>
      {can(me, 'registry:read') && (
        <Card size="small">
          <AreaPeople areaId={a.id} />
        </Card>
      )}
      {manage && (
        <Space wrap>
          {!lowest && (
            <Button onClick={() => setAction('lower')} data-testid="zone-lower">
              {z('ZONE_UI_LOWER')}
            </Button>
          )}
          {a.countdown?.next === 'lifted' || lowest ? (
            <Button danger onClick={() => setAction('lift')} data-testid="zone-lift">
              {z('ZONE_UI_LIFT')}
            </Button>
          ) : null}
          {ORDER.indexOf(a.level) > 0 && (
            <Button onClick={() => setAction('raise')} data-testid="zone-raise">
              {z('ZONE_UI_RAISE')}
            </Button>
          )}
          <Button onClick={() => setAction('widen')} data-testid="zone-widen">
            {z('ZONE_UI_WIDEN')}
          </Button>
        </Space>
      )}
      {a.status === 'active' && can(me, 'testing:manage') && (
        <StartRoundButton id={a.id} onStarted={(roundId) => void navigate(`/rounds/${roundId}`)} />
      )}
      <Card size="small" title={z('ZONE_UI_ROUNDS')}>
        {a.rounds.length === 0 ? (
          <Typography.Text type="secondary">{z('ZONE_UI_NO_ROUNDS')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={a.rounds}
            renderItem={(r) => (
              <List.Item style={{ paddingInline: 0 }}>
                {z('ZONE_UI_ROUND_ROW', { ...r, date: formatDate(r.date) })}
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={z('ZONE_UI_HISTORY')}>
        <Timeline
          items={a.history.map((e) => ({
            key: e.id,
            children: (
              <div data-testid="zone-event">
                <Typography.Text strong>
                  {z(`ZONE_EVENT_${e.kind}`)}
                  {e.toLevel && e.kind === 'level' && e.fromLevel
                    ? ` · ${z(nameOf(settings.data, e.fromLevel))} → ${z(nameOf(settings.data, e.toLevel))}`
                    : ''}
                </Typography.Text>
                <div>{e.reason}</div>
                {e.overrideReason && (
                  <div>{z('ZONE_UI_OVERRIDDEN', { reason: e.overrideReason })}</div>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {z('ZONE_UI_EVENT_BY', { actor: e.actorName, time: formatDateTime(e.at) })}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      </Card>
      <ActionModal
        me={me}
        a={a}
        action={action}
        settings={settings.data}
        onClose={() => setAction(null)}
      />
    </Space>
  )
}
