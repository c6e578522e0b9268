import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import '@fastify/multipart'
import { AppError, badRequest, invalid } from '../errors.js'

/**
 * Uploaded files (rosters with full ID numbers and phones, lab result files) live only under
 * `<dataDir>/uploads`, in a directory per upload named `<pid>-<random>`, mode 0700, under a name
 * the server chooses (the client's name never becomes a path), and are removed when their
 * request or job ends, on every path. What a killed process left there is swept at the next start.
 */
export function uploadRoot(dataDir: string): string {
  return path.join(dataDir, 'uploads')
}

export function newUploadDir(root: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 })
  return fs.mkdtempSync(path.join(root, `${process.pid}-`))
}

export function removeUploadDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes everything in the upload directory except uploads in progress in another live
 * process (several test apps, or a CLI beside the server, may share a data directory). This
 * process's own pid counts as dead: at start, an entry with it is a leftover of an earlier
 * process that had the same pid (pid 1 in a container). Returns how many entries went.
 */
export function sweepUploads(root: string): number {
  let entries: string[]
  try {
    entries = fs.readdirSync(root)
  } catch {
    return 0
  }
  let removed = 0
  for (const e of entries) {
    const pid = Number(/^(\d+)-/.exec(e)?.[1])
    if (pid && pid !== process.pid && alive(pid)) continue
    fs.rmSync(path.join(root, e), { recursive: true, force: true })
    removed++
  }
  return removed
}

/** The name the user gave, for display and the file's format only: it never becomes a path on disk. */
export function checkedFileName(name: string | undefined): string {
  const n = (name ?? '').trim()
  if (!n) throw invalid('file', 'UPLOAD_NO_NAME')
  // eslint-disable-next-line no-control-regex
  if (n.length > 200 || /[\u0000-\u001f\u007f/\\]/.test(n) || n === '.' || n === '..')
    throw invalid('file', 'UPLOAD_BAD_NAME')
  return n
}

/** Multipart limits as the uploader's 4xx with the field named, not a bare 413/500. */
export function multipartError(err: unknown): unknown {
  if (err instanceof AppError) return err
  const code = (err as { code?: string }).code
  if (code === 'FST_FILES_LIMIT') return invalid('file', 'UPLOAD_ONE_FILE')
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError(413, 'BODY_TOO_LARGE', undefined, { field: 'file' })
  }
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
    return invalid('body', 'UPLOAD_TOO_MANY_FIELDS')
  if (code === 'FST_PROTO_VIOLATION' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return invalid('body', 'UPLOAD_NOT_MULTIPART')
  return err
}

export interface UploadedFile {
  /** Where the server stored it, under a name of its own. */
  path: string
  /** The name the client gave, checked. */
  name: string
}

/**
 * Reads a multipart form into `dir`: one file, stored as `storedName(clientName)` (which may
 * refuse the name, e.g. for an unsupported format), and the other fields as text.
 */
export async function readUpload(
  request: FastifyRequest,
  dir: string,
  storedName: (clientName: string) => string,
): Promise<{ fields: Record<string, string>; file: UploadedFile | undefined }> {
  if (!request.isMultipart()) throw badRequest('UPLOAD_NOT_MULTIPART')
  const fields: Record<string, string> = {}
  let file: UploadedFile | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (file) throw invalid('file', 'UPLOAD_ONE_FILE')
        const name = checkedFileName(part.filename)
        const stored = path.join(dir, storedName(name))
        await pipeline(part.file, fs.createWriteStream(stored, { mode: 0o600 }))
        if (part.file.truncated) throw multipartError({ code: 'FST_REQ_FILE_TOO_LARGE' })
        file = { path: stored, name }
      } else fields[part.fieldname] = String(part.value)
    }
  } catch (err) {
    throw multipartError(err)
  }
  return { fields, file }
}

/**
 * Runs `fn` on one uploaded file (required) and the form's other fields, stored in a directory
 * of its own under `root` that is removed when `fn` settles, on every path.
 */
export async function withUpload<T>(
  request: FastifyRequest,
  root: string,
  storedName: (clientName: string) => string,
  fn: (upload: { file: UploadedFile; fields: Record<string, string> }) => Promise<T>,
): Promise<T> {
  const dir = newUploadDir(root)
  try {
    const { file, fields } = await readUpload(request, dir, storedName)
    if (!file) throw invalid('file', 'VALIDATION', { rule: 'REQUIRED' })
    return await fn({ file, fields })
  } finally {
    removeUploadDir(dir)
  }
}
