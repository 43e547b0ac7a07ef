import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bboxParse } from '../../geo/index.js';
import type { Area, AreaCounts } from '../../domain/area/area.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import {
  areaDetailSchema,
  areaListSchema,
  createAreaBodySchema,
  idParamsSchema,
  pageQuerySchema,
  placeCollectionSchema,
  placeQuerySchema,
  problemSchema,
  regionCollectionSchema,
  unitCollectionSchema,
  type AreaDetail,
  type AreaSummary,
} from '../../contract/index.js';
import {
  createArea,
  getArea,
  listAreas,
  listPlaces,
  listRegions,
  listUnits,
} from '../../service/area/area.service.js';
import type { ServiceDeps } from '../../service/deps.js';

function summary(a: Area & AreaCounts): AreaSummary {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    exercise: a.exercise,
    marking: {
      classification: a.marking.classification,
      releasability: [...a.marking.releasability],
    },
    bbox: [...a.bbox],
    regionCount: a.regionCount,
    placeCount: a.placeCount,
    unitCount: a.unitCount,
    createdAt: a.createdAt,
  };
}

function detail(a: Area & AreaCounts): AreaDetail {
  return { ...summary(a), outline: a.outline as AreaDetail['outline'], source: a.source };
}

const notFound = { 404: problemSchema };

/**
 * Areas of operations and their human-environment layers, filtered by the caller's clearance and
 * releasability; the service checks the role's permissions.
 */
export function areaRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/areas',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'List areas of operations, newest first',
          querystring: pageQuerySchema,
          response: { 200: areaListSchema },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await listAreas(deps, request.actor, { limit, offset });
        return { items: page.items.map(summary), total: page.total, limit, offset };
      },
    );

    app.post(
      '/areas',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'Create an area of operations',
          body: createAreaBodySchema,
          response: { 201: areaDetailSchema, 400: problemSchema },
        },
      },
      async (request, reply) => {
        const area = await createArea(deps, request.actor, request.body);
        return reply.status(201).header('location', `/api/areas/${area.id}`).send(detail(area));
      },
    );

    app.get(
      '/areas/:id',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'One area of operations with its outline',
          params: idParamsSchema,
          response: { 200: areaDetailSchema, ...notFound },
        },
      },
      async (request) => detail(await getArea(deps, request.actor, request.params.id)),
    );

    app.get(
      '/areas/:id/regions',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'Regions of an area as a GeoJSON FeatureCollection',
          params: idParamsSchema,
          response: { 200: regionCollectionSchema, ...notFound },
        },
      },
      async (request) => {
        const regions = await listRegions(deps, request.actor, request.params.id);
        return {
          type: 'FeatureCollection' as const,
          features: regions.map((r) => ({
            type: 'Feature' as const,
            id: r.id,
            geometry: r.geometry,
            properties: { id: r.id, name: r.name, code: r.code, source: r.source },
          })),
        };
      },
    );

    app.get(
      '/areas/:id/places',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'Populated places of an area, largest first, optionally inside a bbox',
          params: idParamsSchema,
          querystring: placeQuerySchema,
          response: { 200: placeCollectionSchema, ...notFound },
        },
      },
      async (request) => {
        let bbox;
        if (request.query.bbox !== undefined) {
          try {
            bbox = bboxParse(request.query.bbox);
          } catch (error) {
            const message = (error as Error).message;
            throw new CivitasError('validation_failed', `querystring.bbox: ${message}`, [
              { path: 'querystring.bbox', message },
            ]);
          }
        }
        const page = await listPlaces(deps, request.actor, request.params.id, {
          limit: request.query.limit,
          ...(bbox ? { bbox } : {}),
        });
        return {
          type: 'FeatureCollection' as const,
          total: page.total,
          features: page.items.map((p) => ({
            type: 'Feature' as const,
            id: p.id,
            geometry: p.geometry,
            properties: {
              id: p.id,
              name: p.name,
              population: p.population,
              kind: p.kind,
              adminCode: p.adminCode,
            },
          })),
        };
      },
    );

    app.get(
      '/areas/:id/units',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['areas'],
          summary: 'Own-force units shown in an area, with their APP-6 SIDC',
          params: idParamsSchema,
          response: { 200: unitCollectionSchema, ...notFound },
        },
      },
      async (request) => {
        const units = await listUnits(deps, request.actor, request.params.id);
        return {
          type: 'FeatureCollection' as const,
          features: units.map((u) => ({
            type: 'Feature' as const,
            id: u.id,
            geometry: u.geometry,
            properties: { id: u.id, name: u.name, sidc: u.sidc, role: u.role },
          })),
        };
      },
    );
  };
}
