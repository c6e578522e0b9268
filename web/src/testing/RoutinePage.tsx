import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useDivisionTree } from '../tree/useDivisionTree'
import { failedLocale } from '../lib/refusal'
import { reasonText, useApiError } from '../lib/apiError'
import { formatShort } from '../lib/dates'
import {
  testingApi,
  type AddMembersResult,
  type KeyGroup,
  type KeyGroupKind,
  type OverdueMember,
} from './api'

/** 常态化检测: key-job groups, their members, and who is overdue for a test, by grid and household. */
export function RoutinePage({ me }: { me: Me }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const groups = useQuery({ queryKey: ['key-groups'], queryFn: testingApi.keyGroups })
  // Key-job kinds and frequencies are the profile's (policy/profiles/<name>/testing.json).
  const profile = useQuery({ queryKey: ['testing-profile'], queryFn: testingApi.profile })
  const kinds = Object.keys(profile.data?.settings.keyJobs ?? {})
  const frequencies = Object.keys(profile.data?.settings.routineFrequencies ?? {})
  const [groupId, setGroupId] = useState<string | undefined>()
  const overdue = useQuery({
    queryKey: ['key-groups-overdue', groupId],
    queryFn: () => testingApi.overdue(groupId),
  })
  const [creating, setCreating] = useState(false)
  const [adding, setAdding] = useState<KeyGroup | null>(null)
  const [lines, setLines] = useState('')
  const [addResult, setAddResult] = useState<AddMembersResult | null>(null)
  const [form] = Form.useForm()
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const refresh = async (): Promise<void> => {
    await qc.invalidateQueries({ queryKey: ['key-groups'] })
    await qc.invalidateQueries({ queryKey: ['key-groups-overdue'] })
  }
  async function create(v: {
    name: string
    kind: KeyGroupKind
    frequency?: string
    divisionId: string
  }): Promise<void> {
    try {
      await testingApi.createKeyGroup(v)
      setCreating(false)
      form.resetFields()
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  async function addMembers(): Promise<void> {
    if (!adding) return
    try {
      setAddResult(await testingApi.addMembers(adding.id, lines.split(/\r?\n/)))
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  const manage = can(me, 'testing:manage')
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t('routine.title')}
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('routine.newGroup')}
            </Button>
          )
        }
      >
        <Table<KeyGroup>
          rowKey="id"
          size="small"
          loading={groups.isLoading}
          locale={failedLocale(groups.error, t)}
          dataSource={groups.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('routine.group'), dataIndex: 'name' },
            { title: t('routine.kind'), render: (_, g) => t(`routine.kinds.${g.kind}`) },
            {
              title: t('routine.frequency'),
              render: (_, g) =>
                t(`routine.frequencies.${g.frequency}`, { defaultValue: g.frequency }),
            },
            { title: t('routine.area'), render: (_, g) => g.division.name },
            { title: t('routine.members'), dataIndex: 'members' },
            {
              title: t('routine.overdue'),
              render: (_, g) => (g.overdue ? <Tag color="orange">{g.overdue}</Tag> : 0),
            },
            {
              title: '',
              render: (_, g) =>
                manage && (
                  <Button
                    size="small"
                    onClick={() => (setAdding(g), setLines(''), setAddResult(null))}
                  >
                    {t('routine.addMembers')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card
        title={t('routine.overdueList')}
        extra={
          <Select
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t('routine.allGroups')}
            value={groupId}
            onChange={setGroupId}
            options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))}
          />
        }
      >
        <Table<OverdueMember>
          rowKey={(o) => `${o.residentId}-${o.group}`}
          size="small"
          loading={overdue.isLoading}
          locale={failedLocale(overdue.error, t)}
          dataSource={overdue.data?.items ?? []}
          pagination={{ pageSize: 50 }}
          scroll={{ x: 600 }}
          columns={[
            { title: t('missed.household'), dataIndex: 'household' },
            { title: t('missed.name'), dataIndex: 'name' },
            { title: t('routine.group'), dataIndex: 'group' },
            {
              title: t('routine.lastSampled'),
              render: (_, o) =>
                o.lastSampledAt ? (
                  formatShort(o.lastSampledAt)
                ) : (
                  <Tag color="red">{t('routine.never')}</Tag>
                ),
            },
            { title: t('routine.daysOverdue'), render: (_, o) => o.daysOverdue ?? '—' },
          ]}
        />
      </Card>
      <Modal
        title={t('routine.newGroup')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ kind: 'delivery' }}>
          <Form.Item name="name" label={t('routine.group')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('routine.kind')}>
            <Select
              aria-label={t('routine.kind')}
              options={kinds.map((k) => ({
                value: k,
                label: t(`routine.kinds.${k}`, { defaultValue: k }),
              }))}
            />
          </Form.Item>
          <Form.Item name="frequency" label={t('routine.frequency')}>
            <Select
              allowClear
              aria-label={t('routine.frequency')}
              placeholder={t('routine.kindFrequency')}
              options={frequencies.map((f) => ({
                value: f,
                label: t(`routine.frequencies.${f}`, { defaultValue: f }),
              }))}
            />
          </Form.Item>
          <Form.Item name="divisionId" label={t('routine.area')} rules={[{ required: true }]}>
            <TreeSelect
              treeData={nodes}
              loadData={(n) => loadChildren(String(n.value ?? n.key))}
              treeNodeLabelProp="title"
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={adding ? `${t('routine.addMembers')} · ${adding.name}` : ''}
        open={!!adding}
        onCancel={() => setAdding(null)}
        onOk={() => void addMembers()}
        okText={t('routine.add')}
      >
        <Typography.Paragraph type="secondary">{t('routine.addHint')}</Typography.Paragraph>
        <Input.TextArea rows={8} value={lines} onChange={(e) => setLines(e.target.value)} />
        {addResult && (
          <Alert
            style={{ marginTop: 12 }}
            type={addResult.rejected.length ? 'warning' : 'success'}
            title={t('routine.addResult', {
              added: addResult.added,
              already: addResult.already,
              rejected: addResult.rejected.length,
            })}
            description={addResult.rejected.slice(0, 20).map((r) => (
              <div key={r.line}>
                {t('routine.line', { n: r.line })} {r.value}:{' '}
                {reasonText(r, i18n.language) ?? r.reason}
              </div>
            ))}
          />
        )}
      </Modal>
    </Space>
  )
}
