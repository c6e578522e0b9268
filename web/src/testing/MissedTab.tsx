import { useState } from 'react'
import {
  App,
  Button,
  DatePicker,
  Form,
  Grid,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import dayjs, { type Dayjs } from 'dayjs'
import type { Me } from '../api'
import { can } from '../auth/session'
import { testingApi, type MissedReason } from './api'
import { missedApi, type MissedRow, type MissedView } from './missedApi'
import { uiLang, useApiError } from '../lib/apiError'
import { downloadFile } from '../lib/download'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'

/** What a recorded reason leads to, by colour: red escalated, orange still to swab, blue the registry. */
const ACTION_COLOUR: Record<string, string> = {
  door_to_door: 'orange',
  fever_clinic: 'orange',
  escalate: 'red',
  fix_registry: 'blue',
}

/**
 * The missed-test list of a round (漏检名单): those still owing a swab, and in a second tab those
 * accounted for without one (a recorded reason, or marked away) with an undo. A search box finds
 * a name, pinyin or building; a grid worker marks someone away once (destination and expected
 * return) and later rounds keep it. On a phone a row is the person and their reason.
 */
export function MissedTab({
  roundId,
  grids,
  me,
}: {
  roundId: string
  grids: Map<string, string>
  me: Me
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const phone = Grid.useBreakpoint().md === false
  const [view, setView] = useState<MissedView>('missed')
  const [grid, setGrid] = useState<string | undefined>()
  const [search, setSearch] = useState<string | undefined>()
  const [exporting, setExporting] = useState(false)
  const [away, setAway] = useState<MissedRow | null>(null)
  const [awayForm] = Form.useForm<{ destination: string; returnOn?: Dayjs }>()
  const profile = useQuery({ queryKey: ['testing-profile'], queryFn: testingApi.profile })
  const list = useKeysetList(['missed', roundId, view, grid, search], (after) =>
    missedApi.list(roundId, { view, limit: 100, grid, q: search, after: after ?? undefined }),
  )
  /** Bumped when a pick was not saved, so each row's select shows the recorded reason again. */
  const [unsaved, setUnsaved] = useState(0)
  const refresh = async (): Promise<void> => {
    await qc.invalidateQueries({ queryKey: ['missed', roundId] })
    await qc.invalidateQueries({ queryKey: ['round', roundId] })
  }

  async function record(m: MissedRow, reason: MissedReason): Promise<void> {
    const rule = profile.data?.settings.missedReasons[reason]
    let note: string | undefined
    let eventAt: string | undefined
    if (rule?.needsNote) {
      note = window.prompt(t('missed.notePrompt'))?.trim() || undefined
      // Cancelled: the select goes back to what is recorded (nothing), not the reason just picked.
      if (!note) return setUnsaved((n) => n + 1)
    }
    if (rule?.withinHours !== undefined) {
      const at = dayjs(window.prompt(t('missed.timePrompt'), dayjs().format('YYYY-MM-DD HH:mm')))
      if (!at.isValid()) return setUnsaved((n) => n + 1)
      eventAt = at.toISOString()
    }
    try {
      const r = await missedApi.record(roundId, m.residentId, { reason, note, eventAt })
      if (r.action !== 'excuse') void message.info(t(`missed.actions.${r.action}`))
      await refresh()
    } catch (err) {
      setUnsaved((n) => n + 1)
      void message.error(apiError(err))
    }
  }

  /** Undo in the excused tab: the recorded reason is taken back, or the absentee is marked back. */
  async function undo(m: MissedRow): Promise<void> {
    try {
      if (m.excusedBy === 'presence')
        await missedApi.setPresence(m.residentId, { status: 'returned' })
      else await missedApi.clear(roundId, m.residentId)
      void message.success(t('missed.undone', { name: m.name }))
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  async function markBack(m: MissedRow): Promise<void> {
    try {
      await missedApi.setPresence(m.residentId, { status: 'returned' })
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  async function saveAway(v: { destination: string; returnOn?: Dayjs }): Promise<void> {
    if (!away) return
    try {
      await missedApi.setPresence(away.residentId, {
        status: 'away',
        destination: v.destination,
        returnOn: v.returnOn?.format('YYYY-MM-DD'),
      })
      void message.success(t('missed.presenceSaved'))
      setAway(null)
      awayForm.resetFields()
      await refresh()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  /** The .xlsx without leaving the page: a refusal is shown here, not as raw JSON. */
  async function exportList(): Promise<void> {
    setExporting(true)
    try {
      await downloadFile(
        missedApi.exportUrl(roundId, { grid, q: search, lang: uiLang(i18n.language) }),
        '漏检名单.xlsx',
      )
    } catch (err) {
      void message.error(apiError(err))
    } finally {
      setExporting(false)
    }
  }

  // The profile names the reasons; the server takes those of MISSED_REASONS (any other is refused with its code).
  const reasonOptions = (
    Object.keys(profile.data?.settings.missedReasons ?? {}) as MissedReason[]
  ).map((r) => ({ value: r, label: t(`missed.reasons.${r}`, { defaultValue: r }) }))

  const presenceText = (m: MissedRow): string | null =>
    m.presence?.status === 'away'
      ? [
          t('missed.awayTo', { destination: m.presence.destination ?? '' }),
          m.presence.returnOn ? t('missed.until', { date: m.presence.returnOn }) : '',
        ]
          .filter(Boolean)
          .join(' ')
      : m.presence?.status === 'returned'
        ? t('missed.presenceStatuses.returned')
        : null

  const who = (m: MissedRow): React.JSX.Element => (
    <Space direction="vertical" size={0}>
      <Typography.Text strong={phone}>
        {m.name}
        {phone && m.age !== null ? ` · ${m.age}` : ''}
      </Typography.Text>
      {phone && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[grids.get(m.gridPath), m.household].filter(Boolean).join(' ')}
        </Typography.Text>
      )}
      {phone && m.phone && (
        <a href={`tel:${m.phone}`} style={{ fontSize: 12 }}>
          {m.phone}
        </a>
      )}
      {presenceText(m) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="missed-presence">
          {presenceText(m)}
        </Typography.Text>
      )}
    </Space>
  )

  const place = [
    {
      title: t('missed.grid'),
      responsive: ['md' as const],
      render: (_: unknown, m: MissedRow) => grids.get(m.gridPath) ?? '',
    },
    { title: t('missed.household'), responsive: ['md' as const], dataIndex: 'household' },
    { title: t('missed.name'), render: (_: unknown, m: MissedRow) => who(m) },
    { title: t('missed.age'), responsive: ['md' as const], dataIndex: 'age', width: 60 },
    { title: t('missed.phone'), responsive: ['md' as const], dataIndex: 'phone' },
  ]

  const missedColumns = [
    ...place,
    {
      title: t('missed.reason'),
      width: phone ? 150 : undefined,
      render: (_: unknown, m: MissedRow) => (
        <Space direction="vertical" size={4}>
          <Select
            key={`${m.reason ?? ''}-${unsaved}`}
            size={phone ? 'middle' : 'small'}
            style={phone ? { width: 140 } : { minWidth: 150 }}
            popupMatchSelectWidth={false}
            data-testid="missed-reason"
            placeholder={t('missed.pickReason')}
            aria-label={`${m.name} ${t('missed.pickReason')}`}
            value={m.reason ?? undefined}
            onChange={(v: MissedReason) => void record(m, v)}
            options={reasonOptions}
          />
          {m.action && m.action !== 'excuse' && (
            <Tag color={ACTION_COLOUR[m.action]} data-testid="missed-action">
              {t(`missed.actions.${m.action}`)}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('missed.presence'),
      width: phone ? 96 : undefined,
      render: (_: unknown, m: MissedRow) =>
        m.presence?.status === 'away' ? (
          <Button size="small" onClick={() => void markBack(m)}>
            {t('missed.markBack')}
          </Button>
        ) : (
          <Button size="small" data-testid="missed-mark-away" onClick={() => setAway(m)}>
            {t('missed.markAway')}
          </Button>
        ),
    },
  ]

  const excusedColumns = [
    ...place,
    {
      title: t('missed.reason'),
      render: (_: unknown, m: MissedRow) => (
        <Space direction="vertical" size={0}>
          <span>
            {m.excusedBy === 'presence'
              ? t('missed.byPresence')
              : m.excusedBy === 'elsewhere'
                ? t('missed.byElsewhere')
                : m.reason
                  ? t(`missed.reasons.${m.reason}`, { defaultValue: m.reason })
                  : ''}
          </span>
          {m.note && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {m.note}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('missed.recordedBy'),
      responsive: ['md' as const],
      render: (_: unknown, m: MissedRow) =>
        m.recordedBy
          ? `${m.recordedBy}${m.recordedAt ? ' · ' + dayjs(m.recordedAt).format('MM-DD HH:mm') : ''}`
          : '',
    },
    {
      title: '',
      width: 80,
      // Swabbed in another round: nothing recorded here to take back.
      render: (_: unknown, m: MissedRow) =>
        m.excusedBy === 'elsewhere' ? null : (
          <Button
            size="small"
            data-testid="missed-undo"
            aria-label={`${m.name} ${t('missed.undo')}`}
            onClick={() => void undo(m)}
          >
            {t('missed.undo')}
          </Button>
        ),
    },
  ]

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Segmented<MissedView>
        value={view}
        onChange={setView}
        data-testid="missed-view"
        options={[
          { value: 'missed', label: t('missed.tabMissed') },
          { value: 'excused', label: t('missed.tabExcused') },
        ]}
      />
      <Space wrap>
        {/* No clear icon: a 12 px target on a field screen; an emptied search shows everyone again. */}
        <Input.Search
          placeholder={t('missed.search')}
          aria-label={t('missed.search')}
          style={{ width: phone ? '100%' : 260 }}
          data-testid="missed-search"
          onSearch={(v) => setSearch(v.trim() || undefined)}
        />
        <Select
          allowClear
          placeholder={t('missed.allGrids')}
          aria-label={t('missed.allGrids')}
          style={{ minWidth: 180 }}
          value={grid}
          onChange={setGrid}
          options={[...grids].map(([path, name]) => ({ value: path, label: name }))}
        />
        {can(me, 'data:export') && (
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void exportList()}
            loading={exporting}
            data-testid="missed-export"
          >
            {t('missed.export')}
          </Button>
        )}
      </Space>
      <KeysetTable<MissedRow>
        list={list}
        rowKey="residentId"
        size="small"
        data-testid={view === 'missed' ? 'missed-table' : 'excused-table'}
        scroll={phone ? undefined : { x: 720 }}
        columns={view === 'missed' ? missedColumns : excusedColumns}
      />
      <Modal
        title={away ? `${t('missed.markAway')} · ${away.name}` : ''}
        open={!!away}
        onCancel={() => setAway(null)}
        onOk={() => awayForm.submit()}
        destroyOnHidden
      >
        <Form form={awayForm} layout="vertical" onFinish={(v) => void saveAway(v)}>
          <Form.Item
            name="destination"
            label={t('missed.destination')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="returnOn" label={t('missed.returnOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
