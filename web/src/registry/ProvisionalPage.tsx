import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ApiError, type Me } from '../api'
import { can } from '../auth/session'
import { useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { failedText } from '../lib/refusal'
import { useKeysetList } from '../lib/useKeysetList'
import { registryApi, RESIDENCE_TYPES, RELATIONS, type Relation, type ResidenceType } from './api'
import {
  PROVISIONAL_STATUSES,
  provisionalApi,
  type Provisional,
  type ProvisionalStatus,
} from './provisionalApi'
import { usePlaceTree, type PlaceNode } from './usePlaceTree'

type Action = 'confirm' | 'merge' | 'pass'

interface TreeItem {
  value: string
  title: string
  isLeaf: boolean
  selectable: boolean
  children?: TreeItem[]
}

const treeOf = (nodes: PlaceNode[]): TreeItem[] =>
  nodes.map((n) => ({
    value: n.key,
    title: n.title,
    isLeaf: n.isLeaf,
    selectable: n.kind === 'household',
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

/** A search picker of registered residents (name or ID number), for a merge. */
function ResidentPicker({
  value,
  onChange,
}: {
  value?: string
  onChange?: (v: string) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const found = useQuery({
    queryKey: ['provisional-merge-search', q],
    queryFn: () => registryApi.residents({ q, limit: 20 }),
    enabled: q.trim().length >= 1,
  })
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={found.isFetching}
      aria-label={t('provisional.mergeInto')}
      placeholder={t('provisional.searchHint')}
      notFoundContent={q ? t('provisional.noneFound') : null}
      options={(found.data?.items ?? []).map((r) => ({
        value: r.id,
        label: [r.name, r.householdLabel, r.idNumber].filter(Boolean).join('　'),
      }))}
      data-testid="provisional-merge-picker"
    />
  )
}

/** 临时人员: walk-ins registered at sampling desks in my scope, to confirm into a household, merge or mark passing through. */
export function ProvisionalPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [status, setStatus] = useState<ProvisionalStatus>('open')
  const [acting, setActing] = useState<{ p: Provisional; action: Action } | null>(null)
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<{
    place?: string
    relation?: Relation
    residenceType?: ResidenceType
    residentId?: string
    note?: string
  }>()
  const tree = usePlaceTree(acting?.action === 'confirm' ? 'confirm' : 'idle')
  const list = useKeysetList(['provisional', status], (after) =>
    provisionalApi.list({ status, limit: 50, after: after ?? undefined }),
  )
  const mayDecide = can(me, 'registry:write')

  /** What the merge moved, said once in words (specimens, measures … and a measure kept once). */
  function movedText(p: Provisional): string {
    const moved = p.moved ?? {}
    const parts = Object.entries(moved)
      .filter(([k, n]) => n > 0 && k !== 'measuresMerged')
      .map(([k, n]) => t(`provisional.moved.${k}`, { n, defaultValue: '' }))
      .filter(Boolean)
    if ((moved.measuresMerged ?? 0) > 0)
      parts.push(t('provisional.moved.measuresMerged', { n: moved.measuresMerged }))
    return parts.join('；')
  }

  async function run(): Promise<void> {
    if (!acting) return
    const v = await form.validateFields()
    const { p, action } = acting
    setSaving(true)
    try {
      let out: Provisional
      if (action === 'confirm') {
        const h = findPlace(tree.nodes, v.place!)!
        out = await provisionalApi.confirm(p.residentId, {
          householdId: h.id,
          ...(v.relation ? { relation: v.relation } : {}),
          ...(v.residenceType ? { residenceType: v.residenceType } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        })
      } else if (action === 'merge') {
        out = await provisionalApi.merge(p.residentId, {
          residentId: v.residentId!,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        })
      } else {
        out = await provisionalApi.passThrough(p.residentId, {
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        })
      }
      setActing(null)
      form.resetFields()
      void qc.invalidateQueries({ queryKey: ['provisional'] })
      const detail = action === 'merge' ? movedText(out) : ''
      modal.success({
        title: t(`provisional.done.${action}`, {
          name: out.name,
          household: out.householdLabel ?? '',
          into: out.mergedIntoName ?? '',
        }),
        content: detail || undefined,
        okText: t('provisional.ok'),
      })
    } catch (err) {
      const field =
        err instanceof ApiError
          ? err.field === 'householdId'
            ? 'place'
            : (err.field as 'residentId' | 'note' | undefined)
          : undefined
      if (field && form.getFieldInstance(field))
        form.setFields([{ name: field, errors: [apiError(err)] }])
      else void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }

  const where = (p: Provisional): string =>
    [p.gridName, p.householdLabel ?? p.address].filter(Boolean).join(' · ')

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('provisional.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('provisional.intro')}</Typography.Text>
      <Segmented<ProvisionalStatus>
        value={status}
        onChange={setStatus}
        options={PROVISIONAL_STATUSES.map((s) => ({
          value: s,
          label: t(`provisional.status.${s}`),
        }))}
        data-testid="provisional-status"
      />
      {list.error ? (
        <Alert type="error" showIcon title={failedText(list.error, t) ?? apiError(list.error)} />
      ) : null}
      <List<Provisional>
        loading={list.loading}
        dataSource={list.items}
        locale={{ emptyText: <Empty description={t('provisional.empty')} /> }}
        renderItem={(p) => (
          <List.Item data-testid="provisional-row">
            <Card size="small" style={{ width: '100%' }}>
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong data-testid="provisional-name">
                    {p.name}
                  </Typography.Text>
                  <Tag>{t(`provisional.status.${p.status}`)}</Tag>
                </Space>
                <Typography.Text>
                  {`${t(`idTypes.${p.idType}`)} ${p.idNumber ?? '—'}\u3000${t('registry.phone')} ${p.phone ?? '—'}`}
                </Typography.Text>
                <Typography.Text type="secondary">{where(p)}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('provisional.registered', {
                    by: p.registeredBy,
                    at: formatDateTime(p.registeredAt),
                  })}
                </Typography.Text>
                {p.status === 'merged' && p.mergedIntoName && (
                  <Typography.Text>
                    {t('provisional.mergedInto', { name: p.mergedIntoName })}
                  </Typography.Text>
                )}
                {p.note && <Typography.Text type="secondary">{p.note}</Typography.Text>}
                {p.status === 'open' && mayDecide && (
                  <Space wrap>
                    <Button
                      type="primary"
                      onClick={() => setActing({ p, action: 'confirm' })}
                      data-testid="provisional-confirm"
                    >
                      {t('provisional.actions.confirm')}
                    </Button>
                    <Button
                      onClick={() => setActing({ p, action: 'merge' })}
                      data-testid="provisional-merge"
                    >
                      {t('provisional.actions.merge')}
                    </Button>
                    <Button
                      onClick={() => setActing({ p, action: 'pass' })}
                      data-testid="provisional-pass"
                    >
                      {t('provisional.actions.pass')}
                    </Button>
                  </Space>
                )}
              </Space>
            </Card>
          </List.Item>
        )}
      />
      {list.hasMore && (
        <Button block loading={list.loadingMore} onClick={list.loadMore}>
          {t('form.more')}
        </Button>
      )}
      <Modal
        open={!!acting}
        title={
          acting ? t(`provisional.confirmTitle.${acting.action}`, { name: acting.p.name }) : ''
        }
        onCancel={() => (setActing(null), form.resetFields())}
        onOk={() => void run()}
        okText={acting ? t(`provisional.actions.${acting.action}`) : ''}
        cancelText={t('provisional.cancel')}
        okButtonProps={{ loading: saving, 'data-testid': 'provisional-ok' }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ residenceType: 'floating' }}>
          {acting?.action === 'confirm' && (
            <>
              <Form.Item
                name="place"
                label={t('provisional.household')}
                rules={[{ required: true, message: t('provisional.householdRequired') }]}
              >
                <TreeSelect
                  treeData={treeOf(tree.nodes)}
                  loadData={async (node) => {
                    const n = findPlace(tree.nodes, String(node.value))
                    if (n && !n.children) await tree.load(n)
                  }}
                  treeNodeLabelProp="title"
                  aria-label={t('provisional.household')}
                  placeholder={t('provisional.householdHint')}
                  data-testid="provisional-household"
                />
              </Form.Item>
              <Form.Item name="relation" label={t('registry.relation')}>
                <Select
                  allowClear
                  aria-label={t('registry.relation')}
                  options={RELATIONS.map((x) => ({ value: x, label: t(`relations.${x}`) }))}
                />
              </Form.Item>
              <Form.Item name="residenceType" label={t('registry.residenceType')}>
                <Select
                  aria-label={t('registry.residenceType')}
                  options={RESIDENCE_TYPES.map((x) => ({
                    value: x,
                    label: t(`residenceTypes.${x}`),
                  }))}
                />
              </Form.Item>
            </>
          )}
          {acting?.action === 'merge' && (
            <Form.Item
              name="residentId"
              label={t('provisional.mergeInto')}
              extra={t('provisional.mergeHelp')}
              rules={[{ required: true, message: t('provisional.mergeRequired') }]}
            >
              <ResidentPicker />
            </Form.Item>
          )}
          {acting?.action === 'pass' && (
            <Alert
              type="info"
              showIcon
              title={t('provisional.passHelp')}
              style={{ marginBottom: 12 }}
            />
          )}
          <Form.Item name="note" label={t('provisional.note')}>
            <Input.TextArea rows={2} maxLength={300} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
