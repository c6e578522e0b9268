import { useState } from 'react'
import { Alert, App, Button, Drawer, Form, Input, Select, TreeSelect } from 'antd'
import { UserAddOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { ApiError, type Me } from '../api'
import { can } from '../auth/session'
import { reasonText, useApiError } from '../lib/apiError'
import {
  idProblem,
  phoneProblem,
  type IdDocumentType,
  type IdentifierProblem,
} from '../lib/identifiers'
import { ID_TYPES } from '../registry/api'
import { usePlaceTree, type PlaceNode } from '../registry/usePlaceTree'
import { walkInApi } from './walkInApi'

interface Values {
  name: string
  idType: IdDocumentType
  idNumber: string
  phone: string
  /** d:<grid id> or h:<household id> (the place tree's keys). */
  place: string
  address?: string
}

interface TreeItem {
  value: string
  title: string
  isLeaf: boolean
  selectable: boolean
  children?: TreeItem[]
}

/** Grids and households can be chosen; the levels between only open. */
const treeOf = (nodes: PlaceNode[]): TreeItem[] =>
  nodes.map((n) => ({
    value: n.key,
    title: n.title,
    isLeaf: n.isLeaf,
    selectable: n.kind === 'grid' || n.kind === 'household',
    ...(n.children ? { children: treeOf(n.children) } : {}),
  }))

function findPlace(nodes: PlaceNode[], key: string): PlaceNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n
    const c = n.children ? findPlace(n.children, key) : undefined
    if (c) return c
  }
  return undefined
}

/**
 * 登记临时人员 on the sampling screen: a person with no code who is not in the registry gives
 * name, document, phone and where they stay (a household, or a grid and the address); the answered
 * code goes to `onCode`, straight into the scan flow, so the sampler tubes them at once. Not queued
 * offline: it says it needs the network. The wrapper keeps clicks in the drawer from the sampling
 * screen's refocus of its scan field.
 */
export function WalkInDrawer({
  me,
  roundId,
  siteId,
  onCode,
  onClosed,
}: {
  me: Me
  roundId: string
  siteId: string | undefined
  onCode: (code: string) => void
  /** After the drawer has closed: the sampling screen puts the cursor back in its scan field, so the
   * scanner's next code (and its Enter) goes there, not to the 登记临时人员 button. */
  onClosed?: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [form] = Form.useForm<Values>()
  const place = Form.useWatch('place', form)
  const tree = usePlaceTree(open ? 'open' : 'closed')
  const atGrid = !!place && place.startsWith('d:')
  const rejectWith = (problem: IdentifierProblem | null): Promise<void> =>
    problem
      ? Promise.reject(new Error(reasonText(problem, i18n.language) ?? problem.code))
      : Promise.resolve()

  async function submit(v: Values): Promise<void> {
    setRefusal(null)
    if (!navigator.onLine) {
      setRefusal(t('walkIn.needsNetwork'))
      return
    }
    const chosen = findPlace(tree.nodes, v.place)
    setSaving(true)
    try {
      const out = await walkInApi.register(roundId, {
        name: v.name,
        idType: v.idType,
        idNumber: v.idNumber,
        phone: v.phone,
        ...(chosen?.kind === 'household' ? { householdId: chosen.id } : { gridId: chosen?.id }),
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
        ...(siteId ? { siteId } : {}),
      })
      void message.success(t(`walkIn.outcomes.${out.outcome}`, { name: out.name }), 5)
      const repairs = out.repaired
        .map((r) => reasonText(r, i18n.language))
        .filter((text): text is string => !!text)
      if (repairs.length) void message.info(repairs.join('；'), 6)
      form.resetFields()
      setOpen(false)
      onCode(out.code)
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500 || err.status === 408) {
        setRefusal(err instanceof ApiError ? apiError(err) : t('walkIn.needsNetwork'))
        return
      }
      // A refusal naming a field is shown under it (gridId and householdId under the place).
      const field =
        err.field === 'gridId' || err.field === 'householdId'
          ? 'place'
          : (err.field as keyof Values)
      if (field && form.getFieldInstance(field))
        form.setFields([{ name: field, errors: [apiError(err)] }])
      else setRefusal(apiError(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <span onClick={(e) => e.stopPropagation()} style={{ display: 'block' }}>
      <Button
        block
        icon={<UserAddOutlined />}
        onClick={() => setOpen(true)}
        disabled={!can(me, 'registry:provisional')}
        data-testid="walkin-open"
      >
        {t('walkIn.open')}
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        afterOpenChange={(isOpen) => {
          if (!isOpen && onClosed) setTimeout(onClosed, 0)
        }}
        size="min(100vw, 480px)"
        title={t('walkIn.title')}
        destroyOnHidden
        footer={
          <Button
            type="primary"
            block
            loading={saving}
            onClick={() => form.submit()}
            data-testid="walkin-submit"
          >
            {t('walkIn.submit')}
          </Button>
        }
      >
        <Alert type="info" showIcon title={t('walkIn.hint')} style={{ marginBottom: 16 }} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ idType: 'resident_id' }}
          onFinish={(v) => void submit(v)}
          data-testid="walkin-form"
        >
          <Form.Item
            name="name"
            label={t('registry.name')}
            rules={[{ required: true, whitespace: true, message: t('walkIn.nameRequired') }]}
          >
            <Input autoComplete="off" maxLength={50} data-testid="walkin-name" />
          </Form.Item>
          <Form.Item name="idType" label={t('registry.idType')} rules={[{ required: true }]}>
            <Select
              aria-label={t('registry.idType')}
              options={ID_TYPES.map((x) => ({ value: x, label: t(`idTypes.${x}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('registry.idNumber')}
            dependencies={['idType']}
            rules={[
              { required: true, whitespace: true, message: t('walkIn.idRequired') },
              ({ getFieldValue }) => ({
                validator: (_, v: string) =>
                  rejectWith(
                    v?.trim()
                      ? idProblem(v, new Date(), getFieldValue('idType') as IdDocumentType)
                      : null,
                  ),
              }),
            ]}
          >
            <Input autoComplete="off" maxLength={30} data-testid="walkin-id" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('registry.phone')}
            rules={[
              { required: true, whitespace: true, message: t('walkIn.phoneRequired') },
              { validator: (_, v: string) => rejectWith(v ? phoneProblem(v) : null) },
            ]}
          >
            <Input inputMode="tel" autoComplete="off" maxLength={20} data-testid="walkin-phone" />
          </Form.Item>
          <Form.Item
            name="place"
            label={t('walkIn.place')}
            extra={t('walkIn.placeHelp')}
            rules={[{ required: true, message: t('walkIn.placeRequired') }]}
          >
            <TreeSelect
              treeData={treeOf(tree.nodes)}
              loadData={async (node) => {
                const n = findPlace(tree.nodes, String(node.value))
                if (n && !n.children) await tree.load(n)
              }}
              treeNodeLabelProp="title"
              aria-label={t('walkIn.place')}
              placeholder={t('walkIn.placeHint')}
              data-testid="walkin-place"
            />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('walkIn.address')}
            rules={[
              {
                required: atGrid,
                whitespace: true,
                message: t('walkIn.addressRequired'),
              },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              placeholder={t('walkIn.addressHint')}
              data-testid="walkin-address"
            />
          </Form.Item>
          {refusal && (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={refusal}
              data-testid="walkin-refusal"
            />
          )}
        </Form>
      </Drawer>
    </span>
  )
}
