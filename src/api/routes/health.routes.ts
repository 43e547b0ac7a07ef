import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponseSchema } from '../../contract/index.js';
import type { ServiceDeps } from '../../service/deps.js';

/** `GET /api/health`: pings the database, then reports version and database kind. */
export function healthRoutes(deps: ServiceDeps, version: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { policy: 'public' },
        schema: {
          tags: ['platform'],
          summary: 'Health, version and database kind',
          response: { 200: healthResponseSchema },
        },
      },
      async () => {
        await deps.store.ping();
        return {
          status: 'ok' as const,
          name: 'Civitas' as const,
          version,
          database: deps.store.kind,
          time: deps.now(),
        };
      },
    );
  };
}
