import { useState } from 'react'
import { Alert, Card, Form, Result, Spin, Typography } from 'antd'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError } from '../api'
import { useApiError } from '../lib/apiError'
import { checkpointsApi, type ArrivalReceipt, type ArrivalReportBody } from './api'
import { ReportForm } from './ReportForm'
import { QrImage } from './QrImage'

/**
 * /report/:token — the self-report (报备) a poster's QR code opens, outside the login shell: the
 * form, then the reference (and its QR) the person shows at the gate. The answer is the same for
 * everyone; nothing here says whether the person is registered.
 */
export function PublicReportPage(): React.JSX.Element {
  const { token = '' } = useParams()
  const { t } = useTranslation()
  const apiError = useApiError()
  const [form] = Form.useForm()
  const [receipt, setReceipt] = useState<ArrivalReceipt | null>(null)
  const info = useQuery({
    queryKey: ['public-report', token],
    queryFn: () => checkpointsApi.publicForm(token),
    retry: false,
  })
  const send = useMutation({
    mutationFn: (body: ArrivalReportBody) => checkpointsApi.selfReport(token, body),
    onSuccess: setReceipt,
    onError: (err) => {
      if (err instanceof ApiError && err.field) {
        const name = err.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
        form.setFields([{ name, errors: [apiError(err)] }])
      }
    },
  })
  const wrap = (body: React.ReactNode): React.JSX.Element => (
    <main style={{ maxWidth: 480, margin: '0 auto', padding: 12 }} lang={t('checkpoints.lang')}>
      {body}
    </main>
  )
  if (info.error) return wrap(<Alert type="error" showIcon title={apiError(info.error)} />)
  if (!info.data) return wrap(<Spin style={{ display: 'block', margin: '48px auto' }} />)
  if (receipt)
    return wrap(
      <Result
        status="success"
        title={t('checkpoints.report.done')}
        subTitle={t('checkpoints.report.showAtGate')}
        extra={
          <div style={{ textAlign: 'center' }}>
            <QrImage
              value={receipt.reference}
              size={220}
              alt={t('checkpoints.report.qrAlt', { reference: receipt.reference })}
              testId="report-qr"
            />
            <Typography.Title level={2} data-testid="report-reference" style={{ letterSpacing: 4 }}>
              {receipt.reference}
            </Typography.Title>
          </div>
        }
      />,
    )
  return wrap(
    <Card
      title={
        <h1 style={{ fontSize: 18, margin: 0 }}>
          {t('checkpoints.report.title', {
            community: info.data.communityName,
            checkpoint: info.data.checkpointName,
          })}
        </h1>
      }
    >
      <Typography.Paragraph>{t('checkpoints.report.intro')}</Typography.Paragraph>
      {send.error && !(send.error instanceof ApiError && send.error.field) ? (
        <Alert type="error" showIcon title={apiError(send.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <ReportForm
        form={form}
        windowDays={info.data.itineraryWindowDays}
        submitting={send.isPending}
        submitLabel={t('checkpoints.report.submit')}
        onSubmit={(b) => send.mutate(b)}
      />
    </Card>,
  )
}
