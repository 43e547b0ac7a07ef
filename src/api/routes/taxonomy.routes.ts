import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TAXONOMIES } from '../../domain/taxonomy/index.js';
import { Compartment, Role } from '../../domain/access/role.js';
import {
  ListKind,
  ObjectCategory,
  ProtectionBasis,
} from '../../domain/protected-object/protected-object.js';
import { taxonomiesResponseSchema } from '../../contract/index.js';

/** `GET /api/taxonomies`: every code list of the domain, the one source the web and CLI share. */
export const taxonomyRoutes: FastifyPluginAsyncZod = async (app) => {
  const body = Object.fromEntries(
    Object.entries({
      ...TAXONOMIES,
      role: Role,
      compartment: Compartment,
      objectCategory: ObjectCategory,
      protectionBasis: ProtectionBasis,
      listKind: ListKind,
    }).map(([name, list]) => [name, list.entries.map((e) => ({ ...e }))]),
  );
  app.get(
    '/taxonomies',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Every code list (topics, PMESII, ASCOPE, classifications, …)',
        response: { 200: taxonomiesResponseSchema },
      },
    },
    async () => body,
  );
};
