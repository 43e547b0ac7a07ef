import { z } from 'zod';
import { pageSchema } from './common.contract.js';

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  detail: z.record(z.string(), z.unknown()),
  beforeDigest: z.string().nullable(),
  afterDigest: z.string().nullable(),
  hash: z.string(),
});
export type AuditEventView = z.infer<typeof auditEventSchema>;

export const auditListSchema = pageSchema(auditEventSchema);

/** `GET /api/audit` filters, plus paging. */
export const auditQuerySchema = z
  .object({
    actor: z.string().max(100).optional(),
    action: z.string().max(100).optional(),
    recordType: z.string().max(50).optional(),
    recordId: z.string().max(100).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  headHash: z.string(),
  broken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});
export type AuditVerifyView = z.infer<typeof auditVerifySchema>;
