import { z } from 'zod'

export const LEVELS = ['district', 'street', 'community', 'grid'] as const
export type Level = (typeof LEVELS)[number]

export const divisionOut = z.object({
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  level: z.enum(LEVELS),
  parentId: z.string().uuid().nullable(),
  path: z.string(),
  childCount: z.number().int(),
})
export type DivisionOut = z.infer<typeof divisionOut>

export const divisionDetailOut = divisionOut.extend({
  ancestors: z.array(
    z.object({ id: z.string().uuid(), code: z.string(), name: z.string(), level: z.enum(LEVELS) }),
  ),
})

export const createDivisionIn = z
  .object({
    code: z.string().trim().min(1).max(40),
    name: z.string().trim().min(1).max(100),
    level: z.enum(LEVELS),
    parentId: z.string().uuid().nullable().optional(),
  })
  .strict()
export type CreateDivisionIn = z.infer<typeof createDivisionIn>

export const listDivisionsQuery = z
  .object({
    parentId: z.string().uuid().optional(),
    q: z.string().trim().max(50).optional(),
    level: z.enum(LEVELS).optional(),
    after: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
export type ListDivisionsQuery = z.infer<typeof listDivisionsQuery>

export const divisionPage = z.object({ items: z.array(divisionOut), next: z.string().nullable() })
