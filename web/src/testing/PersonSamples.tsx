import { Alert, Button, List, Space, Tag, Typography } from 'antd'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { testingApi, type PersonSample } from './api'

const RESULT_COLOR = {
  negative: 'green',
  positive: 'red',
  abnormal: 'orange',
  invalid: 'orange',
} as const

/** "N 28.4 · ORF1ab 30.1", or null when the lab sent no Ct value. */
function ctText(s: PersonSample): string | null {
  const parts = [
    s.ctN !== null ? `N ${s.ctN}` : null,
    s.ctOrf1ab !== null ? `ORF1ab ${s.ctOrf1ab}` : null,
  ].filter((x): x is string => x !== null)
  return parts.length ? `Ct ${parts.join(' · ')}` : null
}

/**
 * 核酸记录 on a person's page: each swab, newest first, with its round, tube (混管 N 人 / 单管 /
 * 复核), the result and the lab's Ct values, twenty at a time.
 */
export function PersonSamples({ residentId }: { residentId: string }): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const samples = useInfiniteQuery({
    queryKey: ['resident-samples', residentId],
    queryFn: ({ pageParam }) => testingApi.personSamples(residentId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  })
  const items = samples.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <section data-testid="person-samples">
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('samples.title')}
      </Typography.Title>
      {samples.error ? (
        <Alert type="error" showIcon title={apiError(samples.error)} />
      ) : (
        <List
          size="small"
          loading={samples.isLoading}
          locale={{ emptyText: t('samples.empty') }}
          dataSource={items}
          renderItem={(s) => {
            const ct = ctText(s)
            // The lab's own word only where it says more than the tag (单基因阳性 beside 异常, not 阳性 twice).
            const word =
              s.resultWord && s.result && s.resultWord !== t(`samples.results.${s.result}`)
                ? s.resultWord
                : null
            return (
              <List.Item key={s.specimenId} data-testid="person-sample">
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap size={[6, 4]}>
                    {s.result ? (
                      <Tag color={RESULT_COLOR[s.result]}>{t(`samples.results.${s.result}`)}</Tag>
                    ) : (
                      <Tag>{t('samples.waiting')}</Tag>
                    )}
                    <Typography.Text strong>{s.roundName}</Typography.Text>
                    {s.recheck && <Tag color="purple">{t('samples.recheck')}</Tag>}
                  </Space>
                  <Typography.Text type="secondary">
                    {formatDateTime(s.scannedAt)} ·{' '}
                    {s.tubeKind === 'pooled'
                      ? t('samples.pooled', { n: s.tubeMembers })
                      : t('samples.single')}{' '}
                    · {t('samples.tube', { code: s.tubeCode })}
                  </Typography.Text>
                  {(ct || word || s.lab) && (
                    <Typography.Text data-testid="person-sample-ct">
                      {[word, ct, s.lab].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  )}
                </Space>
              </List.Item>
            )
          }}
        />
      )}
      {samples.hasNextPage && (
        <Button
          size="small"
          loading={samples.isFetchingNextPage}
          onClick={() => void samples.fetchNextPage()}
        >
          {t('samples.more')}
        </Button>
      )}
    </section>
  )
}
