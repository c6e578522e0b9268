import { useState } from 'react'
import { App, Button, Card, Empty, List, Space, Tag, TreeSelect, Typography } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Me } from '../api'
import { can } from '../auth/session'
import { useApiError } from '../lib/apiError'
import { formatShort } from '../lib/dates'
import { failedText } from '../lib/refusal'
import { useDivisionTree } from '../tree/useDivisionTree'
import { doorsApi, type DoorEvent, type SensorCreatedOut, type SensorOut } from './doorsApi'
import { RegisterSensorModal, SecretModal, findNode } from './DoorSensorForms'

function SensorRow({
  s,
  manage,
  onHousehold,
  onSecret,
}: {
  s: SensorOut
  manage: boolean
  onHousehold: () => void
  onSecret: (s: SensorCreatedOut) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { modal, message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const active = s.revokedAt === null
  const act = (kind: 'rotate' | 'revoke'): void => {
    modal.confirm({
      title: t(`doors.${kind}Title`, { device: s.deviceId }),
      content: t(`doors.${kind}Text`),
      okText: t(`doors.${kind}`),
      cancelText: t('doors.cancel'),
      okButtonProps: { danger: kind === 'revoke' },
      onOk: async () => {
        try {
          if (kind === 'rotate') onSecret(await doorsApi.rotate(s.id))
          else {
            await doorsApi.revoke(s.id)
            void message.success(t('doors.revoked'))
          }
          await qc.invalidateQueries({ queryKey: ['door-sensors'] })
        } catch (err) {
          void message.error(apiError(err))
        }
      },
    })
  }
  return (
    <List.Item style={{ display: 'block', paddingInline: 0 }} data-testid="door-sensor">
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={[8, 4]}>
          <Typography.Text strong style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
            {s.deviceId}
          </Typography.Text>
          {active ? (
            // A solid dark green: the default green tag is below 4.5:1 contrast.
            <Tag color="#237804">{t('doors.active')}</Tag>
          ) : (
            <Tag>{t('doors.revokedAt', { at: formatShort(s.revokedAt!) })}</Tag>
          )}
          {s.underMeasure && <Tag color="orange">{t('doors.underMeasure')}</Tag>}
        </Space>
        <Button
          type="link"
          onClick={onHousehold}
          style={{ padding: 0, height: 'auto', minHeight: 44, whiteSpace: 'normal' }}
        >
          {s.householdLabel}
        </Button>
        <Typography.Text type="secondary" data-testid="door-last-event">
          {s.lastEvent
            ? t('doors.lastEvent', {
                event: t(`doors.events.${s.lastEvent.event}`),
                at: formatShort(s.lastEvent.at),
              })
            : t('doors.noEvent')}
          {s.lastEvent?.alerted ? ` · ${t('doors.alerted')}` : ''}
        </Typography.Text>
        {manage && active && (
          <Space wrap>
            <Button onClick={() => act('rotate')} data-testid="door-rotate">
              {t('doors.rotate')}
            </Button>
            <Button danger onClick={() => act('revoke')} data-testid="door-revoke">
              {t('doors.revoke')}
            </Button>
          </Space>
        )}
      </Space>
    </List.Item>
  )
}

function EventRow({ e }: { e: DoorEvent }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <List.Item style={{ display: 'block', paddingInline: 0 }} data-testid="door-event">
      <Space wrap size={[8, 4]}>
        <Typography.Text strong>{e.householdLabel}</Typography.Text>
        <Tag color={e.event === 'open' ? 'red' : undefined}>{t(`doors.events.${e.event}`)}</Tag>
        <Typography.Text type="secondary">{formatShort(e.occurredAt)}</Typography.Text>
        {e.alerted && <Tag color="volcano">{t('doors.alerted')}</Tag>}
      </Space>
      <div style={{ fontSize: 13, color: 'rgba(0, 0, 0, 0.65)', fontFamily: 'monospace' }}>
        {e.deviceId}
      </div>
    </List.Item>
  )
}

/**
 * 门磁管理: the door sensors of a community, grid or household (device, address, last event,
 * active or revoked, someone under a measure), registering one (its secret shown once), rotating
 * a secret and revoking a sensor (audited, for admins and community leads), and the recent door
 * events of households under a measure. One column on a 390 px phone.
 */
export function DoorSensorsPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const manage = can(me, 'doors:manage')
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const [divisionId, setDivisionId] = useState<string | undefined>()
  const [household, setHousehold] = useState<{ id: string; label: string } | null>(null)
  const [registering, setRegistering] = useState(false)
  const [secret, setSecret] = useState<SensorCreatedOut | null>(null)
  const filter = household ? { householdId: household.id } : { divisionId }
  const sensors = useQuery({
    queryKey: ['door-sensors', 'list', filter],
    queryFn: () => doorsApi.sensors(filter),
  })
  const events = useQuery({
    queryKey: ['door-sensors', 'events', divisionId ?? null],
    queryFn: () => doorsApi.events({ divisionId, limit: 30 }),
    refetchInterval: 60_000,
  })
  const selected = findNode(nodes, divisionId)
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="door-sensors-page">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('doors.title')}
        </Typography.Title>
        <Link to="/measures">{t('doors.back')}</Link>
      </Space>
      <TreeSelect
        allowClear
        style={{ width: '100%' }}
        placeholder={t('doors.allScope')}
        aria-label={t('doors.division')}
        value={divisionId}
        onChange={(v?: string) => (setDivisionId(v || undefined), setHousehold(null))}
        treeData={nodes}
        loadData={(node) => loadChildren(String(node.value ?? node.key))}
        treeNodeLabelProp="title"
        data-testid="door-division"
      />
      {household && (
        <Tag closable onClose={() => setHousehold(null)} data-testid="door-household-filter">
          {t('doors.onlyHousehold', { household: household.label })}
        </Tag>
      )}
      <Card
        size="small"
        title={t('doors.sensors')}
        extra={
          manage ? (
            <Button type="primary" onClick={() => setRegistering(true)} data-testid="door-register">
              {t('doors.register')}
            </Button>
          ) : null
        }
      >
        <List
          loading={sensors.isLoading}
          dataSource={sensors.data?.items ?? []}
          rowKey="id"
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  failedText(sensors.error, t) ?? t(manage ? 'doors.emptyManage' : 'doors.empty')
                }
              />
            ),
          }}
          renderItem={(s) => (
            <SensorRow
              s={s}
              manage={manage}
              onSecret={setSecret}
              onHousehold={() => setHousehold({ id: s.householdId, label: s.householdLabel })}
            />
          )}
        />
      </Card>
      <Card size="small" title={t('doors.recentEvents')} data-testid="door-events">
        <List
          loading={events.isLoading}
          dataSource={events.data?.items ?? []}
          rowKey="id"
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={failedText(events.error, t) ?? t('doors.noEvents')}
              />
            ),
          }}
          renderItem={(e) => <EventRow e={e} />}
        />
      </Card>
      {manage && (
        <RegisterSensorModal
          open={registering}
          nodes={nodes}
          loadChildren={loadChildren}
          gridId={selected?.level === 'grid' ? selected.key : undefined}
          onClose={() => setRegistering(false)}
          onSecret={(s) => (setRegistering(false), setSecret(s))}
        />
      )}
      <SecretModal sensor={secret} onClose={() => setSecret(null)} />
    </Space>
  )
}
