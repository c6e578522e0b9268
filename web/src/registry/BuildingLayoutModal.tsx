import { App, Form, Input, InputNumber, Modal, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { registryApi } from './api'
import { useApiError } from '../lib/apiError'

interface Values {
  building: string
  units: [number, number]
  floors: [number, number]
  rooms: [number, number]
}

function Range({ name, label }: { name: keyof Values; label: string }): React.JSX.Element {
  return (
    <Form.Item label={label} required>
      <Space.Compact>
        <Form.Item name={[name, 0]} noStyle rules={[{ required: true }]}>
          <InputNumber min={1} max={200} />
        </Form.Item>
        <Form.Item name={[name, 1]} noStyle rules={[{ required: true }]}>
          <InputNumber min={1} max={200} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  )
}

/** "Building 12, units 1–3, floors 1–18, rooms 01–04" in one form. */
export function BuildingLayoutModal({
  grid,
  onClose,
  onDone,
}: {
  grid: { id: string; title: string } | null
  onClose: () => void
  onDone: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [form] = Form.useForm<Values>()
  async function submit(): Promise<void> {
    const v = await form.validateFields()
    try {
      const out = await registryApi.createLayout({
        gridId: grid!.id,
        building: v.building,
        units: v.units,
        floors: v.floors,
        roomsPerFloor: v.rooms,
      })
      void message.success(t('registry.layoutDone', out))
      onDone()
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  return (
    <Modal
      open={!!grid}
      title={`${t('registry.layout')} · ${grid?.title ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('form.save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ units: [1, 2], floors: [1, 6], rooms: [1, 2] }}
      >
        <Form.Item
          name="building"
          label={t('registry.buildingNo')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input placeholder="12" />
        </Form.Item>
        <Range name="units" label={t('registry.units')} />
        <Range name="floors" label={t('registry.floors')} />
        <Range name="rooms" label={t('registry.roomsPerFloor')} />
      </Form>
    </Modal>
  )
}
