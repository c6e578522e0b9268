/** What the sampling screen needs of a tube, a sent scan and the server's answer (structural, so pure and testable anywhere). */
interface TubeLike {
  code: string
  members: number
  capacity: number
  status: string
}

/**
 * The tube on screen once the server has answered a batch. A refused swab is taken back off the
 * device's count (it was counted at the scan); the server's count and status win, except that
 * scans made since this batch left are still counted; a refusal that reports the tube closed
 * shows it closed at once.
 */
export function afterAnswers<T extends TubeLike>(
  cur: T,
  batch: readonly { clientId: string; tube: string }[],
  results: readonly { clientId: string; status: string; tube?: T }[],
): T {
  const tubeOf = new Map(batch.map((s) => [s.clientId, s.tube]))
  const refused = results.filter(
    (r) => r.status === 'rejected' && tubeOf.get(r.clientId) === cur.code,
  ).length
  const members = Math.max(0, cur.members - refused)
  const server = [...results].reverse().find((r) => r.tube?.code === cur.code)?.tube
  if (server)
    return server.status === 'closed'
      ? server
      : { ...server, members: Math.max(members, server.members) }
  if (!refused) return cur
  return { ...cur, members, status: members >= cur.capacity ? 'closed' : 'open' }
}
