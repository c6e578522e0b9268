import { useEffect, useState } from 'react'
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
import type { TreeSelectProps } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import type { Dayjs } from 'dayjs'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useDivisionTree } from '../tree/useDivisionTree'
import {
  testingApi,
  type CreateRoundIn,
  type Round,
  type RoundPlaces,
  type StopAdvice,
} from './api'
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

/** A chosen place in the form's tree: a whole building (`b:<id>`) or one unit (`u:<id>`). */
const placeNodes = (places: RoundPlaces | undefined): TreeSelectProps['treeData'] =>
  (places?.items ?? []).map((b) => ({
    value: `b:${b.id}`,
    title: `${b.gridName} ${b.name}`,
    children: b.units.map((u) => ({ value: `u:${u.id}`, title: u.name })),
  }))

/** The form's chosen places as the server takes them. */
function splitPlaces(values: readonly string[] = []): { buildingIds: string[]; unitIds: string[] } {
  const ids = (prefix: string) =>
    values.filter((v) => v.startsWith(prefix)).map((v) => v.slice(prefix.length))
  return { buildingIds: ids('b:'), unitIds: ids('u:') }
}

/** What the stop rule advises, in a few words (the rounds list) or in full (the round page). */
export function stopAdviceText(
  t: (key: string, params?: Record<string, unknown>) => string,
  a: StopAdvice,
  short = false,
): string {
  const params = { clean: a.cleanRounds, until: a.until ?? '' }
  return t(short ? `rounds.stop.short.${a.next}` : `rounds.stop.${a.next}`, params)
}

/** An open round past its deadline: sampling and testing were both due by then. */
export const pastDeadline = (r: Pick<Round, 'deadline'>, now = Date.now()): boolean =>
  new Date(r.deadline).getTime() < now

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
  const kind = Form.useWatch<CreateKind | undefined>('kind', form)
  const divisionIds = Form.useWatch<string[] | undefined>('divisionIds', form)
  const places = useQuery({
    queryKey: ['round-places', divisionIds],
    queryFn: () => testingApi.roundPlaces(divisionIds ?? []),
    enabled: open && (divisionIds?.length ?? 0) > 0,
  })
  const areaRule = profile.data?.settings.areaRounds.allowed
  const profileName = profile.data?.profile ?? ''
  const areaHours = profile.data?.settings.areaRoundHours ?? 24
  // Where the profile runs no area-wide rounds (new10), the form starts on key groups.
  useEffect(() => {
    if (areaRule === 'never' && form.getFieldValue('kind') === 'area')
      form.setFieldValue('kind', 'key_groups')
  }, [areaRule, form])
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
    areaReason?: string
    places?: string[]
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
        ...(v.kind === 'area' && v.areaReason?.trim() ? { areaReason: v.areaReason.trim() } : {}),
        ...splitPlaces(v.places),
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
          // Places belong to the divisions they were chosen under.
          if (changed.divisionIds) form.setFieldValue('places', [])
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
          <Select
            data-testid="round-kind"
            options={ROUND_KINDS.map((k) => ({
              value: k,
              label:
                k === 'area' && areaRule === 'never'
                  ? `${t('rounds.kinds.area')}（${t('rounds.areaNotAllowed', { profile: profileName })}）`
                  : t(`rounds.kinds.${k}`),
              disabled: k === 'area' && areaRule === 'never',
            }))}
          />
        </Form.Item>
        {kind === 'area' && areaRule === 'with_reason' && (
          <Form.Item
            name="areaReason"
            label={t('rounds.areaReason')}
            extra={t('rounds.areaReasonHint', { profile: profileName })}
            rules={[{ required: true, whitespace: true, message: t('rounds.areaReason') }]}
          >
            <Input.TextArea data-testid="round-area-reason" maxLength={300} autoSize />
          </Form.Item>
        )}
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
        {(divisionIds?.length ?? 0) > 0 && (
          <Form.Item
            name="places"
            label={t('rounds.places')}
            extra={
              places.data?.truncated
                ? t('rounds.placesTruncated', { n: places.data.items.length })
                : places.data && places.data.items.length === 0
                  ? t('rounds.placesNone')
                  : t('rounds.placesHint')
            }
          >
            <TreeSelect
              data-testid="round-places"
              treeCheckable
              showCheckedStrategy={TreeSelect.SHOW_PARENT}
              treeData={placeNodes(places.data)}
              loading={places.isLoading}
              showSearch
              treeNodeFilterProp="title"
              maxTagCount="responsive"
              listHeight={320}
              placeholder={t('rounds.placesHint')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item
            name="deadline"
            label={t('rounds.deadline')}
            rules={[{ required: true }]}
            extra={kind === 'area' ? t('rounds.areaDeadline', { hours: areaHours }) : undefined}
          >
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

/** A round's scope as people say it: its divisions and, when it is narrowed, its buildings and units. */
export function roundScopeText(
  t: (key: string, params?: Record<string, unknown>) => string,
  r: Pick<Round, 'scope' | 'buildings' | 'units'>,
): string {
  const divisions = r.scope.map((s) => s.name).join('、')
  const places = [...r.buildings, ...r.units].map((p) => p.name)
  if (places.length === 0) return divisions
  const names = places.slice(0, 3).join('、')
  return `${divisions}：${places.length > 3 ? t('rounds.placesMore', { names, n: places.length }) : names}`
}

function StopTag({ advice }: { advice: StopAdvice | null }): React.JSX.Element | null {
  const { t } = useTranslation()
  if (!advice) return null
  const color = { continue: 'blue', wait: 'gold', final: 'orange', stop: 'green' }[advice.next]
  return (
    <Tag color={color} title={t('rounds.stop.title')}>
      {stopAdviceText(t, advice, true)}
    </Tag>
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
                      {roundScopeText(t, r)} · {t(`rounds.kinds.${r.kind}`)}
                    </Typography.Text>
                    <StopTag advice={r.stopAdvice} />
                  </Space>
                ) : (
                  r.name
                ),
            },
            {
              title: t('rounds.scope'),
              responsive: ['md'],
              render: (_, r) => roundScopeText(t, r),
            },
            {
              title: t('rounds.kind'),
              responsive: ['md'],
              render: (_, r) => t(`rounds.kinds.${r.kind}`),
            },
            {
              title: t('rounds.stop.title'),
              responsive: ['md'],
              render: (_, r) => <StopTag advice={r.stopAdvice} />,
            },
            {
              title: t('rounds.poolSize'),
              responsive: ['md'],
              render: (_, r) =>
                r.poolSize === 1 ? t('rounds.single') : t('rounds.pooled', { n: r.poolSize }),
            },
            {
              title: t('rounds.deadline'),
              render: (_, r) => (
                <Space size={4} wrap>
                  {formatShort(r.deadline)}
                  {r.status === 'open' && pastDeadline(r) && (
                    <Tag color="red">{t('rounds.overdue')}</Tag>
                  )}
                </Space>
              ),
            },
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
