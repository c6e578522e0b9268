import { useState } from 'react'
import { App, Button, Card, Col, Drawer, Empty, Row, Select, Space, Tree, Typography } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Me } from '../api'
import { HOUSEHOLD_OCCUPANCIES, LET_OCCUPANCIES, registryApi, type HouseholdOccupancy } from './api'
import { useApiError } from '../lib/apiError'
import { can } from '../auth/session'
import { ExitPassModal } from '../checkpoints/ExitPassModal'
import { BuildingLayoutModal } from './BuildingLayoutModal'
import { HouseholdFactsModal } from './HouseholdFactsModal'
import { RegisterResidentModal } from './RegisterResidentModal'
import { ResidentDrawer } from './ResidentDrawer'
import { ResidentList, type ListFilter } from './ResidentList'
import { TransfersPanel } from './TransfersPanel'
import type { PlaceNode } from './usePlaceTree'
import { usePlaceTree } from './usePlaceTree'

function find(nodes: PlaceNode[], key: string): PlaceNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n
    const hit = n.children && find(n.children, key)
    if (hit) return hit
  }
  return undefined
}

function parentOf(nodes: PlaceNode[], key: string, parent?: PlaceNode): PlaceNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return parent
    const hit = n.children && parentOf(n.children, key, n)
    if (hit) return hit
  }
  return undefined
}

/** 居民登记: walk community → grid → building → unit → household, and the residents of the place picked. */
export function RegistryPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [tick, setTick] = useState(0)
  const { nodes, load } = usePlaceTree(`${me.selectedScope?.id ?? ''}:${tick}`)
  const [selectedKey, setSelectedKey] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [layoutFor, setLayoutFor] = useState<{ id: string; title: string } | null>(null)
  const [registerFor, setRegisterFor] = useState<{ id: string; title: string } | null>(null)
  const [passesFor, setPassesFor] = useState<{ id: string; title: string } | null>(null)
  const [transfersOpen, setTransfersOpen] = useState(false)
  const [factsOpen, setFactsOpen] = useState(false)
  // 集体户 needs its kind and name: choosing it opens the facts form instead of saving at once.
  const [pendingOccupancy, setPendingOccupancy] = useState<HouseholdOccupancy | null>(null)
  // The landlord's phone in full, per household, once revealed (audited by the server).
  const [landlordPhone, setLandlordPhone] = useState<{ id: string; phone: string } | null>(null)
  async function revealLandlord(id: string): Promise<void> {
    try {
      const r = await registryApi.revealLandlord(id)
      if (r.landlord?.phone) setLandlordPhone({ id, phone: r.landlord.phone })
    } catch (err) {
      void message.error(apiError(err))
    }
  }
  const selected = selectedKey ? find(nodes, selectedKey) : undefined
  const filter: ListFilter =
    selected?.kind === 'household'
      ? { householdId: selected.id }
      : selected && ['district', 'street', 'community', 'grid'].includes(selected.kind)
        ? { divisionId: selected.id }
        : {}
  const write = can(me, 'registry:write')
  // The place's resident total, from the counts its children carry (a grid's buildings, a building's units, a unit's households).
  const children =
    selected?.kind === 'grid'
      ? registryApi.buildings
      : selected?.kind === 'building'
        ? registryApi.units
        : selected?.kind === 'unit'
          ? registryApi.households
          : null
  const totalUrl = children && selected ? `${selected.kind}:${selected.id}` : null
  const total = useQuery({
    queryKey: ['residents', 'place-total', totalUrl, tick],
    queryFn: (): Promise<{ items: { residents: number }[] }> => children!(selected!.id),
    enabled: !!totalUrl,
    select: (r) => r.items.reduce((n, x) => n + x.residents, 0),
  })

  /** 以房管人: a vacant flat's people leave the round populations; the unit's households reload. */
  async function saveOccupancy(id: string, occupancy: HouseholdOccupancy): Promise<void> {
    try {
      await registryApi.setOccupancy(id, occupancy)
      void message.success(t('registry.occupancySaved'))
      const unit = selectedKey ? parentOf(nodes, selectedKey) : undefined
      if (unit) void load(unit)
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7}>
        <Card title={t('menu.registry')} size="small">
          {nodes.length === 0 ? (
            <Empty />
          ) : (
            <Tree<PlaceNode>
              data-testid="place-tree"
              treeData={nodes}
              loadData={(n) => load(n)}
              onSelect={(keys) => setSelectedKey((keys[0] as string) ?? null)}
              titleRender={(n) => (
                <span>
                  <span>{n.title}</span>
                  {!['building', 'unit', 'household'].includes(n.kind) && (
                    <Typography.Text type="secondary"> {t(`levels.${n.kind}`)}</Typography.Text>
                  )}
                </span>
              )}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        <Card
          size="small"
          title={
            <Space size={8}>
              {selected ? selected.title : t('registry.allInScope')}
              {totalUrl && total.data !== undefined && (
                <Typography.Text type="secondary" data-testid="place-total">
                  {t('registry.total', { n: total.data })}
                </Typography.Text>
              )}
            </Space>
          }
          extra={
            <Space wrap>
              <Button onClick={() => setTransfersOpen(true)} data-testid="transfers-open">
                {t('registry.transfers.title')}
              </Button>
              {write && selected?.kind === 'grid' && (
                <Button
                  onClick={() => setLayoutFor({ id: selected.id, title: selected.title })}
                  data-testid="layout-open"
                >
                  {t('registry.layout')}
                </Button>
              )}
              {write && selected?.kind === 'household' && (
                <Select
                  placeholder={t('registry.occupancy')}
                  aria-label={t('registry.occupancy')}
                  style={{ width: 120 }}
                  value={selected.occupancy ?? undefined}
                  data-testid="household-occupancy"
                  onChange={(v: HouseholdOccupancy) => {
                    if (v === 'collective') {
                      setPendingOccupancy(v)
                      setFactsOpen(true)
                    } else void saveOccupancy(selected.id, v)
                  }}
                  options={HOUSEHOLD_OCCUPANCIES.map((x) => ({
                    value: x,
                    label: t(`registry.occupancies.${x}`),
                  }))}
                />
              )}
              {write && selected?.kind === 'household' && selected.occupancy && (
                <Button onClick={() => setFactsOpen(true)} data-testid="household-facts-open">
                  {selected.occupancy && LET_OCCUPANCIES.includes(selected.occupancy)
                    ? t('registry.householdFacts.openLet')
                    : t('registry.householdFacts.open')}
                </Button>
              )}
              {can(me, 'checkpoints:exit_pass') && selected?.kind === 'household' && (
                <Button
                  onClick={() => setPassesFor({ id: selected.id, title: selected.title })}
                  data-testid="exit-passes-open"
                >
                  {t('checkpoints.passes.open')}
                </Button>
              )}
              {write && selected?.kind === 'household' && (
                <Button
                  type="primary"
                  onClick={() => setRegisterFor({ id: selected.id, title: selected.title })}
                  data-testid="register-open"
                >
                  {t('registry.register')}
                </Button>
              )}
            </Space>
          }
        >
          {selected?.kind === 'household' && selected.collective && (
            <Typography.Paragraph type="secondary" data-testid="household-collective">
              {t(`registry.householdFacts.collectiveKinds.${selected.collective.kind}`)}{' '}
              {selected.collective.name}
            </Typography.Paragraph>
          )}
          {selected?.kind === 'household' &&
            selected.landlord &&
            selected.occupancy &&
            LET_OCCUPANCIES.includes(selected.occupancy) && (
              <Typography.Paragraph type="secondary" data-testid="household-landlord">
                {t(`registry.householdFacts.kinds.${selected.landlord.kind}`)}{' '}
                {selected.landlord.name}{' '}
                {landlordPhone?.id === selected.id ? landlordPhone.phone : selected.landlord.phone}
                {selected.landlord.tenancyStart || selected.landlord.tenancyEnd
                  ? ` · ${selected.landlord.tenancyStart ?? ''} ~ ${selected.landlord.tenancyEnd ?? ''}`
                  : ''}
                {can(me, 'pii:reveal') &&
                  selected.landlord.phone &&
                  landlordPhone?.id !== selected.id && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => void revealLandlord(selected.id)}
                      data-testid="landlord-reveal"
                    >
                      {t('registry.householdFacts.revealPhone')}
                    </Button>
                  )}
              </Typography.Paragraph>
            )}
          <ResidentList
            filter={filter}
            onOpen={setOpen}
            scopeKey={[me.selectedScope?.id, tick]}
            canExport={can(me, 'data:export')}
            canReveal={can(me, 'pii:reveal')}
            representativeId={selected?.kind === 'household' ? selected.representativeId : null}
          />
        </Card>
      </Col>
      <ResidentDrawer me={me} id={open} onClose={() => setOpen(null)} />
      <ExitPassModal household={passesFor} onClose={() => setPassesFor(null)} />
      {factsOpen && selected?.kind === 'household' && (
        <HouseholdFactsModal
          household={{
            id: selected.id,
            title: selected.title,
            occupancy: pendingOccupancy ?? selected.occupancy ?? null,
            representativeId: selected.representativeId ?? null,
            landlord: selected.landlord ?? null,
            collective: selected.collective ?? null,
          }}
          onClose={() => {
            setFactsOpen(false)
            setPendingOccupancy(null)
          }}
          onDone={() => {
            setFactsOpen(false)
            setPendingOccupancy(null)
            const unit = selectedKey ? parentOf(nodes, selectedKey) : undefined
            if (unit) void load(unit)
          }}
        />
      )}
      <Drawer
        open={transfersOpen}
        onClose={() => setTransfersOpen(false)}
        size={1000}
        title={t('registry.transfers.title')}
        destroyOnHidden
      >
        <TransfersPanel canWrite={write} />
      </Drawer>
      <BuildingLayoutModal
        grid={layoutFor}
        onClose={() => setLayoutFor(null)}
        onDone={() => (setLayoutFor(null), setTick((x) => x + 1))}
      />
      <RegisterResidentModal
        household={registerFor}
        onClose={() => setRegisterFor(null)}
        onDone={() => {
          setRegisterFor(null)
          void qc.invalidateQueries({ queryKey: ['residents'] })
          // The unit's households show resident counts: reload them.
          const unit = selectedKey ? parentOf(nodes, selectedKey) : undefined
          if (unit) void load(unit)
        }}
      />
    </Row>
  )
}
