// The dependency rule (docs/ARCHITECTURE.md): core imports no domain; a domain reaches another
// domain only through its *.service.ts, except that its *.tables.ts and *.repo.ts may name
// another domain's tables (foreign keys, read-only joins in heavy queries); no import cycles.
import fs from 'node:fs'
import path from 'node:path'

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

const graph = new Map()
const problems = []
const area = (f) => path.relative(src, f).split(path.sep)[0]
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8')
  const deps = []
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(f), m[1]).replace(/\.js$/, '.ts')
    if (!fs.existsSync(target)) continue
    deps.push(target)
    const from = area(f)
    const to = area(target)
    if (from === 'core' && to !== 'core') problems.push(`${path.relative(src, f)} (core) imports ${path.relative(src, target)}`)
    const domains = (a) => !['core', 'cli', 'migrations'].includes(a) && !a.endsWith('.ts')
    const schemaRead = target.endsWith('.tables.ts') && (f.endsWith('.tables.ts') || f.endsWith('.repo.ts'))
    if (domains(from) && domains(to) && from !== to && !target.endsWith('.service.ts') && !schemaRead) {
      problems.push(`${path.relative(src, f)} reaches into ${path.relative(src, target)}; go through its *.service.ts`)
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
    if (state.get(d) === 1) problems.push(`import cycle: ${[...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(src, x)).join(' -> ')}`)
    else if (!state.has(d)) visit(d)
  }
  stack.pop()
  state.set(f, 2)
}
for (const f of files) if (!state.has(f)) visit(f)

if (problems.length) {
  console.error(`dependency rule broken (${problems.length}):\n  ` + [...new Set(problems)].join('\n  '))
  process.exit(1)
}
console.log(`dependency rule: ${files.length} files, no cycles, core imports no domain`)
