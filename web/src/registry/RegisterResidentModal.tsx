import { App, Form, Input, Modal, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api'
import { reasonText, useApiError } from '../lib/apiError'
import {
  idProblem,
  phoneProblem,
  type IdDocumentType,
  type IdentifierProblem,
} from '../lib/identifiers'
import {
  ID_TYPES,
  KNOWN_TAGS,
  RELATIONS,
  RESIDENCE_TYPES,
  registryApi,
  type Relation,
  type ResidenceType,
} from './api'

interface Values {
  name: string
  idType: IdDocumentType
  idNumber: string
  phone?: string
  relation?: Relation
  residenceType: ResidenceType
  employer?: string
  notes?: string
  tags?: string[]
}

/** Register a person into one household; the server decides created / moved / updated / unchanged. */
export function RegisterResidentModal({
  household,
  onClose,
  onDone,
}: {
  household: { id: string; title: string } | null
  onClose: () => void
  onDone: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [form] = Form.useForm<Values>()
  // The server's own identifier check, its reason in the UI language.
  const rejectWith = (problem: IdentifierProblem | null): Promise<void> =>
    problem
      ? Promise.reject(new Error(reasonText(problem, i18n.language) ?? problem.code))
      : Promise.resolve()

  async function submit(): Promise<void> {
    const v = await form.validateFields()
    try {
      const out = await registryApi.register({
        ...v,
        householdId: household!.id,
        phone: v.phone || undefined,
      })
      // transfer_requested: the person is recorded in another community, which confirms the move.
      if (out.outcome === 'transfer_requested')
        void message.info(t('registry.outcomes.transfer_requested'), 6)
      else void message.success(t(`registry.outcomes.${out.outcome}`))
      // What the server repaired in the input (a 15-digit ID, a lowercase x, +86, spaces), said once.
      const repairs = out.repaired
        .map((r) => reasonText(r, i18n.language))
        .filter((text): text is string => !!text)
      if (repairs.length) void message.info(repairs.join('；'), 6)
      form.resetFields()
      onDone()
    } catch (err) {
      // A refusal that names one of the form's fields is shown under that field.
      const field = err instanceof ApiError ? (err.field as keyof Values | undefined) : undefined
      if (field && form.getFieldInstance(field)) {
        form.setFields([{ name: field, errors: [apiError(err)] }])
        return
      }
      void message.error(apiError(err))
    }
  }

  return (
    <Modal
      open={!!household}
      title={`${t('registry.register')} · ${household?.title ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('form.save')}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'resident-save' } as Record<`data-${string}`, string>}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ residenceType: 'registered', idType: 'resident_id' }}
        validateTrigger="onChange"
      >
        <Form.Item
          name="name"
          label={t('registry.name')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input data-testid="resident-name" />
        </Form.Item>
        <Form.Item name="idType" label={t('registry.idType')} rules={[{ required: true }]}>
          <Select
            data-testid="resident-id-type"
            options={ID_TYPES.map((x) => ({ value: x, label: t(`idTypes.${x}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('registry.idNumber')}
          dependencies={['idType']}
          rules={[
            { required: true, message: t('form.required') },
            ({ getFieldValue }) => ({
              validator: (_, v: string) =>
                rejectWith(
                  v ? idProblem(v, new Date(), getFieldValue('idType') as IdDocumentType) : null,
                ),
            }),
          ]}
        >
          <Input maxLength={24} data-testid="resident-id" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('registry.phone')}
          rules={[{ validator: (_, v: string) => rejectWith(v ? phoneProblem(v) : null) }]}
        >
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="relation" label={t('registry.relation')}>
          <Select
            allowClear
            options={RELATIONS.map((x) => ({ value: x, label: t(`relations.${x}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="residenceType"
          label={t('registry.residenceType')}
          rules={[{ required: true }]}
        >
          <Select
            options={RESIDENCE_TYPES.map((x) => ({ value: x, label: t(`residenceTypes.${x}`) }))}
          />
        </Form.Item>
        <Form.Item name="employer" label={t('registry.employer')}>
          <Input />
        </Form.Item>
        <Form.Item name="tags" label={t('registry.tags')}>
          <Select
            mode="multiple"
            allowClear
            options={KNOWN_TAGS.map((x) => ({ value: x, label: t(`tags.${x}`) }))}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('registry.notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
