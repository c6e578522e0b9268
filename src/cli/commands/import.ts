import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import cliProgress from 'cli-progress'
import { hasMessage, renderReason, type MessageParams } from '../../core/i18n/messages.js'
import { importResidents, recoverImports, rejectedRows } from '../../imports/imports.service.js'
import { rejectedRowsWorkbook } from '../../imports/imports.errorfile.js'
import { errorFilePath } from '../../imports/imports.rules.js'
import { act, divisionByCode, type Cli, type RegisterCommands } from '../context.js'

/** Exit code of an import that rejected rows: the rest went in, the rejected ones are in the error file. */
export const EXIT_ROWS_REJECTED = 3

export interface ImportResidentsOptions {
  community: string
  dryRun?: boolean
  createMissing?: boolean
  errors: string
}

/** A row's reason or repair note, as data (`{ code, field, params }`) or as an older plain text. */
type Worded = string | { code?: string; field?: string; params?: MessageParams; reason?: string }

/** A reason in the user's language: its catalogue text when it has a code there, else its own words. */
export function wordReason(cli: Cli, r: Worded): string {
  if (typeof r === 'string') return r
  const text =
    r.code && hasMessage(r.code)
      ? renderReason(cli.lang, { code: r.code, field: r.field, params: r.params })
      : undefined
  return text ?? r.reason ?? r.code ?? ''
}

/** `import residents <file>`: a roster under a community (or any division); exit 3 when rows were rejected. */
export async function importResidentsCommand(
  cli: Cli,
  file: string,
  o: ImportResidentsOptions,
): Promise<number> {
  return cli.withPlatform(async ({ database, ring }) => {
    const d = await divisionByCode(database.db, '--community', o.community)
    const bar = new cliProgress.SingleBar(
      {
        format: cli.t('CLI_IMPORT_PROGRESS'),
        stream: cli.io.stderr,
        noTTYOutput: true,
        notTTYSchedule: 500,
      },
      cliProgress.Presets.shades_classic,
    )
    const size = fs.statSync(file).size
    bar.start(Math.max(1, Math.round(size / 120)), 0, { speed: 0 })
    await recoverImports(database.db, ring, { exclusive: database.kind === 'pglite' }) // jobs a killed run left `running` become `interrupted`
    const report = await importResidents(database.db, ring, cli.actor, file, {
      divisionId: d.id,
      fileName: path.basename(file),
      dryRun: !!o.dryRun,
      createMissing: !!o.createMissing,
      lang: cli.lang,
      onProgress: (p) => bar.update(p.rows, { speed: Math.round(p.rowsPerSecond) }),
    })
    bar.stop()
    const counts = {
      rows: report.rows,
      seconds: report.seconds,
      speed: report.rowsPerSecond,
      created: report.created,
      moved: report.moved,
      updated: report.updated,
      unchanged: report.unchanged,
      rejected: report.rejected,
    }
    cli.out(
      (report.dryRun ? cli.t('CLI_IMPORT_DRY_RUN') : '') +
        cli.t('CLI_IMPORT_SUMMARY', counts) +
        (report.emptyRows ? cli.t('CLI_IMPORT_EMPTY_ROWS', { count: report.emptyRows }) : ''),
    )
    for (const r of report.repaired.slice(0, 20)) {
      cli.out(
        cli.t('CLI_IMPORT_REPAIRED_ROW', {
          row: r.rowNo,
          notes: (r.notes as Worded[])
            .map((n) => wordReason(cli, n))
            .join(cli.t('CLI_LIST_SEPARATOR')),
        }),
      )
    }
    for (const r of report.rejections.slice(0, 20)) {
      // `reason` is every reason of the row, already in cli.lang (the job was started in it).
      cli.out(
        cli.t('CLI_IMPORT_REJECTED_ROW', { row: r.rowNo, column: r.column, reason: r.reason }),
      )
    }
    if (report.rejected === 0) return 0
    // A dry run writes nothing, not even next to the input, unless a file was asked for (imports.rules errorFilePath).
    const out = errorFilePath(file, { dryRun: report.dryRun, errors: o.errors })
    if (!out) return EXIT_ROWS_REJECTED
    await pipeline(
      rejectedRowsWorkbook(
        report.headers,
        await rejectedRows(database.db, ring, report.jobId),
        cli.lang,
      ),
      fs.createWriteStream(out),
    )
    cli.out(cli.t('CLI_IMPORT_ERROR_FILE', { file: out }))
    return EXIT_ROWS_REJECTED
  })
}

export const registerImportCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('import')
    .description(cli.t('CLI_DESC_IMPORT'))
    .command('residents <file>')
    .description(cli.t('CLI_DESC_IMPORT_RESIDENTS'))
    .requiredOption('--community <code>', cli.t('CLI_OPT_COMMUNITY'))
    .option('--dry-run', cli.t('CLI_OPT_DRY_RUN'))
    .option('--create-missing', cli.t('CLI_OPT_CREATE_MISSING'))
    .option('--errors <file>', cli.t('CLI_OPT_ERRORS'), '')
    .action(
      act(exit, (file: string, o: ImportResidentsOptions) => importResidentsCommand(cli, file, o)),
    )
}
