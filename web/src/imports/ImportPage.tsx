import { useEffect, useRef, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  TreeSelect,
  Typography,
  Upload,
} from 'antd'
import { useTranslation } from 'react-i18next'
import { ApiError, type Me } from '../api'
import { downloadFile } from '../lib/download'
import { reasonText, uiLang, useApiError } from '../lib/apiError'
import { useDivisionTree } from '../tree/useDivisionTree'
import {
  getImportJob,
  previewRoster,
  rejectedFileUrl,
  startImport,
  type ColumnMapping,
  type ImportJobOut,
  type Rejection,
  type RosterField,
  type RosterPreview,
  type RowReason,
  ROSTER_FIELDS,
  requiredFields,
} from './api'

const FIELDS = ROSTER_FIELDS

/** As the server wants it for an unmasked error file. */
const REVEAL_REASON_MIN = 5

/** 花名册导入: pick the place and the file, check the columns, dry-run, import, fix the rejected rows, import them. */
export function ImportPage({ me }: { me: Me }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = uiLang(i18n.language)
  const apiError = useApiError()
  const { message } = App.useApp()
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const [divisionId, setDivisionId] = useState<string>()
  const [file, setFile] = useState<File | null>(null)
  const [preview, setPreview] = useState<RosterPreview | null>(null)
  const [mapping, setMapping] = useState<ColumnMapping>({})
  const [createMissing, setCreateMissing] = useState(false)
  const [job, setJob] = useState<ImportJobOut | null>(null)
  const [busy, setBusy] = useState(false)
  const [revealOpen, setRevealOpen] = useState(false)
  const [revealForm] = Form.useForm<{ reason: string }>()
  const canReveal = me.permissions.includes('pii:reveal')
  const resultRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (job?.status !== 'running')
      resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })
  }, [job?.status])

  useEffect(() => {
    if (!job || job.status !== 'running') return
    const timer = setInterval(() => {
      getImportJob(job.id).then(setJob, () => {})
    }, 500)
    return () => clearInterval(timer)
  }, [job])

  async function pick(f: File): Promise<void> {
    setFile(f)
    setJob(null)
    try {
      const p = await previewRoster(f)
      setPreview(p)
      setMapping(p.mapping)
    } catch (err) {
      setPreview(null)
      void message.error(apiError(err))
    }
  }

  async function run(dryRun: boolean): Promise<void> {
    if (!file || !divisionId) return
    setBusy(true)
    try {
      const out = await startImport({ divisionId, dryRun, createMissing, mapping, file })
      setJob({
        id: out.jobId,
        status: 'running',
        fileName: file.name,
        dryRun,
        rowsDone: 0,
        report: null,
        error: null,
        errorField: null,
        startedAt: new Date().toISOString(),
      })
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setBusy(false)
    }
  }

  const required = preview ? requiredFields(preview.headers, mapping) : []
  const missing = required.filter((f) => mapping[f] === undefined)
  const report = job?.report
  /** A reason or repair in the UI language, under the file's own column header. */
  const say = (r: RowReason): string =>
    `${r.column ?? t(`imports.fields.${r.field}`, { defaultValue: r.field })}${lang === 'en' ? ': ' : '：'}${reasonText(r, lang) ?? r.code}`
  const reasonsOf = (r: Rejection): string =>
    r.reasons?.length ? r.reasons.map(say).join(lang === 'en' ? '; ' : '；') : r.reason
  const jobError = job?.error
    ? reasonText({ code: job.error, field: job.errorField ?? undefined }, lang)
    : undefined
  const elapsed = job ? (Date.now() - Date.parse(job.startedAt)) / 1000 : 0
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('imports.title')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">{t('imports.help')}</Typography.Paragraph>
          <TreeSelect
            style={{ width: '100%', maxWidth: 360 }}
            placeholder={t('imports.target')}
            aria-label={t('imports.target')}
            treeData={nodes}
            loadData={(n) => loadChildren(String(n.value ?? n.key))}
            value={divisionId}
            onChange={setDivisionId}
            treeNodeLabelProp="title"
            data-testid="import-target"
          />
          <Upload
            accept=".xlsx,.csv"
            maxCount={1}
            beforeUpload={(f) => (void pick(f), false)}
            showUploadList={file ? { showRemoveIcon: false } : false}
          >
            <Button data-testid="import-file">{t('imports.pickFile')}</Button>
          </Upload>
          <Checkbox checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)}>
            {t('imports.createMissing')}
          </Checkbox>
        </Space>
      </Card>
      {preview && (
        <Card title={t('imports.columns')} size="small">
          {missing.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('imports.mapMissing', {
                fields: missing.map((f) => t(`imports.fields.${f}`)).join('、'),
              })}
            />
          )}
          <Table
            size="small"
            pagination={false}
            rowKey="field"
            dataSource={FIELDS.map((f) => ({ field: f }))}
            columns={[
              {
                title: t('imports.field'),
                dataIndex: 'field',
                width: 140,
                render: (f: RosterField) =>
                  `${t(`imports.fields.${f}`)}${required.includes(f) ? ' *' : ''}`,
              },
              {
                title: t('imports.column'),
                render: (_, r) => (
                  <Select
                    allowClear
                    aria-label={t(`imports.fields.${r.field}`)}
                    style={{ width: 220 }}
                    value={mapping[r.field]}
                    onChange={(v: number | undefined) =>
                      setMapping((m) => {
                        const next = { ...m }
                        if (v === undefined) delete next[r.field]
                        else next[r.field] = v
                        return next
                      })
                    }
                    options={preview.headers.map((h, i) => ({ value: i, label: h || `#${i + 1}` }))}
                  />
                ),
              },
              {
                title: t('imports.sample'),
                render: (_, r) =>
                  mapping[r.field] === undefined
                    ? ''
                    : preview.sample.map((s) => s[mapping[r.field]!] ?? '').join(' / '),
              },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button
              onClick={() => void run(true)}
              disabled={!divisionId || missing.length > 0}
              loading={busy}
              data-testid="import-dry-run"
            >
              {t('imports.dryRun')}
            </Button>
            <Button
              type="primary"
              onClick={() => void run(false)}
              disabled={!divisionId || missing.length > 0}
              loading={busy}
              data-testid="import-run"
            >
              {t('imports.run')}
            </Button>
          </Space>
        </Card>
      )}
      {job && (
        <div ref={resultRef}>
          <Card
            title={report?.dryRun ? t('imports.dryRunResult') : t('imports.result')}
            size="small"
            data-testid="import-result"
          >
            {job.status === 'running' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Progress
                  percent={99}
                  status="active"
                  showInfo={false}
                  aria-label={t('a11y.importing')}
                />
                {t('imports.progress', {
                  rows: job.rowsDone,
                  speed: Math.round(job.rowsDone / Math.max(elapsed, 0.1)),
                })}
              </Space>
            )}
            {job.status === 'failed' && (
              <Alert
                type="error"
                showIcon
                title={
                  jobError
                    ? t('imports.failedBecause', { reason: jobError })
                    : t('imports.jobErrors.INTERNAL')
                }
                data-testid="import-failed"
              />
            )}
            {job.status === 'interrupted' && (
              <Alert
                type="warning"
                showIcon
                title={t('imports.interrupted', { rows: job.rowsDone })}
                data-testid="import-interrupted"
              />
            )}
            {report && (
              <>
                {(report.notices ?? []).map((n) => (
                  <Alert
                    key={n.code}
                    type="info"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={reasonText(n, lang) ?? n.code}
                    data-testid="import-notice"
                  />
                ))}
                <Descriptions size="small" column={{ xs: 2, md: 4 }} bordered>
                  <Descriptions.Item label={t('imports.counts.rows')}>
                    {report.rows}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.created')}>
                    {report.created}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.moved')}>
                    {report.moved}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.updated')}>
                    {report.updated}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.unchanged')}>
                    {report.unchanged}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.rejected')}>
                    <span data-testid="import-rejected">{report.rejected}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.counts.speed')}>
                    {report.rowsPerSecond} / s · {report.seconds} s
                  </Descriptions.Item>
                </Descriptions>
                {(report.rejected ?? 0) > 0 && (
                  <>
                    <Space style={{ margin: '12px 0' }}>
                      <Button href={rejectedFileUrl(job.id, lang)} data-testid="import-errors">
                        {t('imports.downloadErrors')}
                      </Button>
                      {canReveal && (
                        <Button
                          type="link"
                          onClick={() => setRevealOpen(true)}
                          data-testid="import-errors-unmasked"
                        >
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
                          await downloadFile(
                            rejectedFileUrl(job.id, lang, { reason: reason.trim() }),
                            'rejected.xlsx',
                          )
                          setRevealOpen(false)
                          revealForm.resetFields()
                        } catch (err) {
                          void message.error(
                            err instanceof ApiError && err.status === 403
                              ? t('download.forbidden')
                              : t('download.failed'),
                          )
                        }
                      }}
                    >
                      <Typography.Paragraph type="secondary">
                        {t('imports.unmaskedHelp')}
                      </Typography.Paragraph>
                      <Form form={revealForm} layout="vertical">
                        <Form.Item
                          name="reason"
                          label={t('imports.revealReason')}
                          rules={[
                            {
                              validator: async (_, v: string | undefined) =>
                                (v ?? '').trim().length >= REVEAL_REASON_MIN
                                  ? undefined
                                  : Promise.reject(
                                      new Error(
                                        t('imports.revealReasonShort', { n: REVEAL_REASON_MIN }),
                                      ),
                                    ),
                            },
                          ]}
                        >
                          <Input maxLength={200} data-testid="import-reveal-reason" />
                        </Form.Item>
                      </Form>
                    </Modal>
                    <Table
                      size="small"
                      rowKey="rowNo"
                      pagination={{ pageSize: 20 }}
                      dataSource={report.rejections ?? []}
                      columns={[
                        { title: t('imports.row'), dataIndex: 'rowNo', width: 80 },
                        { title: t('imports.column'), dataIndex: 'column', width: 120 },
                        {
                          title: t('imports.reason'),
                          key: 'reason',
                          render: (_: unknown, r: Rejection) => reasonsOf(r),
                        },
                      ]}
                    />
                  </>
                )}
                {(report.repaired ?? []).length > 0 && (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                    {t('imports.repaired')}:{' '}
                    {(report.repaired ?? [])
                      .slice(0, 10)
                      .map(
                        (r) =>
                          `${t('imports.row')} ${r.rowNo}: ${r.repairs ? r.repairs.map(say).join('; ') : r.notes.join('; ')}`,
                      )
                      .join(' | ')}
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
