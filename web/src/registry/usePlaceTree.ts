import { useCallback, useEffect, useState } from 'react'
import { api, type Division, type Page } from '../api'
import type { PlaceNode } from './types'

function fromDivision(d: Division): PlaceNode {
  return { key: `d:${d.id}`, id: d.id, title: d.name, kind: d.level as PlaceNode['kind'], isLeaf: false }
}

function attach(nodes: PlaceNode[], key: string, children: PlaceNode[]): PlaceNode[] {
  return nodes.map((n) => (n.key === key ? { ...n, children, isLeaf: children.length === 0 } : n.children ? { ...n, children: attach(n.children, key, children) } : n))
}

/** The caller's part of the tree, from their scope roots down to households, loaded on demand. */
export function usePlaceTree(reloadKey: string): { nodes: PlaceNode[]; load: (node: PlaceNode) => Promise<void> } {
  const [nodes, setNodes] = useState<PlaceNode[]>([])
  useEffect(() => {
    void api.get<Page<Division>>('/api/divisions?limit=500').then((p) => setNodes(p.items.map(fromDivision)))
  }, [reloadKey])
  const load = useCallback(async (node: PlaceNode) => {
    let children: PlaceNode[] = []
    if (node.kind === 'grid') {
      const r = await api.get<{ items: { id: string; name: string; residents: number }[] }>(`/api/grids/${node.id}/buildings`)
      children = r.items.map((b) => ({ key: `b:${b.id}`, id: b.id, kind: 'building', title: `${b.name} · ${b.residents}`, isLeaf: false }))
    } else if (node.kind === 'building') {
      const r = await api.get<{ items: { id: string; code: string; residents: number }[] }>(`/api/buildings/${node.id}/units`)
      children = r.items.map((u) => ({ key: `u:${u.id}`, id: u.id, kind: 'unit', title: `${u.code}单元 · ${u.residents}`, isLeaf: false }))
    } else if (node.kind === 'unit') {
      const r = await api.get<{ items: { id: string; room: string; residents: number }[] }>(`/api/units/${node.id}/households`)
      children = r.items.map((h) => ({ key: `h:${h.id}`, id: h.id, kind: 'household', title: `${h.room} · ${h.residents}`, isLeaf: true }))
    } else {
      const r = await api.get<Page<Division>>(`/api/divisions?parentId=${node.id}&limit=500`)
      children = r.items.map(fromDivision)
    }
    setNodes((prev) => attach(prev, node.key, children))
  }, [])
  return { nodes, load }
}
