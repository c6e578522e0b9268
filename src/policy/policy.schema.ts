import { z } from 'zod'
import { isoDate } from '../core/http/dates.js'
import { DOT_PATH } from './policy.rules.js'

/** profile.json: what a profile is, what it replaced, where it comes from, how overrides are judged. */
export const profileHead = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/),
  title: z.string().min(1).max(200),
  /** The day the document was issued. */
  issued: isoDate(),
  /** The profile (or document) it replaced. */
  replaces: z.string().min(1).max(200).nullable(),
  cite: z.string().min(1).max(400),
  overrides: z.object({
    /** 'floor': national values are a floor (v9); 'national': neither looser nor stricter (opt20, new10). */
    mode: z.enum(['floor', 'national']),
    cite: z.string().min(1).max(400),
  }),
})
export type ProfileHead = z.infer<typeof profileHead>

export const profileName = z.string().min(1).max(40)

export const profileSummary = z.object({
  name: z.string(),
  title: z.string(),
  issued: z.string().nullable(),
  replaces: z.string().nullable(),
  cite: z.string().nullable(),
  overrideMode: z.enum(['floor', 'national']).nullable(),
  contentHash: z.string().nullable(),
  updatedAt: z.string(),
  sections: z.array(z.string()),
})

export const activationOut = z.object({
  id: z.number(),
  profile: z.string(),
  effectiveFrom: z.string(),
  contentHash: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
})

export const appliedOverride = z.object({
  path: z.string(),
  value: z.unknown(),
  national: z.unknown(),
  reason: z.string(),
  flag: z.enum(['below_floor', 'stricter']).nullable(),
  by: z.string(),
  at: z.string(),
})
export type AppliedOverride = z.infer<typeof appliedOverride>

export const inForceOut = z.object({
  profile: profileSummary,
  since: z.string(),
  /** A later activation already decided, if any. */
  next: activationOut.nullable(),
  overrides: z.number(),
})

export const profileListOut = z.object({
  inForce: z.string(),
  profiles: z.array(profileSummary),
  activations: z.array(activationOut),
})

export const versionOut = z.object({
  contentHash: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
})

export const profileOut = z.object({
  profile: profileSummary,
  settings: z.record(z.string(), z.unknown()),
  versions: z.array(versionOut),
})

export const profileParams = z.object({ name: profileName })

export const diffQuery = z.object({ a: profileName, b: profileName })
export const diffOut = z.object({
  a: z.string(),
  b: z.string(),
  rows: z.array(z.object({ path: z.string(), a: z.unknown(), b: z.unknown() })),
})

/** An effective date: a local day (from its 00:00 in the deployment's zone) or an instant. */
export const activateIn = z.object({
  profile: profileName,
  effectiveFrom: isoDate().optional(),
  reason: z.string().trim().min(2).max(500),
})

export const overrideOut = z.object({
  id: z.number(),
  profile: z.string(),
  section: z.string(),
  path: z.string(),
  value: z.unknown(),
  national: z.unknown(),
  reason: z.string(),
  flag: z.enum(['below_floor', 'stricter']).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  /** The path no longer exists in the profile's current content: not applied. */
  stale: z.boolean(),
})

export const overrideListQuery = z.object({
  profile: profileName.optional(),
  withdrawn: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
})
export const overrideListOut = z.object({ items: z.array(overrideOut) })

export const overrideIn = z.object({
  profile: profileName,
  section: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  path: z.string().max(200).regex(DOT_PATH),
  // No null: a profile value is overridden by a value (OpenAPI 3.0 cannot state a nullable anyOf).
  value: z.union([
    z.number(),
    z.string().max(500),
    z.boolean(),
    z.array(z.unknown()).max(100),
    z.record(z.string(), z.unknown()),
  ]),
  reason: z.string().trim().min(2).max(500),
  /** Looser than national: say so. */
  belowFloor: z.boolean().optional(),
  /** Stricter than national under a profile that forbids it (层层加码): say so. */
  stricter: z.boolean().optional(),
})

export const overrideIdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
})
export const withdrawIn = z.object({ reason: z.string().trim().min(2).max(500) })

export type ProfileSummary = z.infer<typeof profileSummary>
export type ActivationOut = z.infer<typeof activationOut>
export type InForceOut = z.infer<typeof inForceOut>
export type ProfileListOut = z.infer<typeof profileListOut>
export type ProfileOut = z.infer<typeof profileOut>
export type DiffOut = z.infer<typeof diffOut>
export type ActivateIn = z.infer<typeof activateIn>
export type OverrideOut = z.infer<typeof overrideOut>
export type OverrideIn = z.infer<typeof overrideIn>
