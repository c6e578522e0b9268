import { App, Form, Input, Modal, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../api'
import { idProblem, phoneProblem } from '../lib/identifiers'
import { KNOWN_TAGS, RELATIONS, RESIDENCE_TYPES } from './api'

interface Values {
  name: string
  idNumber: string
  phone?: string
  relation?: string
  residenceType: string
  employer?: string
  notes?: string
  tags?: string[]
}

/** Register a person into one household; the server decides created / moved / updated / unchanged. */
export function RegisterResidentModal({ household, onClose, onDone }: { household: { id: string; title: string } | null; onClose: () => void; onDone: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()

  async function submit(): Promise<void> {
    const v = await form.validateFields()
    try {
      const out = await api.post<{ outcome: string; repaired: string[] }>('/api/residents', { ...v, householdId: household!.id, phone: v.phone || undefined })
      // transfer_requested: the person is recorded in another community, which confirms the move.
      if (out.outcome === 'transfer_requested') void message.info(t('registry.outcomes.transfer_requested'), 6)
      else void message.success(t(`registry.outcomes.${out.outcome}`))
      form.resetFields()
      onDone()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VALIDATION') {
        const [field, ...rest] = err.message.split(': ')
        if (field && form.getFieldInstance(field as keyof Values)) {
          form.setFields([{ name: field as keyof Values, errors: [rest.join(': ')] }])
          return
        }
      }
      void message.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  return (
    <Modal open={!!household} title={`${t('registry.register')} · ${household?.title ?? ''}`} onCancel={onClose} onOk={() => void submit()} okText={t('form.save')} destroyOnHidden okButtonProps={{ 'data-testid': 'resident-save' } as Record<`data-${string}`, string>}>
      <Form form={form} layout="vertical" initialValues={{ residenceType: 'registered' }} validateTrigger="onChange">
        <Form.Item name="name" label={t('registry.name')} rules={[{ required: true, message: t('form.required') }]}>
          <Input data-testid="resident-name" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('registry.idNumber')}
          rules={[
            { required: true, message: t('form.required') },
            { validator: (_, v: string) => (!v || !idProblem(v) ? Promise.resolve() : Promise.reject(new Error(t(`registry.idProblems.${idProblem(v)}`)))) },
          ]}
        >
          <Input maxLength={18} data-testid="resident-id" />
        </Form.Item>
        <Form.Item name="phone" label={t('registry.phone')} rules={[{ validator: (_, v: string) => (!v || !phoneProblem(v) ? Promise.resolve() : Promise.reject(new Error(t('users.phoneRule')))) }]}>
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="relation" label={t('registry.relation')}>
          <Select allowClear options={RELATIONS.map((x) => ({ value: x, label: t(`relations.${x}`) }))} />
        </Form.Item>
        <Form.Item name="residenceType" label={t('registry.residenceType')} rules={[{ required: true }]}>
          <Select options={RESIDENCE_TYPES.map((x) => ({ value: x, label: t(`residenceTypes.${x}`) }))} />
        </Form.Item>
        <Form.Item name="employer" label={t('registry.employer')}>
          <Input />
        </Form.Item>
        <Form.Item name="tags" label={t('registry.tags')}>
          <Select mode="multiple" allowClear options={KNOWN_TAGS.map((x) => ({ value: x, label: t(`tags.${x}`) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('registry.notes')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
