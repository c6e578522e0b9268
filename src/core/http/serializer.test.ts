import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod'
import { divisionPage } from '../tree/tree.schema.js'
import { residentPage } from '../../registry/registry.schema.js'
import { compileResponseWriter, responseSerializerCompiler } from './serializer.js'

const zodWrite = (schema: z.ZodType) =>
  zodSerializerCompiler({
    schema,
    method: 'GET',
    url: '/t',
    httpStatus: '200',
  } as never) as unknown as (d: unknown) => string
const fastWrite = (schema: z.ZodType) =>
  responseSerializerCompiler({
    schema,
    method: 'GET',
    url: '/t',
    httpStatus: '200',
  } as never) as unknown as (d: unknown) => string

const grid = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  code: `320101001001-G${i}`,
  name: `第${i}网格 "引号" \\ \n`,
  level: 'grid',
  parentId: '00000000-0000-4000-8000-000000000000',
  path: `/320101/320101001/320101001001/320101001001-G${i}/`,
  childCount: 0,
})

describe('the compiled response writer', () => {
  it('writes a division page exactly as zod’s serializer does', () => {
    const page = { items: [1, 2, 3].map(grid), next: null }
    expect(compileResponseWriter(divisionPage)).not.toBeNull()
    expect(fastWrite(divisionPage)(page)).toBe(zodWrite(divisionPage)(page))
    expect(JSON.parse(fastWrite(divisionPage)({ ...page, next: 'x' }))).toEqual({
      ...page,
      next: 'x',
    })
  })

  it('drops a field the schema does not name: a raw ID number left on a resident row never reaches the client', () => {
    const row = {
      id: 'r1',
      name: '张三',
      idType: residentPage.shape.items.element.shape.idType.options[0],
      idNumber: '3201**********1234',
      phone: '138****5678',
      revealed: [],
      sex: null,
      birthDate: '1990-01-01',
      age: 36,
      relation: null,
      residenceType: residentPage.shape.items.element.shape.residenceType.options[0],
      employer: null,
      notes: null,
      status: residentPage.shape.items.element.shape.status.options[0],
      statusOn: null,
      statusPlace: null,
      hukouAddress: null,
      hukouRegion: null,
      separation: null,
      householdId: null,
      householdLabel: null,
      gridId: null,
      tags: [],
      // what a careless service might leave behind
      idNumberPlain: '320102199001011234',
      phonePlain: '13812345678',
    }
    const page = { items: [row], next: null }
    // The resident page's tags carry a pattern check, so zod serializes it: still no extra field.
    expect(compileResponseWriter(residentPage)).toBeNull()
    const compiled = fastWrite(divisionPage)({
      items: [{ ...grid(1), idNumber: '320102199001011234' }],
      next: null,
    })
    expect(compiled).not.toContain('idNumber')
    expect(compiled).toBe(zodWrite(divisionPage)({ items: [grid(1)], next: null }))
    const out = fastWrite(residentPage)(page)
    expect(out).toBe(zodWrite(residentPage)(page))
    expect(out).not.toContain('320102199001011234')
    expect(out).not.toContain('13812345678')
    expect(out).toContain('3201**********1234')
  })

  it('omits an optional key left undefined, keeps the schema’s key order, writes dates as JSON does', () => {
    const s = z.object({
      b: z.string().optional(),
      a: z.number().int(),
      at: z.date(),
      ok: z.boolean(),
      k: z.literal('x'),
    })
    const v = { a: 1, at: new Date('2026-12-02T01:00:00Z'), ok: true, b: undefined, k: 'x' }
    expect(fastWrite(s)(v)).toBe(zodWrite(s)(v))
    expect(fastWrite(s)(v)).toBe('{"a":1,"at":"2026-12-02T01:00:00.000Z","ok":true,"k":"x"}')
  })

  it('writes keys that are not identifiers as zod does (the copier is generated code), and leaves a __proto__ key to zod', () => {
    const s = z.object({
      'a"b': z.string(),
      'x-y\\n': z.number(),
      "'); throw new Error('injected'); ('": z.string(),
      数量: z.number().int(),
    })
    const v = { 'a"b': '1', 'x-y\\n': 2, "'); throw new Error('injected'); ('": '3', 数量: 4 }
    expect(fastWrite(s)(v)).toBe(zodWrite(s)(v))
    expect(JSON.parse(fastWrite(s)(v))).toEqual(v)
    expect(compileResponseWriter(z.object({ ['__proto__']: z.string() }))).toBeNull()
  })

  it('refuses an answer that does not match its schema, as zod does (a 500, never a wrong body)', () => {
    const bad = { items: [{ ...grid(1), level: 'planet' }], next: null }
    expect(() => zodWrite(divisionPage)(bad)).toThrow()
    expect(() => fastWrite(divisionPage)(bad)).toThrow(
      /Response doesn't match the schema|does not match/,
    )
    expect(() => compileResponseWriter(divisionPage)!(bad)).toThrow(
      'at .items[0].level: expected one of the enum values',
    )
    expect(() =>
      fastWrite(divisionPage)({ items: [{ ...grid(1), childCount: 1.5 }], next: null }),
    ).toThrow()
    expect(() =>
      fastWrite(divisionPage)({ items: [{ ...grid(1), childCount: Number.NaN }], next: null }),
    ).toThrow()
    expect(() =>
      fastWrite(divisionPage)({ items: [{ ...grid(1), name: undefined }], next: null }),
    ).toThrow()
    expect(() => fastWrite(divisionPage)({ items: 'nope', next: null })).toThrow()
  })

  it('leaves to zod what it does not compile: checks that validate the answer, unions, transforms, records', () => {
    expect(
      compileResponseWriter(z.object({ masked: z.string().regex(/^\d{4}\*+\d{4}$/) })),
    ).toBeNull()
    expect(compileResponseWriter(z.object({ v: z.union([z.string(), z.number()]) }))).toBeNull()
    expect(compileResponseWriter(z.object({ v: z.string().transform((s) => s.length) }))).toBeNull()
    expect(compileResponseWriter(z.object({ v: z.record(z.string(), z.string()) }))).toBeNull()
    expect(compileResponseWriter(z.object({ v: z.string() }).strict())).toBeNull()
    // and zod's serializer still enforces them
    const masked = z.object({ masked: z.string().regex(/^\d{4}\*+\d{4}$/) })
    expect(() => fastWrite(masked)({ masked: '320102199001011234' })).toThrow()
    expect(fastWrite(masked)({ masked: '3201**********1234' })).toBe(
      '{"masked":"3201**********1234"}',
    )
  })
})
