import { useState } from 'react'
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { downloadFile } from '../lib/download'
import {
  KNOWN_TAGS,
  RESIDENCE_TYPES,
  registryApi,
  residentQuery,
  type ResidenceType,
  type Resident,
  type ResidentQuery,
} from './api'
import { useApiError } from '../lib/apiError'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'
import { ResidentStatusTags } from './ResidentStatus'

/** Who the list shows: living here (the default), or those of one status the grid worker follows. */
const LIST_STATUSES = ['active', 'away_long', 'hukou_only', 'deceased', 'moved_out'] as const
type ListStatus = (typeof LIST_STATUSES)[number]

/** As the server wants it for an unmasked export. */
const REVEAL_REASON_MIN = 5

export interface ListFilter {
  divisionId?: string
  householdId?: string
}

/** The resident list for a place: search box (name, pinyin initials, phone or ID tail), filters, keyset pages. */
export function ResidentList({
  filter,
  onOpen,
  scopeKey,
  canExport,
  canReveal,
  representativeId,
}: {
  filter: ListFilter
  onOpen: (id: string) => void
  scopeKey: unknown
  canExport: boolean
  canReveal: boolean
  /** The picked household's 户代表, tagged in the list. */
  representativeId?: string | null
}): React.JSX.Element {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [tag, setTag] = useState<string>()
  const [residenceType, setResidenceType] = useState<ResidenceType>()
  const [status, setStatus] = useState<ListStatus>('active')
  const [minAge, setMinAge] = useState<number | null>(null)
  const [maxAge, setMaxAge] = useState<number | null>(null)
  const { message } = App.useApp()
  const apiError = useApiError()
  const [revealOpen, setRevealOpen] = useState(false)
  const [exporting, setExporting] = useState(false)
  const [revealForm] = Form.useForm<{ reason: string }>()
  /** The list's filters, shared by the list, the masked export and the unmasked export. */
  const filters: ResidentQuery = {
    divisionId: filter.divisionId,
    householdId: filter.householdId,
    q: q || undefined,
    tag,
    residenceType,
    status,
    minAge: minAge ?? undefined,
    maxAge: maxAge ?? undefined,
  }
  /** An export without leaving the page: a refusal is shown here, in the UI language, never as raw JSON. */
  const download = async (
    extra: ResidentQuery & { reveal?: string; reason?: string },
  ): Promise<boolean> => {
    setExporting(true)
    try {
      await downloadFile(
        `/api/residents/export.xlsx${residentQuery({ ...filters, ...extra })}`,
        '居民名单.xlsx',
      )
      return true
    } catch (err) {
      void message.error(apiError(err))
      return false
    } finally {
      setExporting(false)
    }
  }
  /** The unmasked export: the reason is checked in the form first. */
  const exportFull = async (): Promise<void> => {
    const { reason } = await revealForm.validateFields()
    if (await download({ reveal: 'id,phone', reason: reason.trim() })) {
      setRevealOpen(false)
      revealForm.resetFields()
    }
  }
  const list = useKeysetList(
    ['residents', filter, q, tag, residenceType, status, minAge, maxAge, scopeKey],
    (after) => registryApi.residents({ ...filters, limit: 50, after: after ?? undefined }),
  )
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('registry.search')}
          aria-label={t('registry.search')}
          onSearch={setQ}
          style={{ width: 260 }}
          data-testid="resident-search"
        />
        <Select
          allowClear
          placeholder={t('registry.tag')}
          aria-label={t('registry.tag')}
          style={{ width: 150 }}
          value={tag}
          onChange={setTag}
          options={KNOWN_TAGS.map((x) => ({ value: x, label: t(`tags.${x}`) }))}
        />
        <Select
          allowClear
          placeholder={t('registry.residenceType')}
          aria-label={t('registry.residenceType')}
          style={{ width: 130 }}
          value={residenceType}
          onChange={setResidenceType}
          options={RESIDENCE_TYPES.map((x) => ({ value: x, label: t(`residenceTypes.${x}`) }))}
        />
        <Select
          placeholder={t('registry.status')}
          aria-label={t('registry.status')}
          style={{ width: 130 }}
          value={status}
          onChange={setStatus}
          data-testid="resident-status-filter"
          options={LIST_STATUSES.map((x) => ({ value: x, label: t(`registry.statuses.${x}`) }))}
        />
        <Space.Compact>
          <InputNumber
            min={0}
            max={130}
            placeholder={t('registry.minAge')}
            aria-label={t('registry.minAge')}
            value={minAge}
            onChange={setMinAge}
            style={{ width: 90 }}
          />
          <InputNumber
            min={0}
            max={130}
            placeholder={t('registry.maxAge')}
            aria-label={t('registry.maxAge')}
            value={maxAge}
            onChange={setMaxAge}
            style={{ width: 90 }}
          />
        </Space.Compact>
        {canExport && (
          <Button onClick={() => void download({})} loading={exporting && !revealOpen}>
            {t('registry.export')}
          </Button>
        )}
        {canExport && canReveal && (
          <Button onClick={() => setRevealOpen(true)} data-testid="export-unmasked">
            {t('registry.exportFull')}
          </Button>
        )}
      </Space>
      <Modal
        open={revealOpen}
        title={t('registry.exportFull')}
        okText={t('registry.export')}
        confirmLoading={exporting}
        onCancel={() => setRevealOpen(false)}
        onOk={() => void exportFull().catch(() => undefined)}
      >
        <Typography.Paragraph type="secondary">{t('registry.exportReason')}</Typography.Paragraph>
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
                        new Error(t('imports.revealReasonShort', { n: REVEAL_REASON_MIN })),
                      ),
              },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} data-testid="export-reason" />
          </Form.Item>
        </Form>
      </Modal>
      <KeysetTable<Resident>
        list={list}
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        data-testid="resident-table"
        columns={[
          {
            title: t('registry.name'),
            dataIndex: 'name',
            width: 140,
            render: (name: string, r) => (
              <Space size={4} wrap>
                {name}
                {representativeId === r.id && (
                  <Tag color="blue" data-testid="representative-tag">
                    {t('registry.householdFacts.representative')}
                  </Tag>
                )}
                <ResidentStatusTags r={r} />
              </Space>
            ),
          },
          { title: t('registry.household'), dataIndex: 'householdLabel', width: 150 },
          {
            title: t('registry.relation'),
            dataIndex: 'relation',
            render: (v: string | null) => (v ? t(`relations.${v}`) : ''),
            width: 80,
          },
          {
            title: t('registry.sexAge'),
            render: (_, r) =>
              [r.sex ? t(`sex.${r.sex}`) : '', r.age ?? ''].filter((x) => x !== '').join(' · '),
            width: 90,
          },
          { title: t('registry.idNumber'), dataIndex: 'idNumber', width: 190 },
          { title: t('registry.phone'), dataIndex: 'phone', width: 120 },
          {
            title: t('registry.residenceType'),
            dataIndex: 'residenceType',
            render: (v: string) => t(`residenceTypes.${v}`),
            width: 90,
          },
          {
            title: t('registry.tags'),
            dataIndex: 'tags',
            render: (tags: string[]) =>
              tags.map((x) => <Tag key={x}>{t(`tags.${x}`, { defaultValue: x })}</Tag>),
          },
        ]}
      />
    </>
  )
}
