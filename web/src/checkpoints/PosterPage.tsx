import { Alert, Button, Space, Spin } from 'antd'
import { PrinterOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import i18n from '../i18n'
import { useApiError } from '../lib/apiError'
import { checkpointsApi } from './api'
import { QrImage } from './QrImage'

const PRINT_CSS = `
@page { size: A4; margin: 18mm; }
.wg-poster { background: #fff; color: #000; max-width: 210mm; margin: 0 auto; padding: 14mm; text-align: center;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); box-sizing: border-box; font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; }
.wg-poster h1 { font-size: 34px; letter-spacing: 4px; margin: 0 0 8px; }
.wg-poster h2 { font-size: 22px; margin: 0 0 20px; font-weight: normal; }
.wg-poster p { font-size: 17px; line-height: 1.8; margin: 0 0 8px; }
.wg-poster img { width: 70%; max-width: 120mm; height: auto; }
@media print {
  .ant-layout-sider, .ant-layout-header, .ant-layout-sider-zero-width-trigger, .wg-no-print { display: none !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; margin: 0 !important; padding: 0 !important; }
  .wg-poster { box-shadow: none; padding: 0; }
}
`

/** /checkpoints/:id/poster — the A4 poster (always Chinese) whose QR opens the self-report form of this checkpoint. */
export function PosterPage(): React.JSX.Element {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const z = i18n.getFixedT('zh-CN')
  const apiError = useApiError()
  const cp = useQuery({ queryKey: ['checkpoint', id], queryFn: () => checkpointsApi.get(id) })
  if (cp.error) return <Alert type="error" showIcon title={apiError(cp.error)} />
  if (!cp.data) return <Spin style={{ display: 'block', margin: '48px auto' }} />
  const url = `${window.location.origin}${cp.data.reportPath}`
  return (
    <div>
      <style>{PRINT_CSS}</style>
      <Space className="wg-no-print" style={{ marginBottom: 12 }} wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('checkpoints.poster.print')}
        </Button>
        <Button onClick={() => window.history.back()}>{t('measures.notice.back')}</Button>
      </Space>
      <article className="wg-poster" lang="zh-CN" data-testid="poster">
        <h1>{z('checkpoints.poster.heading')}</h1>
        <h2>
          {cp.data.communityName} · {cp.data.name}
        </h2>
        <QrImage value={url} size={600} alt={z('checkpoints.poster.qrAlt')} testId="poster-qr" />
        <p>{z('checkpoints.poster.scan')}</p>
        <p>{z('checkpoints.poster.privacy')}</p>
        <p data-testid="poster-url" style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {url}
        </p>
      </article>
    </div>
  )
}
