import { useState } from 'react'
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Spin } from 'antd'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError, type Me } from '../api'
import { can } from '../auth/session'
import { useApiError, useMessageText } from '../lib/apiError'
import { checkpointsApi, type ArrivalOut, type ArrivalReportBody } from './api'
import { ArrivalState } from './CheckpointsPage'
import { ReportForm } from './ReportForm'
import { HouseholdPicker } from './HouseholdPicker'

/**
 * /checkpoints/:id/desk — the gate desk on a phone: a keyboard-wedge scanner types the reference
 * and Enter (or staff type it); confirm the arrival (classified by the profile, the proposed
 * measure shown, unknown places flagged); start the measure; or register a person without a phone.
 */
export function DeskPage({ me }: { me: Me }): React.JSX.Element {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const apiError = useApiError()
  const { message } = App.useApp()
  const [scan, setScan] = useState('')
  const [arrival, setArrival] = useState<ArrivalOut | null>(null)
  const [manual, setManual] = useState(false)
  const [form] = Form.useForm()
  const cp = useQuery({ queryKey: ['checkpoint', id], queryFn: () => checkpointsApi.get(id) })
  const onError = (e: unknown): void => {
    message.error(apiError(e))
  }
  const lookup = useMutation({
    mutationFn: (ref: string) => checkpointsApi.byReference(id, ref),
    onSuccess: (a) => {
      setArrival(a)
      setScan('')
    },
    onError,
  })
  const confirm = useMutation({
    mutationFn: (v: { a: ArrivalOut; householdId: string | undefined }) =>
      checkpointsApi.confirm(
        v.a.id,
        v.householdId ? { destinationHouseholdId: v.householdId } : {},
      ),
    onSuccess: setArrival,
    onError,
  })
  const start = useMutation({
    mutationFn: (a: ArrivalOut) => checkpointsApi.startMeasure(a.id),
    onSuccess: setArrival,
    onError,
  })
  const register = useMutation({
    mutationFn: (b: ArrivalReportBody) => checkpointsApi.registerAtGate(id, b),
    onSuccess: (a) => {
      setArrival(a)
      setManual(false)
      form.resetFields()
    },
    onError: (err) => {
      if (err instanceof ApiError && err.field) {
        const name = err.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
        form.setFields([{ name, errors: [apiError(err)] }])
      } else onError(err)
    },
  })
  if (cp.error) return <Alert type="error" showIcon title={apiError(cp.error)} />
  if (!cp.data) return <Spin style={{ display: 'block', margin: '48px auto' }} />
  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 560 }} size="middle">
      <h1 style={{ fontSize: 18, margin: 0 }}>
        {t('checkpoints.desk.title', { name: cp.data.name })}
      </h1>
      <Link to={`/checkpoints/${id}/gate`}>{t('checkpoints.gate.open')}</Link>
      <Input.Search
        aria-label={t('checkpoints.desk.scan')}
        placeholder={t('checkpoints.desk.scan')}
        enterButton={t('checkpoints.desk.find')}
        value={scan}
        onChange={(e) => setScan(e.target.value)}
        onSearch={(v) => v.trim() && lookup.mutate(v.trim())}
        loading={lookup.isPending}
        autoFocus
        data-testid="desk-scan"
      />
      <Button block onClick={() => setManual(true)} data-testid="desk-manual">
        {t('checkpoints.desk.manual')}
      </Button>
      {arrival ? (
        <ArrivalCard
          a={arrival}
          me={me}
          communityId={cp.data.communityId}
          busy={confirm.isPending || start.isPending}
          onConfirm={(householdId) => confirm.mutate({ a: arrival, householdId })}
          onStart={() => start.mutate(arrival)}
        />
      ) : null}
      <Modal
        open={manual}
        title={t('checkpoints.desk.manual')}
        footer={null}
        onCancel={() => setManual(false)}
        destroyOnHidden
      >
        <ReportForm
          form={form}
          windowDays={cp.data.itineraryWindowDays}
          submitting={register.isPending}
          submitLabel={t('checkpoints.desk.register')}
          onSubmit={(b) => register.mutate(b)}
        />
      </Modal>
    </Space>
  )
}

function ArrivalCard({
  a,
  me,
  communityId,
  busy,
  onConfirm,
  onStart,
}: {
  a: ArrivalOut
  me: Me
  communityId: string
  busy: boolean
  onConfirm: (householdId: string | undefined) => void
  onStart: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const [household, setHousehold] = useState<string | undefined>()
  const text = useMessageText()
  const category = a.category ? t(`measures.categories.${a.category}`) : null
  return (
    <Card
      data-testid="desk-arrival"
      title={`${a.name} · ${a.reference}`}
      extra={<ArrivalState a={a} />}
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('checkpoints.form.idNumber')}>{a.idNumber}</Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.form.phone')}>{a.phone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.form.origin')}>
          {text(`ORIGIN_${a.origin}`) ?? a.origin} {a.originArea}
        </Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.form.arrivalDate')}>
          {a.arrivalDate}
        </Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.form.healthCode')}>
          {t(`checkpoints.colours.${a.healthCode}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.form.destination')}>
          {a.destinationAddress || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('checkpoints.desk.places')}>
          {a.itinerary.length
            ? a.itinerary.map((p) => `${p.date} ${p.place}`).join('；')
            : t('checkpoints.desk.noPlaces')}
        </Descriptions.Item>
      </Descriptions>
      {a.unmatchedPlaces.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ margin: '8px 0' }}
          title={t('checkpoints.desk.unmatched', { places: a.unmatchedPlaces.join('、') })}
        />
      ) : null}
      {a.status === 'confirmed' ? (
        <Alert
          type={a.category ? 'error' : 'success'}
          showIcon
          style={{ margin: '8px 0' }}
          data-testid="desk-proposal"
          title={
            category
              ? t('checkpoints.desk.proposal', { category })
              : t('checkpoints.desk.noMeasure')
          }
        />
      ) : null}
      {!a.measureId ? (
        <div style={{ margin: '8px 0' }}>
          <HouseholdPicker communityId={communityId} onChange={setHousehold} />
        </div>
      ) : null}
      <Space wrap>
        {a.status === 'reported' || (!a.measureId && household) ? (
          <Button
            type="primary"
            loading={busy}
            onClick={() => onConfirm(household)}
            data-testid="desk-confirm"
          >
            {a.status === 'reported'
              ? t('checkpoints.desk.confirm')
              : t('checkpoints.desk.reconfirm')}
          </Button>
        ) : null}
        {a.status === 'confirmed' &&
        a.category &&
        !a.measureId &&
        !a.handover &&
        can(me, 'checkpoints:start_measure') ? (
          <Button type="primary" danger loading={busy} onClick={onStart} data-testid="desk-start">
            {t('checkpoints.desk.start', { category })}
          </Button>
        ) : null}
      </Space>
    </Card>
  )
}
