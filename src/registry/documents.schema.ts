import { z } from 'zod'
import { ID_TYPES } from './registry.vocab.js'

/** A document a person carries, as the form sends it: its type, a passport's issuing country, the number as typed. */
export const documentIn = z.object({
  type: z.enum(ID_TYPES),
  /** ISO 3166-1 alpha-3 (USA, DEU); required for a passport, ignored otherwise. */
  country: z.string().trim().max(3).optional(),
  number: z.string().trim().min(1).max(30),
})
export type DocumentIn = z.infer<typeof documentIn>

export const documentOut = z.object({
  id: z.string(),
  type: z.enum(ID_TYPES),
  /** null for documents without an issuing country. */
  country: z.string().nullable(),
  /** Masked (*****5678). */
  number: z.string(),
  createdAt: z.string(),
})
export type DocumentOut = z.infer<typeof documentOut>
export const documentListOut = z.object({ items: z.array(documentOut) })
