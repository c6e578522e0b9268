import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Me } from '../api'
import { useApiError } from '../lib/apiError'
import { formatDateTime } from '../lib/dates'
import { can } from '../auth/session'
import { KNOWN_TAGS, registryApi, type ResidentDetail } from './api'
import { ResidentCode } from '../testing/ResidentCode'
import { PersonMeasures } from '../measures/PersonMeasures'
import { PersonSamples } from '../testing/PersonSamples'
import { ResidentDocuments } from './ResidentDocuments'
import { CareCard } from './CareCard'
import { HukouControl, ResidentStatusControl, ResidentStatusTags } from './ResidentStatus'

export function ResidentDrawer({
  me,
  id,
  onClose,
}: {
  me: Me
  id: string | null
  onClose: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [revealed, setRevealed] = useState<ResidentDetail | null>(null)
  const detail = useQuery({
    queryKey: ['resident', id],
    queryFn: () => registryApi.resident(id!),
    enabled: !!id,
  })
  const r = revealed?.id === id ? revealed : detail.data
  const fail = (err: unknown): void => void message.error(apiError(err))

  async function reveal(): Promise<void> {
    try {
      setRevealed(await registryApi.resident(id!, 'id,phone'))
    } catch (err) {
      fail(err)
    }
  }
  /** A change answered with the whole resident: the drawer shows it, the lists reload. */
  function saved(next: ResidentDetail): void {
    setRevealed(null)
    qc.setQueryData(['resident', id], next)
    void qc.invalidateQueries({ queryKey: ['residents'] })
  }
  async function saveTags(tags: string[]): Promise<void> {
    try {
      qc.setQueryData(['resident', id], await registryApi.setTags(id!, tags))
      void qc.invalidateQueries({ queryKey: ['residents'] })
    } catch (err) {
      fail(err)
    }
  }

  return (
    <Drawer
      open={!!id}
      onClose={() => (setRevealed(null), onClose())}
      size={520}
      title={
        r ? (
          <Space wrap size={8}>
            {r.name}
            <ResidentStatusTags r={r} />
          </Space>
        ) : (
          ''
        )
      }
      destroyOnHidden
    >
      {!r && detail.error && <Alert type="error" showIcon title={apiError(detail.error)} />}
      {r && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('registry.household')}>
              {r.householdLabel ?? t('registry.movedOut')}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.idNumber')}>
              <span data-testid="resident-id-number">{r.idNumber}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.phone')}>{r.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('registry.sexAge')}>
              {r.sex ? t(`sex.${r.sex}`) : ''} {r.birthDate} {r.age !== null ? `(${r.age})` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.relation')}>
              {r.relation ? t(`relations.${r.relation}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.residenceType')}>
              {t(`residenceTypes.${r.residenceType}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.hukouAddress')}>
              <span data-testid="resident-hukou">
                {r.hukouAddress ?? '—'}
                {r.hukouRegion ? ` (${r.hukouRegion})` : ''}
              </span>
              {can(me, 'registry:write') && <HukouControl r={r} onSaved={saved} />}
            </Descriptions.Item>
            {r.status !== 'active' && (
              <Descriptions.Item label={t('registry.status')}>
                <ResidentStatusTags r={r} />
              </Descriptions.Item>
            )}
            {r.employer && (
              <Descriptions.Item label={t('registry.employer')}>{r.employer}</Descriptions.Item>
            )}
            {r.notes && (
              <Descriptions.Item label={t('registry.notes')}>{r.notes}</Descriptions.Item>
            )}
          </Descriptions>
          {can(me, 'registry:write') && <ResidentStatusControl r={r} onSaved={saved} />}
          {can(me, 'pii:reveal') && r.revealed.length === 0 && (
            <Button
              style={{ marginTop: 12 }}
              onClick={() => void reveal()}
              data-testid="resident-reveal"
            >
              {t('registry.reveal')}
            </Button>
          )}
          <ResidentDocuments residentId={r.id} canWrite={can(me, 'registry:write')} />
          <CareCard
            residentId={r.id}
            canWrite={can(me, 'registry:write')}
            canReveal={can(me, 'pii:reveal')}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('registry.tags')}
          </Typography.Title>
          {can(me, 'registry:write') ? (
            <Select
              mode="tags"
              style={{ width: '100%' }}
              aria-label={t('registry.tags')}
              value={r.tags}
              onChange={(v: string[]) => void saveTags(v)}
              options={KNOWN_TAGS.map((x) => ({ value: x, label: t(`tags.${x}`) }))}
            />
          ) : (
            <Space wrap>
              {r.tags.map((x) => (
                <Tag key={x}>{t(`tags.${x}`, { defaultValue: x })}</Tag>
              ))}
            </Space>
          )}
          {can(me, 'testing:codes') && r.status === 'active' && (
            <>
              <Typography.Title level={5} style={{ marginTop: 20 }}>
                {t('codes.title')}
              </Typography.Title>
              <ResidentCode residentId={r.id} householdId={r.householdId} />
            </>
          )}
          {can(me, 'measures:read') && <PersonMeasures me={me} residentId={r.id} />}
          {can(me, 'testing:read') && <PersonSamples residentId={r.id} />}
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('registry.members')}
          </Typography.Title>
          {r.household.length === 0
            ? '—'
            : r.household.map((m) => (
                <Tag key={m.id}>
                  {m.name}
                  {m.relation ? ` · ${t(`relations.${m.relation}`)}` : ''}
                  {m.age !== null ? ` · ${m.age}` : ''}
                </Tag>
              ))}
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('registry.history')}
          </Typography.Title>
          <Timeline
            items={r.events.map((e) => ({
              content: (
                <span>
                  {formatDateTime(e.at)} · {t(`events.${e.kind}`, { defaultValue: e.kind })}
                  {e.fromHousehold || e.toHousehold
                    ? ` · ${e.fromHousehold ?? ''} → ${e.toHousehold ?? ''}`
                    : ''}{' '}
                  · {e.actorName}
                </span>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  )
}
