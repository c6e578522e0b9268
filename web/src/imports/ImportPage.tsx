import { useEffect, useRef, useState } from 'react'
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Progress, Select, Space, Table, TreeSelect, Typography, Upload } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Me } from '../api'
import { downloadFile } from '../lib/download'
import { useDivisionTree } from '../tree/useDivisionTree'

const FIELDS = ['name', 'idNumber', 'idType', 'phone', 'sex', 'birthDate', 'grid', 'building', 'unit', 'room', 'relation', 'residenceType', 'employer', 'notes', 'tags'] as const
const REQUIRED = ['name', 'idNumber', 'building', 'unit', 'room']

interface Preview {
  headers: string[]
  mapping: Record<string, number>
  missing: string[]
  sample: string[][]
}
interface Report {
  dryRun: boolean
  rows: number
  emptyRows: number
  created: number
  moved: number
  updated: number
  unchanged: number
  rejected: number
  seconds: number
  rowsPerSecond: number
  repaired: { rowNo: number; notes: string[] }[]
  rejections: { rowNo: number; column: string; reason: string; code?: string }[]
}
interface Job {
  id: string
  status: string
  rowsDone: number
  report: Report | null
  /** A stable code (INTERNAL, INTERRUPTED, VALIDATION, ...). */
  error: string | null
  errorField?: string | null
  startedAt: string
}

const postForm = api.postForm
/** As the server wants it for an unmasked error file. */
const REVEAL_REASON_MIN = 5

/** 花名册导入: pick the place and the file, check the columns, dry-run, import, fix the rejected rows, import them. */
export function ImportPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const [divisionId, setDivisionId] = useState<string>()
  const [file, setFile] = useState<File | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [mapping, setMapping] = useState<Record<string, number>>({})
  const [createMissing, setCreateMissing] = useState(false)
  const [job, setJob] = useState<Job | null>(null)
  const [busy, setBusy] = useState(false)
  const [revealOpen, setRevealOpen] = useState(false)
  const [revealForm] = Form.useForm<{ reason: string }>()
  const canReveal = me.permissions.includes('pii:reveal')
  const resultRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (job?.status !== 'running') resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })
  }, [job?.status])

  useEffect(() => {
    if (!job || job.status !== 'running') return
    const timer = setInterval(async () => {
      const res = await fetch(`/api/imports/${job.id}`, { credentials: 'same-origin' })
      if (res.ok) setJob((await res.json()) as Job)
    }, 500)
    return () => clearInterval(timer)
  }, [job])

  async function pick(f: File): Promise<void> {
    setFile(f)
    setJob(null)
    const form = new FormData()
    form.append('file', f, f.name)
    try {
      const p = await postForm<Preview>('/api/imports/preview', form)
      setPreview(p)
      setMapping(p.mapping)
    } catch (err) {
      setPreview(null)
      void message.error((err as Error).message)
    }
  }

  async function run(dryRun: boolean): Promise<void> {
    if (!file || !divisionId) return
    setBusy(true)
    const form = new FormData()
    form.append('divisionId', divisionId)
    form.append('dryRun', String(dryRun))
    form.append('createMissing', String(createMissing))
    form.append('mapping', JSON.stringify(mapping))
    form.append('file', file, file.name)
    try {
      const out = await postForm<{ jobId: string }>('/api/imports/residents', form)
      setJob({ id: out.jobId, status: 'running', rowsDone: 0, report: null, error: null, startedAt: new Date().toISOString() })
    } catch (err) {
      void message.error((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const missing = REQUIRED.filter((f) => mapping[f] === undefined)
  const report = job?.report
  const elapsed = job ? (Date.now() - Date.parse(job.startedAt)) / 1000 : 0
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('imports.title')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">{t('imports.help')}</Typography.Paragraph>
          <TreeSelect
            style={{ width: '100%', maxWidth: 360 }}
            placeholder={t('imports.target')}
            treeData={nodes}
            loadData={(n) => loadChildren(String(n.value ?? n.key))}
            value={divisionId}
            onChange={setDivisionId}
            treeNodeLabelProp="title"
            data-testid="import-target"
          />
          <Upload accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => (void pick(f), false)} showUploadList={file ? { showRemoveIcon: false } : false}>
            <Button data-testid="import-file">{t('imports.pickFile')}</Button>
          </Upload>
          <Checkbox checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)}>
            {t('imports.createMissing')}
          </Checkbox>
        </Space>
      </Card>
      {preview && (
        <Card title={t('imports.columns')} size="small">
          {missing.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('imports.mapMissing', { fields: missing.map((f) => t(`imports.fields.${f}`)).join('、') })} />}
          <Table
            size="small"
            pagination={false}
            rowKey="field"
            dataSource={FIELDS.map((f) => ({ field: f }))}
            columns={[
              { title: t('imports.field'), dataIndex: 'field', width: 140, render: (f: string) => `${t(`imports.fields.${f}`)}${REQUIRED.includes(f) ? ' *' : ''}` },
              {
                title: t('imports.column'),
                render: (_, r) => (
                  <Select
                    allowClear
                    style={{ width: 220 }}
                    value={mapping[r.field]}
                    onChange={(v: number | undefined) => setMapping((m) => {
                      const next = { ...m }
                      if (v === undefined) delete next[r.field]
                      else next[r.field] = v
                      return next
                    })}
                    options={preview.headers.map((h, i) => ({ value: i, label: h || `#${i + 1}` }))}
                  />
                ),
              },
              { title: t('imports.sample'), render: (_, r) => (mapping[r.field] === undefined ? '' : preview.sample.map((s) => s[mapping[r.field]!] ?? '').join(' / ')) },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button onClick={() => void run(true)} disabled={!divisionId || missing.length > 0} loading={busy} data-testid="import-dry-run">
              {t('imports.dryRun')}
            </Button>
            <Button type="primary" onClick={() => void run(false)} disabled={!divisionId || missing.length > 0} loading={busy} data-testid="import-run">
              {t('imports.run')}
            </Button>
          </Space>
        </Card>
      )}
      {job && (
        <div ref={resultRef}>
        <Card title={report?.dryRun ? t('imports.dryRunResult') : t('imports.result')} size="small" data-testid="import-result">
          {job.status === 'running' && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Progress percent={99} status="active" showInfo={false} />
              {t('imports.progress', { rows: job.rowsDone, speed: Math.round(job.rowsDone / Math.max(elapsed, 0.1)) })}
            </Space>
          )}
          {job.status === 'failed' && (
            <Alert
              type="error"
              showIcon
              title={t(`imports.jobErrors.${job.error ?? 'INTERNAL'}`, { defaultValue: t('imports.jobErrors.INTERNAL'), field: job.errorField ? t(`imports.fields.${job.errorField}`, { defaultValue: job.errorField === 'file' ? t('imports.fileField') : job.errorField }) : '' })}
              data-testid="import-failed"
            />
          )}
          {job.status === 'interrupted' && <Alert type="warning" showIcon title={t('imports.interrupted', { rows: job.rowsDone })} data-testid="import-interrupted" />}
          {report && (
            <>
              <Descriptions size="small" column={{ xs: 2, md: 4 }} bordered>
                <Descriptions.Item label={t('imports.counts.rows')}>{report.rows}</Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.created')}>{report.created}</Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.moved')}>{report.moved}</Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.updated')}>{report.updated}</Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.unchanged')}>{report.unchanged}</Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.rejected')}>
                  <span data-testid="import-rejected">{report.rejected}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('imports.counts.speed')}>
                  {report.rowsPerSecond} / s · {report.seconds} s
                </Descriptions.Item>
              </Descriptions>
              {report.rejected > 0 && (
                <>
                  <Space style={{ margin: '12px 0' }}>
                    <Button href={`/api/imports/${job.id}/rejected.xlsx`} data-testid="import-errors">
                      {t('imports.downloadErrors')}
                    </Button>
                    {canReveal && (
                      <Button type="link" onClick={() => setRevealOpen(true)} data-testid="import-errors-unmasked">
                        {t('imports.downloadUnmasked')}
                      </Button>
                    )}
                  </Space>
                  <Modal
                    open={revealOpen}
                    title={t('imports.downloadUnmasked')}
                    okText={t('imports.downloadUnmaskedOk')}
                    onCancel={() => setRevealOpen(false)}
                    onOk={async () => {
                      const { reason } = await revealForm.validateFields()
                      try {
                        await downloadFile(`/api/imports/${job.id}/rejected.xlsx?unmasked=true&reason=${encodeURIComponent(reason.trim())}`, 'rejected.xlsx')
                        setRevealOpen(false)
                        revealForm.resetFields()
                      } catch (err) {
                        void message.error(err instanceof ApiError && err.status === 403 ? t('download.forbidden') : t('download.failed'))
                      }
                    }}
                  >
                    <Typography.Paragraph type="secondary">{t('imports.unmaskedHelp')}</Typography.Paragraph>
                    <Form form={revealForm} layout="vertical">
                      <Form.Item
                        name="reason"
                        label={t('imports.revealReason')}
                        rules={[{ validator: async (_, v: string | undefined) => ((v ?? '').trim().length >= REVEAL_REASON_MIN ? undefined : Promise.reject(new Error(t('imports.revealReasonShort', { n: REVEAL_REASON_MIN })))) }]}
                      >
                        <Input maxLength={200} data-testid="import-reveal-reason" />
                      </Form.Item>
                    </Form>
                  </Modal>
                  <Table size="small" rowKey="rowNo" pagination={{ pageSize: 20 }} dataSource={report.rejections} columns={[
                    { title: t('imports.row'), dataIndex: 'rowNo', width: 80 },
                    { title: t('imports.column'), dataIndex: 'column', width: 120 },
                    { title: t('imports.reason'), dataIndex: 'reason', render: (reason: string, r: { code?: string }) => (r.code ? t(`imports.reasons.${r.code}`, { defaultValue: reason }) : reason) },
                  ]} />
                </>
              )}
              {report.repaired.length > 0 && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                  {t('imports.repaired')}: {report.repaired.slice(0, 10).map((r) => `${t('imports.row')} ${r.rowNo}: ${r.notes.join('; ')}`).join(' | ')}
                </Typography.Paragraph>
              )}
            </>
          )}
        </Card>
        </div>
      )}
    </Space>
  )
}
