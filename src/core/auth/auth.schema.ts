import { z } from 'zod'
import { ROLES } from './roles.js'

export const loginIn = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(200),
    totp: z.string().trim().max(10).optional(),
  })
  .strict()
export type LoginIn = z.infer<typeof loginIn>

export const changePasswordIn = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) })
  .strict()

export const scopeNodeOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  level: z.string(),
})

export const meOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  totpAllowed: z.boolean(),
  scope: z.array(scopeNodeOut),
  wholeDeployment: z.boolean(),
  selectedScope: scopeNodeOut.nullable(),
  csrfToken: z.string(),
})
export type MeOut = z.infer<typeof meOut>

export const setScopeIn = z.object({ divisionId: z.string().uuid().nullable() }).strict()

export const totpSetupOut = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrDataUrl: z.string(),
})
export const totpCodeIn = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'must be 6 digits'),
  })
  .strict()
export const passwordIn = z.object({ password: z.string().min(1).max(200) }).strict()

export const userOut = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  phone: z.string().nullable(),
  phoneRevealed: z.boolean(),
  scope: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  createdAt: z.string(),
})
export type UserOut = z.infer<typeof userOut>

export const createUserIn = z
  .object({
    username: z
      .string()
      .trim()
      .min(3)
      .max(64)
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    scopeDivisionIds: z.array(z.string().uuid()).max(50).default([]),
    phone: z.string().trim().max(20).optional(),
    password: z.string().max(200).optional(),
  })
  .strict()
export type CreateUserIn = z.infer<typeof createUserIn>

export const updateUserIn = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    scopeDivisionIds: z.array(z.string().uuid()).max(50).optional(),
    phone: z.string().trim().max(20).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
export type UpdateUserIn = z.infer<typeof updateUserIn>

export const listUsersQuery = z
  .object({
    q: z.string().trim().max(64).optional(),
    role: z.enum(ROLES).optional(),
    after: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()

export const revealQuery = z.object({ reveal: z.enum(['phone']).optional() }).strict()

export const createdUserOut = z.object({ user: userOut, temporaryPassword: z.string().nullable() })

/** Every role with its permissions and whether the reader may give it (GET /api/roles). */
export const rolesOut = z.object({
  items: z.array(
    z.object({ role: z.enum(ROLES), permissions: z.array(z.string()), assignable: z.boolean() }),
  ),
})

export const resetPasswordOut = z.object({ temporaryPassword: z.string() })
