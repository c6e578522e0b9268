import readline from 'node:readline'

/** Reads a password from WEIGUANG_PASSWORD, else from standard input (first line). */
export async function readPassword(prompt: string): Promise<string> {
  const fromEnv = process.env.WEIGUANG_PASSWORD
  if (fromEnv) return fromEnv
  if (process.stdin.isTTY) process.stderr.write(prompt)
  const rl = readline.createInterface({ input: process.stdin, terminal: false })
  for await (const line of rl) {
    rl.close()
    return line.trim()
  }
  throw new Error('no password given: set WEIGUANG_PASSWORD or pipe it on standard input')
}

export function printTable(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) {
    console.log('(none)')
    return
  }
  const cols = Object.keys(rows[0]!)
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)))
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(width[i]!)).join('  ')
  console.log(line(cols))
  for (const r of rows) console.log(line(cols.map((c) => String(r[c] ?? ''))))
}
