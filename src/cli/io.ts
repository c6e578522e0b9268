import readline from 'node:readline'
import { Readable, Writable } from 'node:stream'

/**
 * Where a command reads and writes: the process's streams for the real CLI (`processIo`), or
 * buffers for a test that runs commands in-process (`memoryIo`). Commands never touch
 * `process.stdout`, `process.env` or `console` themselves.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
}

/** A stream that keeps what is written to it. */
class Buffered extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

export interface MemoryIo extends CliIo {
  /** Everything written to standard output so far. */
  out(): string
  /** Everything written to standard error so far. */
  err(): string
}

/** Buffers for standard output and error, `stdin` as standard input, `env` as the environment. */
export function memoryIo(opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): MemoryIo {
  const stdout = new Buffered()
  const stderr = new Buffered()
  return {
    stdout,
    stderr,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    env: opts.env ?? {},
    out: () => stdout.text,
    err: () => stderr.text,
  }
}

/** Reads a password from WEIGUANG_PASSWORD, else from standard input (first line); undefined when neither has one. */
export async function readPassword(io: CliIo, prompt: string): Promise<string | undefined> {
  const fromEnv = io.env.WEIGUANG_PASSWORD
  if (fromEnv) return fromEnv
  if (io.stdin.isTTY) io.stderr.write(prompt)
  const rl = readline.createInterface({ input: io.stdin, terminal: false })
  for await (const line of rl) {
    rl.close()
    return line.trim()
  }
  return undefined
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1
  return w
}

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)))

/**
 * Rows as aligned columns under their headings; `columns` maps each key to the heading shown
 * (in the user's language). `none` is printed when there are no rows.
 */
export function printTable<K extends string>(
  out: (line: string) => void,
  columns: Record<K, string>,
  rows: readonly Record<K, unknown>[],
  none: string,
): void {
  if (rows.length === 0) {
    out(none)
    return
  }
  const keys = Object.keys(columns) as K[]
  const cells = rows.map((r) => keys.map((k) => String(r[k] ?? '')))
  const widths = keys.map((k, i) => Math.max(width(columns[k]), ...cells.map((c) => width(c[i]!))))
  const line = (vals: string[]): string =>
    vals.map((v, i) => (i === vals.length - 1 ? v : pad(v, widths[i]!))).join('  ')
  out(line(keys.map((k) => columns[k])))
  for (const c of cells) out(line(c))
}
