import { useState } from 'react'
import {
  Badge,
  Button,
  Card,
  Empty,
  List,
  Segmented,
  Space,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { ApiOutlined } from '@ant-design/icons'
import type { Me } from '../api'
import { can } from '../auth/session'
import { failedText } from '../lib/refusal'
import { useKeysetList } from '../lib/useKeysetList'
import { useDivisionTree } from '../tree/useDivisionTree'
import { ResidentDrawer } from '../registry/ResidentDrawer'
import { measuresApi, MEASURE_LISTS, type MeasureList, type MeasureListItem } from './api'
import { localDayText, todayLocal } from './days'
import { slotsText } from './labels'
import { CheckinModal } from './MeasureForms'

/** Consecutive rows of one building (the list comes in walking order: building, unit, room). */
function byBuilding(
  items: MeasureListItem[],
): { key: string; label: string | null; rows: MeasureListItem[] }[] {
  const out: { key: string; label: string | null; rows: MeasureListItem[] }[] = []
  for (const m of items) {
    const key = m.buildingId ?? ''
    const last = out[out.length - 1]
    if (last && last.key === key) last.rows.push(m)
    else out.push({ key, label: m.buildingLabel, rows: [m] })
  }
  return out
}

function Row({
  m,
  me,
  onOpen,
  onCheckin,
}: {
  m: MeasureListItem
  me: Me
  onOpen: () => void
  onCheckin: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <List.Item style={{ paddingInline: 0, display: 'block' }} data-testid="board-row">
      <div
        style={{
          display: 'flex',
          gap: 8,
          alignItems: 'flex-start',
          justifyContent: 'space-between',
        }}
      >
        <div style={{ minWidth: 0, flex: 1 }}>
          <Button
            type="link"
            onClick={onOpen}
            style={{
              padding: 0,
              height: 'auto',
              minHeight: 44,
              fontWeight: 600,
              whiteSpace: 'normal',
              textAlign: 'left',
            }}
          >
            {m.name}
          </Button>
          <div style={{ fontSize: 13, color: 'rgba(0, 0, 0, 0.65)', overflowWrap: 'anywhere' }}>
            {[m.householdLabel, t(`measures.categories.${m.category}`)].filter(Boolean).join(' · ')}
          </div>
          <Space wrap size={[4, 4]} style={{ marginTop: 4 }}>
            <Tag>
              {t('measures.board.day', { n: m.dayNumber })}
              {m.daysLeft === null
                ? ''
                : m.daysLeft === 0
                  ? ` · ${t('measures.board.lastDay')}`
                  : ` · ${t('measures.board.daysLeft', { n: m.daysLeft })}`}
            </Tag>
            {m.testDueToday &&
              (m.testDoneToday ? (
                <Tag color="green">{t('measures.board.testDone')}</Tag>
              ) : (
                <Tag color="orange">{t('measures.board.testDue')}</Tag>
              ))}
            {m.checkinsMissing.length > 0 && (
              <Tag color="red">
                {t('measures.board.checkinMissing', { slots: slotsText(m.checkinsMissing, t) })}
              </Tag>
            )}
            {m.releaseDue && <Tag color="blue">{t('measures.board.releaseDue')}</Tag>}
          </Space>
        </div>
        {can(me, 'measures:checkin') && (
          <Button onClick={onCheckin} data-testid="board-checkin" style={{ flex: 'none' }}>
            {t('measures.board.checkin')}
          </Button>
        )}
      </div>
    </List.Item>
  )
}

/**
 * 隔离管控看板 of a community or grid: who is under a measure, who owes a test today, whose
 * check-in is missing, who is due for release — by building, the order a worker walks. One column
 * on a 390 px phone: a row is the person, their tags and a 报体温 button.
 */
export function MeasuresBoard({ me }: { me: Me }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const [list, setList] = useState<MeasureList>('active')
  const [divisionId, setDivisionId] = useState<string | undefined>()
  const [open, setOpen] = useState<string | null>(null)
  const [checkin, setCheckin] = useState<{ id: string; name: string } | null>(null)
  const { nodes, loadChildren } = useDivisionTree(me.selectedScope?.id)
  const indicators = useQuery({
    queryKey: ['measure-indicators', divisionId ?? null, me.selectedScope?.id],
    queryFn: () => measuresApi.indicators(divisionId),
  })
  const rows = useKeysetList(['measures', 'board', list, divisionId ?? null], (after) =>
    measuresApi.list({ list, divisionId, limit: 100, after: after ?? undefined }),
  )
  const n = indicators.data
  const counts: Record<MeasureList, number | undefined> = {
    active: n?.people,
    test_due: n ? n.testsDueToday - n.testsDoneToday : undefined,
    release_due: n?.releasesDue,
    checkin_missing: n?.checkinsMissing,
  }
  const groups = byBuilding(rows.items)
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="measures-board">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('measures.title')}
        </Typography.Title>
        <Space wrap>
          <Typography.Text type="secondary">
            {t('measures.board.today', {
              date: localDayText(n?.today ?? todayLocal(), i18n.language),
            })}
          </Typography.Text>
          {can(me, 'doors:read') && (
            <Button
              icon={<ApiOutlined />}
              onClick={() => void navigate('/measures/doors')}
              data-testid="board-doors"
            >
              {t('measures.board.doors')}
            </Button>
          )}
        </Space>
      </Space>
      <TreeSelect
        allowClear
        style={{ width: '100%' }}
        placeholder={t('measures.board.allScope')}
        aria-label={t('measures.board.division')}
        value={divisionId}
        onChange={(v?: string) => setDivisionId(v || undefined)}
        treeData={nodes}
        loadData={(node) => loadChildren(String(node.value ?? node.key))}
        treeNodeLabelProp="title"
        data-testid="board-division"
      />
      <Segmented<MeasureList>
        block
        value={list}
        onChange={setList}
        data-testid="board-lists"
        options={MEASURE_LISTS.map((l) => ({
          value: l,
          label: (
            <span style={{ whiteSpace: 'normal', lineHeight: 1.3, display: 'inline-block' }}>
              {t(`measures.lists.${l}`)}
              {counts[l] ? (
                <Badge
                  count={counts[l]}
                  size="small"
                  style={{ marginInlineStart: 4 }}
                  // AA contrast under white digits (the default red and grey are below 4.5:1).
                  color={l === 'active' ? '#595959' : '#cf1322'}
                />
              ) : null}
            </span>
          ),
        }))}
      />
      {rows.loading ? (
        <Card loading />
      ) : rows.items.length === 0 ? (
        <Card>
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={failedText(rows.error, t) ?? t(`measures.empty.${list}`)}
            data-testid="board-empty"
          />
        </Card>
      ) : (
        groups.map((g) => (
          <Card
            key={g.key}
            size="small"
            title={`${g.label ?? t('measures.board.noBuilding')} · ${t('measures.board.count', { n: g.rows.length })}`}
            data-testid="board-building"
          >
            <List
              dataSource={g.rows}
              rowKey="id"
              renderItem={(m) => (
                <Row
                  m={m}
                  me={me}
                  onOpen={() => setOpen(m.residentId)}
                  onCheckin={() => setCheckin({ id: m.id, name: m.name })}
                />
              )}
            />
          </Card>
        ))
      )}
      {rows.hasMore && (
        <Button block onClick={rows.loadMore} loading={rows.loadingMore} data-testid="load-more">
          {t('form.more')}
        </Button>
      )}
      <ResidentDrawer me={me} id={open} onClose={() => setOpen(null)} />
      <CheckinModal measure={checkin} onClose={() => setCheckin(null)} />
    </Space>
  )
}
