import { App, Checkbox, Form, Input, InputNumber, Modal, Select, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { registryApi, type Building } from './api'
import { useApiError } from '../lib/apiError'

type Kind = Building['kind']
const KINDS: readonly Kind[] = ['block', 'villager_group', 'street']

interface Values {
  kind: Kind
  building: string
  units: [number, number]
  letByRoom: boolean
  floors: [number, number]
  rooms: [number, number]
}

function Range({
  name,
  label,
  max,
}: {
  name: 'units' | 'floors' | 'rooms'
  label: string
  max: number
}): React.JSX.Element {
  return (
    <Form.Item label={label} required>
      <Space.Compact>
        <Form.Item name={[name, 0]} noStyle rules={[{ required: true }]}>
          <InputNumber min={1} max={max} aria-label={`${label} 1`} />
        </Form.Item>
        <Form.Item name={[name, 1]} noStyle rules={[{ required: true }]}>
          <InputNumber min={1} max={max} aria-label={`${label} 2`} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  )
}

/**
 * "Building 12, units 1–3, floors 1–18, rooms 01–04" in one form; or a villager group's or a
 * street's houses ("三组, 门牌号 1–40"), each one household unless its houses are let room by room.
 */
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
  const kind = Form.useWatch('kind', form) ?? 'block'
  const letByRoom = Form.useWatch('letByRoom', form) ?? false
  const houses = kind !== 'block'
  const withRooms = !houses || letByRoom
  async function submit(): Promise<void> {
    const v = await form.validateFields()
    try {
      const out = await registryApi.createLayout({
        gridId: grid!.id,
        kind: v.kind,
        building: v.building,
        units: v.units,
        ...(withRooms ? { floors: v.floors, roomsPerFloor: v.rooms } : {}),
      })
      void message.success(t('registry.layoutDone', out))
      onDone()
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  const nameLabel =
    kind === 'villager_group'
      ? t('registry.groupName')
      : kind === 'street'
        ? t('registry.streetName')
        : t('registry.buildingNo')
  const placeholder =
    kind === 'villager_group'
      ? t('registry.groupHint')
      : kind === 'street'
        ? t('registry.streetHint')
        : '12'
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
        initialValues={{
          kind: 'block',
          units: [1, 2],
          letByRoom: false,
          floors: [1, 6],
          rooms: [1, 2],
        }}
      >
        <Form.Item name="kind" label={t('registry.layoutKind')}>
          <Select<Kind>
            data-testid="layout-kind"
            aria-label={t('registry.layoutKind')}
            options={KINDS.map((k) => ({ value: k, label: t(`registry.buildingKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="building"
          label={nameLabel}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input placeholder={placeholder} />
        </Form.Item>
        <Range
          name="units"
          label={houses ? t('registry.houseNumbers') : t('registry.units')}
          max={houses ? 9999 : 200}
        />
        {houses && (
          <Form.Item name="letByRoom" valuePropName="checked" extra={t('registry.letByRoomHint')}>
            <Checkbox>{t('registry.letByRoom')}</Checkbox>
          </Form.Item>
        )}
        {withRooms && (
          <>
            <Range name="floors" label={t('registry.floors')} max={200} />
            <Range
              name="rooms"
              label={houses ? t('registry.roomsPerFloorHouse') : t('registry.roomsPerFloor')}
              max={200}
            />
          </>
        )}
      </Form>
    </Modal>
  )
}
