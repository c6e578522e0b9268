import { useState } from 'react'
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Tag, TreeSelect } from 'antd'
import type { ButtonProps } from 'antd'
import { useQuery } from '@tanstack/react-query'
import type { Me } from '../api'
import { useApiError } from '../lib/apiError'
import { unitName } from '../registry/places'
import { registryApi } from '../registry/api'
import { useDivisionTree, type TreeNode } from '../tree/useDivisionTree'
import {
  zonesApi,
  type ExtentIn,
  type ExtentKind,
  type ZoneLevel,
  type ZoneSettingsOut,
} from './api'
import { useZoneText } from './levels'

export interface PickedPart {
  extent: ExtentIn
  label: string
}

function findNode(nodes: readonly TreeNode[], id: string | undefined): TreeNode | undefined {
  if (!id) return undefined
  for (const n of nodes) {
    if (n.value === id) return n
    const inner = n.children ? findNode(n.children, id) : undefined
    if (inner) return inner
  }
  return undefined
}

/** The kinds of part the profile in force draws areas at (a village is a community of the tree). */
export function partKinds(s: ZoneSettingsOut): ExtentKind[] {
  const kinds: ExtentKind[] = ['household', 'floor', 'unit', 'building', 'grid', 'community']
  return kinds.filter((k) =>
    k === 'community'
      ? s.units.includes('community') || s.units.includes('village')
      : s.units.includes(k),
  )
}

/**
 * Chooses parts of the registry for an area: the unit (only those the profile draws at), then
 * the grid or community in the tree, then a building, unit, floor or household of that grid.
 */
export function PartsPicker({
  me,
  settings,
  parts,
  onChange,
}: {
  me: Me
  settings: ZoneSettingsOut
  parts: PickedPart[]
  onChange: (parts: PickedPart[]) => void
}): React.JSX.Element {
  const z = useZoneText()
  const kinds = partKinds(settings)
  const [kind, setKind] = useState<ExtentKind | undefined>(kinds[0])
  const [divisionId, setDivisionId] = useState<string | undefined>()
  const [buildingId, setBuildingId] = useState<string | undefined>()
  const [unitId, setUnitId] = useState<string | undefined>()
  const [householdId, setHouseholdId] = useState<string | undefined>()
  const [floor, setFloor] = useState<number | null>(null)
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const node = findNode(nodes, divisionId)
  const inBuilding = kind !== 'grid' && kind !== 'community'
  const gridId = node?.level === 'grid' ? node.value : undefined
  const buildings = useQuery({
    queryKey: ['zone-buildings', gridId],
    queryFn: () => registryApi.buildings(gridId!),
    enabled: inBuilding && !!gridId,
  })
  const units = useQuery({
    queryKey: ['zone-units', buildingId],
    queryFn: () => registryApi.units(buildingId!),
    enabled: (kind === 'unit' || kind === 'household') && !!buildingId,
  })
  const households = useQuery({
    queryKey: ['zone-households', unitId],
    queryFn: () => registryApi.households(unitId!),
    enabled: kind === 'household' && !!unitId,
  })
  const building = buildings.data?.items.find((b) => b.id === buildingId)
  const unit = units.data?.items.find((u) => u.id === unitId)
  const household = households.data?.items.find((h) => h.id === householdId)

  const candidate = ((): PickedPart | null => {
    if (kind === 'grid' || kind === 'community')
      return node && node.level === kind
        ? { extent: { kind, id: node.value }, label: node.title }
        : null
    if (kind === 'building' && building)
      return { extent: { kind, id: building.id }, label: building.name }
    if (kind === 'floor' && building && floor !== null)
      return {
        extent: { kind, id: building.id, floor },
        label: z('ZONE_EXTENT_FLOOR', { label: building.name, floor }),
      }
    if (kind === 'unit' && building && unit)
      return { extent: { kind, id: unit.id }, label: `${building.name} ${unitName(unit)}` }
    if (kind === 'household' && household)
      return { extent: { kind, id: household.id }, label: household.label }
    return null
  })()

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select<ExtentKind>
        value={kind}
        onChange={(k) => setKind(k)}
        aria-label={z('ZONE_UI_PART_KIND')}
        options={kinds.map((k) => ({ value: k, label: z(`ZONE_UNIT_${k}`) }))}
        data-testid="zone-part-kind"
      />
      <TreeSelect
        style={{ width: '100%' }}
        placeholder={z('ZONE_UI_DIVISION')}
        aria-label={z('ZONE_UI_DIVISION')}
        value={divisionId}
        onChange={(v?: string) => {
          setDivisionId(v || undefined)
          setBuildingId(undefined)
          setUnitId(undefined)
          setHouseholdId(undefined)
        }}
        treeData={nodes}
        loadData={(n) => loadChildren(String(n.value ?? n.key))}
        treeNodeLabelProp="title"
        data-testid="zone-part-division"
      />
      {inBuilding && (
        <Select
          value={buildingId}
          onChange={(v: string) => {
            setBuildingId(v)
            setUnitId(undefined)
            setHouseholdId(undefined)
          }}
          placeholder={z('ZONE_UI_BUILDING')}
          aria-label={z('ZONE_UI_BUILDING')}
          disabled={!gridId}
          loading={buildings.isLoading && !!gridId}
          options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
          data-testid="zone-part-building"
        />
      )}
      {(kind === 'unit' || kind === 'household') && (
        <Select
          value={unitId}
          onChange={(v: string) => {
            setUnitId(v)
            setHouseholdId(undefined)
          }}
          placeholder={z('ZONE_UI_UNIT')}
          aria-label={z('ZONE_UI_UNIT')}
          disabled={!buildingId}
          options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: unitName(u) }))}
          data-testid="zone-part-unit"
        />
      )}
      {kind === 'household' && (
        <Select
          value={householdId}
          onChange={(v: string) => setHouseholdId(v)}
          placeholder={z('ZONE_UI_HOUSEHOLD')}
          aria-label={z('ZONE_UI_HOUSEHOLD')}
          disabled={!unitId}
          options={(households.data?.items ?? []).map((h) => ({ value: h.id, label: h.label }))}
          data-testid="zone-part-household"
        />
      )}
      {kind === 'floor' && (
        <InputNumber
          style={{ width: '100%' }}
          value={floor}
          onChange={(v) => setFloor(typeof v === 'number' ? v : null)}
          placeholder={z('ZONE_UI_FLOOR')}
          aria-label={z('ZONE_UI_FLOOR')}
          min={-10}
          max={200}
          precision={0}
        />
      )}
      <Button
        block
        disabled={!candidate}
        onClick={() => {
          if (!candidate) return
          const key = (p: PickedPart) => `${p.extent.kind}:${p.extent.id}:${p.extent.floor ?? ''}`
          if (!parts.some((p) => key(p) === key(candidate))) onChange([...parts, candidate])
        }}
        data-testid="zone-part-add"
      >
        {z('ZONE_UI_ADD_PART')}
      </Button>
      <Space wrap size={[4, 4]} data-testid="zone-parts">
        {parts.length === 0
          ? z('ZONE_UI_NO_PARTS')
          : parts.map((p, i) => (
              <Tag key={i} closable onClose={() => onChange(parts.filter((_, j) => j !== i))}>
                {p.label}
              </Tag>
            ))}
      </Space>
    </Space>
  )
}

interface FormValues {
  name: string
  level: ZoneLevel
  reason: string
}

/** 划定风险区: name, level (as the profile names them), reason and the parts. */
export function AreaForm({
  me,
  open,
  settings,
  onClose,
  onDone,
}: {
  me: Me
  open: boolean
  settings: ZoneSettingsOut
  onClose: () => void
  onDone: (id: string) => void
}): React.JSX.Element {
  const z = useZoneText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const [form] = Form.useForm<FormValues>()
  const [parts, setParts] = useState<PickedPart[]>([])
  const [saving, setSaving] = useState(false)
  const submit = async (v: FormValues): Promise<void> => {
    setSaving(true)
    try {
      const area = await zonesApi.create({ ...v, extents: parts.map((p) => p.extent) })
      void message.success(z('ZONE_UI_DONE'))
      form.resetFields()
      setParts([])
      onDone(area.id)
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open={open}
      title={z('ZONE_UI_DRAW')}
      onCancel={onClose}
      okText={z('ZONE_UI_SUBMIT')}
      cancelText={z('ZONE_UI_CANCEL')}
      okButtonProps={
        {
          disabled: parts.length === 0,
          loading: saving,
          'data-testid': 'zone-draw-ok',
        } as ButtonProps
      }
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ level: settings.levels[0]?.level }}
      >
        <Form.Item name="name" label={z('ZONE_UI_NAME')} rules={[{ required: true, max: 80 }]}>
          <Input data-testid="zone-name" />
        </Form.Item>
        <Form.Item name="level" label={z('ZONE_UI_LEVEL')} rules={[{ required: true }]}>
          <Select
            options={settings.levels.map((l) => ({ value: l.level, label: z(l.name) }))}
            data-testid="zone-level"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={z('ZONE_UI_REASON')}
          rules={[{ required: true, min: 2, max: 200 }]}
        >
          <Input.TextArea rows={2} data-testid="zone-reason" />
        </Form.Item>
        <Form.Item label={z('ZONE_UI_PARTS')} required>
          <PartsPicker me={me} settings={settings} parts={parts} onChange={setParts} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
