import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bboxParse } from '../../geo/index.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import {
  createObjectBodySchema,
  createReleaseBodySchema,
  exportQuerySchema,
  idParamsSchema,
  importQuerySchema,
  importReportSchema,
  objectListSchema,
  objectQuerySchema,
  pageQuerySchema,
  problemSchema,
  protectedObjectSchema,
  releaseDiffSchema,
  releaseListSchema,
  releaseSchema,
  updateObjectBodySchema,
} from '../../contract/index.js';
import type { ServiceDeps } from '../../service/deps.js';
import { exportObjects } from '../../service/register/export.service.js';
import {
  importObjects,
  PARALLEL_IMPORT_BYTES,
  readerFor,
} from '../../service/register/import.service.js';
import {
  createObject,
  deleteObject,
  getObject,
  searchObjects,
  updateObject,
} from '../../service/register/object.service.js';
import {
  approveRelease,
  compareReleases,
  createDraftRelease,
  getRelease,
  listReleases,
  submitRelease,
} from '../../service/register/release.service.js';
import type { ObjectFilter } from '../../store/ports.js';
import { objectView, releaseView } from '../views.js';

const IMPORT_TYPES = [
  'application/geo+json',
  'application/x-ndjson',
  'application/vnd.google-earth.kml+xml',
  'application/vnd.openstreetmap.data+xml',
  'application/x-protobuf',
  'application/octet-stream',
  'text/csv',
];

function badQuery(field: string, message: string): CivitasError {
  return new CivitasError('validation_failed', `querystring.${field}: ${message}`, [
    { path: `querystring.${field}`, message },
  ]);
}

const MIME = {
  geojson: 'application/geo+json',
  csv: 'text/csv; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml',
} as const;

/** The protected-objects register and its NSL/RTL releases. */
export function registerRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { policy: 'signed-in' as const };
    const notFound = { 404: problemSchema };
    // Import bodies are files: they reach the readers as streams, never parsed whole here.
    app.addContentTypeParser(IMPORT_TYPES, (_request, payload, done) => done(null, payload));

    app.get(
      '/objects',
      {
        config,
        schema: {
          tags: ['register'],
          summary:
            'Search protected objects: q (name, either script), category, list, bbox, near=lon,lat&radius=metres',
          querystring: objectQuerySchema,
          response: { 200: objectListSchema },
        },
      },
      async (request) => {
        const { limit, offset, q, category, list, bbox, near, radius } = request.query;
        const filter: { -readonly [K in keyof ObjectFilter]: ObjectFilter[K] } = {};
        if (q) filter.q = q;
        if (category) filter.category = category;
        if (list) filter.list = list;
        if (bbox) {
          try {
            filter.bbox = bboxParse(bbox);
          } catch (error) {
            throw badQuery('bbox', (error as Error).message);
          }
        }
        if (near !== undefined || radius !== undefined) {
          const parts = (near ?? '').split(',').map(Number);
          if (
            parts.length !== 2 ||
            parts.some((n) => !Number.isFinite(n)) ||
            Math.abs(parts[0]!) > 180 ||
            Math.abs(parts[1]!) > 90
          ) {
            throw badQuery('near', 'must be lon,lat in range');
          }
          if (radius === undefined) throw badQuery('radius', 'is required with near (metres)');
          filter.near = { lon: parts[0]!, lat: parts[1]!, metres: radius };
        }
        const page = await searchObjects(deps, request.actor, filter, { limit, offset });
        return { items: page.items.map(objectView), total: page.total, limit, offset };
      },
    );

    app.post(
      '/objects',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Add one protected object',
          body: createObjectBodySchema,
          response: { 201: protectedObjectSchema, 400: problemSchema },
        },
      },
      async (request, reply) => {
        const object = await createObject(deps, request.actor, request.body);
        return reply
          .status(201)
          .header('location', `/api/objects/${object.id}`)
          .send(objectView(object));
      },
    );

    app.post(
      '/objects/import',
      {
        config,
        bodyLimit: 1024 * 1024 * 1024,
        schema: {
          tags: ['register'],
          summary:
            'Import a file (GeoJSON, NDJSON, CSV+HXL, KML, OSM XML/PBF); atomic: any bad item and nothing is written',
          querystring: importQuerySchema,
          response: { 200: importReportSchema, 422: importReportSchema },
        },
      },
      async (request, reply) => {
        const { format, list, restriction, source, dryRun } = request.query;
        const body = request.body as Readable;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new CivitasError(
            'unsupported_media_type',
            `Send the file as the body with a media type such as ${IMPORT_TYPES.join(', ')}.`,
          );
        }
        const report = await importObjects(
          deps,
          request.actor,
          readerFor(format, body, source ? { source } : {}),
          {
            dryRun: dryRun === 'true',
            ...(list ? { list } : {}),
            ...(restriction ? { restriction } : {}),
            label: `api upload (${format})`,
            parallel: Number(request.headers['content-length'] ?? 0) >= PARALLEL_IMPORT_BYTES,
          },
        );
        return reply.status(report.errorCount > 0 ? 422 : 200).send(report);
      },
    );

    app.get(
      '/objects/export',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Export the register or a release (geojson, csv, kml), marked',
          querystring: exportQuerySchema,
        },
      },
      async (request, reply) => {
        const { format, release } = request.query;
        const result = await exportObjects(deps, request.actor, {
          format,
          ...(release ? { release } : {}),
        });
        const name = release ? `release-${release}` : 'register';
        return reply
          .type(MIME[format])
          .header('content-disposition', `attachment; filename="${name}.${format}"`)
          .send(result.body);
      },
    );

    app.get(
      '/objects/:id',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'One protected object',
          params: idParamsSchema,
          response: { 200: protectedObjectSchema, ...notFound },
        },
      },
      async (request) => objectView(await getObject(deps, request.actor, request.params.id)),
    );

    app.patch(
      '/objects/:id',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Change a protected object (a new version)',
          params: idParamsSchema,
          body: updateObjectBodySchema,
          response: { 200: protectedObjectSchema, 400: problemSchema, ...notFound },
        },
      },
      async (request) =>
        objectView(await updateObject(deps, request.actor, request.params.id, request.body)),
    );

    app.delete(
      '/objects/:id',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Delete a protected object (releases keep their copy)',
          params: idParamsSchema,
        },
      },
      async (request, reply) => {
        await deleteObject(deps, request.actor, request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/objects/:id/history',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'The audit history of a protected object',
          params: idParamsSchema,
          response: {
            200: z.array(
              z.object({
                seq: z.number(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                detail: z.record(z.string(), z.unknown()),
              }),
            ),
          },
        },
      },
      async (request) => {
        const object = await getObject(deps, request.actor, request.params.id);
        const events = await deps.store.audit.listForRecord('protected_object', object.id);
        return events.map((e) => ({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          detail: e.detail,
        }));
      },
    );

    app.get(
      '/releases',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'NSL/RTL releases, newest first',
          querystring: pageQuerySchema,
          response: { 200: releaseListSchema },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await listReleases(deps, request.actor, { limit, offset });
        return { items: page.items.map(releaseView), total: page.total, limit, offset };
      },
    );

    app.post(
      '/releases',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Start a draft release: freezes every object now on the NSL or RTL',
          body: createReleaseBodySchema,
          response: { 201: releaseSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(releaseView(await createDraftRelease(deps, request.actor, request.body.title))),
    );

    app.get(
      '/releases/:id',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'One release (id or number)',
          params: idParamsSchema,
          response: { 200: releaseSchema, ...notFound },
        },
      },
      async (request) => releaseView(await getRelease(deps, request.actor, request.params.id)),
    );

    app.post(
      '/releases/:id/submit',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Send a draft for review',
          params: idParamsSchema,
          response: { 200: releaseSchema, ...notFound },
        },
      },
      async (request) => releaseView(await submitRelease(deps, request.actor, request.params.id)),
    );

    app.post(
      '/releases/:id/approve',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'Approve a release under review (not by its author); it gets the next number',
          params: idParamsSchema,
          response: { 200: releaseSchema, ...notFound },
        },
      },
      async (request) => releaseView(await approveRelease(deps, request.actor, request.params.id)),
    );

    app.get(
      '/releases/:id/diff',
      {
        config,
        schema: {
          tags: ['register'],
          summary: 'What changed since the previous released release, or since `against`',
          params: idParamsSchema,
          querystring: z.object({ against: z.string().max(100).optional() }).strict(),
          response: { 200: releaseDiffSchema, ...notFound },
        },
      },
      async (request) => {
        const r = await compareReleases(
          deps,
          request.actor,
          request.params.id,
          request.query.against,
        );
        return {
          release: releaseView(r.release),
          against: r.against ? releaseView(r.against) : null,
          diff: r.diff,
        };
      },
    );
  };
}
