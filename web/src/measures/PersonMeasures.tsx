import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Collapse,
  ConfigProvider,
  Descriptions,
  Empty,
  List,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { PrinterOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import type { Me } from '../api'
import { can } from '../auth/session'
import { reasonText, useApiError } from '../lib/apiError'
import { formatDateTime, formatShort } from '../lib/dates'
import { FIELD_THEME } from '../routes'
import { measuresApi, type MeasureDetailOut } from './api'
import { localDayText } from './days'
import { overrideText, slotsText } from './labels'
import { CheckinModal, ReleaseModal, StartMeasureModal } from './MeasureForms'

/**
 * "Done" tags are a solid dark green with white text: antd's light green tag (its shade 7 on shade 1)
 * is below the 4.5:1 contrast of WCAG AA that axe checks on this page.
 */
const DONE_GREEN = '#237804'
const STATE_COLOR = { done: DONE_GREEN, missed: 'red', due: 'orange', planned: 'default' } as const

/** Phases with their test days, each done / missed / due today / planned. */
function MeasureTimeline({ m }: { m: MeasureDetailOut }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const day = (d: string): string => localDayText(d, i18n.language, true)
  return (
    <Timeline
      data-testid="measure-timeline"
      items={m.phases.map((p) => ({
        content: (
          <Space direction="vertical" size={4} style={{ width: '100%' }}>
            <Typography.Text strong>
              {t(`measures.phases.${p.kind}`)} · {day(p.firstDay)} –{' '}
              {p.lastDay ? day(p.lastDay) : t('measures.person.untilCondition')}
            </Typography.Text>
            {p.testDays.length > 0 && (
              <Space wrap size={[4, 4]}>
                {p.testDays.map((d) => (
                  <Tag
                    key={d.date}
                    color={STATE_COLOR[d.state]}
                    data-testid="test-day"
                    data-state={d.state}
                  >
                    {day(d.date)} · {t('measures.person.day', { n: d.day })} ·{' '}
                    {t(`measures.testDayStates.${d.state}`)}
                  </Tag>
                ))}
              </Space>
            )}
          </Space>
        ),
      }))}
    />
  )
}

/** One measure: what it is, the duty of today, its timeline and the acts on it. */
function MeasureCard({
  me,
  m,
  onCheckin,
  onRelease,
}: {
  me: Me
  m: MeasureDetailOut
  onCheckin: () => void
  onRelease: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const d = m.duties
  const active = m.status === 'active'
  const profileName = (p: string): string => t(`measures.profiles.${p}`, { defaultValue: p })
  const days = (ds: readonly string[]): string =>
    ds.map((x) => localDayText(x, i18n.language, true)).join('、')
  return (
    <Card
      size="small"
      data-testid="measure-card"
      title={
        <Space wrap size={4}>
          <Tag color={m.category === 'temporary_control' ? 'volcano' : 'orange'}>
            {t(`measures.categories.${m.category}`)}
          </Tag>
          <Tag>{t(`measures.statuses.${m.status}`)}</Tag>
        </Space>
      }
    >
      {active && d && (
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 8 }}>
          <Typography.Text strong data-testid="measure-days">
            {t('measures.person.day', { n: d.dayNumber })}
            {' · '}
            {d.daysLeft === null
              ? t('measures.person.untilCondition')
              : d.daysLeft === 0
                ? t('measures.person.lastDay')
                : t('measures.person.daysLeft', { n: d.daysLeft })}
            {d.phaseKind ? ` · ${t(`measures.phases.${d.phaseKind}`)}` : ''}
          </Typography.Text>
          <Space wrap size={[4, 4]} data-testid="measure-duty">
            <Typography.Text type="secondary">{t('measures.person.todayDuty')}：</Typography.Text>
            {d.testDueToday ? (
              d.testDoneToday ? (
                <Tag color={DONE_GREEN}>{t('measures.person.testDoneToday')}</Tag>
              ) : (
                <Tag color="orange">{t('measures.person.testDueToday')}</Tag>
              )
            ) : (
              <Tag>{t('measures.person.noTestToday')}</Tag>
            )}
            {d.checkinsMissing.length > 0 ? (
              <Tag color="red">
                {t('measures.person.checkinsMissing', { slots: slotsText(d.checkinsMissing, t) })}
              </Tag>
            ) : (
              <Tag color={DONE_GREEN}>{t('measures.person.checkinsDone')}</Tag>
            )}
            {d.releaseDue && <Tag color="blue">{t('measures.person.releaseDue')}</Tag>}
          </Space>
          {d.missedTestDays.length > 0 && (
            <Typography.Text type="danger">
              {t('measures.person.missedTests', {
                n: d.missedTestDays.length,
                days: days(d.missedTestDays),
              })}
            </Typography.Text>
          )}
        </Space>
      )}
      {m.profileChanged && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="measure-profile-changed"
          title={t('measures.person.profileChanged', {
            started: profileName(m.profile),
            now: profileName(m.profileNow),
          })}
        />
      )}
      {m.overrides.map((o) => (
        <Alert
          key={o.path}
          type="warning"
          style={{ marginBottom: 8 }}
          data-testid="measure-override"
          title={overrideText(o, m.category, m.phases, t)}
          description={
            o.reason ? t('measures.person.overrideReason', { reason: o.reason }) : undefined
          }
        />
      ))}
      {m.homeFallback.length > 0 && (
        <Alert
          type="warning"
          style={{ marginBottom: 8 }}
          title={t('measures.person.homeFallback', {
            reasons: m.homeFallback
              .map((c) => reasonText({ code: c }, i18n.language) ?? t('measures.form.homeHint'))
              .join('；'),
          })}
        />
      )}
      <Descriptions column={1} size="small" style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('measures.person.anchor')}>
          {localDayText(m.anchorDate, i18n.language)}
        </Descriptions.Item>
        <Descriptions.Item label={t('measures.person.endCondition')}>
          {m.plannedEnd
            ? t('measures.person.plannedEnd', { date: localDayText(m.plannedEnd, i18n.language) })
            : t(`measures.endConditions.${m.endCondition}`, { ct: m.releaseCt ?? '' })}
        </Descriptions.Item>
        <Descriptions.Item label={t('measures.person.profile')}>
          {profileName(m.profile)}
        </Descriptions.Item>
        {m.daysCredited > 0 && (
          <Descriptions.Item label={t('measures.form.daysAlreadyServed')}>
            {t('measures.person.daysCredited', { n: m.daysCredited })}
          </Descriptions.Item>
        )}
        {m.note && (
          <Descriptions.Item label={t('measures.person.note')}>{m.note}</Descriptions.Item>
        )}
        {!active && m.endedAt && (
          <Descriptions.Item label={t(`measures.statuses.${m.status}`)}>
            {t('measures.person.ended', {
              at: formatDateTime(m.endedAt),
              reason: m.endReason ? t(`measures.endReasons.${m.endReason}`) : '',
            })}
          </Descriptions.Item>
        )}
      </Descriptions>
      <MeasureTimeline m={m} />
      <Space wrap style={{ marginBottom: 8 }}>
        {active && can(me, 'measures:checkin') && (
          <Button type="primary" onClick={onCheckin} data-testid="measure-checkin">
            {t('measures.person.checkin')}
          </Button>
        )}
        {active && can(me, 'measures:release') && m.endCondition !== 'area_change' && (
          <Button onClick={onRelease} data-testid="measure-release">
            {t('measures.person.release')}
          </Button>
        )}
        {active && m.endCondition === 'area_change' && (
          <Typography.Text type="secondary" data-testid="measure-ends-with-area">
            {t('measures.person.endsWithArea')}
          </Typography.Text>
        )}
        <Button
          icon={<PrinterOutlined />}
          onClick={() => void navigate(`/measures/${m.id}/notice/start`)}
          data-testid="measure-print-start"
        >
          {t('measures.person.printStart')}
        </Button>
        {m.status === 'released' && (
          <Button
            icon={<PrinterOutlined />}
            onClick={() => void navigate(`/measures/${m.id}/notice/release`)}
            data-testid="measure-print-release"
          >
            {t('measures.person.printRelease')}
          </Button>
        )}
      </Space>
      <Typography.Text type="secondary" style={{ display: 'block' }}>
        {t('measures.person.checkins')}
      </Typography.Text>
      {m.checkins.length === 0 ? (
        <Typography.Text type="secondary">{t('measures.person.noCheckins')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={m.checkins.slice(0, 6)}
          data-testid="measure-checkins"
          renderItem={(c) => (
            <List.Item style={{ paddingInline: 0 }}>
              <Space wrap size={4}>
                <span>
                  {localDayText(c.date, i18n.language, true)} {t(`measures.slots.${c.slot}`)}
                </span>
                <Typography.Text type={c.fever ? 'danger' : undefined} strong={c.fever}>
                  {c.temperature === null ? '—' : `${c.temperature.toFixed(1)} ℃`}
                </Typography.Text>
                {c.symptoms.map((s) => (
                  <Tag key={s} color="red">
                    {t(`measures.symptoms.${s}`)}
                  </Tag>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.reportedBy} · {formatShort(c.reportedAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  )
}

/**
 * The measure section of a person's page (the resident drawer): the measures in force with the
 * duty of today, their timelines, and the acts (start, check-in, release, print); earlier measures
 * folded below. Its controls are 44 px touch targets: a grid worker uses it at the door.
 */
export function PersonMeasures({
  me,
  residentId,
}: {
  me: Me
  residentId: string
}): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const navigate = useNavigate()
  const [starting, setStarting] = useState(false)
  const [checkin, setCheckin] = useState<{ id: string; name: string } | null>(null)
  const [release, setRelease] = useState<{ id: string; name: string } | null>(null)
  const timeline = useQuery({
    queryKey: ['measures', 'resident', residentId],
    queryFn: () => measuresApi.timeline(residentId),
  })
  const items = timeline.data?.items ?? []
  const current = items.filter((m) => m.status === 'active')
  const past = items.filter((m) => m.status !== 'active')
  const name = timeline.data?.residentName ?? ''
  return (
    <ConfigProvider theme={FIELD_THEME}>
      <section data-testid="person-measures">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 20 }} wrap>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('measures.person.title')}
          </Typography.Title>
          {can(me, 'measures:start') && (
            <Button onClick={() => setStarting(true)} data-testid="measure-start">
              {t('measures.person.start')}
            </Button>
          )}
        </Space>
        {timeline.error ? (
          <Alert type="error" showIcon title={apiError(timeline.error)} style={{ marginTop: 8 }} />
        ) : current.length === 0 && !timeline.isLoading ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('measures.person.none')} />
        ) : (
          <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
            {current.map((m) => (
              <MeasureCard
                key={m.id}
                me={me}
                m={m}
                onCheckin={() => setCheckin({ id: m.id, name })}
                onRelease={() => setRelease({ id: m.id, name })}
              />
            ))}
          </Space>
        )}
        {past.length > 0 && (
          <Collapse
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'past',
                label: `${t('measures.person.history')}（${past.length}）`,
                children: (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    {past.map((m) => (
                      <MeasureCard
                        key={m.id}
                        me={me}
                        m={m}
                        onCheckin={() => undefined}
                        onRelease={() => undefined}
                      />
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
        <StartMeasureModal
          residentId={residentId}
          open={starting}
          onClose={() => setStarting(false)}
          onStarted={() => setStarting(false)}
        />
        <CheckinModal measure={checkin} onClose={() => setCheckin(null)} />
        <ReleaseModal
          measure={release}
          onClose={() => setRelease(null)}
          onReleased={(m) => {
            setRelease(null)
            void navigate(`/measures/${m.id}/notice/release`)
          }}
        />
      </section>
    </ConfigProvider>
  )
}
