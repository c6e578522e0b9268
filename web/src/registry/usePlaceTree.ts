import { useCallback, useEffect, useState } from 'react'
import { fetchAllDivisions, type Division } from '../core/api'
import i18n from '../i18n'
import { registryApi, type Household } from './api'
import { roomName, unitName } from './places'

/** A node of the registry tree: a division, or a building, unit or household below a grid. */
export interface PlaceNode {
  key: string
  title: string
  kind: Division['level'] | 'building' | 'unit' | 'household'
  id: string
  isLeaf: boolean
  children?: PlaceNode[]
  /** A household's 以房管人 occupancy; null when not recorded. */
  occupancy?: Household['occupancy']
  /** A household's 户代表 and, when let, its landlord contact (phone masked). */
  representativeId?: Household['representativeId']
  landlord?: Household['landlord']
  /** A 集体户's kind and name. */
  collective?: Household['collective']
}

function fromDivision(d: Division): PlaceNode {
  return { key: `d:${d.id}`, id: d.id, title: d.name, kind: d.level, isLeaf: false }
}

function attach(nodes: PlaceNode[], key: string, children: PlaceNode[]): PlaceNode[] {
  return nodes.map((n) =>
    n.key === key
      ? { ...n, children, isLeaf: children.length === 0 }
      : n.children
        ? { ...n, children: attach(n.children, key, children) }
        : n,
  )
}

/** The children of one node; divisions follow every page, so a street with 600 communities shows all 600. */
async function childrenOf(node: PlaceNode): Promise<PlaceNode[]> {
  switch (node.kind) {
    case 'grid':
      return (await registryApi.buildings(node.id)).items.map((b) => ({
        key: `b:${b.id}`,
        id: b.id,
        kind: 'building',
        title: `${b.name} · ${b.residents}`,
        isLeaf: false,
      }))
    case 'building':
      return (await registryApi.units(node.id)).items.map((u) => ({
        key: `u:${u.id}`,
        id: u.id,
        kind: 'unit',
        title: `${unitName(u)} · ${u.residents}`,
        isLeaf: false,
      }))
    case 'unit':
      return (await registryApi.households(node.id)).items.map((h) => ({
        key: `h:${h.id}`,
        id: h.id,
        kind: 'household',
        title: `${roomName(h.room)} · ${h.residents}${h.occupancy ? ` · ${i18n.t(`registry.occupancies.${h.occupancy}`)}` : ''}${h.collective ? ` · ${h.collective.name}` : ''}`,
        occupancy: h.occupancy,
        representativeId: h.representativeId,
        landlord: h.landlord,
        collective: h.collective,
        isLeaf: true,
      }))
    case 'household':
      return []
    case 'district':
    case 'street':
    case 'community':
      return (await fetchAllDivisions({ parentId: node.id })).map(fromDivision)
  }
}

/** The caller's part of the tree, from their scope roots down to households, loaded on demand. */
export function usePlaceTree(reloadKey: string): {
  nodes: PlaceNode[]
  load: (node: PlaceNode) => Promise<void>
} {
  const [nodes, setNodes] = useState<PlaceNode[]>([])
  useEffect(() => {
    let live = true
    // A refusal (403) or a dropped network leaves an empty tree, never an uncaught error.
    fetchAllDivisions().then(
      (roots) => live && setNodes(roots.map(fromDivision)),
      () => live && setNodes([]),
    )
    return () => {
      live = false
    }
  }, [reloadKey])
  const load = useCallback(async (node: PlaceNode) => {
    const children = await childrenOf(node).catch(() => [])
    setNodes((prev) => attach(prev, node.key, children))
  }, [])
  return { nodes, load }
}
