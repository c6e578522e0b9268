/**
 * A default round name that no round in the list has yet: the plain name (date and scope), else
 * the numbered one (第2轮, 第3轮, …), so two rounds opened the same day never share a name.
 */
export function uniqueRoundName(
  plain: string,
  numbered: (n: number) => string,
  taken: Iterable<string>,
): string {
  const names = new Set(taken)
  if (!names.has(plain)) return plain
  for (let n = 2; ; n++) {
    const candidate = numbered(n)
    if (!names.has(candidate)) return candidate
  }
}

/** The titles of the chosen places, looked up in the (lazily loaded) tree. */
export function titlesOf(
  nodes: readonly { value: string; title: string; children?: unknown }[],
  ids: readonly string[],
): string[] {
  const found = new Map<string, string>()
  const walk = (list: readonly { value: string; title: string; children?: unknown }[]): void => {
    for (const n of list) {
      found.set(n.value, n.title)
      if (Array.isArray(n.children)) walk(n.children as { value: string; title: string }[])
    }
  }
  walk(nodes)
  return ids.map((id) => found.get(id)).filter((x): x is string => !!x)
}
