import { useRef, useState } from 'react'
import { Alert, App, Button, Cascader, Form, Input, Modal, TreeSelect, Typography } from 'antd'
import { CopyOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import { unitName } from '../registry/places'
import { registryApi } from '../registry/api'
import type { TreeNode } from '../tree/useDivisionTree'
import { doorsApi, type SensorCreatedOut } from './doorsApi'

/** A device id as printed on the sensor (the server's rule): letters, digits and . _ : - */
const DEVICE_ID = /^[A-Za-z0-9._:-]{3,64}$/

export function findNode(nodes: TreeNode[], key: string | undefined): TreeNode | undefined {
  if (!key) return undefined
  for (const n of nodes) {
    if (n.key === key) return n
    const c = n.children ? findNode(n.children, key) : undefined
    if (c) return c
  }
  return undefined
}

interface Place {
  value: string
  label: string
  isLeaf: boolean
  kind: 'building' | 'unit' | 'household'
  children?: Place[]
}

/**
 * 登记门磁: the device id printed on the sensor and the household (grid → building → unit → room).
 * The answer's secret goes to `onSecret`, to be shown once.
 */
export function RegisterSensorModal({
  open,
  nodes,
  loadChildren,
  gridId,
  onClose,
  onSecret,
}: {
  open: boolean
  nodes: TreeNode[]
  loadChildren: (id: string) => Promise<void>
  gridId: string | undefined
  onClose: () => void
  onSecret: (s: SensorCreatedOut) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [form] = Form.useForm<{ deviceId: string; gridId?: string; place?: string[] }>()
  const [grid, setGrid] = useState<string | undefined>(gridId)
  const [places, setPlaces] = useState<Place[]>([])
  const [refusal, setRefusal] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const isGrid = findNode(nodes, grid)?.level === 'grid'
  // A grid the user picked while the dialog was still opening must not be reset by the opening's
  // own preset, and only the latest pick's buildings are shown (a slow phone, a fast hand).
  const picked = useRef(false)
  const latest = useRef(0)

  async function chooseGrid(id: string | undefined): Promise<void> {
    const seq = ++latest.current
    setGrid(id)
    setPlaces([])
    setRefusal(null)
    form.setFieldValue('place', undefined)
    if (!id || findNode(nodes, id)?.level !== 'grid') return
    let b: Awaited<ReturnType<typeof registryApi.buildings>>
    try {
      b = await registryApi.buildings(id)
      if (seq !== latest.current) return
    } catch (err) {
      if (seq !== latest.current) return
      // Not an empty grid: the reason the buildings could not be loaded, in the UI language.
      setRefusal(apiError(err))
      return
    }
    setPlaces(b.items.map((x) => ({ value: x.id, label: x.name, isLeaf: false, kind: 'building' })))
  }

  async function loadPlace(path: Place[]): Promise<void> {
    try {
      await loadChildrenOf(path)
    } catch (err) {
      setRefusal(apiError(err))
    }
  }

  async function loadChildrenOf(path: Place[]): Promise<void> {
    const last = path[path.length - 1]!
    const children: Place[] =
      last.kind === 'building'
        ? (await registryApi.units(last.value)).items.map((u) => ({
            value: u.id,
            label: unitName(u),
            isLeaf: false,
            kind: 'unit',
          }))
        : (await registryApi.households(last.value)).items.map((h) => ({
            value: h.id,
            label: h.label,
            isLeaf: true,
            kind: 'household',
          }))
    last.children = children
    setPlaces((p) => [...p])
  }

  async function submit(v: { deviceId: string; place?: string[] }): Promise<void> {
    const householdId = v.place?.[2]
    if (!householdId) return
    setSaving(true)
    setRefusal(null)
    try {
      const s = await doorsApi.register({ deviceId: v.deviceId.trim(), householdId })
      await qc.invalidateQueries({ queryKey: ['door-sensors'] })
      form.resetFields()
      onSecret(s)
    } catch (err) {
      setRefusal(apiError(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      open={open}
      title={t('doors.register')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('doors.registerSubmit')}
      cancelText={t('doors.cancel')}
      okButtonProps={{ loading: saving, 'data-testid': 'door-register-submit' }}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o && !picked.current) void chooseGrid(gridId)
        if (!o) picked.current = false
      }}
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="door-register-form">
        <Form.Item
          name="deviceId"
          label={t('doors.deviceId')}
          extra={t('doors.deviceIdHelp')}
          rules={[
            { required: true, message: t('doors.required') },
            { pattern: DEVICE_ID, message: t('doors.deviceIdRule') },
          ]}
        >
          <Input autoComplete="off" data-testid="door-device-id" />
        </Form.Item>
        <Form.Item label={t('doors.grid')} required>
          <TreeSelect
            value={grid}
            onChange={(v?: string) => {
              picked.current = true
              void chooseGrid(v || undefined)
            }}
            treeData={nodes}
            loadData={(node) => loadChildren(String(node.value ?? node.key))}
            treeNodeLabelProp="title"
            aria-label={t('doors.grid')}
            placeholder={t('doors.gridHint')}
            data-testid="door-grid"
          />
        </Form.Item>
        <Form.Item
          name="place"
          label={t('doors.household')}
          rules={[
            {
              validator: (_, v?: string[]) =>
                v && v.length === 3
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('doors.householdRule'))),
            },
          ]}
        >
          <Cascader<Place>
            options={places}
            loadData={(path) => void loadPlace(path as Place[])}
            disabled={!isGrid}
            changeOnSelect={false}
            placeholder={isGrid ? t('doors.householdHint') : t('doors.gridFirst')}
            aria-label={t('doors.household')}
            data-testid="door-household"
          />
        </Form.Item>
        {refusal ? <Alert type="error" role="alert" message={refusal} /> : null}
      </Form>
    </Modal>
  )
}

/** Copies the text; where the browser refuses the clipboard, selects it for the user to copy. */
async function copyText(text: string, el: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    if (el) {
      const range = document.createRange()
      range.selectNodeContents(el)
      const sel = window.getSelection()
      sel?.removeAllRanges()
      sel?.addRange(range)
    }
    return false
  }
}

/**
 * The secret of a sensor just registered or rotated, shown this once: a copy button and the
 * warning that it will not be shown again (the server keeps it encrypted and never returns it).
 */
export function SecretModal({
  sensor,
  onClose,
}: {
  sensor: SensorCreatedOut | null
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [box, setBox] = useState<HTMLElement | null>(null)
  return (
    <Modal
      open={!!sensor}
      title={t('doors.secretTitle', { device: sensor?.deviceId ?? '' })}
      onCancel={onClose}
      maskClosable={false}
      // Out of the page once closed: the secret is not left in a hidden dialog.
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="door-secret-done">
          {t('doors.secretDone')}
        </Button>
      }
      data-testid="door-secret"
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        message={t('doors.secretOnce')}
        data-testid="door-secret-warning"
      />
      <Typography.Paragraph type="secondary">
        {t('doors.secretFor', { household: sensor?.householdLabel ?? '' })}
      </Typography.Paragraph>
      <div
        ref={setBox}
        data-testid="door-secret-value"
        style={{
          fontFamily: 'monospace',
          overflowWrap: 'anywhere',
          background: '#f5f5f5',
          padding: 8,
          borderRadius: 4,
          marginBottom: 12,
          userSelect: 'all',
        }}
      >
        {sensor?.secret}
      </div>
      <Button
        block
        icon={<CopyOutlined />}
        data-testid="door-secret-copy"
        onClick={() =>
          void copyText(sensor?.secret ?? '', box).then((ok) =>
            ok ? message.success(t('doors.copied')) : message.info(t('doors.copySelect')),
          )
        }
      >
        {t('doors.copy')}
      </Button>
    </Modal>
  )
}
