import { useState } from 'react'
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  type ButtonProps,
} from 'antd'
import { PlusOutlined, UploadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import type { Me } from '../api'
import { can } from '../auth/session'
import { KeysetTable } from '../lib/KeysetTable'
import { useApiError, useMessageText } from '../lib/apiError'
import { useKeysetList } from '../lib/useKeysetList'
import {
  arrivalsApi,
  type ExternalAreaOut,
  type ExternalImportReport,
  type ExternalLevel,
  type ExternalStatus,
} from './api'

/** Each level's colour, dark enough for white text (WCAG AA 4.5:1); as the local areas'. */
const LEVEL_COLOUR: Record<ExternalLevel, string> = {
  high: '#cf1322',
  medium: '#ad4e00',
  low: '#0958d9',
}
const LEVELS: ExternalLevel[] = ['high', 'medium', 'low']
type StatusFilter = ExternalStatus | 'all'
const NAME_FIELDS = ['province', 'city', 'district', 'street', 'place'] as const

const placeText = (a: Pick<ExternalAreaOut, (typeof NAME_FIELDS)[number]>): string =>
  NAME_FIELDS.map((f) => a[f])
    .filter(Boolean)
    .join(' ')

function useText(): (code: string, params?: Record<string, string | number>) => string {
  const text = useMessageText()
  return (code, params) => text(code, params) ?? ''
}

/**
 * 外地风险区名单: other cities' risk areas with their level and days in force (status computed
 * today on the server), filtered by status, level and a search. Command imports a list file
 * (.csv/.xlsx; each rejected row shown with its row number, column and reason) or enters,
 * edits and ends an entry by hand. Works on a 390 px phone (the table scrolls sideways).
 */
export function ExternalAreasPage({ me }: { me: Me }): React.JSX.Element {
  const x = useText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const manage = can(me, 'arrivals:manage_external')
  const [status, setStatus] = useState<StatusFilter>('active')
  const [level, setLevel] = useState<ExternalLevel | undefined>()
  const [q, setQ] = useState('')
  const [editing, setEditing] = useState<ExternalAreaOut | 'new' | null>(null)
  const [report, setReport] = useState<ExternalImportReport | null>(null)
  const [importing, setImporting] = useState(false)
  const [active, setActive] = useState<number | null>(null)
  const list = useKeysetList(['external-areas', status, level ?? null, q], async (after) => {
    const page = await arrivalsApi.list({
      status: status === 'all' ? undefined : status,
      level,
      q: q || undefined,
      before: after ?? undefined,
      limit: 50,
    })
    setActive(page.active)
    return page
  })
  const refresh = () => qc.invalidateQueries({ queryKey: ['external-areas'] })

  async function importFile(file: File): Promise<void> {
    setImporting(true)
    setReport(null)
    try {
      setReport(await arrivalsApi.importFile(file))
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setImporting(false)
    }
  }
  async function end(a: ExternalAreaOut): Promise<void> {
    try {
      await arrivalsApi.end(a.id)
      void message.success(x('EXTERNAL_UI_ENDED'))
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="external-areas-page">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {x('EXTERNAL_UI_TITLE')}
        </Typography.Title>
        {manage && (
          <Space wrap>
            <Upload
              accept=".csv,.xlsx"
              showUploadList={false}
              beforeUpload={(f) => (void importFile(f), false)}
            >
              <Button
                icon={<UploadOutlined />}
                loading={importing}
                style={{ minHeight: 44 }}
                data-testid="external-import"
              >
                {x('EXTERNAL_UI_IMPORT')}
              </Button>
            </Upload>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              style={{ minHeight: 44 }}
              onClick={() => setEditing('new')}
              data-testid="external-new"
            >
              {x('EXTERNAL_UI_NEW')}
            </Button>
          </Space>
        )}
      </Space>
      <Typography.Text type="secondary">
        {x('EXTERNAL_UI_HINT')}
        {active !== null && ` ${x('EXTERNAL_UI_ACTIVE_COUNT', { n: active })}`}
      </Typography.Text>
      {report && <ImportReport report={report} onClose={() => setReport(null)} />}
      <Segmented<StatusFilter>
        block
        value={status}
        onChange={setStatus}
        options={[
          { value: 'active', label: x('EXTERNAL_STATUS_active') },
          { value: 'upcoming', label: x('EXTERNAL_STATUS_upcoming') },
          { value: 'ended', label: x('EXTERNAL_STATUS_ended') },
          { value: 'all', label: x('EXTERNAL_UI_ALL') },
        ]}
      />
      <Space wrap style={{ width: '100%' }}>
        <Select<ExternalLevel>
          allowClear
          style={{ width: 140 }}
          placeholder={x('EXTERNAL_FIELD_level')}
          aria-label={x('EXTERNAL_FIELD_level')}
          value={level}
          onChange={setLevel}
          options={LEVELS.map((l) => ({ value: l, label: x(`EXTERNAL_LEVEL_${l}`) }))}
          data-testid="external-level-filter"
        />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={x('EXTERNAL_UI_SEARCH')}
          aria-label={x('EXTERNAL_UI_SEARCH')}
          onSearch={(v) => setQ(v.trim())}
          data-testid="external-search"
        />
      </Space>
      <KeysetTable<ExternalAreaOut>
        list={list}
        rowKey="id"
        size="small"
        scroll={{ x: 640 }}
        emptyText={x('EXTERNAL_UI_EMPTY')}
        data-testid="external-table"
        columns={[
          {
            title: x('EXTERNAL_UI_PLACE'),
            key: 'place',
            render: (_, a) => placeText(a),
          },
          {
            title: x('EXTERNAL_FIELD_level'),
            key: 'level',
            width: 90,
            render: (_, a) => (
              <Tag color={LEVEL_COLOUR[a.level]}>{x(`EXTERNAL_LEVEL_${a.level}`)}</Tag>
            ),
          },
          {
            title: x('EXTERNAL_UI_DAYS'),
            key: 'days',
            width: 190,
            render: (_, a) =>
              a.validTo
                ? x('EXTERNAL_UI_FROM_TO', { from: a.validFrom, to: a.validTo })
                : x('EXTERNAL_UI_FROM', { from: a.validFrom }),
          },
          {
            title: x('EXTERNAL_UI_STATUS'),
            key: 'status',
            width: 90,
            render: (_, a) => x(`EXTERNAL_STATUS_${a.status}`),
          },
          { title: x('EXTERNAL_FIELD_source'), dataIndex: 'source', key: 'source' },
          ...(manage
            ? [
                {
                  title: x('EXTERNAL_UI_ACTIONS'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, a: ExternalAreaOut) => (
                    <Space>
                      <Button
                        type="link"
                        style={{ minHeight: 44 }}
                        onClick={() => setEditing(a)}
                        data-testid="external-edit"
                      >
                        {x('EXTERNAL_UI_EDIT')}
                      </Button>
                      {a.status !== 'ended' && (
                        <Popconfirm
                          title={x('EXTERNAL_UI_END_CONFIRM')}
                          okText={x('EXTERNAL_UI_END')}
                          cancelText={x('EXTERNAL_UI_CANCEL')}
                          onConfirm={() => end(a)}
                        >
                          <Button
                            type="link"
                            danger
                            style={{ minHeight: 44 }}
                            data-testid="external-end"
                          >
                            {x('EXTERNAL_UI_END')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <ExternalAreaForm
          area={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null)
            void refresh()
          }}
        />
      )}
    </Space>
  )
}

function ImportReport({
  report,
  onClose,
}: {
  report: ExternalImportReport
  onClose: () => void
}): React.JSX.Element {
  const x = useText()
  return (
    <Alert
      type={report.rejected.length ? 'warning' : 'success'}
      showIcon
      closable
      onClose={onClose}
      data-testid="external-import-report"
      title={x('EXTERNAL_UI_IMPORTED', {
        rows: report.rows,
        inserted: report.inserted,
        updated: report.updated,
        rejected: new Set(report.rejected.map((r) => r.row)).size,
      })}
      description={
        report.rejected.length > 0 && (
          <Table
            size="small"
            pagination={false}
            scroll={{ x: 480 }}
            rowKey={(r) => `${r.row}-${r.field}`}
            dataSource={report.rejected}
            data-testid="external-rejected"
            columns={[
              { title: x('EXTERNAL_UI_ROW'), dataIndex: 'row', key: 'row', width: 70 },
              {
                title: x('EXTERNAL_UI_COLUMN'),
                key: 'field',
                width: 100,
                render: (_, r) => x(`EXTERNAL_FIELD_${r.field}`),
              },
              { title: x('EXTERNAL_UI_REASON'), key: 'code', render: (_, r) => x(r.code) },
              { title: x('EXTERNAL_UI_PLACE'), dataIndex: 'text', key: 'text' },
            ]}
          />
        )
      }
    />
  )
}

interface FormValues {
  province?: string
  city?: string
  district?: string
  street?: string
  place?: string
  level: ExternalLevel
  validFrom: string
  validTo?: string
  source?: string
}

const today = (): string => {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

function ExternalAreaForm({
  area,
  onClose,
  onDone,
}: {
  area: ExternalAreaOut | null
  onClose: () => void
  onDone: () => void
}): React.JSX.Element {
  const x = useText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const [form] = Form.useForm<FormValues>()
  const [saving, setSaving] = useState(false)
  const submit = async (v: FormValues): Promise<void> => {
    setSaving(true)
    const body = {
      province: v.province ?? '',
      city: v.city ?? '',
      district: v.district ?? '',
      street: v.street ?? '',
      place: v.place ?? '',
      level: v.level,
      validFrom: v.validFrom,
      validTo: v.validTo || null,
      source: v.source ?? '',
    }
    try {
      if (area) await arrivalsApi.update(area.id, body)
      else {
        const r = await arrivalsApi.create(body)
        if (r.updated) void message.info(x('EXTERNAL_UI_UPDATED_EXISTING'))
      }
      void message.success(x('EXTERNAL_UI_SAVED'))
      onDone()
    } catch (err) {
      const e = err as { field?: string }
      if (e.field && e.field in body)
        form.setFields([{ name: e.field as keyof FormValues, errors: [apiError(err)] }])
      else void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={x(area ? 'EXTERNAL_UI_EDIT' : 'EXTERNAL_UI_NEW')}
      onCancel={onClose}
      okText={x('EXTERNAL_UI_SAVE')}
      cancelText={x('EXTERNAL_UI_CANCEL')}
      okButtonProps={{ loading: saving, 'data-testid': 'external-save' } as ButtonProps}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={
          area
            ? { ...area, validTo: area.validTo ?? undefined }
            : { level: 'high', validFrom: today() }
        }
      >
        {NAME_FIELDS.map((f) => (
          <Form.Item key={f} name={f} label={x(`EXTERNAL_FIELD_${f}`)} rules={[{ max: 100 }]}>
            <Input data-testid={`external-${f}`} />
          </Form.Item>
        ))}
        <Form.Item name="level" label={x('EXTERNAL_FIELD_level')} rules={[{ required: true }]}>
          <Select
            options={LEVELS.map((l) => ({ value: l, label: x(`EXTERNAL_LEVEL_${l}`) }))}
            data-testid="external-level"
          />
        </Form.Item>
        <Form.Item
          name="validFrom"
          label={x('EXTERNAL_FIELD_validFrom')}
          rules={[{ required: true, message: x('EXTERNAL_UI_REQUIRED') }]}
        >
          <Input type="date" data-testid="external-from" />
        </Form.Item>
        <Form.Item
          name="validTo"
          label={x('EXTERNAL_FIELD_validTo')}
          extra={x('EXTERNAL_UI_TO_HINT')}
        >
          <Input type="date" data-testid="external-to" />
        </Form.Item>
        <Form.Item name="source" label={x('EXTERNAL_FIELD_source')} rules={[{ max: 200 }]}>
          <Input data-testid="external-source" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
