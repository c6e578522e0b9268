import { App, Button, Input, List, Select, Space, Typography } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import { ID_TYPES, registryApi, type DocumentIn } from './api'

type DocType = DocumentIn['type']

/**
 * The other documents a person carries (回乡证, 台胞证, 永居证, passports with their issuing
 * country): listed masked; a worker who may write records one more, checked by the server
 * under its type, a refusal shown under the field it names.
 */
export function ResidentDocuments({
  residentId,
  canWrite,
}: {
  residentId: string
  canWrite: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [type, setType] = useState<DocType>('passport')
  const [country, setCountry] = useState('')
  const [number, setNumber] = useState('')
  const [error, setError] = useState<string | null>(null)
  const docs = useQuery({
    queryKey: ['resident-documents', residentId],
    queryFn: () => registryApi.documents(residentId),
  })
  const add = useMutation({
    mutationFn: () =>
      registryApi.addDocument(residentId, {
        type,
        number,
        ...(type === 'passport' ? { country } : {}),
      }),
    onSuccess: () => {
      setNumber('')
      setCountry('')
      setError(null)
      void message.success(t('registry.documents.added'))
      void qc.invalidateQueries({ queryKey: ['resident-documents', residentId] })
    },
    onError: (err) => setError(apiError(err)),
  })
  const items = docs.data?.items ?? []
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('registry.documents.title')}
      </Typography.Title>
      <List
        size="small"
        locale={{ emptyText: t('registry.documents.none') }}
        dataSource={items}
        renderItem={(d) => (
          <List.Item data-testid="resident-document">
            {t(`idTypes.${d.type}`)}
            {d.country ? ` · ${d.country}` : ''} · {d.number}
          </List.Item>
        )}
      />
      {canWrite && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Select
            aria-label={t('registry.idType')}
            value={type}
            onChange={(v: DocType) => setType(v)}
            style={{ width: '100%', minHeight: 44 }}
            options={ID_TYPES.filter((x) => x !== 'resident_id').map((x) => ({
              value: x,
              label: t(`idTypes.${x}`),
            }))}
          />
          {type === 'passport' && (
            <Input
              aria-label={t('registry.documents.country')}
              placeholder={t('registry.documents.country')}
              value={country}
              maxLength={3}
              onChange={(e) => setCountry(e.target.value)}
              style={{ minHeight: 44 }}
            />
          )}
          <Input
            aria-label={t('registry.idNumber')}
            placeholder={t('registry.idNumber')}
            value={number}
            maxLength={30}
            onChange={(e) => setNumber(e.target.value)}
            status={error ? 'error' : undefined}
            style={{ minHeight: 44 }}
            data-testid="resident-document-number"
          />
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
          <Button
            onClick={() => add.mutate()}
            loading={add.isPending}
            disabled={!number.trim()}
            style={{ minHeight: 44 }}
            data-testid="resident-document-add"
          >
            {t('registry.documents.add')}
          </Button>
        </Space>
      )}
    </>
  )
}
