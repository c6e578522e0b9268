import { useEffect, useState } from 'react'
import {
  Alert,
  App,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Spin,
  Typography,
  type FormInstance,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api'
import { reasonText, useApiError } from '../lib/apiError'
import { fromPickerValue, toPickerValue } from '../lib/dates'
import {
  measuresApi,
  SYMPTOMS,
  TEMPERATURE_MAX,
  TEMPERATURE_MIN,
  type CheckinIn,
  type MeasureDetailOut,
  type ReleaseChecksOut,
  type StartMeasureIn,
} from './api'
import { overrideText, ruleText } from './labels'

/** After a write: the person's timeline, the boards and the home indicators are stale. */
export function useMeasuresChanged(): () => Promise<void> {
  const qc = useQueryClient()
  return async () => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: ['measures'] }),
      qc.invalidateQueries({ queryKey: ['measure-indicators'] }),
    ])
  }
}

/** A refusal naming one of the form's fields goes under that field; anything else is a message. */
function showRefusal<T>(
  err: unknown,
  form: FormInstance<T>,
  text: (err: unknown) => string,
  fallback: (s: string) => void,
): void {
  const field = err instanceof ApiError ? err.field : undefined
  if (field && form.getFieldInstance(field as never))
    form.setFields([{ name: field as never, errors: [text(err)] }])
  else fallback(text(err))
}

type Slot = NonNullable<CheckinIn['slot']>
/** The slot a reading taken now belongs to, in Shanghai (before 12:00 morning). */
const currentSlot = (): Slot => (toPickerValue().hour() < 12 ? 'am' : 'pm')

interface StartValues {
  category: StartMeasureIn['category']
  anchorAt: Dayjs
  home: string[]
  daysAlreadyServed?: number
  note?: string
}
const HOME_FACTS = ['singleRoom', 'ownBathroom', 'sharedCentralAir', 'coResidentsIsolated'] as const

/** 开始管控: a category of the profile in force, the anchor, the home's facts, 填平补齐 days, a note. */
export function StartMeasureModal({
  residentId,
  open,
  onClose,
  onStarted,
}: {
  residentId: string
  open: boolean
  onClose: () => void
  onStarted: (m: MeasureDetailOut) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const changed = useMeasuresChanged()
  const [form] = Form.useForm<StartValues>()
  const [saving, setSaving] = useState(false)
  const categories = useQuery({
    queryKey: ['measures', 'categories'],
    queryFn: measuresApi.categories,
    enabled: open,
  })
  const category = Form.useWatch('category', form)
  const rule = categories.data?.items.find((c) => c.category === category)

  async function submit(): Promise<void> {
    const v = await form.validateFields()
    setSaving(true)
    try {
      const m = await measuresApi.start({
        residentId,
        category: v.category,
        anchorAt: fromPickerValue(v.anchorAt),
        home: rule?.hasHomePhase
          ? {
              singleRoom: v.home.includes('singleRoom'),
              ownBathroom: v.home.includes('ownBathroom'),
              sharedCentralAir: v.home.includes('sharedCentralAir'),
              coResidentsIsolated: v.home.includes('coResidentsIsolated'),
            }
          : undefined,
        daysAlreadyServed: rule?.fillUp ? (v.daysAlreadyServed ?? 0) : undefined,
        note: v.note?.trim() || undefined,
      })
      void message.success(t('measures.person.started'))
      await changed()
      form.resetFields()
      onStarted(m)
    } catch (err) {
      showRefusal(err, form, apiError, (s) => void message.error(s))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open={open}
      title={t('measures.form.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('measures.form.submit')}
      okButtonProps={{ loading: saving, 'data-testid': 'measure-start-submit' }}
      destroyOnHidden
    >
      {categories.error ? (
        <Alert type="error" showIcon title={apiError(categories.error)} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ anchorAt: toPickerValue(), home: [] }}
          data-testid="measure-start-form"
        >
          <Form.Item
            name="category"
            label={t('measures.form.category')}
            extra={
              categories.data
                ? t('measures.form.categoryHint', {
                    profile: t(`measures.profiles.${categories.data.profile}`, {
                      defaultValue: categories.data.profile,
                    }),
                  })
                : undefined
            }
            rules={[{ required: true, message: t('measures.form.required') }]}
          >
            <Select
              data-testid="measure-category"
              aria-label={t('measures.form.category')}
              loading={categories.isLoading}
              notFoundContent={t('measures.form.noCategories')}
              options={categories.data?.items.map((c) => ({
                value: c.category,
                label: t(`measures.categories.${c.category}`),
              }))}
            />
          </Form.Item>
          {rule && (
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              title={t('measures.form.plan')}
              description={
                <>
                  <div>{ruleText(rule, t)}</div>
                  {rule.overrides.map((o) => (
                    <div key={o.path} data-testid="measure-rule-override">
                      {overrideText(o, rule.category, rule.phases, t)}
                    </div>
                  ))}
                </>
              }
              data-testid="measure-rule"
            />
          )}
          <Form.Item
            name="anchorAt"
            label={t('measures.form.anchorAt')}
            rules={[{ required: true, message: t('measures.form.required') }]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              aria-label={t('measures.form.anchorAt')}
              data-testid="measure-anchor"
            />
          </Form.Item>
          {rule?.hasHomePhase && (
            <Form.Item
              name="home"
              label={t('measures.form.home')}
              extra={t('measures.form.homeHint')}
            >
              <Checkbox.Group
                style={{ display: 'grid', gap: 8 }}
                options={HOME_FACTS.map((f) => ({
                  value: f,
                  label: t(`measures.form.homeFacts.${f}`),
                }))}
              />
            </Form.Item>
          )}
          {rule?.fillUp && (
            <Form.Item name="daysAlreadyServed" label={t('measures.form.daysAlreadyServed')}>
              <InputNumber min={0} max={60} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('measures.form.note')}>
            <Input.TextArea maxLength={200} autoSize={{ minRows: 1, maxRows: 3 }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  )
}

interface CheckinValues {
  temperature: number
  slot: Slot
  symptoms: string[]
}

/** 登记体温: the temperature, the slot (now's by default) and symptoms; one tap each on a phone. */
export function CheckinModal({
  measure,
  onClose,
}: {
  measure: { id: string; name: string } | null
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const changed = useMeasuresChanged()
  const [form] = Form.useForm<CheckinValues>()
  const [saving, setSaving] = useState(false)
  const temperature = Form.useWatch('temperature', form)

  async function submit(): Promise<void> {
    const v = await form.validateFields()
    setSaving(true)
    try {
      const out = await measuresApi.checkin(measure!.id, {
        temperature: v.temperature,
        slot: v.slot,
        symptoms: v.symptoms as CheckinIn['symptoms'],
      })
      void message.success(
        out.replaced ? t('measures.person.checkinReplaced') : t('measures.person.checkinSaved'),
      )
      await changed()
      form.resetFields()
      onClose()
    } catch (err) {
      showRefusal(err, form, apiError, (s) => void message.error(s))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open={!!measure}
      title={`${t('measures.checkinForm.title')} · ${measure?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('measures.checkinForm.submit')}
      okButtonProps={{ loading: saving, 'data-testid': 'checkin-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ slot: currentSlot(), symptoms: [] }}
        data-testid="checkin-form"
      >
        <Form.Item
          name="temperature"
          label={t('measures.checkinForm.temperature')}
          extra={t('measures.checkinForm.temperatureHint', {
            min: TEMPERATURE_MIN,
            max: TEMPERATURE_MAX,
          })}
          rules={[{ required: true, message: t('measures.form.required') }]}
        >
          <InputNumber
            min={TEMPERATURE_MIN}
            max={TEMPERATURE_MAX}
            step={0.1}
            precision={1}
            inputMode="decimal"
            style={{ width: '100%' }}
            data-testid="checkin-temperature"
          />
        </Form.Item>
        {typeof temperature === 'number' && temperature >= 37.3 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('measures.checkinForm.fever')}
          />
        )}
        <Form.Item name="slot" label={t('measures.checkinForm.slot')}>
          <Segmented
            block
            options={(['am', 'pm'] as const).map((s) => ({
              value: s,
              label: t(`measures.slots.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="symptoms" label={t('measures.checkinForm.symptoms')}>
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}
            options={SYMPTOMS.map((s) => ({ value: s, label: t(`measures.symptoms.${s}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** 解除管控: the checks first (each failed one in the UI language), then the release itself. */
export function ReleaseModal({
  measure,
  onClose,
  onReleased,
}: {
  measure: { id: string; name: string } | null
  onClose: () => void
  onReleased: (m: MeasureDetailOut) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const changed = useMeasuresChanged()
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState(false)
  const [refused, setRefused] = useState<ReleaseChecksOut | null>(null)
  const checks = useQuery({
    queryKey: ['measures', 'release-checks', measure?.id],
    queryFn: () => measuresApi.releaseChecks(measure!.id),
    enabled: !!measure,
    staleTime: 0,
  })
  useEffect(() => setRefused(null), [measure?.id])
  const shown = refused ?? checks.data
  const problemText = (p: { code: string; params?: Record<string, string | number> }): string =>
    reasonText(p, i18n.language) ?? t('measures.person.releaseCheckFailed')

  async function submit(): Promise<void> {
    setSaving(true)
    try {
      const m = await measuresApi.release(measure!.id, note.trim() || undefined)
      void message.success(t('measures.person.released'))
      await changed()
      setNote('')
      onReleased(m)
    } catch (err) {
      // Refused: what the checks say now, else the refusal's own text.
      const again = await measuresApi.releaseChecks(measure!.id).catch(() => null)
      if (again && !again.ok) setRefused(again)
      else void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open={!!measure}
      title={`${t('measures.releaseForm.title')} · ${measure?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('measures.releaseForm.submit')}
      okButtonProps={{
        loading: saving,
        disabled: !shown?.ok,
        danger: true,
        'data-testid': 'release-submit',
      }}
      destroyOnHidden
    >
      {checks.isLoading ? (
        <Spin tip={t('measures.releaseForm.checking')}>
          <div style={{ height: 48 }} />
        </Spin>
      ) : checks.error ? (
        <Alert type="error" showIcon title={apiError(checks.error)} />
      ) : shown?.ok ? (
        <Alert type="success" showIcon title={t('measures.releaseForm.ok')} />
      ) : (
        <Alert
          type="warning"
          showIcon
          data-testid="release-problems"
          title={t('measures.person.releaseRefused')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {shown?.problems.map((p, i) => (
                <li key={`${p.code}-${i}`}>{problemText(p)}</li>
              ))}
            </ul>
          }
        />
      )}
      {shown?.ok && (
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={200}
            placeholder={t('measures.releaseForm.note')}
            aria-label={t('measures.releaseForm.note')}
            autoSize={{ minRows: 1, maxRows: 3 }}
          />
        </Typography.Paragraph>
      )}
    </Modal>
  )
}
