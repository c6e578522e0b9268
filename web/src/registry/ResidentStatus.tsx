import { App, Button, Form, Input, Modal, Select, Space, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import { registryApi, type Resident, type ResidentDetail } from './api'

/** The statuses a worker sets here; 'active' (在住) is the undo. */
const SETTABLE = ['deceased', 'away_long', 'hukou_only'] as const
type Settable = (typeof SETTABLE)[number]

const COLOURS: Record<string, string> = {
  deceased: 'default',
  away_long: 'orange',
  hukou_only: 'purple',
  moved_out: 'default',
  provisional: 'gold',
  passing_through: 'default',
  merged: 'default',
}

/** 已死亡 / 长期外出 / 户在人不在 / 人在户不在 as tags, on lists and the resident page; nothing for a plain resident. */
export function ResidentStatusTags({
  r,
}: {
  r: Pick<Resident, 'status' | 'separation' | 'statusOn' | 'statusPlace'>
}): React.JSX.Element | null {
  const { t } = useTranslation()
  const tags: React.JSX.Element[] = []
  if (r.status !== 'active')
    tags.push(
      <Tag key="status" color={COLOURS[r.status]} data-testid="resident-status-tag">
        {t(`registry.statuses.${r.status}`)}
        {r.statusOn ? ` · ${r.statusOn}` : ''}
        {r.statusPlace ? ` · ${r.statusPlace}` : ''}
      </Tag>,
    )
  if (r.separation === 'hukou_elsewhere')
    tags.push(
      <Tag key="sep" color="blue" data-testid="resident-separation-tag">
        {t('registry.hukouElsewhere')}
      </Tag>,
    )
  return tags.length ? <Space size={4}>{tags}</Space> : null
}

interface StatusForm {
  status: Settable
  on?: string
  place?: string
  note?: string
}

/** 变更人员状态 and 恢复为在住 on the resident page (audited by the server, kept in the history). */
export function ResidentStatusControl({
  r,
  onSaved,
}: {
  r: ResidentDetail
  onSaved: (next: ResidentDetail) => void
}): React.JSX.Element | null {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<StatusForm>()
  const status = Form.useWatch('status', form)
  const settable = r.status === 'active' || (SETTABLE as readonly string[]).includes(r.status)
  if (!settable || !r.householdId) return null

  async function save(body: Parameters<typeof registryApi.setStatus>[1]): Promise<void> {
    setSaving(true)
    try {
      onSaved(await registryApi.setStatus(r.id, body))
      void message.success(t('registry.statusSaved'))
      setOpen(false)
      form.resetFields()
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  const submit = async (): Promise<void> => {
    const v = await form.validateFields()
    await save({
      status: v.status,
      on: v.on || undefined,
      place: v.place?.trim() || undefined,
      note: v.note?.trim() || undefined,
    })
  }
  return (
    <Space wrap style={{ marginTop: 12 }}>
      <Button
        onClick={() => setOpen(true)}
        data-testid="resident-set-status"
        style={{ minHeight: 44 }}
      >
        {t('registry.setStatus')}
      </Button>
      {r.status !== 'active' && (
        <Button
          loading={saving}
          onClick={() => void save({ status: 'active' })}
          data-testid="resident-undo-status"
          style={{ minHeight: 44 }}
        >
          {t('registry.undoStatus')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('registry.setStatus')}
        confirmLoading={saving}
        onCancel={() => setOpen(false)}
        onOk={() => void submit().catch(() => undefined)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ status: 'away_long' }}>
          <Form.Item name="status" label={t('registry.status')} rules={[{ required: true }]}>
            <Select
              aria-label={t('registry.status')}
              data-testid="status-select"
              options={SETTABLE.map((s) => ({ value: s, label: t(`registry.statuses.${s}`) }))}
            />
          </Form.Item>
          {status && (
            <Form.Item
              name="on"
              label={t(`registry.statusOn.${status}`)}
              rules={[
                { required: status === 'deceased', message: t('registry.statusOn.deceased') },
              ]}
            >
              <Input
                type="date"
                aria-label={t(`registry.statusOn.${status}`)}
                data-testid="status-on"
              />
            </Form.Item>
          )}
          {status && status !== 'deceased' && (
            <Form.Item
              name="place"
              label={t(`registry.statusPlace.${status}`)}
              rules={[
                { required: status === 'away_long', message: t('registry.statusPlace.away_long') },
              ]}
            >
              <Input maxLength={100} data-testid="status-place" />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('registry.statusNote')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}

/** 登记户籍地: the registered address (and its GB/T 2260 code) beside the actual home. */
export function HukouControl({
  r,
  onSaved,
}: {
  r: ResidentDetail
  onSaved: (next: ResidentDetail) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<{ hukouAddress?: string; hukouRegion?: string }>()
  const submit = async (): Promise<void> => {
    const v = await form.validateFields()
    setSaving(true)
    try {
      onSaved(
        await registryApi.update(r.id, {
          hukouAddress: v.hukouAddress?.trim() || null,
          hukouRegion: v.hukouRegion?.trim() || null,
        }),
      )
      void message.success(t('registry.hukouSaved'))
      setOpen(false)
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setSaving(false)
    }
  }
  return (
    <>
      <Button
        size="small"
        type="link"
        onClick={() => setOpen(true)}
        data-testid="resident-edit-hukou"
        style={{ minHeight: 44 }}
      >
        {t('registry.editHukou')}
      </Button>
      <Modal
        open={open}
        title={t('registry.editHukou')}
        confirmLoading={saving}
        onCancel={() => setOpen(false)}
        onOk={() => void submit().catch(() => undefined)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            hukouAddress: r.hukouAddress ?? undefined,
            hukouRegion: r.hukouRegion ?? undefined,
          }}
        >
          <Form.Item name="hukouAddress" label={t('registry.hukouAddress')}>
            <Input maxLength={200} data-testid="hukou-address" />
          </Form.Item>
          <Form.Item
            name="hukouRegion"
            label={t('registry.hukouRegion')}
            rules={[{ pattern: /^\d{6}$/, message: t('registry.hukouRegion') }]}
          >
            <Input inputMode="numeric" maxLength={6} data-testid="hukou-region" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
