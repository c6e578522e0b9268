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
 * function that does what zod's output does for them — keeps the schema's keys only, in its
 * order (an extra field a service left on a row, a raw ID number say, never reaches the
 * client), checks each value's type and enum, refuses a non-finite number — into a fresh plain
 * copy, which one JSON.stringify writes (dates as JSON does). One native stringify of a copy
 * allocates half of what writing the text piece by piece did (bench/http). Anything else
 * (unions, transforms, regex or custom checks, records, strict or loose objects, defaults)
 * keeps zod's serializer, so a schema that validates what it answers (a masked field's
 * pattern, say) is still enforced. String format and length checks are not re-checked on the
 * way out (the values come from the database and the services, not the client).
 */
/** Checks a value against its schema part and returns the copy that is written. */
type Copier = (value: unknown) => unknown

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

/** A copier for the schema, or null when it holds a part this compiler leaves to zod. */
function compile(schema: unknown): Copier | null {
  const def = (schema as ZodInternals | undefined)?._zod?.def
  if (!def) return null
  switch (def.type) {
    case 'string': {
      if (typeof def.format === 'string' && !ALLOWED_STRING_FORMATS.has(def.format)) return null
      if (!checksAllowed(def, ALLOWED_STRING_CHECKS, ALLOWED_STRING_FORMATS)) return null
      return (v) => {
        if (typeof v !== 'string') throw new ResponseShapeError('string')
        return v
      }
    }
    case 'number': {
      if (!checksAllowed(def, ALLOWED_NUMBER_CHECKS)) return null
      const int = (def.checks ?? []).some((c) => c._zod.def.check === 'number_format')
      return (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)))
          throw new ResponseShapeError(int ? 'integer' : 'number')
        return v
      }
    }
    case 'boolean':
      if (def.checks?.length) return null
      return (v) => {
        if (typeof v !== 'boolean') throw new ResponseShapeError('boolean')
        return v
      }
    case 'null':
      return (v) => {
        if (v !== null) throw new ResponseShapeError('null')
        return null
      }
    case 'date':
      if (def.checks?.length) return null
      return (v) => {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new ResponseShapeError('date')
        return v
      }
    case 'enum': {
      if (def.checks?.length) return null
      const values = new Set(Object.values(def.entries as Record<string, unknown>))
      if ([...values].some((x) => typeof x !== 'string')) return null
      return (v) => {
        if (!values.has(v)) throw new ResponseShapeError('one of the enum values')
        return v
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
        return v
      }
    }
    case 'nullable': {
      const inner = compile(def.innerType)
      if (!inner) return null
      return (v) => (v === null ? null : inner(v))
    }
    case 'array': {
      if (def.checks?.length) return null
      const item = compile(def.element)
      if (!item) return null
      return (v) => {
        if (!Array.isArray(v)) throw new ResponseShapeError('array')
        const out = new Array<unknown>(v.length)
        let i = 0
        try {
          for (; i < v.length; i++) out[i] = item(v[i])
        } catch (err) {
          throw err instanceof ResponseShapeError ? err.under(`[${i}]`) : err
        }
        return out
      }
    }
    case 'object': {
      // z.object strips unknown keys (what we want); strict or loose objects go to zod.
      if (def.catchall !== undefined || def.checks?.length) return null
      const shape = def.shape as Record<string, unknown>
      const fields: { key: string; optional: boolean; copy: Copier }[] = []
      for (const [key, s] of Object.entries(shape)) {
        // Assigning it would set the copy's prototype instead of a key.
        if (key === '__proto__') return null
        const sd = (s as ZodInternals)._zod.def
        const optional = sd.type === 'optional'
        const copy = compile(optional ? sd.innerType : s)
        if (!copy) return null
        fields.push({ key, optional, copy })
      }
      return objectCopier(fields)
    }
    default:
      return null
  }
}

/**
 * The copier of an object schema, generated as code with the keys written out: one property
 * access and one store per key, which V8 compiles to fixed-shape objects (a loop over the keys
 * made every row a dictionary lookup, slower than zod). Keys enter the code only as JSON string
 * literals.
 */
function objectCopier(fields: { key: string; optional: boolean; copy: Copier }[]): Copier {
  const lines = fields.map((f, i) => {
    const k = JSON.stringify(f.key)
    return f.optional
      ? `key = ${k}; x = o[${k}]; if (x !== undefined) out[${k}] = copy[${i}](x)`
      : `key = ${k}; x = o[${k}]; if (x === undefined) throw new Shape('a value'); out[${k}] = copy[${i}](x)`
  })
  // Generated from the schema's keys, each written as a JSON string literal.
  const make = new Function(
    'copy',
    'Shape',
    `return function copyObject(o) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Shape('object')
      const out = {}
      let key = ''
      let x
      try {
        ${lines.join('\n        ')}
      } catch (err) {
        throw err instanceof Shape ? err.under('.' + key) : err
      }
      return out
    }`,
  ) as (copy: Copier[], shape: typeof ResponseShapeError) => Copier
  return make(
    fields.map((f) => f.copy),
    ResponseShapeError,
  )
}

/** A compiled writer for a zod response schema, or null if zod must serialize it. Exported for tests. */
export function compileResponseWriter(schema: z.ZodType): ((data: unknown) => string) | null {
  const copy = compile(schema)
  return copy ? (data) => JSON.stringify(copy(data)) : null
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
