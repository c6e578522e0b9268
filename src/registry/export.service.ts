import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import type { Keyring } from '../core/pii/keyring.js'
import { listResidents, type Reveal } from './registry.service.js'
import type { ResidentListQuery } from './registry.schema.js'

const HEADERS = ['姓名', '住址', '与户主关系', '性别', '年龄', '出生日期', '证件号码', '联系电话', '人员类型', '标签', '工作单位', '备注']
const REL: Record<string, string> = { head: '户主', spouse: '配偶', child: '子女', parent: '父母', grandchild: '孙辈', grandparent: '祖辈', sibling: '兄弟姐妹', tenant: '租客', other: '其他' }
const RES: Record<string, string> = { registered: '户籍', permanent: '常住', floating: '流动', tenant: '租户' }

/**
 * Any filtered resident list as .xlsx, masked by default. Unmasked needs pii:reveal and a
 * reason; either way the export is an audit entry with the filter and the row count.
 */
export async function exportResidents(
  db: Db,
  ring: Keyring,
  actor: Actor,
  filter: Omit<ResidentListQuery, 'after' | 'limit'>,
  opts: { reveal: Reveal[]; reason: string | undefined },
): Promise<{ stream: Readable; rows: Promise<number> }> {
  authorize(actor, 'registry:read')
  authorize(actor, 'data:export')
  if (opts.reveal.length) {
    authorize(actor, 'pii:reveal')
    if (!opts.reason || opts.reason.trim().length < 5) throw invalid('reason', 'an unmasked export needs a reason of at least 5 characters')
  }
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('居民名单')
  ws.columns = HEADERS.map((h) => ({ header: h, width: h === '住址' || h === '证件号码' ? 22 : 12, style: { numFmt: '@' } }))
  const rows = (async () => {
    let count = 0
    let after: string | undefined
    for (;;) {
      const page = await listResidents(db, ring, actor, { ...filter, after, limit: 200 }, new Date(), opts.reveal)
      for (const r of page.items) {
        ws.addRow([r.name, r.householdLabel ?? '', r.relation ? REL[r.relation] ?? r.relation : '', r.sex === 'male' ? '男' : r.sex === 'female' ? '女' : '', r.age ?? '', r.birthDate ?? '', r.idNumber ?? '', r.phone ?? '', RES[r.residenceType] ?? r.residenceType, r.tags.join('、'), r.employer ?? '', r.notes ?? '']).commit()
      }
      count += page.items.length
      if (!page.next) break
      after = page.next
    }
    ws.commit()
    await wb.commit()
    await db.transaction((tx) =>
      appendAudit(tx, {
        actorId: actor.userId,
        actorName: actor.username,
        action: opts.reveal.length ? 'registry.export_unmasked' : 'registry.export',
        targetType: 'residents',
        targetId: null,
        scopePath: actor.scopePaths[0] ?? null,
        ip: actor.ip,
        reason: opts.reason ?? null,
        detail: { filter, rows: count, revealed: opts.reveal },
      }),
    )
    return count
  })()
  return { stream: out, rows }
}
