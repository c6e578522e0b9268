import { useState } from 'react'
import { Button, Checkbox, Input, List, Segmented, Space, Tabs, Tag, Typography } from 'antd'
import { WarningFilled } from '@ant-design/icons'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { MessageParams } from '../../../src/core/i18n/messages.js'
import { useZoneText } from './levels'
import { zonesApi, type InsidePage, type VulnerablePage } from './api'

type Z = (code: string, params?: MessageParams) => string

/** A tag or a measure category as a person reads it; a free code stays as typed. */
const tagText = (z: Z, tag: string): string => z(`TAG_${tag}`) || tag
const categoryText = (z: Z, c: string): string =>
  z(`MEASURE_CATEGORY_${c}`) || z(`ZONE_UI_MEASURE_${c}`) || c

function where(p: { householdLabel: string | null; building: string | null; room: string | null }) {
  return p.householdLabel ?? [p.building, p.room].filter(Boolean).join(' ')
}

/** 居住人员: everyone inside under my scope, in walking order, searchable, filtered by measure. */
function Residents({ areaId }: { areaId: string }): React.JSX.Element {
  const z = useZoneText()
  const [q, setQ] = useState('')
  const [under, setUnder] = useState<'all' | 'yes' | 'no'>('all')
  const list = useInfiniteQuery({
    queryKey: ['zone-residents', areaId, q, under],
    queryFn: ({ pageParam }) =>
      zonesApi.residents(areaId, {
        q: q || undefined,
        underMeasure: under === 'all' ? undefined : under,
        after: pageParam,
        limit: 30,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: InsidePage) => last.next ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder={z('ZONE_UI_INSIDE_SEARCH')}
        aria-label={z('ZONE_UI_INSIDE_SEARCH')}
        onSearch={(v) => setQ(v.trim())}
        size="large"
        data-testid="zone-inside-search"
      />
      <Segmented
        block
        value={under}
        onChange={(v) => setUnder(v as typeof under)}
        options={[
          { value: 'all', label: z('ZONE_UI_INSIDE_ALL') },
          { value: 'yes', label: z('ZONE_UI_INSIDE_UNDER') },
          { value: 'no', label: z('ZONE_UI_INSIDE_NOT_UNDER') },
        ]}
      />
      <List
        loading={list.isLoading}
        dataSource={items}
        locale={{ emptyText: z('ZONE_UI_INSIDE_EMPTY') }}
        renderItem={(p) => (
          <List.Item style={{ paddingInline: 0 }} data-testid="zone-inside-person">
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={[8, 2]}>
                <Typography.Text strong>{p.name}</Typography.Text>
                <Typography.Text>{where(p)}</Typography.Text>
                {p.phone && <Typography.Text type="secondary">{p.phone}</Typography.Text>}
                {p.proxy && (
                  <Typography.Text type="secondary" data-testid="zone-inside-proxy">
                    {z('ZONE_UI_PROXY', {
                      name: p.proxy.name,
                      relation: p.proxy.relation ? `（${p.proxy.relation}）` : '',
                      phone: p.proxy.phone ?? '',
                    })}
                  </Typography.Text>
                )}
              </Space>
              <Space wrap size={[4, 4]}>
                {p.measures.length === 0 ? (
                  <Tag>{z('ZONE_UI_INSIDE_NO_MEASURE')}</Tag>
                ) : (
                  p.measures.map((m) => (
                    <Tag key={m.category} color="#ad4e00">
                      {categoryText(z, m.category)} ·{' '}
                      {m.daysLeft === null
                        ? z('ZONE_UI_INSIDE_OPEN_END')
                        : z('ZONE_UI_INSIDE_DAYS_LEFT', { n: m.daysLeft })}
                    </Tag>
                  ))
                )}
                {p.tags.map((t) => (
                  <Tag key={t}>{tagText(z, t)}</Tag>
                ))}
              </Space>
            </Space>
          </List.Item>
        )}
      />
      {list.hasNextPage && (
        <Button
          block
          style={{ minHeight: 44 }}
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
          data-testid="zone-inside-more"
        >
          {z('ZONE_UI_INSIDE_MORE')}
        </Button>
      )}
    </Space>
  )
}

/** 重点人群: the vulnerable inside with helper and hospital; those without a helper flagged. */
function Vulnerable({ areaId }: { areaId: string }): React.JSX.Element {
  const z = useZoneText()
  const [missing, setMissing] = useState(false)
  const list = useInfiniteQuery({
    queryKey: ['zone-vulnerable', areaId, missing],
    queryFn: ({ pageParam }) =>
      zonesApi.vulnerable(areaId, {
        withoutHelper: missing ? 'yes' : undefined,
        after: pageParam,
        limit: 30,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: VulnerablePage) => last.next ?? undefined,
  })
  const first = list.data?.pages[0]
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {first && (
        <Typography.Text data-testid="zone-vulnerable-summary">
          {z('ZONE_UI_VULNERABLE_SUMMARY', { n: first.vulnerable, missing: first.withoutHelper })}
        </Typography.Text>
      )}
      <Checkbox checked={missing} onChange={(e) => setMissing(e.target.checked)}>
        {z('ZONE_UI_VULNERABLE_ONLY_MISSING')}
      </Checkbox>
      <List
        loading={list.isLoading}
        dataSource={items}
        locale={{ emptyText: z('ZONE_UI_INSIDE_EMPTY') }}
        renderItem={(p) => (
          <List.Item style={{ paddingInline: 0 }} data-testid="zone-vulnerable-person">
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={[8, 2]}>
                <Typography.Text strong>{p.name}</Typography.Text>
                <Typography.Text>{where(p)}</Typography.Text>
              </Space>
              <Space wrap size={[4, 4]}>
                {p.vulnerableTags.map((t) => (
                  <Tag key={t} color="#0958d9">
                    {tagText(z, t)}
                  </Tag>
                ))}
              </Space>
              {p.helperName ? (
                <Typography.Text>
                  {z('ZONE_UI_HELPER', { name: p.helperName, phone: p.helperPhone ?? '' })}
                </Typography.Text>
              ) : (
                <Typography.Text type="danger" data-testid="zone-no-helper">
                  <WarningFilled aria-hidden /> {z('ZONE_UI_NO_HELPER')}
                </Typography.Text>
              )}
              <Typography.Text type={p.hospital ? undefined : 'secondary'}>
                {p.hospital
                  ? z('ZONE_UI_HOSPITAL', { name: p.hospital })
                  : z('ZONE_UI_NO_HOSPITAL')}
              </Typography.Text>
              {p.needs && <Typography.Text type="secondary">{p.needs}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
      {list.hasNextPage && (
        <Button
          block
          style={{ minHeight: 44 }}
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {z('ZONE_UI_INSIDE_MORE')}
        </Button>
      )}
    </Space>
  )
}

/** The area page's people: 居住人员 and 重点人群 tabs (one column on a 390 px phone). */
export function AreaPeople({ areaId }: { areaId: string }): React.JSX.Element {
  const z = useZoneText()
  return (
    <Tabs
      data-testid="zone-people-tabs"
      items={[
        {
          key: 'residents',
          label: z('ZONE_UI_TAB_RESIDENTS'),
          children: <Residents areaId={areaId} />,
        },
        {
          key: 'vulnerable',
          label: z('ZONE_UI_TAB_VULNERABLE'),
          children: <Vulnerable areaId={areaId} />,
        },
      ]}
    />
  )
}

/** The summary card's line: how many vulnerable live inside, how many without a helper. */
export function VulnerableCount({ areaId }: { areaId: string }): React.JSX.Element | null {
  const z = useZoneText()
  const c = useQuery({
    queryKey: ['zone-vulnerable-count', areaId],
    queryFn: () => zonesApi.vulnerable(areaId, { limit: 1 }),
  })
  if (!c.data) return null
  return (
    <Typography.Text
      type={c.data.withoutHelper > 0 ? 'danger' : undefined}
      data-testid="zone-vulnerable-count"
    >
      {z('ZONE_UI_VULNERABLE_COUNT', { n: c.data.vulnerable, missing: c.data.withoutHelper })}
    </Typography.Text>
  )
}
