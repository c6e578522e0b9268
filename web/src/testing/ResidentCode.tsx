import { App, Button, Space, Typography } from 'antd'
import { PrinterOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api'
import { useApiError } from '../lib/apiError'
import { testingApi } from './api'

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Opens a printable page with one card per household member (name, QR, code text); members without a code get one (a POST, audited). */
async function printHousehold(householdId: string, title: string): Promise<void> {
  const { household, cards } = await testingApi.issueHouseholdCards(householdId)
  const w = window.open('', '_blank')
  if (!w) return
  const body = cards
    .map(
      (c) =>
        `<div class="card"><div class="qr">${c.qrSvg}</div><div class="name">${escape(c.name)}</div><div class="addr">${escape(household)}</div><div class="code">${c.token}</div></div>`,
    )
    .join('')
  w.document.write(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)} · ${escape(household)}</title><style>
      body{font-family:sans-serif;margin:12mm}.card{display:inline-block;width:60mm;border:1px dashed #999;margin:3mm;padding:4mm;text-align:center;page-break-inside:avoid}
      .qr svg{width:44mm;height:44mm}.name{font-size:16pt;font-weight:bold}.addr{font-size:9pt;color:#555}.code{font-family:monospace;font-size:6.5pt;word-break:break-all}
    </style></head><body>${body}<script>window.onload=()=>window.print()</script></body></html>`,
  )
  w.document.close()
}

/** 采样码 on a resident's page: the QR a scanner reads, printable for the whole household, reissued when lost. */
export function ResidentCode({
  residentId,
  householdId,
}: {
  residentId: string
  householdId: string | null
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const code = useQuery({
    queryKey: ['resident-code', residentId],
    queryFn: () => testingApi.residentCode(residentId),
  })
  async function reissue(): Promise<void> {
    const reason = window.prompt(t('codes.reissueReason'))
    if (!reason) return
    try {
      qc.setQueryData(
        ['resident-code', residentId],
        await testingApi.reissueCode(residentId, reason),
      )
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  async function issue(): Promise<void> {
    try {
      qc.setQueryData(['resident-code', residentId], await testingApi.issueCode(residentId))
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  // Reading a code never issues one: a resident without a code is offered the button that does.
  if (code.error instanceof ApiError && code.error.code === 'CODE_NOT_ISSUED')
    return (
      <Space wrap>
        <Typography.Text type="secondary">{t('codes.notIssued')}</Typography.Text>
        <Button size="small" type="primary" data-testid="issue-code" onClick={() => void issue()}>
          {t('codes.issue')}
        </Button>
      </Space>
    )
  if (code.error) return <Typography.Text type="danger">{apiError(code.error)}</Typography.Text>
  if (!code.data) return <Typography.Text type="secondary">…</Typography.Text>
  return (
    <Space align="start" wrap>
      <div
        style={{ width: 132, height: 132 }}
        dangerouslySetInnerHTML={{ __html: code.data.qrSvg }}
        data-testid="resident-qr"
      />
      <Space direction="vertical" size={4}>
        <Typography.Text type="secondary">{t('codes.hint')}</Typography.Text>
        <Typography.Text code copyable data-testid="resident-code" style={{ fontSize: 11 }}>
          {code.data.token}
        </Typography.Text>
        <Space wrap>
          {householdId && (
            <Button
              size="small"
              icon={<PrinterOutlined />}
              onClick={() =>
                void printHousehold(householdId, t('codes.title')).catch((err: unknown) =>
                  message.error(apiError(err)),
                )
              }
            >
              {t('codes.print')}
            </Button>
          )}
          <Button size="small" onClick={() => void reissue()}>
            {t('codes.reissue')}
          </Button>
        </Space>
      </Space>
    </Space>
  )
}
