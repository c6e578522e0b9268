import fs from 'node:fs'
import path from 'node:path'
import { Command, Option } from 'commander'
import cliProgress from 'cli-progress'
import { loadConfig } from '../core/config.js'
import { openPlatform, type Platform } from '../boot.js'
import { systemActor } from '../core/auth/actor.js'
import { ROLES, type Role } from '../core/auth/roles.js'
import { createUser, listUsers, resetUserPassword } from '../core/auth/users.service.js'
import { findUserByUsername, updateUser } from '../core/auth/auth.repo.js'
import { hashPassword, checkNewPassword } from '../core/auth/passwords.js'
import { recordAudit, verifyAuditChain } from '../core/audit/audit.service.js'
import { appendCheckpoint, checkpointLine, readAuditHead, readCheckpointFile, readHeadArgument, signCheckpoint, takeCheckpoint } from '../core/audit/audit.head.js'
import { findDivisionByCode } from '../core/tree/tree.repo.js'
import { createDivision } from '../core/tree/tree.service.js'
import { LEVELS, type Level } from '../core/tree/tree.schema.js'
import { addKeyToFile, pruneKeyFile, loadKeyring } from '../core/pii/keyring.js'
import { reencryptAll } from '../core/pii/rotate.js'
import { AppError } from '../core/errors.js'
import { openDatabase } from '../core/db/db.js'
import { readPassword, printTable } from './io.js'
import { importResidents, recoverImports, rejectedRows } from '../imports/imports.service.js'
import { createBuildingLayout } from '../registry/registry.service.js'
import { DEMO_PASSWORD, generateDemoCity } from '../demo/demo.service.js'
import { rejectedRowsWorkbook } from '../imports/imports.errorfile.js'
import { pipeline } from 'node:stream/promises'
import { createLabAccount, ingestResults } from '../testing/results.service.js'
import { issueCodesUnder } from '../testing/codes.service.js'
import { LabFileError, readLabResults, type LabResultRow } from '../imports/labresults.service.js'

// `weiguang … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

const cli = new Command('weiguang').description('Weiguang (微光) operator commands').showHelpAfterError()
const actor = systemActor('cli')

async function withPlatform<T>(fn: (p: Platform) => Promise<T>): Promise<T> {
  const p = await openPlatform(loadConfig())
  try {
    const before = await readAuditHead(p.database.db, 0)
    const out = await fn(p)
    // A command that wrote audit entries leaves a signed head behind, as the server does.
    const after = await readAuditHead(p.database.db)
    if (after.lastId !== before.lastId || after.count !== before.count) appendCheckpoint(p.config.auditHeadFile, signCheckpoint(p.auditKey, after))
    return out
  } finally {
    await p.database.close()
  }
}

cli
  .command('migrate')
  .description('apply pending database migrations (also done on every start)')
  .action(() => withPlatform(async (p) => console.log(`migrations applied (${p.database.kind})`)))

const user = cli.command('user').description('manage accounts')
user
  .command('create')
  .description('create an account; the password comes from WEIGUANG_PASSWORD or standard input')
  .requiredOption('--username <name>')
  .addOption(new Option('--role <role>').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--scope <codes>', 'comma-separated division codes the user works in (none = whole deployment, admins only)', '')
  .option('--display-name <name>')
  .option('--phone <mobile>')
  .action((o: { username: string; role: Role; scope: string; displayName?: string; phone?: string }) =>
    withPlatform(async ({ database, ring }) => {
      const codes = o.scope.split(',').map((s) => s.trim()).filter(Boolean)
      const ids: string[] = []
      for (const code of codes) {
        const d = await findDivisionByCode(database.db, code)
        if (!d) throw new AppError(400, 'VALIDATION', `--scope: no division with code ${code}`)
        ids.push(d.id)
      }
      const password = await readPassword('Password: ')
      const { user: u } = await createUser(database.db, ring, actor, {
        username: o.username,
        displayName: o.displayName ?? o.username,
        role: o.role,
        scopeDivisionIds: ids,
        password,
        phone: o.phone,
      })
      console.log(`created ${u.username} (${u.role}) scope: ${u.scope.map((s) => s.code).join(', ') || 'whole deployment'}; must change the password at first login`)
    }),
  )
user
  .command('reset-password')
  .description('set a new password (WEIGUANG_PASSWORD / stdin, or --generate for a one-time one)')
  .requiredOption('--username <name>')
  .option('--generate', 'print a random one-time password instead of reading one')
  .action((o: { username: string; generate?: boolean }) =>
    withPlatform(async ({ database }) => {
      const u = await findUserByUsername(database.db, o.username)
      if (!u) throw new AppError(404, 'NOT_FOUND', `--username: no user ${o.username}`)
      if (o.generate) {
        console.log(`one-time password for ${u.username}: ${await resetUserPassword(database.db, actor, u.id)}`)
        return
      }
      const password = await readPassword('New password: ')
      checkNewPassword(password, u.username, 'password')
      await updateUser(database.db, u.id, { passwordHash: await hashPassword(password), mustChangePassword: true, passwordChangedAt: new Date(), disabled: false })
      await recordAudit(database.db, { actorId: null, actorName: 'cli', action: 'user.reset_password', targetType: 'user', targetId: u.id })
      console.log(`password of ${u.username} reset; it must be changed at next login`)
    }),
  )
user
  .command('list')
  .description('list accounts')
  .action(() =>
    withPlatform(async ({ database, ring }) => {
      const all = []
      let after: string | undefined
      for (;;) {
        const page = await listUsers(database.db, ring, actor, { limit: 200, after })
        all.push(...page.items)
        if (!page.next) break
        after = page.next
      }
      printTable(all.map((u) => ({ username: u.username, name: u.displayName, role: u.role, scope: u.scope.map((s) => s.code).join(',') || '(all)', disabled: u.disabled ? 'yes' : '', phone: u.phone ?? '' })))
    }),
  )

cli
  .command('tree')
  .description('administrative tree')
  .command('add')
  .description('add a district, street, community or grid')
  .requiredOption('--code <code>')
  .requiredOption('--name <name>')
  .addOption(new Option('--level <level>').choices(LEVELS as unknown as string[]).makeOptionMandatory())
  .option('--parent <code>')
  .action((o: { code: string; name: string; level: Level; parent?: string }) =>
    withPlatform(async ({ database }) => {
      const parent = o.parent ? await findDivisionByCode(database.db, o.parent) : undefined
      if (o.parent && !parent) throw new AppError(400, 'VALIDATION', `--parent: no division with code ${o.parent}`)
      const d = await database.db.transaction((tx) => createDivision(tx, actor, { code: o.code, name: o.name, level: o.level, parentId: parent?.id ?? null }))
      console.log(`added ${d.level} ${d.code} ${d.name} (${d.path})`)
    }),
  )

const range = (v: string): [number, number] => {
  const m = v.match(/^(\d+)(?:-(\d+))?$/)
  if (!m) throw new AppError(400, 'VALIDATION', `range: "${v}" is not N or N-M`)
  return [Number(m[1]), Number(m[2] ?? m[1])]
}

cli
  .command('building')
  .description('buildings, units and households')
  .command('add')
  .description('create a building with units, floors and rooms per floor (idempotent)')
  .requiredOption('--grid <code>', 'grid code')
  .requiredOption('--building <no>', 'building number, e.g. 12')
  .option('--units <range>', 'e.g. 1-3', '1')
  .requiredOption('--floors <range>', 'e.g. 1-18')
  .requiredOption('--rooms <range>', 'rooms per floor, e.g. 1-4 (room 1201 = floor 12, room 01)')
  .action((o: { grid: string; building: string; units: string; floors: string; rooms: string }) =>
    withPlatform(async ({ database }) => {
      const g = await findDivisionByCode(database.db, o.grid)
      if (!g) throw new AppError(400, 'VALIDATION', `--grid: no division with code ${o.grid}`)
      const r = await database.db.transaction((tx) =>
        createBuildingLayout(tx, actor, { gridId: g.id, building: o.building, units: range(o.units), floors: range(o.floors), roomsPerFloor: range(o.rooms) }),
      )
      console.log(`building ${o.building}: ${r.households} households, ${r.created} new`)
    }),
  )

cli
  .command('import')
  .description('imports')
  .command('residents <file>')
  .description('import a resident roster (.xlsx or .csv, UTF-8 or GBK) under a community (or any division)')
  .requiredOption('--community <code>', 'division code the roster belongs to')
  .option('--dry-run', 'report what would be created, updated, moved and rejected; write nothing')
  .option('--create-missing', 'create units and rooms that are not in the registry yet (buildings must exist)')
  .option('--errors <file>', 'where to write the rejected rows (.xlsx)', '')
  .action((file: string, o: { community: string; dryRun?: boolean; createMissing?: boolean; errors: string }) =>
    withPlatform(async ({ database, ring }) => {
      const d = await findDivisionByCode(database.db, o.community)
      if (!d) throw new AppError(400, 'VALIDATION', `--community: no division with code ${o.community}`)
      const bar = new cliProgress.SingleBar({ format: 'importing |{bar}| {value} rows  {speed} rows/s', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 500 }, cliProgress.Presets.shades_classic)
      const size = fs.statSync(file).size
      bar.start(Math.max(1, Math.round(size / 120)), 0, { speed: 0 })
      await recoverImports(database.db, ring, { exclusive: database.kind === 'pglite' }) // jobs a killed run left `running` become `interrupted`
      const report = await importResidents(database.db, ring, actor, file, {
        divisionId: d.id,
        fileName: path.basename(file),
        dryRun: !!o.dryRun,
        createMissing: !!o.createMissing,
        onProgress: (p) => bar.update(p.rows, { speed: Math.round(p.rowsPerSecond) }),
      })
      bar.stop()
      console.log(
        `${report.dryRun ? 'DRY RUN: nothing written. ' : ''}${report.rows} rows in ${report.seconds} s (${report.rowsPerSecond} rows/s): ` +
          `${report.created} created, ${report.moved} moved, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected` +
          (report.emptyRows ? `, ${report.emptyRows} empty rows skipped` : ''),
      )
      for (const r of report.repaired.slice(0, 20)) console.log(`  repaired row ${r.rowNo}: ${r.notes.join('; ')}`)
      for (const r of report.rejections.slice(0, 20)) console.log(`  rejected row ${r.rowNo} [${r.column}]: ${r.reason}`)
      if (report.rejected > 0) {
        const out = o.errors || file.replace(/\.(csv|xlsx|txt)$/i, '') + '.rejected.xlsx'
        await pipeline(rejectedRowsWorkbook(report.headers, await rejectedRows(database.db, ring, report.jobId)), fs.createWriteStream(out))
        console.log(`rejected rows with their reasons: ${out} (fix them there and import that file)`)
        process.exitCode = 3
      }
    }),
  )

cli
  .command('demo')
  .description('fill an empty database with a synthetic street of Nanjing (新街口街道, 玄武区) and one demo account per role')
  .option('--residents <n>', 'how many residents (2,000 to 5,000,000)', '20000')
  .option('--seed <n>', 'the same seed gives the same city', '1')
  .action((o: { residents: string; seed: string }) =>
    withPlatform(async ({ database, ring }) => {
      const residents = Number(o.residents)
      if (!Number.isInteger(residents) || residents < 100 || residents > 5_000_000) throw new AppError(400, 'VALIDATION', '--residents: a whole number from 100 to 5,000,000')
      const t0 = performance.now()
      const s = await generateDemoCity(database, ring, {
        residents,
        seed: Number(o.seed),
        onProgress: (stage, done) => process.stderr.write(`  ${stage}: ${done}\n`),
      })
      const secs = (performance.now() - t0) / 1000
      console.log(`demo city ready in ${secs.toFixed(1)} s: ${s.communities} communities, ${s.grids} grids, ${s.buildings} buildings, ${s.households} households, ${s.residents} residents`)
      console.log(`demo accounts (password ${DEMO_PASSWORD}, no forced change):`)
      printTable(s.accounts)
    }),
  )

cli
  .command('codes')
  .description("residents' sampling codes")
  .command('issue')
  .description('issue a sampling code to every active resident under a division who has none')
  .requiredOption('--division <code>', 'division code (street, community or grid)')
  .action((o: { division: string }) =>
    withPlatform(async ({ database }) => {
      const d = await findDivisionByCode(database.db, o.division)
      if (!d) throw new AppError(400, 'VALIDATION', `--division: no division with code ${o.division}`)
      const n = await database.db.transaction((tx) => issueCodesUnder(tx, actor, d.id))
      console.log(`${n} codes issued under ${d.name} (${d.code})`)
    }),
  )

const lab = cli.command('lab').description('testing labs')
lab
  .command('create <name>')
  .description('create a lab API account; its bearer token is printed once')
  .action((name: string) =>
    withPlatform(async ({ database }) => {
      const created = await database.db.transaction((tx) => createLabAccount(tx, actor, name))
      console.log(`lab ${created.name}: token (shown once) ${created.token}`)
      console.log(`  curl -H 'Authorization: Bearer ${created.token}' -H 'content-type: application/json' -d '{"results":[{"tubeCode":"T-0001","result":"negative"}]}' http://127.0.0.1:3000/api/lab/results`)
    }),
  )

cli
  .command('results')
  .description('lab results')
  .command('import <file>')
  .description("import a lab's result file (.csv or .xlsx with 管码/tube and 结果/result columns)")
  .requiredOption('--lab <name>', 'the lab the file came from')
  .action((file: string, o: { lab: string }) =>
    withPlatform(async ({ database }) => {
      const rows: LabResultRow[] = []
      try {
        for await (const r of readLabResults(file, path.basename(file))) rows.push(r)
      } catch (err) {
        if (err instanceof LabFileError) throw new AppError(400, 'VALIDATION', err.message)
        throw err
      }
      const r = await database.db.transaction((tx) => ingestResults(tx, o.lab, rows))
      console.log(`${r.rows} rows: ${r.applied} applied, ${r.duplicates} duplicates, ${r.conflicts} conflicts, ${r.rejected} rejected; ${r.cleared} people cleared, ${r.poolPositiveTubes} positive pools, ${r.rechecksOrdered} rechecks ordered, ${r.confirmed} confirmed positive`)
      for (const p of r.problems.slice(0, 30)) console.log(`  row ${p.rowNo} ${p.tubeCode}: ${p.outcome}${p.reason ? ` (${p.reason})` : ''}`)
      if (r.rejected || r.conflicts) process.exitCode = 3
    }),
  )

const audit = cli.command('audit').description('audit log')
audit
  .command('verify')
  .description('check the keyed hash chain against the signed heads; exits 1 when entries were changed, removed or re-chained')
  .option('--head <file-or-json>', 'also check a signed head kept off the machine: a copy of the head file, or the line `audit head` printed (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .action((o: { head: string[] }) =>
    withPlatform(async ({ database, config, auditKey }) => {
      const fromFile = readCheckpointFile(config.auditHeadFile)
      const given = o.head.map((h) => ({ arg: h, parsed: readHeadArgument(h) }))
      for (const g of given) {
        if (g.parsed.checkpoints.length === 0) throw new AppError(400, 'VALIDATION', `--head: ${g.arg.slice(0, 80)} is neither a checkpoint nor a file of them`)
      }
      const checkpoints = [...fromFile.checkpoints, ...given.flatMap((g) => g.parsed.checkpoints)]
      const r = await verifyAuditChain(database.db, { key: auditKey, checkpoints })
      console.log(`audit key ${auditKey.id}; head file ${config.auditHeadFile}: ${fromFile.checkpoints.length} checkpoints${fromFile.unreadable.length ? `, unreadable lines ${fromFile.unreadable.join(',')}` : ''}; --head: ${given.reduce((n, g) => n + g.parsed.checkpoints.length, 0)}`)
      const latest = r.checkpoints.latest
      if (r.problems.length === 0) {
        console.log(`audit log intact: ${r.checked} entries checked, head ${r.head.lastId}; ${r.checkpoints.valid} signed heads match (latest: entry ${latest?.lastId} at ${latest?.at})`)
        return
      }
      const unanchored = r.problems.every((p) => p.problem === 'no_checkpoint')
      console.log(`${unanchored ? 'AUDIT LOG NOT ANCHORED' : 'AUDIT LOG TAMPERED'}: ${r.problems.length} problem(s) in ${r.checked} entries`)
      for (const p of r.problems.slice(0, 200)) console.log(`  entry ${p.id}: ${p.problem}: ${p.detail}`)
      if (r.problems.length > 200) console.log(`  … and ${r.problems.length - 200} more`)
      process.exitCode = 1
    }),
  )
audit
  .command('head')
  .description('sign the current head, append it to the head file and print it; keep the printed line off this machine')
  .action(() =>
    withPlatform(async ({ database, config, auditKey }) => {
      const c = await takeCheckpoint(database.db, auditKey)
      appendCheckpoint(config.auditHeadFile, c)
      console.error(`head: entry ${c.lastId}, ${c.count} entries, signed by audit key ${c.key}; appended to ${config.auditHeadFile}`)
      console.error('Keep the line below elsewhere; check later with: weiguang audit verify --head \'<line>\'')
      console.log(checkpointLine(c))
    }),
  )

cli
  .command('keys')
  .description('keys for personal data at rest')
  .command('rotate')
  .description('add a new key and re-encrypt every ID number and phone with it (resumable)')
  .option('--continue', 'do not add a key; finish re-encrypting under the current one')
  .option('--prune', 'after re-encrypting, drop the old keys from the key file')
  .option('--batch <n>', 'rows per transaction', '1000')
  .action((o: { continue?: boolean; prune?: boolean; batch: string }) =>
    withPlatform(async ({ database, config }) => {
      let ring = loadKeyring(config)
      if (!o.continue) {
        if (ring.source === 'env') {
          console.log('Keys come from WEIGUANG_SECRET_KEY: put the new key there and the old in WEIGUANG_OLD_SECRET_KEYS, then run with --continue.')
          process.exitCode = 2
          return
        }
        ring = addKeyToFile(config.dataDir)
        console.log(`new key ${ring.current.id} added to ${ring.source}`)
      }
      const bar = new cliProgress.SingleBar({ format: '{table} {value} rows re-encrypted' }, cliProgress.Presets.shades_classic)
      bar.start(0, 0, { table: '' })
      const n = await reencryptAll(database.db, ring, { batchSize: Number(o.batch), onProgress: (p) => bar.update(p.rowsDone, { table: p.table }) })
      bar.stop()
      console.log(`${n} rows re-encrypted under ${ring.current.id}`)
      await recordAudit(database.db, { actorId: null, actorName: 'cli', action: 'keys.rotate', detail: { key: ring.current.id, rows: n } })
      if (o.prune && ring.source !== 'env') {
        pruneKeyFile(config.dataDir)
        console.log('old keys removed from the key file')
      }
      console.log('Restart the server so it encrypts with the new key.')
    }),
  )

cli
  .command('backup <file>')
  .description('write the embedded database to a .tar.gz (stop the server first); the key file is NOT included')
  .action(async (file: string) => {
    const config = loadConfig()
    if (config.databaseUrl) throw new AppError(400, 'BAD_REQUEST', 'DATABASE_URL is set: back up PostgreSQL with pg_dump')
    const database = await openDatabase({ dataDir: config.dataDir })
    try {
      const dump = await database.pglite!.dumpDataDir('gzip')
      fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
      console.log(`backup written to ${path.resolve(file)} (${fs.statSync(file).size} bytes)`)
      console.log(`Keep the key file ${path.join(config.dataDir, 'secret-keys.json')} (or WEIGUANG_SECRET_KEY) safe separately: without it the ID numbers and phones cannot be read.`)
      console.log(`Keep ${path.join(config.dataDir, 'audit-key.json')} (or WEIGUANG_AUDIT_KEY) too: without it the audit log cannot be verified.`)
    } finally {
      await database.close()
    }
  })

cli
  .command('restore <file>')
  .description('replace the embedded database with a backup (stop the server first)')
  .option('--force', 'replace an existing database (it is kept as pgdata.before-restore-<time>)')
  .action(async (file: string, o: { force?: boolean }) => {
    const config = loadConfig()
    if (config.databaseUrl) throw new AppError(400, 'BAD_REQUEST', 'DATABASE_URL is set: restore PostgreSQL with pg_restore/psql')
    if (!fs.existsSync(file)) throw new AppError(400, 'VALIDATION', `file: ${file} does not exist`)
    const pgdata = path.join(config.dataDir, 'pgdata')
    if (fs.existsSync(pgdata)) {
      if (!o.force) throw new AppError(409, 'CONFLICT', `${pgdata} exists; pass --force to replace it`)
      const aside = `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
      fs.renameSync(pgdata, aside)
      console.log(`existing database moved to ${aside}`)
    }
    const database = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([fs.readFileSync(file)]) })
    await database.close()
    const p = await openPlatform(config)
    const r = await verifyAuditChain(p.database.db, { checkpoints: readCheckpointFile(config.auditHeadFile).checkpoints })
    await p.database.close()
    console.log(`restored from ${file}; audit log ${r.problems.length ? 'HAS PROBLEMS' : 'intact'} (${r.checked} entries)`)
  })

cli.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof AppError ? `error: ${err.message}` : `error: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
