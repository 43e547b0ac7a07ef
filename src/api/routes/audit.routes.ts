import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditListSchema, auditQuerySchema, auditVerifySchema } from '../../contract/index.js';
import { listAuditEvents, verifyAuditForActor } from '../../service/audit/audit.service.js';
import type { ServiceDeps } from '../../service/deps.js';
import { auditView } from '../views.js';

/** The audit trail for administrators: list with filters, and verify the hash chain. */
export function auditRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['audit'],
          summary: 'Audit events, newest first',
          querystring: auditQuerySchema,
          response: { 200: auditListSchema },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        const page = await listAuditEvents(deps, request.actor, filter, { limit, offset });
        return { items: page.items.map(auditView), total: page.total, limit, offset };
      },
    );
    app.get(
      '/audit/verify',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['audit'],
          summary: 'Check the audit hash chain',
          response: { 200: auditVerifySchema },
        },
      },
      async (request) => verifyAuditForActor(deps, request.actor),
    );
  };
}
