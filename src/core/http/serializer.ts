import type { FastifySerializerCompiler } from 'fastify'
import {
  ResponseSerializationError,
  serializerCompiler as zodSerializerCompiler,
} from 'fastify-type-provider-zod'
import type { z } from 'zod'

/**
 * The response serializer. fastify-type-provider-zod's runs the route's zod schema over every
 * answer (safeEncode) and then JSON.stringify: for a list of plain rows most of that is work
 * no one needs. For response schemas made only of plain parts (objects, arrays, strings,
 * numbers, booleans, enums, literals, null, optional and nullable, dates) this compiles a
 * writer that does what zod's output does for them — keeps the schema's keys only, in its
 * order (an extra field a service left on a row, a raw ID number say, never reaches the
 * client), checks each value's type and enum, refuses a non-finite number, writes dates as
 * JSON does — and writes the JSON text directly. Anything else (unions, transforms, regex
 * or custom checks, records, strict or loose objects, defaults) keeps zod's serializer, so a
 * schema that validates what it answers (a masked field's pattern, say) is still enforced.
 * String format and length checks are not re-checked on the way out (the values come from
 * the database and the services, not the client).
 */
type Writer = (value: unknown) => string

/** Where a value went wrong is built only when it does (a parent prepends its key on the way out). */
export class ResponseShapeError extends Error {
  constructor(
    readonly expected: string,
    readonly at = '',
  ) {
    super(`response does not match its schema at ${at || '(root)'}: expected ${expected}`)
  }
  under(step: string): ResponseShapeError {
    return new ResponseShapeError(this.expected, step + this.at)
  }
}

const ALLOWED_STRING_CHECKS = new Set(['min_length', 'max_length', 'length_equals'])
const ALLOWED_STRING_FORMATS = new Set([
  'uuid',
  'guid',
  'email',
  'url',
  'datetime',
  'date',
  'time',
  'cuid',
  'cuid2',
  'ulid',
  'nanoid',
  'ipv4',
  'ipv6',
])
const ALLOWED_NUMBER_CHECKS = new Set(['greater_than', 'less_than', 'multiple_of', 'number_format'])

interface ZodInternals {
  _zod: {
    def: Record<string, unknown> & {
      type: string
      checks?: { _zod: { def: { check: string; format?: string } } }[]
    }
  }
}

function checksAllowed(
  def: ZodInternals['_zod']['def'],
  allowed: Set<string>,
  formats?: Set<string>,
): boolean {
  for (const c of def.checks ?? []) {
    const cd = c._zod.def
    if (cd.check === 'string_format') {
      if (!formats || !cd.format || !formats.has(cd.format)) return false
    } else if (!allowed.has(cd.check)) return false
  }
  return true
}

/** A writer for the schema, or null when it holds a part this compiler leaves to zod. */
function compile(schema: unknown): Writer | null {
  const def = (schema as ZodInternals | undefined)?._zod?.def
  if (!def) return null
  switch (def.type) {
    case 'string': {
      if (typeof def.format === 'string' && !ALLOWED_STRING_FORMATS.has(def.format)) return null
      if (!checksAllowed(def, ALLOWED_STRING_CHECKS, ALLOWED_STRING_FORMATS)) return null
      return (v) => {
        if (typeof v !== 'string') throw new ResponseShapeError('string')
        return JSON.stringify(v)
      }
    }
    case 'number': {
      if (!checksAllowed(def, ALLOWED_NUMBER_CHECKS)) return null
      const int = (def.checks ?? []).some((c) => c._zod.def.check === 'number_format')
      return (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)))
          throw new ResponseShapeError(int ? 'integer' : 'number')
        return String(v)
      }
    }
    case 'boolean':
      if (def.checks?.length) return null
      return (v) => {
        if (typeof v !== 'boolean') throw new ResponseShapeError('boolean')
        return v ? 'true' : 'false'
      }
    case 'null':
      return (v) => {
        if (v !== null) throw new ResponseShapeError('null')
        return 'null'
      }
    case 'date':
      if (def.checks?.length) return null
      return (v) => {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new ResponseShapeError('date')
        return JSON.stringify(v)
      }
    case 'enum': {
      if (def.checks?.length) return null
      const values = new Set(Object.values(def.entries as Record<string, unknown>))
      if ([...values].some((x) => typeof x !== 'string')) return null
      return (v) => {
        if (!values.has(v)) throw new ResponseShapeError('one of the enum values')
        return JSON.stringify(v)
      }
    }
    case 'literal': {
      const values = new Set(def.values as unknown[])
      if (
        [...values].some(
          (x) => typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean',
        )
      )
        return null
      return (v) => {
        if (!values.has(v)) throw new ResponseShapeError('the literal')
        return JSON.stringify(v)
      }
    }
    case 'nullable': {
      const inner = compile(def.innerType)
      if (!inner) return null
      return (v) => (v === null ? 'null' : inner(v))
    }
    case 'array': {
      if (def.checks?.length) return null
      const item = compile(def.element)
      if (!item) return null
      return (v) => {
        if (!Array.isArray(v)) throw new ResponseShapeError('array')
        let out = '['
        let i = 0
        try {
          for (; i < v.length; i++) out += (i ? ',' : '') + item(v[i])
        } catch (err) {
          throw err instanceof ResponseShapeError ? err.under(`[${i}]`) : err
        }
        return out + ']'
      }
    }
    case 'object': {
      // z.object strips unknown keys (what we want); strict or loose objects go to zod.
      if (def.catchall !== undefined || def.checks?.length) return null
      const shape = def.shape as Record<string, unknown>
      const fields: { key: string; name: string; optional: boolean; write: Writer }[] = []
      for (const [key, s] of Object.entries(shape)) {
        const sd = (s as ZodInternals)._zod.def
        const optional = sd.type === 'optional'
        const write = compile(optional ? sd.innerType : s)
        if (!write) return null
        fields.push({ key, name: JSON.stringify(key) + ':', optional, write })
      }
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          throw new ResponseShapeError('object')
        const o = v as Record<string, unknown>
        let out = '{'
        let first = true
        let key = ''
        try {
          for (const f of fields) {
            key = f.key
            const x = o[f.key]
            if (x === undefined) {
              if (f.optional) continue
              throw new ResponseShapeError('a value')
            }
            out += (first ? '' : ',') + f.name + f.write(x)
            first = false
          }
        } catch (err) {
          throw err instanceof ResponseShapeError ? err.under(`.${key}`) : err
        }
        return out + '}'
      }
    }
    default:
      return null
  }
}

/** A compiled writer for a zod response schema, or null if zod must serialize it. Exported for tests. */
export function compileResponseWriter(schema: z.ZodType): ((data: unknown) => string) | null {
  const write = compile(schema)
  return write ? (data) => write(data) : null
}

/** Fastify's serializer compiler: the compiled writer where the schema allows, zod's otherwise. */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  const given = route.schema as unknown as { _zod?: unknown; properties?: unknown }
  const write = compileResponseWriter((given._zod ? given : given.properties) as z.ZodType)
  if (!write) return zodSerializerCompiler(route as never)
  return (data: unknown) => {
    try {
      return write(data)
    } catch (err) {
      // The same error zod's serializer throws (a 500, logged with its cause).
      throw new ResponseSerializationError(route.method, route.url, { cause: err as never })
    }
  }
}
