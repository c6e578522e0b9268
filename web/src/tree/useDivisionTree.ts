import { useCallback, useEffect, useState } from 'react'
import { fetchAllDivisions, type Division } from '../core/api'

export interface TreeNode {
  key: string
  value: string
  title: string
  isLeaf: boolean
  level: string
  code: string
  children?: TreeNode[]
}

export function toNode(d: Division): TreeNode {
  return {
    key: d.id,
    value: d.id,
    title: `${d.name}`,
    isLeaf: d.childCount === 0,
    level: d.level,
    code: d.code,
  }
}

function attach(nodes: TreeNode[], parent: string, children: TreeNode[]): TreeNode[] {
  return nodes.map((n) =>
    n.key === parent
      ? { ...n, children, isLeaf: children.length === 0 }
      : n.children
        ? { ...n, children: attach(n.children, parent, children) }
        : n,
  )
}

/** The caller's part of the tree, loaded one level at a time. */
export function useDivisionTree(reloadKey: unknown = 0): {
  nodes: TreeNode[]
  loadChildren: (parentId: string) => Promise<void>
  reload: () => void
} {
  const [nodes, setNodes] = useState<TreeNode[]>([])
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    // A role without tree:read is refused (403): an empty tree, never an uncaught error.
    fetchAllDivisions().then(
      (roots) => live && setNodes(roots.map(toNode)),
      () => live && setNodes([]),
    )
    return () => {
      live = false
    }
  }, [tick, reloadKey])
  const loadChildren = useCallback(async (parentId: string) => {
    const children = await fetchAllDivisions({ parentId }).catch(() => [])
    setNodes((prev) => attach(prev, parentId, children.map(toNode)))
  }, [])
  return { nodes, loadChildren, reload: () => setTick((x) => x + 1) }
}
