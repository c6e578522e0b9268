import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Db } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { pathInScope } from '../core/scope/scope.js'
import { beginExport, type ExportAudit } from '../core/audit/export-audit.js'
import { renderMessage, type Lang, type MessageCode } from '../core/i18n/messages.js'
import { deploymentZone, localDate } from '../core/clock.js'
import type { Keyring } from '../core/pii/keyring.js'
import { allMissed } from './missed.service.js'
import type { MissedItem } from './missed.schema.js'
import { visibleRound } from './testing.service.js'

/** The missed sheet's columns, in order, with their widths; headers come from the catalogue (MISSED_EXPORT_COL_<key>). */
const COLUMNS = [
  { key: 'grid', width: 12 },
  { key: 'household', width: 24 },
  { key: 'name', width: 12 },
  { key: 'age', width: 8 },
  { key: 'phone', width: 14 },
  { key: 'reason', width: 14 },
  { key: 'action', width: 22 },
  { key: 'found', width: 28 },
  { key: 'note', width: 16 },
] as const

/** The excused sheet: who is accounted for without a swab, why, and who recorded it when. */
const EXCUSED_COLUMNS = [
  { key: 'grid', width: 12 },
  { key: 'household', width: 24 },
  { key: 'name', width: 12 },
  { key: 'age', width: 8 },
  { key: 'phone', width: 14 },
  { key: 'reason', width: 22 },
  { key: 'note', width: 24 },
  { key: 'recordedBy', width: 12 },
  { key: 'recordedAt', width: 18 },
] as const

type ColumnKey = (typeof COLUMNS)[number]['key'] | (typeof EXCUSED_COLUMNS)[number]['key']
const header = (lang: Lang, key: ColumnKey): string =>
  renderMessage(lang, `MISSED_EXPORT_COL_${key}` satisfies MessageCode)

/** The column headers of the export's missed sheet in a language (also what its audit entry lists). */
export function missedExportHeaders(lang: Lang): string[] {
  return COLUMNS.map((c) => header(lang, c.key))
}

/** The file name of a round's export, in the requester's language. */
export function missedExportFileName(lang: Lang, roundName: string): string {
  return `${roundName}-${renderMessage(lang, 'MISSED_EXPORT_SHEET')}.xlsx`
}

/** "2026-12-02 14:30" in the deployment's zone. */
function localMinute(at: Date): string {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: deploymentZone(),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const get = (t: string): string => p.find((x) => x.type === t)?.value ?? ''
  return `${localDate(at)} ${get('hour')}:${get('minute')}`
}

/** The title row of both sheets: the round, when this list was taken and the round's deadline. */
export function missedExportTitle(
  lang: Lang,
  round: { name: string; deadline: Date },
  at: Date,
): string {
  return renderMessage(lang, 'MISSED_EXPORT_TITLE', {
    round: round.name,
    at: localMinute(at),
    deadline: localMinute(round.deadline),
  })
}

function reasonText(lang: Lang, m: MissedItem): string {
  if (m.reason) return renderMessage(lang, `MISSED_REASON_${m.reason}` satisfies MessageCode)
  if (m.presence?.status === 'away') {
    const away = renderMessage(lang, 'MISSED_REASON_away')
    const where = [m.presence.destination, m.presence.returnOn ? `→ ${m.presence.returnOn}` : '']
    return `${away}（${where.filter(Boolean).join(' ')}）`
  }
  return ''
}

function missedRow(m: MissedItem, lang: Lang, gridNames: Map<string, string>): (string | number)[] {
  return [
    gridNames.get(m.gridPath) ?? m.gridPath,
    m.household ?? '',
    m.name,
    m.age ?? '',
    m.phone ?? '',
    reasonText(lang, m),
    m.action && m.action !== 'excuse'
      ? renderMessage(lang, `MISSED_ACTION_${m.action}` satisfies MessageCode)
      : '',
    '',
    m.note ?? '',
  ]
}

function excusedRow(
  m: MissedItem,
  lang: Lang,
  gridNames: Map<string, string>,
): (string | number)[] {
  return [
    gridNames.get(m.gridPath) ?? m.gridPath,
    m.household ?? '',
    m.name,
    m.age ?? '',
    m.phone ?? '',
    reasonText(lang, m),
    m.note ?? '',
    m.recordedBy ?? '',
    m.recordedAt ? localMinute(new Date(m.recordedAt)) : '',
  ]
}

export interface MissedExport {
  stream: Readable
  audit: ExportAudit
  /** Rows written so far (read when the download finishes or stops). */
  rows: () => number
}

/** A sheet whose first row is the title (merged over the columns, and printed on every page), the second the headers. */
function sheetWithTitle(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  title: string,
  columns: readonly { key: ColumnKey; width: number }[],
  lang: Lang,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name)
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width, style: { numFmt: '@' } }))
  ws.headerFooter.oddHeader = `&C${title.replace(/&/g, '&&')}`
  ws.pageSetup.printTitlesRow = '1:2'
  ws.mergeCells(1, 1, 1, columns.length)
  const t = ws.getRow(1)
  t.getCell(1).value = title
  t.getCell(1).font = { bold: true }
  t.commit()
  ws.getRow(2).values = columns.map((c) => header(lang, c.key))
  ws.getRow(2).font = { bold: true }
  ws.getRow(2).commit()
  return ws
}

/**
 * The missed-test list of a round as .xlsx for the paper round at the door, in the requester's
 * language: a title row with the round, the time of the list and the deadline; by grid, in
 * walking order, phones masked, the recorded reason and what it leads to, a blank column to
 * write what was found; a second sheet with those accounted for without a swab (the reason or
 * away, who recorded it and when). The `testing.missed_export` entry (who, round, filters,
 * columns) is committed before the caller sends any header; the route records completion or
 * abort when the download ends (core/audit/export-audit).
 */
export async function exportMissed(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  filter: { grid?: string | undefined; q?: string | undefined },
  gridNames: Map<string, string>,
  lang: Lang = 'zh-CN',
  now = new Date(),
): Promise<MissedExport> {
  requireAccess(actor, 'testing:missed')
  requireAccess(actor, 'data:export')
  const round = await visibleRound(db, actor, roundId)
  const { grid, q } = filter
  const headers = missedExportHeaders(lang)
  const audit = await beginExport(db, actor, {
    action: 'testing.missed_export',
    targetType: 'test_round',
    targetId: roundId,
    // Filed under the caller's own scope: a grid filter naming somewhere else exports nothing and files nothing there.
    scopePath: grid && pathInScope(actor, grid) ? grid : (actor.scopePaths[0] ?? null),
    filter: { roundId, grid: grid ?? null, q: q ?? null },
    columns: headers,
    masked: true,
    detail: { lang },
  })
  const title = missedExportTitle(lang, round, now)
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  let count = 0
  void (async () => {
    const missed = sheetWithTitle(
      wb,
      renderMessage(lang, 'MISSED_EXPORT_SHEET'),
      title,
      COLUMNS,
      lang,
    )
    for await (const m of allMissed(db, ring, actor, roundId, { grid, q, view: 'missed' })) {
      if (out.destroyed) return
      missed.addRow(missedRow(m, lang, gridNames)).commit()
      count++
    }
    missed.commit()
    const excused = sheetWithTitle(
      wb,
      renderMessage(lang, 'MISSED_EXPORT_EXCUSED_SHEET'),
      title,
      EXCUSED_COLUMNS,
      lang,
    )
    for await (const m of allMissed(db, ring, actor, roundId, { grid, q, view: 'excused' })) {
      if (out.destroyed) return
      excused.addRow(excusedRow(m, lang, gridNames)).commit()
      count++
    }
    excused.commit()
    await wb.commit()
  })().catch((err: unknown) => out.destroy(err as Error))
  return { stream: out, audit, rows: () => count }
}
