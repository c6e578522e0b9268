import { useState } from 'react'
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Grid,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import type { Dayjs } from 'dayjs'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useDivisionTree } from '../tree/useDivisionTree'
import { testingApi, type CreateRoundIn, type Round } from './api'
import { allOf } from '../lib/contract'
import { SitesCard } from './SitesCard'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'
import { useApiError } from '../lib/apiError'
import { formatMonthDay, formatShort, fromPickerValue, toPickerValue } from '../lib/dates'
import { titlesOf, uniqueRoundName } from './roundName'

/** The kinds a new round may have, as the server's createRoundIn takes them. */
type CreateKind = CreateRoundIn['kind']
const ROUND_KINDS = allOf<CreateKind>()(['area', 'key_groups', 'routine'])

function OpenRoundModal({
  me,
  open,
  onClose,
}: {
  me: Me
  open: boolean
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const profile = useQuery({
    queryKey: ['testing-profile'],
    queryFn: testingApi.profile,
    enabled: open,
  })
  const rounds = useQuery({
    queryKey: ['rounds', 'names'],
    queryFn: () => testingApi.rounds(),
    enabled: open,
  })
  /** Date, the chosen places and, when a round already has that name, the next number. */
  const defaultName = (divisionIds: readonly string[] = []): string => {
    const date = formatMonthDay(Date.now())
    const names = titlesOf(nodes, divisionIds)
    const scope = names.length
      ? `${names.slice(0, 3).join('、')}${names.length > 3 ? t('rounds.andMore', { n: names.length }) : ''} `
      : ''
    return uniqueRoundName(
      t('rounds.defaultName', { date, scope }),
      (n) => t('rounds.defaultNameNth', { date, scope, n }),
      (rounds.data?.items ?? []).map((r) => r.name),
    )
  }
  async function submit(v: {
    name: string
    kind: CreateKind
    divisionIds: string[]
    deadline: Dayjs
    poolSize: number
    householdPool?: boolean
    keyPeopleSingle?: boolean
  }): Promise<void> {
    setSaving(true)
    try {
      const round = await testingApi.createRound({
        name: v.name,
        kind: v.kind,
        divisionIds: v.divisionIds,
        deadline: fromPickerValue(v.deadline),
        poolSize: v.poolSize,
        householdPool: v.householdPool ?? false,
        singleTubeTags: v.keyPeopleSingle ? ['key_person'] : [],
      })
      await qc.invalidateQueries({ queryKey: ['rounds'] })
      onClose()
      form.resetFields()
      void navigate(`/rounds/${round.id}`)
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      title={t('rounds.open')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t('rounds.openButton')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(changed: { divisionIds?: string[] }) => {
          if (changed.divisionIds && !form.isFieldTouched('name'))
            form.setFieldValue('name', defaultName(changed.divisionIds))
        }}
        initialValues={{
          kind: 'area',
          deadline: toPickerValue()
            .add(profile.data?.settings.areaRoundHours ?? 24, 'hour')
            .startOf('hour'),
          poolSize: profile.data?.settings.defaultPoolSize ?? 10,
          name: defaultName(),
        }}
      >
        <Form.Item name="name" label={t('rounds.name')} rules={[{ required: true }]}>
          <Input data-testid="round-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('rounds.kind')}>
          <Select options={ROUND_KINDS.map((k) => ({ value: k, label: t(`rounds.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="divisionIds"
          label={t('rounds.scope')}
          rules={[{ required: true, message: t('rounds.scopeRequired') }]}
        >
          <TreeSelect
            data-testid="round-scope"
            multiple
            treeData={nodes}
            loadData={(n) => loadChildren(String(n.value ?? n.key))}
            treeNodeLabelProp="title"
            placeholder={t('rounds.scopeHint')}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="deadline" label={t('rounds.deadline')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="poolSize" label={t('rounds.poolSize')}>
            <Select
              data-testid="round-pool"
              style={{ width: 120 }}
              options={(profile.data?.settings.poolSizes ?? [1, 5, 10, 20]).map((n) => ({
                value: n,
                label: n === 1 ? t('rounds.single') : t('rounds.pooled', { n }),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="householdPool" valuePropName="checked">
          <Checkbox>{t('rounds.householdPool')}</Checkbox>
        </Form.Item>
        <Form.Item name="keyPeopleSingle" valuePropName="checked">
          <Checkbox>{t('rounds.keyPeopleSingle')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** 核酸检测轮次: open rounds with their coverage, and the way to open a new one. */
export function RoundsPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [opening, setOpening] = useState(false)
  const rounds = useKeysetList(['rounds', 'list'], (after) =>
    testingApi.rounds({ limit: 50, after: after ?? undefined }),
  )
  // On a phone (390 px) the list is name, deadline and status; the scope and kind go under the name.
  const phone = Grid.useBreakpoint().md === false
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t('rounds.title')}
        extra={
          can(me, 'testing:manage') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setOpening(true)}
              data-testid="open-round"
            >
              {t('rounds.open')}
            </Button>
          )
        }
      >
        <KeysetTable<Round>
          list={rounds}
          rowKey="id"
          size={phone ? 'small' : 'middle'}
          onRow={(r) => ({
            onClick: () => navigate(`/rounds/${r.id}`),
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: t('rounds.name'),
              render: (_, r) =>
                phone ? (
                  <Space direction="vertical" size={0}>
                    {r.name}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.scope.map((s) => s.name).join('、')} · {t(`rounds.kinds.${r.kind}`)}
                    </Typography.Text>
                  </Space>
                ) : (
                  r.name
                ),
            },
            {
              title: t('rounds.scope'),
              responsive: ['md'],
              render: (_, r) => r.scope.map((s) => s.name).join('、'),
            },
            {
              title: t('rounds.kind'),
              responsive: ['md'],
              render: (_, r) => t(`rounds.kinds.${r.kind}`),
            },
            {
              title: t('rounds.poolSize'),
              responsive: ['md'],
              render: (_, r) =>
                r.poolSize === 1 ? t('rounds.single') : t('rounds.pooled', { n: r.poolSize }),
            },
            { title: t('rounds.deadline'), render: (_, r) => formatShort(r.deadline) },
            {
              title: t('rounds.status'),
              render: (_, r) => (
                <Tag color={r.status === 'open' ? 'orange' : 'default'}>
                  {t(`rounds.statuses.${r.status}`)}
                </Tag>
              ),
            },
          ]}
        />
        <OpenRoundModal me={me} open={opening} onClose={() => setOpening(false)} />
      </Card>
      {can(me, 'testing:manage') && <SitesCard me={me} />}
    </Space>
  )
}

export function Coverage({
  sampled,
  inScope,
}: {
  sampled: number
  inScope: number
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <Progress
      percent={inScope ? Math.floor((sampled / inScope) * 1000) / 10 : 0}
      size="small"
      aria-label={t('a11y.sampled')}
    />
  )
}
