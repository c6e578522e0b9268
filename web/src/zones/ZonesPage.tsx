import { useState } from 'react'
import { Button, Card, Empty, Segmented, Space, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import type { Me } from '../api'
import { can } from '../auth/session'
import { failedText } from '../lib/refusal'
import { useKeysetList } from '../lib/useKeysetList'
import { zonesApi, type AreaSummaryOut } from './api'
import { AreaForm } from './AreaForm'
import { colourOf, countdownText, extentText, useZoneText } from './levels'

type Status = AreaSummaryOut['status']

/** One tile per part of an area (a building, unit, floor, household, grid), in the area's colour. */
function AreaCard({ a, onOpen }: { a: AreaSummaryOut; onOpen: () => void }): React.JSX.Element {
  const z = useZoneText()
  const colour = colourOf(a)
  return (
    <Card
      size="small"
      data-testid="zone-area"
      styles={{ header: { borderInlineStart: `6px solid ${colour}` } }}
      title={
        <Button
          type="link"
          onClick={onOpen}
          style={{
            padding: 0,
            height: 'auto',
            minHeight: 44,
            whiteSpace: 'normal',
            textAlign: 'left',
          }}
        >
          {a.name}
        </Button>
      }
      extra={<span style={{ color: colour, fontWeight: 600 }}>{z(a.levelName)}</span>}
    >
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(96px, 1fr))',
          gap: 6,
        }}
      >
        {a.extents.map((e) => (
          <button
            key={e.id}
            type="button"
            onClick={onOpen}
            data-testid="zone-tile"
            style={{
              minHeight: 44,
              border: 'none',
              borderRadius: 6,
              background: colour,
              color: '#fff',
              padding: '6px 8px',
              textAlign: 'left',
              overflowWrap: 'anywhere',
              cursor: 'pointer',
            }}
          >
            {extentText(z, e)}
          </button>
        ))}
      </div>
      <Typography.Text style={{ display: 'block', marginTop: 8 }} data-testid="zone-countdown">
        {countdownText(z, a)}
      </Typography.Text>
    </Card>
  )
}

/**
 * 风险区 of my scope: each area a card of its parts as tiles coloured by level (high red, medium
 * brown, low blue, lifted grey), with its countdown in one line; newest first, page by page. One
 * column on a 390 px phone. A lead draws a new area here.
 */
export function ZonesPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const z = useZoneText()
  const navigate = useNavigate()
  const [status, setStatus] = useState<Status>('active')
  const [drawing, setDrawing] = useState(false)
  const settings = useQuery({ queryKey: ['zone-settings'], queryFn: zonesApi.settings })
  const rows = useKeysetList(['zones', 'areas', status, me.selectedScope?.id ?? null], (after) =>
    zonesApi.list({ status, limit: 30, after: after ?? undefined }),
  )
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="zones-page">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {z('ZONE_UI_TITLE')}
        </Typography.Title>
        {can(me, 'zones:manage') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setDrawing(true)}
            data-testid="zone-draw"
          >
            {z('ZONE_UI_DRAW')}
          </Button>
        )}
      </Space>
      <Segmented<Status>
        block
        value={status}
        onChange={setStatus}
        options={[
          { value: 'active', label: z('ZONE_UI_ACTIVE') },
          { value: 'lifted', label: z('ZONE_UI_LIFTED_LIST') },
        ]}
      />
      {rows.loading ? (
        <Card loading />
      ) : rows.items.length === 0 ? (
        <Card>
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={failedText(rows.error, t) ?? z('ZONE_UI_EMPTY')}
          />
        </Card>
      ) : (
        rows.items.map((a) => (
          <AreaCard key={a.id} a={a} onOpen={() => void navigate(`/zones/${a.id}`)} />
        ))
      )}
      {rows.hasMore && (
        <Button block onClick={rows.loadMore} loading={rows.loadingMore}>
          {t('form.more')}
        </Button>
      )}
      {settings.data && (
        <AreaForm
          me={me}
          open={drawing}
          settings={settings.data}
          onClose={() => setDrawing(false)}
          onDone={(id) => {
            setDrawing(false)
            void navigate(`/zones/${id}`)
          }}
        />
      )}
    </Space>
  )
}
