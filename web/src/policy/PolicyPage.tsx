import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Dayjs } from 'dayjs'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useApiError } from '../lib/apiError'
import { formatDateTime, toPickerValue } from '../lib/dates'
import { failedLocale } from '../lib/refusal'
import { policyApi, type Override, type OverrideBody } from './api'
import { citeInLanguage, isCitePath, pathLabel } from './pathLabels'

/** A dot path into a section: keys and array indexes (the server's DOT_PATH). */
const DOT_PATH = /^[A-Za-z_]\w*(\.(\d+|[A-Za-z_]\w*))*$/
const SECTIONS = ['measures', 'testing', 'zones', 'checkpoints', 'tracing'] as const

/** A value as typed: JSON (7, [1,3], true, null), else the text itself. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
const shown = (v: unknown): string => (v === null || v === undefined ? '—' : JSON.stringify(v))
/** A cited text as it is, when in the UI language; otherwise a dash (never another language's sentence). */
const citeText = (v: unknown, lang: string): string => (citeInLanguage(v, lang) ? v : '—')

/** 防控策略配置: the profile in force and its history, switching, the diff, local overrides. */
export function PolicyPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const manage = can(me, 'policy:manage')
  const inForce = useQuery({ queryKey: ['policy', 'in-force'], queryFn: policyApi.inForce })
  const profiles = useQuery({ queryKey: ['policy', 'profiles'], queryFn: policyApi.profiles })
  const names = (profiles.data?.profiles ?? []).map((p) => ({
    value: p.name,
    label: `${p.name} · ${p.title}`,
  }))
  const now = inForce.data
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="policy-page">
      <Card
        title={t('policy.title')}
        extra={manage && now ? <SwitchProfile names={names} current={now.profile.name} /> : null}
      >
        {inForce.error ? (
          <Alert type="error" message={failedLocale(inForce.error, t)?.emptyText} />
        ) : now ? (
          <Descriptions column={1} size="small" data-testid="policy-in-force">
            <Descriptions.Item label={t('policy.inForce')}>
              <Typography.Text strong>{now.profile.title}</Typography.Text> ({now.profile.name})
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.since')}>
              {new Date(now.since).getTime() === 0
                ? t('policy.sinceStart')
                : formatDateTime(now.since)}
            </Descriptions.Item>
            {now.next ? (
              <Descriptions.Item label={t('policy.next')}>
                {t('policy.nextText', {
                  profile: now.next.profile,
                  from: formatDateTime(now.next.effectiveFrom),
                })}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('policy.issued')}>
              {now.profile.issued ?? '—'}
              {now.profile.replaces
                ? ` · ${t('policy.replaces', { name: now.profile.replaces })}`
                : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.mode')}>
              {now.profile.overrideMode ? t(`policy.modes.${now.profile.overrideMode}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.version')}>
              <Typography.Text code>{now.profile.contentHash ?? '—'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('policy.overrideCount')}>{now.overrides}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
      <Card title={t('policy.history')} size="small">
        <List
          size="small"
          loading={profiles.isLoading}
          dataSource={profiles.data?.activations ?? []}
          renderItem={(a) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Tag color="blue">{a.profile}</Tag>
                    {new Date(a.effectiveFrom).getTime() === 0
                      ? t('policy.sinceStart')
                      : formatDateTime(a.effectiveFrom)}
                  </Space>
                }
                description={`${a.createdBy}：${a.reason === 'initial' ? t('policy.initial') : a.reason}`}
              />
            </List.Item>
          )}
        />
      </Card>
      <DiffCard names={names} current={now?.profile.name} />
      <OverridesCard manage={manage} names={names} current={now?.profile.name} />
    </Space>
  )
}

/** The profile a form acts on. */
function ProfileItem({ names }: { names: { value: string; label: string }[] }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Form.Item
      name="profile"
      label={t('policy.profile')}
      rules={[{ required: true, message: t('policy.required') }]}
    >
      <Select options={names} aria-label={t('policy.profile')} />
    </Form.Item>
  )
}

/** Why: every switch and override says it (at least 2 characters, as the server asks). */
function ReasonItem(): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Form.Item
      name="reason"
      label={t('policy.reason')}
      rules={[{ required: true, min: 2, whitespace: true, message: t('policy.reasonRule') }]}
    >
      <Input.TextArea rows={2} maxLength={500} />
    </Form.Item>
  )
}

function SwitchProfile({
  names,
  current,
}: {
  names: { value: string; label: string }[]
  current: string
}): React.JSX.Element {
  const { t } = useTranslation()
  const { modal, message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [form] = Form.useForm<{ profile: string; from: Dayjs | null; reason: string }>()
  function submit(v: { profile: string; from: Dayjs | null; reason: string }): void {
    const from = v.from ? v.from.format('YYYY-MM-DD') : undefined
    modal.confirm({
      title: t('policy.confirmTitle'),
      content: t('policy.confirmText', { profile: v.profile, from: from ?? t('policy.now') }),
      okText: t('policy.switch'),
      cancelText: t('policy.cancel'),
      onOk: async () => {
        try {
          await policyApi.activate({
            profile: v.profile,
            reason: v.reason,
            ...(from ? { effectiveFrom: from } : {}),
          })
          await qc.invalidateQueries({ queryKey: ['policy'] })
          void message.success(t('policy.switched'))
          setOpen(false)
        } catch (err) {
          setRefusal(apiError(err))
        }
      },
    })
  }
  return (
    <>
      <Button type="primary" onClick={() => (setRefusal(null), setOpen(true))}>
        {t('policy.switch')}
      </Button>
      <Modal
        open={open}
        title={t('policy.switchTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('policy.switch')}
        cancelText={t('policy.cancel')}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            profile: names.find((n) => n.value !== current)?.value,
            from: toPickerValue(),
          }}
        >
          <ProfileItem names={names} />
          <Form.Item
            name="from"
            label={t('policy.effectiveFrom')}
            extra={t('policy.effectiveHelp')}
          >
            <DatePicker style={{ width: '100%' }} aria-label={t('policy.effectiveFrom')} />
          </Form.Item>
          <ReasonItem />
          {refusal ? <Alert type="error" role="alert" message={refusal} /> : null}
        </Form>
      </Modal>
    </>
  )
}

function DiffCard({
  names,
  current,
}: {
  names: { value: string; label: string }[]
  current: string | undefined
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const [a, setA] = useState<string | undefined>(undefined)
  const [b, setB] = useState<string | undefined>(undefined)
  // Names only: two selects side by side fit a 390 px phone.
  const short = names.map((n) => ({ value: n.value, label: n.value, title: n.label }))
  const left = a ?? current
  const right = b ?? names.find((n) => n.value !== left)?.value
  const diff = useQuery({
    queryKey: ['policy', 'diff', left, right],
    queryFn: () => policyApi.diff(left!, right!),
    enabled: !!left && !!right,
  })
  return (
    <Card title={t('policy.diff')} size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={left}
          onChange={setA}
          options={short}
          style={{ width: 140 }}
          aria-label={t('policy.diffA')}
        />
        <Select
          value={right}
          onChange={setB}
          options={short}
          style={{ width: 140 }}
          aria-label={t('policy.diffB')}
        />
      </Space>
      <List
        size="small"
        data-testid="policy-diff"
        loading={diff.isLoading}
        dataSource={(diff.data?.rows ?? []).filter(
          // A citation is shown only in the UI language (an English cite never on a Chinese screen).
          (r) =>
            !isCitePath(r.path) ||
            citeInLanguage(r.a, i18n.language) ||
            citeInLanguage(r.b, i18n.language),
        )}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
        locale={{ emptyText: failedLocale(diff.error, t)?.emptyText ?? t('policy.same') }}
        renderItem={(r) => (
          <List.Item style={{ display: 'block', overflowWrap: 'anywhere' }}>
            <Typography.Text strong data-testid="policy-diff-path" title={r.path}>
              {pathLabel(r.path, i18n.language)}
            </Typography.Text>
            <div>
              <Tag>{left}</Tag>
              {isCitePath(r.path) ? citeText(r.a, i18n.language) : shown(r.a)}
            </div>
            <div>
              <Tag>{right}</Tag>
              {isCitePath(r.path) ? citeText(r.b, i18n.language) : shown(r.b)}
            </div>
          </List.Item>
        )}
      />
    </Card>
  )
}

interface OverrideForm {
  profile: string
  section: string
  path: string
  value: string
  reason: string
  belowFloor?: boolean
  stricter?: boolean
}

function OverridesCard({
  manage,
  names,
  current,
}: {
  manage: boolean
  names: { value: string; label: string }[]
  current: string | undefined
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { modal, message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [withdrawn, setWithdrawn] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [form] = Form.useForm<OverrideForm>()
  const list = useQuery({
    queryKey: ['policy', 'overrides', withdrawn],
    queryFn: () => policyApi.overrides(withdrawn),
  })
  async function add(v: OverrideForm): Promise<void> {
    setRefusal(null)
    const body: OverrideBody = {
      profile: v.profile,
      section: v.section,
      path: v.path.trim(),
      value: parseValue(v.value.trim()) as OverrideBody['value'],
      reason: v.reason,
      ...(v.belowFloor ? { belowFloor: true } : {}),
      ...(v.stricter ? { stricter: true } : {}),
    }
    try {
      await policyApi.addOverride(body)
      await qc.invalidateQueries({ queryKey: ['policy'] })
      form.resetFields(['path', 'value', 'reason', 'belowFloor', 'stricter'])
      void message.success(t('policy.overrideAdded'))
    } catch (err) {
      setRefusal(apiError(err))
    }
  }
  function withdraw(o: Override): void {
    let reason = ''
    modal.confirm({
      title: t('policy.withdrawTitle', { path: `${o.section}.${o.path}` }),
      content: (
        <Input
          aria-label={t('policy.reason')}
          placeholder={t('policy.withdrawReason')}
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      okText: t('policy.withdraw'),
      cancelText: t('policy.cancel'),
      onOk: async () => {
        try {
          await policyApi.withdrawOverride(o.id, reason)
          await qc.invalidateQueries({ queryKey: ['policy'] })
        } catch (err) {
          void message.error(apiError(err))
          throw err
        }
      },
    })
  }
  return (
    <Card
      title={t('policy.overrides')}
      size="small"
      extra={
        <Space>
          <Typography.Text>{t('policy.showWithdrawn')}</Typography.Text>
          <Switch
            checked={withdrawn}
            onChange={setWithdrawn}
            aria-label={t('policy.showWithdrawn')}
          />
        </Space>
      }
    >
      <List<Override>
        data-testid="override-list"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: failedLocale(list.error, t)?.emptyText ?? t('policy.noOverrides') }}
        renderItem={(o) => (
          <List.Item
            actions={
              manage && !o.withdrawnAt
                ? [
                    <Button key="w" size="small" danger onClick={() => withdraw(o)}>
                      {t('policy.withdraw')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <Tag>{o.profile}</Tag>
                  <Typography.Text strong title={`${o.section}.${o.path}`}>
                    {pathLabel(`${o.section}.${o.path}`, i18n.language)}
                  </Typography.Text>
                  {o.flag ? <Tag color="orange">{t(`policy.flags.${o.flag}`)}</Tag> : null}
                  {o.withdrawnAt ? <Tag>{t('policy.withdrawn')}</Tag> : null}
                  {o.stale ? <Tag color="red">{t('policy.stale')}</Tag> : null}
                </Space>
              }
              description={
                <>
                  <div>
                    {t('policy.localVsNational', {
                      value: shown(o.value),
                      national: shown(o.national),
                    })}
                  </div>
                  <div>
                    {t('policy.byWhen', {
                      by: o.createdBy,
                      at: formatDateTime(o.createdAt),
                      reason: o.reason,
                    })}
                  </div>
                  {o.withdrawnAt ? (
                    <div>
                      {t('policy.withdrawnByWhen', {
                        by: o.withdrawnBy ?? '',
                        at: formatDateTime(o.withdrawnAt),
                        reason: o.withdrawnReason ?? '',
                      })}
                    </div>
                  ) : null}
                </>
              }
            />
          </List.Item>
        )}
      />
      {manage && current ? (
        <Form<OverrideForm>
          key={current}
          form={form}
          layout="vertical"
          onFinish={(v) => void add(v)}
          initialValues={{ profile: current, section: 'measures' }}
          style={{ marginTop: 16, maxWidth: 560 }}
          data-testid="override-form"
        >
          <Typography.Title level={5}>{t('policy.addOverride')}</Typography.Title>
          <ProfileItem names={names} />
          <Form.Item
            name="section"
            label={t('policy.section')}
            rules={[{ required: true, message: t('policy.required') }]}
          >
            <Select
              aria-label={t('policy.section')}
              options={SECTIONS.map((s) => ({ value: s, label: t(`policy.sections.${s}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="path"
            label={t('policy.path')}
            extra={t('policy.pathHelp')}
            rules={[
              { required: true, message: t('policy.required') },
              { pattern: DOT_PATH, message: t('policy.pathRule') },
            ]}
          >
            <Input placeholder="categories.close_contact.phases.0.days" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="value"
            label={t('policy.value')}
            extra={t('policy.valueHelp')}
            rules={[{ required: true, whitespace: true, message: t('policy.required') }]}
          >
            <Input placeholder="7" autoComplete="off" />
          </Form.Item>
          <ReasonItem />
          <Form.Item name="belowFloor" valuePropName="checked" extra={t('policy.belowFloorHelp')}>
            <Checkbox>{t('policy.flags.below_floor')}</Checkbox>
          </Form.Item>
          <Form.Item name="stricter" valuePropName="checked" extra={t('policy.stricterHelp')}>
            <Checkbox>{t('policy.flags.stricter')}</Checkbox>
          </Form.Item>
          {refusal ? (
            <Alert
              type="error"
              role="alert"
              message={refusal}
              style={{ marginBottom: 12 }}
              data-testid="override-refusal"
            />
          ) : null}
          <Button type="primary" htmlType="submit">
            {t('policy.addOverride')}
          </Button>
        </Form>
      ) : null}
    </Card>
  )
}
