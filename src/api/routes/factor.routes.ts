import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createFactorBodySchema,
  factorListSchema,
  factorMatrixSchema,
  factorQuerySchema,
  factorSchema,
  idParamsSchema,
  problemSchema,
  updateFactorBodySchema,
} from '../../contract/index.js';
import { combineMarkings, formatMarking } from '../../domain/taxonomy/index.js';
import { getArea } from '../../service/area/area.service.js';
import type { ServiceDeps } from '../../service/deps.js';
import { csvWithMarking } from '../../service/export/csv.js';
import {
  createFactor,
  deleteFactor,
  factorMatrix,
  getFactor,
  listFactors,
  updateFactor,
} from '../../service/factor/factor.service.js';
import { factorView } from '../views.js';

const EXPORT_LIMIT = 10_000;

/** Human security factors: the PMESII × ASCOPE analysis of an area. */
export function factorRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { policy: 'signed-in' as const };
    const notFound = { 404: problemSchema };

    app.get(
      '/areas/:id/factors',
      {
        config,
        schema: {
          tags: ['factors'],
          summary: 'Human security factors of an area that you may see, newest first',
          params: idParamsSchema,
          querystring: factorQuerySchema,
          response: { 200: factorListSchema, ...notFound },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        const page = await listFactors(deps, request.actor, request.params.id, filter, {
          limit,
          offset,
        });
        return { items: page.items.map(factorView), total: page.total, limit, offset };
      },
    );

    app.get(
      '/areas/:id/factors/matrix',
      {
        config,
        schema: {
          tags: ['factors'],
          summary:
            'PMESII × ASCOPE counts; compartmented factors you may not see only as aggregates ("<5")',
          params: idParamsSchema,
          response: { 200: factorMatrixSchema, ...notFound },
        },
      },
      async (request) => factorMatrix(deps, request.actor, request.params.id),
    );

    app.get(
      '/areas/:id/factors.csv',
      {
        config,
        schema: {
          tags: ['factors'],
          summary:
            'Export the factors you may see as CSV; the first line is the marking of the file',
          params: idParamsSchema,
        },
      },
      async (request, reply) => {
        const area = await getArea(deps, request.actor, request.params.id);
        const page = await listFactors(
          deps,
          request.actor,
          area.id,
          {},
          { limit: EXPORT_LIMIT, offset: 0 },
          'export',
        );
        const marking = formatMarking(
          combineMarkings([area.marking, ...page.items.map((f) => f.marking)]),
          {
            exercise: area.exercise,
          },
        );
        const body = csvWithMarking(
          marking,
          [
            'id',
            'pmesii',
            'ascope',
            'topics',
            'title',
            'summary',
            'classification',
            'releasability',
            'compartment',
            'updated_at',
          ],
          page.items.map((f) => [
            f.id,
            f.pmesii,
            f.ascope,
            f.topics.join(' '),
            f.title,
            f.summary,
            f.marking.classification,
            f.marking.releasability.join(' '),
            f.compartment ?? '',
            f.updatedAt,
          ]),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="factors-${area.id}.csv"`)
          .send(body);
      },
    );

    app.post(
      '/areas/:id/factors',
      {
        config,
        schema: {
          tags: ['factors'],
          summary: 'Record a human security factor',
          params: idParamsSchema,
          body: createFactorBodySchema,
          response: { 201: factorSchema, 400: problemSchema, ...notFound },
        },
      },
      async (request, reply) => {
        const factor = await createFactor(deps, request.actor, request.params.id, request.body);
        return reply
          .status(201)
          .header('location', `/api/factors/${factor.id}`)
          .send(factorView(factor));
      },
    );

    app.get(
      '/factors/:id',
      {
        config,
        schema: {
          tags: ['factors'],
          summary: 'One factor',
          params: idParamsSchema,
          response: { 200: factorSchema, ...notFound },
        },
      },
      async (request) => factorView(await getFactor(deps, request.actor, request.params.id)),
    );

    app.patch(
      '/factors/:id',
      {
        config,
        schema: {
          tags: ['factors'],
          summary: 'Change a factor',
          params: idParamsSchema,
          body: updateFactorBodySchema,
          response: { 200: factorSchema, 400: problemSchema, ...notFound },
        },
      },
      async (request) =>
        factorView(await updateFactor(deps, request.actor, request.params.id, request.body)),
    );

    app.delete(
      '/factors/:id',
      { config, schema: { tags: ['factors'], summary: 'Delete a factor', params: idParamsSchema } },
      async (request, reply) => {
        await deleteFactor(deps, request.actor, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
