import { messageCodes, messageText } from '../i18n/messages.js'

const PREFIX = 'AUDIT_'

/**
 * The audit actions whose readable name (`AUDIT_<action>` in either language) or code holds
 * every word typed: "导出" finds every export, "登录" every login entry, "export" the same in
 * English. The list feeds `action = any(...)` in the query, so the scope still applies in SQL.
 */
export function auditActionsMatching(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const out: string[] = []
  for (const code of messageCodes()) {
    if (!code.startsWith(PREFIX)) continue
    const t = messageText(code)!
    const action = code.slice(PREFIX.length)
    const haystack = `${action} ${t['zh-CN']} ${t.en}`.toLowerCase()
    if (words.every((w) => haystack.includes(w))) out.push(action)
  }
  return out
}
