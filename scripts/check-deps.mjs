// The dependency rule (docs/ARCHITECTURE.md): core imports no domain; a domain reaches another
// domain only through its *.service.ts, except that its *.tables.ts and *.repo.ts may name
// another domain's tables (foreign keys, the read-only joins listed below); no import cycles.
// And SQL lives in repositories: a *.service.ts neither imports drizzle-orm, nor runs raw SQL
// with rows(), nor builds queries on a table (a value import of a *.tables.ts).
// Every violation is reported with file:line, all of them at once.
import fs from 'node:fs'
import path from 'node:path'

/**
 * Raw SQL of one domain's repository may read these tables of another domain (never write
 * them). Tables of core (division, app_user, ...) are the shared tree and accounts: any
 * domain may read them. Each entry says why the join cannot go through the other service.
 */
const ALLOWED_JOINS = [
  {
    domain: 'arrivals',
    table: 'zone_area',
    why: 'an itinerary is matched against the local risk areas active over its window, read with their parts in one query per batch',
  },
  {
    domain: 'arrivals',
    table: 'zone_extent',
    why: "the parts of those local areas (kind, label, grid path) whose division names an itinerary's place is compared with",
  },
  {
    domain: 'checkpoints',
    table: 'household',
    why: "an arrival's destination household: its grid path (where the measure lands, whose list it is on) and label",
  },
  {
    domain: 'checkpoints',
    table: 'resident',
    why: "whether an arrival's document names a registered resident (by blind index), whose home the measure lands on",
  },
  {
    domain: 'checkpoints',
    table: 'resident_code',
    why: 'the gate reads who a scanned resident code names in the query that finds them behind the gate (as the sampling desk does)',
  },
  {
    domain: 'checkpoints',
    table: 'specimen',
    why: "a gate rule asks for a negative swab within the profile's hours: the person's last negative swab time",
  },
  {
    domain: 'checkpoints',
    table: 'tube',
    why: "that swab's tube result (negative), read with the specimen in one query",
  },
  {
    domain: 'checkpoints',
    table: 'zone_area',
    why: 'whether a gate lies in a lockdown: the levels of the active risk areas over or inside its community',
  },
  {
    domain: 'checkpoints',
    table: 'zone_extent',
    why: 'the parts of those areas, whose grid paths say which community they touch',
  },
  {
    domain: 'zones',
    table: 'household',
    why: "a risk area's parts (households, floors, units, buildings) are looked up with their grid path and label when drawn, and the people inside are counted through their households",
  },
  {
    domain: 'zones',
    table: 'unit',
    why: "a unit drawn into a risk area: its building's grid path and its label",
  },
  {
    domain: 'zones',
    table: 'building',
    why: 'a building (or a floor of it) drawn into a risk area: its grid path and name',
  },
  {
    domain: 'zones',
    table: 'test_round',
    why: "发起本区域核酸 pressed again the same day finds the area's round still open over the same places (read only; testing opens rounds)",
  },
  {
    domain: 'zones',
    table: 'resident',
    why: "how many people live inside a risk area, counted in one query over its parts, and the inside lists (name, masked phone, room) in walking order under the reader's scope",
  },
  {
    domain: 'zones',
    table: 'measure',
    why: "an area's inside list shows each person's active measures (category, planned end) and filters by 'under a measure', read in the keyset query that lists them",
  },
  {
    domain: 'zones',
    table: 'resident_tag',
    why: "the inside list shows each person's tags and the 重点人群 list is the people inside with a vulnerable tag, read in the query that lists them",
  },
  {
    domain: 'zones',
    table: 'resident_care',
    why: "the 重点人群 list shows each vulnerable person's helper, hospital and needs and counts those without a helper, in the query that lists them",
  },
  {
    domain: 'measures',
    table: 'unit',
    why: "a door sensor's alert names the household's unit (单元) beside building and room",
  },
  {
    domain: 'testing',
    table: 'resident',
    why: 'who a round covers: scans, missed lists, result members and codes read residents by ID index or grid path in the query that reads the testing rows',
  },
  {
    domain: 'testing',
    table: 'building',
    why: 'the buildings and units a round may be narrowed to, listed under its divisions for the round form, and the round scope read beside residents',
  },
  {
    domain: 'testing',
    table: 'unit',
    why: 'the units of those buildings, listed for the round form in walking order',
  },
  {
    domain: 'testing',
    table: 'household',
    why: 'household labels beside people in scan answers, missed lists and household code cards, read in the query that lists them',
  },
  {
    domain: 'testing',
    table: 'resident_presence',
    why: 'the missed-test list and round progress count a resident marked away over the round as accounted for, in the keyset query that lists them',
  },
  {
    domain: 'testing',
    table: 'resident_tag',
    why: "the sampling desk shows a scanned person's tags (bedridden, key groups), read with the scan lookup in one query",
  },
  {
    domain: 'measures',
    table: 'resident',
    why: "a measure names its person (name, masked ID, grid) and a resident account is matched to its household by phone index, in the query that reads the measure; temporary control of a pooled positive's members is inserted set-wise from their household and grid (25,000 people in one statement)",
  },
  {
    domain: 'measures',
    table: 'household',
    why: 'boards list people under measures in walking order (household sort key and label), notices print the address',
  },
  {
    domain: 'measures',
    table: 'building',
    why: 'boards group people under measures by building, read in the query that lists them',
  },
  {
    domain: 'measures',
    table: 'specimen',
    why: "a measure's test days are done or missed by the person's swabs, and the boards answer 'owes a test today' in one set-based query",
  },
  {
    domain: 'measures',
    table: 'tube',
    why: "release checks read the results (and single or pooled) of the person's swabs since the anchor",
  },
  {
    domain: 'measures',
    table: 'recheck_order',
    why: "the home page's recheck clocks: the earliest unswabbed recheck deadline of each person under temporary control, counted in one query under the reader's scope",
  },
]

const src = path.resolve(import.meta.dirname, '../src')
const files = []
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name)
    if (e.isDirectory()) walk(p)
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p)
  }
}
walk(src)

const rel = (f) => path.relative(src, f)
const area = (f) => rel(f).split(path.sep)[0]
/** The owner of a file's tables: a domain folder, or `core/<module>`. */
const owner = (f) => {
  const parts = rel(f).split(path.sep)
  return parts[0] === 'core' ? `core/${parts[1]}` : parts[0]
}
const isDomain = (a) => !['core', 'cli', 'migrations'].includes(a) && !a.endsWith('.ts')
const lineOf = (text, index) => text.slice(0, index).split('\n').length
const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]))

/** table name → owner, from every pgTable('name', …) of the *.tables.ts files. */
const tableOwner = new Map()
for (const f of files.filter((x) => x.endsWith('.tables.ts'))) {
  for (const m of texts.get(f).matchAll(/pgTable\(\s*['"](\w+)['"]/g))
    tableOwner.set(m[1], owner(f))
}
const allowed = (domain, table) =>
  ALLOWED_JOINS.some((j) => j.domain === domain && j.table === table)

const graph = new Map()
const problems = []
const report = (f, index, message) =>
  problems.push(`${rel(f)}:${lineOf(texts.get(f), index)}: ${message}`)

for (const f of files) {
  const text = texts.get(f)
  const deps = []
  const from = area(f)
  const isService = f.endsWith('.service.ts')
  for (const m of text.matchAll(
    /(?:^|\n)\s*(import|export)(\s+type)?([^'"]*?)from\s+['"]([^'"]+)['"]/g,
  )) {
    const at = m.index + m[0].indexOf(m[1])
    const spec = m[4]
    const typeOnly =
      !!m[2] ||
      (/^\s*\{[^}]*\}\s*$/.test(m[3]) &&
        m[3]
          .replace(/[{}\s]/g, '')
          .split(',')
          .filter(Boolean)
          .every((n) => n.startsWith('type ')))
    if (isService && (spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/')) && !typeOnly)
      report(f, at, `a service imports ${spec}; move its queries into a *.repo.ts`)
    if (!spec.startsWith('.')) continue
    const target = path.resolve(path.dirname(f), spec).replace(/\.js$/, '.ts')
    if (!fs.existsSync(target)) continue
    if (!typeOnly) deps.push(target)
    const to = area(target)
    if (from === 'core' && to !== 'core') report(f, at, `core imports ${rel(target)}`)
    const schemaRead =
      target.endsWith('.tables.ts') && (f.endsWith('.tables.ts') || f.endsWith('.repo.ts'))
    if (
      isDomain(from) &&
      isDomain(to) &&
      from !== to &&
      !target.endsWith('.service.ts') &&
      !schemaRead
    ) {
      report(f, at, `reaches into ${rel(target)}; go through its *.service.ts`)
    }
    if (isService && target.endsWith('.tables.ts') && !typeOnly)
      report(
        f,
        at,
        `a service imports the tables of ${rel(target)} to query them; move the queries into a *.repo.ts`,
      )
    if (
      f.endsWith('.repo.ts') &&
      target.endsWith('.tables.ts') &&
      isDomain(to) &&
      owner(target) !== owner(f) &&
      !typeOnly
    ) {
      const names = (m[3].match(/\{([^}]*)\}/)?.[1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const tablesOf = [
        ...texts.get(target).matchAll(/export const (\w+) = pgTable\(\s*['"](\w+)['"]/g),
      ]
        .filter((t) => names.includes(t[1]))
        .map((t) => t[2])
      for (const table of tablesOf)
        if (!allowed(owner(f), table))
          report(
            f,
            at,
            `names ${table} of ${owner(target)}, which is not an allowed read-only join`,
          )
    }
  }
  if (isService) {
    for (const m of text.matchAll(/(?<![\w.])rows\(/g))
      report(f, m.index, 'a service runs raw SQL (rows(…)); move it into a *.repo.ts')
  }
  if (!f.endsWith('.tables.ts')) {
    const mine = owner(f)
    // Raw SQL: sql`…` templates, and the table a COPY writes.
    for (const m of text.matchAll(/sql(?:\.raw\(\s*)?`((?:[^`\\]|\\.)*)`/gs)) {
      const body = m[1].replace(/\$\{[^}]*\}/g, (s) => ' '.repeat(s.length))
      for (const k of body.matchAll(
        /\b(from|join|into|update|delete\s+from|truncate)\s+(?:only\s+)?"?([a-z_]+)"?/gi,
      )) {
        const table = k[2]
        const o = tableOwner.get(table)
        if (!o || o === mine) continue
        const at = m.index + m[0].indexOf(m[1]) + k.index
        const write = !/^(from|join)$/i.test(k[1])
        if (mine.startsWith('core') && !o.startsWith('core'))
          report(f, at, `core names the table ${table} of ${o}`)
        else if (write) report(f, at, `writes ${table}, a table of ${o}; call its service`)
        else if (!o.startsWith('core') && !allowed(mine, table))
          report(
            f,
            at,
            `raw SQL names ${table} of ${o}, which is not an allowed read-only join (scripts/check-deps.mjs ALLOWED_JOINS)`,
          )
      }
    }
    for (const m of text.matchAll(/copyRows\w*\(\s*\w+\s*,\s*['"](\w+)['"]/g)) {
      const o = tableOwner.get(m[1])
      if (o && o !== mine && !o.startsWith('core'))
        report(f, m.index, `copies rows into ${m[1]}, a table of ${o}; call its service`)
    }
  }
  graph.set(f, deps)
}

const state = new Map()
const stack = []
const visit = (f) => {
  state.set(f, 1)
  stack.push(f)
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 1)
      problems.push(
        `import cycle: ${[...stack.slice(stack.indexOf(d)), d].map((x) => rel(x)).join(' -> ')}`,
      )
    else if (!state.has(d)) visit(d)
  }
  stack.pop()
  state.set(f, 2)
}
for (const f of files) if (!state.has(f)) visit(f)

if (problems.length) {
  const unique = [...new Set(problems)]
  console.error(`dependency rule broken (${unique.length}):\n  ` + unique.join('\n  '))
  process.exit(1)
}
console.log(
  `dependency rule: ${files.length} files, no cycles, core imports no domain, SQL only in repositories`,
)
