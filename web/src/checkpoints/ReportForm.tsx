import { Button, Form, Input, Radio, Select, Space } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { useMessageText, reasonText } from '../lib/apiError'
import { idProblem, phoneProblem } from '../lib/identifiers'
import { CODE_COLOURS, type ArrivalReportBody, type Origin } from './api'

export const ORIGIN_CHOICES: readonly Origin[] = [
  'low_risk_area',
  'low_risk_area_in_risk_county',
  'medium_risk_area',
  'high_risk_area',
  'hk_macau_taiwan',
  'overseas',
]

interface Values {
  name: string
  idType: 'resident_id' | 'passport'
  idNumber: string
  phone?: string
  origin: Origin
  originArea?: string
  arrivalDate: string
  transport?: string
  purpose?: string
  destinationAddress?: string
  itinerary?: { place: string; date: string }[]
  healthCode: ArrivalReportBody['healthCode']
}

const today = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

/**
 * The 报备 fields of domain.md §4, one form for the public self-report and for the gate (a person
 * without a phone). The ID is checked as typed with the server's own rule; the server's refusal
 * (with its field) is shown on that field by the caller.
 */
export function ReportForm({
  windowDays,
  submitting,
  submitLabel,
  onSubmit,
  form,
}: {
  windowDays: number
  submitting: boolean
  submitLabel: string
  onSubmit: (body: ArrivalReportBody) => void
  form: ReturnType<typeof Form.useForm<Values>>[0]
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const text = useMessageText()
  const lang = i18n.language
  const submit = (v: Values): void =>
    onSubmit({
      name: v.name,
      idType: v.idType,
      idNumber: v.idNumber,
      ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      origin: v.origin,
      ...(v.originArea ? { originArea: v.originArea } : {}),
      arrivalDate: v.arrivalDate,
      ...(v.transport ? { transport: v.transport } : {}),
      ...(v.purpose ? { purpose: v.purpose } : {}),
      ...(v.destinationAddress ? { destinationAddress: v.destinationAddress } : {}),
      itinerary: (v.itinerary ?? []).filter((p) => p?.place && p?.date),
      healthCode: v.healthCode,
    })
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ idType: 'resident_id', arrivalDate: today(), healthCode: 'green' }}
      requiredMark
    >
      <Form.Item
        name="name"
        label={t('checkpoints.form.name')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input autoComplete="name" maxLength={50} />
      </Form.Item>
      <Form.Item name="idType" label={t('checkpoints.form.idType')}>
        <Radio.Group>
          <Radio value="resident_id">{t('checkpoints.form.idTypes.resident_id')}</Radio>
          <Radio value="passport">{t('checkpoints.form.idTypes.passport')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="idNumber"
        label={t('checkpoints.form.idNumber')}
        dependencies={['idType']}
        rules={[
          { required: true, message: t('form.required') },
          {
            validator: async (_r, v: string | undefined) => {
              if (!v || form.getFieldValue('idType') !== 'resident_id') return
              const p = idProblem(v)
              if (p) throw new Error(reasonText(p, lang) ?? t('form.required'))
            },
          },
        ]}
      >
        <Input autoComplete="off" maxLength={30} inputMode="text" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('checkpoints.form.phone')}
        rules={[
          {
            validator: async (_r, v: string | undefined) => {
              const p = v ? phoneProblem(v) : null
              if (p) throw new Error(reasonText(p, lang) ?? t('form.required'))
            },
          },
        ]}
      >
        <Input type="tel" autoComplete="tel" maxLength={20} />
      </Form.Item>
      <Form.Item
        name="origin"
        label={t('checkpoints.form.origin')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select
          options={ORIGIN_CHOICES.map((o) => ({ value: o, label: text(`ORIGIN_${o}`) ?? o }))}
        />
      </Form.Item>
      <Form.Item name="originArea" label={t('checkpoints.form.originArea')}>
        <Input maxLength={100} placeholder={t('checkpoints.form.originAreaHint')} />
      </Form.Item>
      <Form.Item
        name="arrivalDate"
        label={t('checkpoints.form.arrivalDate')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input type="date" />
      </Form.Item>
      <Form.Item name="transport" label={t('checkpoints.form.transport')}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="purpose" label={t('checkpoints.form.purpose')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="destinationAddress" label={t('checkpoints.form.destination')}>
        <Input maxLength={200} placeholder={t('checkpoints.form.destinationHint')} />
      </Form.Item>
      <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px' }}>
        <legend style={{ fontSize: 14 }}>
          {t('checkpoints.form.itinerary', { days: windowDays })}
        </legend>
        <Form.List name="itinerary">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                  <Form.Item
                    name={[f.name, 'place']}
                    label={t('checkpoints.form.place', { n: i + 1 })}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <Input maxLength={100} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'date']}
                    label={t('checkpoints.form.placeDate', { n: i + 1 })}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <Input type="date" />
                  </Form.Item>
                  <Button
                    aria-label={t('checkpoints.form.removePlace', { n: i + 1 })}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(f.name)}
                    style={{ marginTop: 30 }}
                  />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ place: '', date: today() })}
                data-testid="add-place"
              >
                {t('checkpoints.form.addPlace')}
              </Button>
            </>
          )}
        </Form.List>
      </fieldset>
      <Form.Item name="healthCode" label={t('checkpoints.form.healthCode')}>
        <Radio.Group>
          {CODE_COLOURS.map((c) => (
            <Radio key={c} value={c}>
              {t(`checkpoints.colours.${c}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        loading={submitting}
        block
        data-testid="report-submit"
      >
        {submitLabel}
      </Button>
    </Form>
  )
}
