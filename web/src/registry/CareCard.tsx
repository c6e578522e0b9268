import { useState } from 'react'
import { App, Button, Descriptions, Form, Input, Space, Typography } from 'antd'
import { WarningFilled } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { CareIn, CareOut } from '../../../src/registry/care.schema.js'
import { api, ApiError } from '../api'
import { useApiError, useMessageText } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'

const careApi = {
  get: (id: string, reveal?: boolean): Promise<CareOut> =>
    api.get<CareOut>(`/api/residents/${id}/care${reveal ? '?reveal=phone' : ''}`),
  put: (id: string, body: CareIn): Promise<CareOut> =>
    api.put<CareOut>(`/api/residents/${id}/care`, body),
}

type Field = keyof CareIn

/**
 * A vulnerable resident's helper (包保人, phone masked; revealed on request, audited),
 * designated hospital (定点医院) and needs, and the proxy contact (代联系人) of someone without a
 * phone, on the resident drawer; a worker edits them, a refusal shown under the field the server
 * names.
 */
export function CareCard({
  residentId,
  canWrite,
  canReveal,
}: {
  residentId: string
  canWrite: boolean
  canReveal: boolean
}): React.JSX.Element {
  const text = useMessageText()
  const z = (code: string, params?: Record<string, string | number>): string =>
    text(code, params) ?? ''
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [reveal, setReveal] = useState(false)
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [form] = Form.useForm<CareIn>()
  const care = useQuery({
    queryKey: ['resident-care', residentId, reveal],
    queryFn: () => careApi.get(residentId, reveal),
  })
  const c = care.data
  const save = (values: CareIn): void => {
    setBusy(true)
    setErrors({})
    const blank = (v: string | null | undefined): string | null => (v ? v : null)
    careApi
      .put(residentId, {
        helperName: blank(values.helperName),
        // Left blank beside a recorded (masked) phone: keep it.
        ...(values.helperPhone || !c?.helperPhone
          ? { helperPhone: blank(values.helperPhone) }
          : {}),
        hospital: blank(values.hospital),
        needs: blank(values.needs),
        proxyName: blank(values.proxyName),
        proxyRelation: blank(values.proxyRelation),
        ...(values.proxyPhone || !c?.proxyPhone ? { proxyPhone: blank(values.proxyPhone) } : {}),
      })
      .then(() => {
        void message.success(z('CARE_UI_SAVED'))
        setEditing(false)
        setReveal(false)
        void qc.invalidateQueries({ queryKey: ['resident-care', residentId] })
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.field) setErrors({ [e.field as Field]: apiError(e) })
        else void message.error(apiError(e))
      })
      .finally(() => setBusy(false))
  }
  const item = (name: Field, extra?: { placeholder?: string; phone?: boolean }) => (
    <Form.Item
      name={name}
      label={z(`FIELD_${name}`)}
      validateStatus={errors[name] ? 'error' : undefined}
      help={errors[name]}
    >
      <Input
        size="large"
        inputMode={extra?.phone ? 'tel' : undefined}
        placeholder={extra?.placeholder}
        data-testid={`care-${name}`}
      />
    </Form.Item>
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="care-card">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {z('CARE_UI_TITLE')}
      </Typography.Title>
      {editing ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            helperName: c?.helperName ?? '',
            helperPhone: '',
            hospital: c?.hospital ?? '',
            needs: c?.needs ?? '',
            proxyName: c?.proxyName ?? '',
            proxyRelation: c?.proxyRelation ?? '',
            proxyPhone: '',
          }}
          onFinish={save}
        >
          {item('helperName')}
          {item('helperPhone', { phone: true, placeholder: c?.helperPhone ?? undefined })}
          {item('hospital')}
          {item('needs', { placeholder: z('CARE_UI_NEEDS_HINT') })}
          <Typography.Text type="secondary">{z('CARE_UI_PROXY_HINT')}</Typography.Text>
          {item('proxyName')}
          {item('proxyRelation', { placeholder: z('CARE_UI_PROXY_RELATION_HINT') })}
          {item('proxyPhone', { phone: true, placeholder: c?.proxyPhone ?? undefined })}
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              style={{ minHeight: 44 }}
              data-testid="care-save"
            >
              {z('CARE_UI_SAVE')}
            </Button>
            <Button style={{ minHeight: 44 }} onClick={() => setEditing(false)}>
              {z('CARE_UI_CANCEL')}
            </Button>
          </Space>
        </Form>
      ) : (
        <>
          {c && !c.helperName && (
            <Typography.Text type="danger" data-testid="care-none">
              <WarningFilled aria-hidden /> {z('CARE_UI_NONE')}
            </Typography.Text>
          )}
          <Descriptions column={1} size="small">
            {c?.helperName && (
              <Descriptions.Item label={z('FIELD_helperName')}>
                <Space wrap>
                  <span>
                    {c.helperName} {c.helperPhone}
                  </span>
                  {canReveal && !c.revealed && c.helperPhone && (
                    <Button size="small" onClick={() => setReveal(true)} data-testid="care-reveal">
                      {z('CARE_UI_REVEAL')}
                    </Button>
                  )}
                </Space>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={z('FIELD_hospital')}>{c?.hospital ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={z('FIELD_needs')}>{c?.needs ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={z('CARE_UI_PROXY')}>
              {c?.proxyName ? (
                <Space wrap>
                  <span data-testid="care-proxy">
                    {c.proxyName}
                    {c.proxyRelation ? `（${c.proxyRelation}）` : ''} {c.proxyPhone}
                  </span>
                  {canReveal && !c.revealed && c.proxyPhone && !c.helperPhone && (
                    <Button size="small" onClick={() => setReveal(true)}>
                      {z('CARE_UI_REVEAL')}
                    </Button>
                  )}
                </Space>
              ) : (
                z('CARE_UI_PROXY_NONE')
              )}
            </Descriptions.Item>
          </Descriptions>
          {c?.updatedBy && c.updatedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {z('CARE_UI_UPDATED', { by: c.updatedBy, at: formatDateTime(c.updatedAt) })}
            </Typography.Text>
          )}
          {canWrite && (
            <Button
              style={{ minHeight: 44, alignSelf: 'flex-start' }}
              onClick={() => setEditing(true)}
              data-testid="care-edit"
            >
              {z('CARE_UI_EDIT')}
            </Button>
          )}
        </>
      )}
    </Space>
  )
}
