import { useState } from 'react'
import {
  App,
  Button,
  Card,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Me } from '../api'
import { useDivisionTree } from '../tree/useDivisionTree'
import { failedLocale } from '../lib/refusal'
import { useApiError } from '../lib/apiError'
import { testingApi, type Site } from './api'
import { useSites } from './useSites'
import { useScrollTabStop } from '../lib/scrollTabStop'

/** 采样点: sites with lanes and hours, door-to-door teams, and who works at each. */
export function SitesCard({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const sites = useSites()
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm()
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  async function create(v: {
    name: string
    kind: Site['kind']
    divisionId: string
    address?: string
    lanes?: number
    opensAt?: string
    closesAt?: string
  }): Promise<void> {
    try {
      await testingApi.createSite({
        ...v,
        opensAt: v.opensAt || undefined,
        closesAt: v.closesAt || undefined,
      })
      setCreating(false)
      form.resetFields()
      await qc.invalidateQueries({ queryKey: ['sites'] })
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  async function assign(site: Site): Promise<void> {
    const username = window.prompt(t('sites.assignPrompt'))?.trim()
    if (!username) return
    try {
      await testingApi.assignStaff(site.id, { username, duty: 'sampler' })
      await qc.invalidateQueries({ queryKey: ['sites'] })
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  const box = useScrollTabStop()
  // On a phone (390 px) a site is its name with area and hours under it, lanes and the assign
  // button: nothing scrolls sideways. Staff show from the tablet width up.
  const phone = Grid.useBreakpoint().md === false
  const hours = (s: Site): string => (s.opensAt ? `${s.opensAt}–${s.closesAt ?? ''}` : '—')
  return (
    <Card
      ref={box}
      title={t('sites.title')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('sites.new')}
        </Button>
      }
    >
      <Table<Site>
        rowKey="id"
        size="small"
        loading={sites.isLoading}
        locale={failedLocale(sites.error, t)}
        dataSource={sites.data?.items ?? []}
        pagination={false}
        scroll={phone ? undefined : { x: 640 }}
        columns={[
          {
            title: t('sites.name'),
            render: (_, s) => (
              <Space direction="vertical" size={0}>
                <Space wrap>
                  {s.name}
                  {s.kind === 'door_to_door' && <Tag>{t('sites.doorToDoor')}</Tag>}
                </Space>
                {phone && (
                  <Typography.Text type="secondary">
                    {s.division.name} · {hours(s)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('routine.area'), responsive: ['md'], render: (_, s) => s.division.name },
          {
            title: t('sites.lanes'),
            render: (_, s) =>
              `${s.lanes}（${t('sites.perLane', { n: Math.round(s.residents / Math.max(1, s.lanes)) })}）`,
          },
          { title: t('sites.hours'), responsive: ['md'], render: (_, s) => hours(s) },
          {
            title: t('sites.staff'),
            responsive: ['md'],
            render: (_, s) => s.staff.map((m) => <Tag key={m.userId}>{m.username}</Tag>),
          },
          {
            title: '',
            render: (_, s) => (
              <Button size="small" onClick={() => void assign(s)}>
                {t('sites.assign')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title={t('sites.new')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={create}
          initialValues={{ kind: 'fixed', lanes: 2, opensAt: '07:00', closesAt: '20:00' }}
        >
          <Form.Item name="name" label={t('sites.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('routine.kind')}>
            <Select
              options={[
                { value: 'fixed', label: t('sites.fixed') },
                { value: 'door_to_door', label: t('sites.doorToDoor') },
              ]}
            />
          </Form.Item>
          <Form.Item name="divisionId" label={t('routine.area')} rules={[{ required: true }]}>
            <TreeSelect
              treeData={nodes}
              loadData={(n) => loadChildren(String(n.value ?? n.key))}
              treeNodeLabelProp="title"
            />
          </Form.Item>
          <Form.Item name="address" label={t('sites.address')}>
            <Input />
          </Form.Item>
          <Space wrap>
            <Form.Item name="lanes" label={t('sites.lanes')}>
              <InputNumber min={1} max={100} />
            </Form.Item>
            <Form.Item name="opensAt" label={t('sites.opens')}>
              <Input style={{ width: 90 }} placeholder="07:00" />
            </Form.Item>
            <Form.Item name="closesAt" label={t('sites.closes')}>
              <Input style={{ width: 90 }} placeholder="20:00" />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  )
}
