import { Alert, App, Button, Empty, Modal, Space, Spin, Tag, Typography } from 'antd'
import { PrinterOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { gateApi } from './gateApi'
import { QrImage } from './QrImage'

/**
 * 出门证 of a household (from the registry's household view): today's passes with their QR codes,
 * 发放今日出门证 (the profile's count a day; pressing again issues none more), each pass's use,
 * and a print of the page for the household to keep. Under a profile without passes it says so.
 */
export function ExitPassModal({
  household,
  onClose,
}: {
  household: { id: string; title: string } | null
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const key = ['exit-passes', household?.id]
  const passes = useQuery({
    queryKey: key,
    queryFn: () => gateApi.passes(household!.id),
    enabled: !!household,
  })
  const issue = useMutation({
    mutationFn: () => gateApi.issuePasses(household!.id),
    onSuccess: (list) => {
      qc.setQueryData(key, list)
      void message.success(t('checkpoints.passes.issued', { n: list.items.length }))
    },
    onError: (e) => void message.error(apiError(e)),
  })
  const data = passes.data
  return (
    <Modal
      open={!!household}
      onCancel={onClose}
      title={t('checkpoints.passes.title', {
        household: passes.data?.household ?? household?.title ?? '',
      })}
      footer={null}
      width={560}
      destroyOnHidden
    >
      {passes.error ? (
        <Alert type="error" showIcon title={apiError(passes.error)} />
      ) : !data ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : data.perDay === null ? (
        <Alert type="info" showIcon title={t('checkpoints.passes.notNeeded')} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="exit-passes">
          <Typography.Text type="secondary">
            {t('checkpoints.passes.perDay', { day: data.day, n: data.perDay })}
          </Typography.Text>
          <Space wrap>
            <Button
              type="primary"
              loading={issue.isPending}
              disabled={data.items.length >= data.perDay}
              onClick={() => issue.mutate()}
              data-testid="exit-passes-issue"
            >
              {t('checkpoints.passes.issue')}
            </Button>
            {data.items.length > 0 && (
              <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
                {t('checkpoints.passes.print')}
              </Button>
            )}
          </Space>
          {data.items.length === 0 ? (
            <Empty description={t('checkpoints.passes.none')} />
          ) : (
            <Space wrap size="large">
              {data.items.map((p) => (
                <Space key={p.id} orientation="vertical" align="center" data-testid="exit-pass">
                  <QrImage
                    value={p.token}
                    size={160}
                    alt={t('checkpoints.passes.qrAlt', { household: data.household, n: p.seq })}
                  />
                  <Typography.Text strong>
                    {t('checkpoints.passes.seq', { day: data.day, n: p.seq })}
                  </Typography.Text>
                  {p.usedAt ? (
                    <Tag color="default">
                      {t('checkpoints.passes.used', { at: formatDateTime(p.usedAt) })}
                    </Tag>
                  ) : (
                    <Tag color="green">{t('checkpoints.passes.unused')}</Tag>
                  )}
                </Space>
              ))}
            </Space>
          )}
        </Space>
      )}
    </Modal>
  )
}
