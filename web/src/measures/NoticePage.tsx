import { Alert, Spin } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useParams } from 'react-router'
import { useApiError } from '../lib/apiError'
import { measuresApi, type NoticeKind } from './api'
import { NoticeSheet } from './NoticeSheet'

/** /measures/:id/notice/start (告知书) and /measures/:id/notice/release (解除通知书): a page to print. */
export function NoticePage(): React.JSX.Element {
  const { id = '', kind } = useParams()
  const apiError = useApiError()
  const k: NoticeKind = kind === 'release' ? 'release' : 'start'
  const notice = useQuery({
    queryKey: ['measure-notice', id, k],
    queryFn: () => measuresApi.notice(id, k),
  })
  if (notice.error) return <Alert type="error" showIcon title={apiError(notice.error)} />
  if (!notice.data) return <Spin style={{ display: 'block', margin: '48px auto' }} />
  return <NoticeSheet data={notice.data} />
}
