import { z } from 'zod';
import { classificationSchema, releasabilitySchema } from '../domain/taxonomy/index.js';
import { compartmentSchema, roleSchema } from '../domain/access/role.js';

/** `POST /api/auth/sign-in`. */
export const signInBodySchema = z
  .object({ username: z.string().min(1).max(63), password: z.string().min(1).max(256) })
  .strict();

/** The signed-in user as the web sees them, with what their role allows. */
export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  roleLabel: z.string(),
  clearance: classificationSchema,
  organisations: z.array(releasabilitySchema),
  compartments: z.array(compartmentSchema),
  fullName: z.string(),
  demo: z.boolean(),
  permissions: z.array(z.object({ recordType: z.string(), action: z.string() })),
});
export type Me = z.infer<typeof meSchema>;

/** A user as administrators see them. */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  clearance: classificationSchema,
  organisations: z.array(releasabilitySchema),
  compartments: z.array(compartmentSchema),
  fullName: z.string(),
  contact: z.string(),
  disabled: z.boolean(),
  demo: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userSchema>;

/** `POST /api/users`. Without a password, one is generated and returned once. */
export const createUserBodySchema = z
  .object({
    username: z.string().min(2).max(63),
    role: roleSchema,
    clearance: classificationSchema,
    organisations: z.array(releasabilitySchema).max(10).default(['NATO']),
    fullName: z.string().trim().min(1).max(200),
    contact: z.string().max(500).default(''),
    password: z.string().min(1).max(256).optional(),
  })
  .strict();

/** `PATCH /api/users/:id`. */
export const updateUserBodySchema = z
  .object({
    role: roleSchema.optional(),
    clearance: classificationSchema.optional(),
    organisations: z.array(releasabilitySchema).max(10).optional(),
    disabled: z.boolean().optional(),
    fullName: z.string().trim().min(1).max(200).optional(),
    contact: z.string().max(500).optional(),
  })
  .strict();

/** `POST /api/users/:id/compartments`. */
export const grantBodySchema = z.object({ compartment: compartmentSchema }).strict();

/** `POST /api/auth/tokens`. */
export const issueTokenBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.enum(['read', 'write'])).min(1),
    days: z.number().int().min(1).max(365).default(90),
  })
  .strict();

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(['read', 'write'])),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const issuedTokenSchema = z.object({ token: z.string(), record: apiTokenSchema });

/** `POST /api/auth/password`: change your own password. */
export const changePasswordBodySchema = z
  .object({ current: z.string().min(1).max(256), next: z.string().min(1).max(256) })
  .strict();
