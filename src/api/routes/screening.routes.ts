import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createScreeningBodySchema,
  effectClassListSchema,
  effectClassParamsSchema,
  effectClassSchema,
  idParamsSchema,
  pageQuerySchema,
  parseAimpointsBodySchema,
  parseAimpointsResultSchema,
  problemSchema,
  putEffectClassBodySchema,
  screeningListSchema,
  screeningSchema,
  type EffectClassView,
  type ScreeningSummaryView,
  type ScreeningView,
} from '../../contract/index.js';
import type { EffectClass } from '../../domain/screening/screening.js';
import type { ServiceDeps } from '../../service/deps.js';
import {
  deleteEffectClass,
  listEffectClasses,
  putEffectClass,
} from '../../service/screening/effect-class.service.js';
import { exportFlagSheet } from '../../service/screening/flag-sheet.js';
import {
  createScreening,
  getScreening,
  listScreenings,
  parsePlannerInput,
  type ScreeningFor,
  type ScreeningSummaryFor,
} from '../../service/screening/register-screening.service.js';

function effectClassView(e: EffectClass): EffectClassView {
  return {
    code: e.code,
    label: e.label,
    radius_m: e.radiusMetres,
    ...(e.description ? { description: e.description } : {}),
    updated_at: e.updatedAt,
    updated_by: e.updatedBy,
  };
}

/** A screening summary as the contract names it. */
export function screeningSummaryView(s: ScreeningSummaryFor): ScreeningSummaryView {
  const h = s.header;
  return {
    id: h.id,
    title: h.title,
    plan_reference: h.planReference,
    release: h.release ? { number: h.release.number, status: h.release.status } : null,
    created_at: h.createdAt,
    created_by: s.createdBy,
    result_digest: h.resultDigest,
    marking: s.marking,
    population_threshold: h.populationThreshold,
    aimpoint_count: h.aimpointCount,
    flagged_count: s.flaggedCount,
  };
}

/** A screening with its aimpoints as the contract names it. */
export function screeningView(s: ScreeningFor): ScreeningView {
  return {
    ...screeningSummaryView(s),
    aimpoints: s.aimpoints.map((a) => ({ ...a, flags: [...a.flags], hits: [...a.hits] })),
  };
}

/** A plan of 100,000 aimpoints is about 15 MB of JSON: more than the default body limit. */
const PLAN_BODY_LIMIT = 64 * 1024 * 1024;

/** Harm-mitigation screening in register mode, its flag sheets and the effect classes. */
export function screeningRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { policy: 'signed-in' as const };
    const tags = ['screening'];
    const notFound = { 404: problemSchema };

    app.get(
      '/effect-classes',
      {
        config,
        schema: {
          tags,
          summary: "The deployment's effect classes (named effect radii), smallest first",
          response: { 200: effectClassListSchema },
        },
      },
      async (request) => ({
        items: (await listEffectClasses(deps, request.actor)).map(effectClassView),
      }),
    );

    app.put(
      '/effect-classes/:code',
      {
        config,
        schema: {
          tags,
          summary: 'Create or replace an effect class (audited)',
          params: effectClassParamsSchema,
          body: putEffectClassBodySchema,
          response: { 200: effectClassSchema, 400: problemSchema },
        },
      },
      async (request) =>
        effectClassView(
          await putEffectClass(deps, request.actor, request.params.code, {
            label: request.body.label,
            radiusMetres: request.body.radius_m,
            description: request.body.description,
          }),
        ),
    );

    app.delete(
      '/effect-classes/:code',
      {
        config,
        schema: {
          tags,
          summary: 'Delete an effect class (saved screenings keep their radii; audited)',
          params: effectClassParamsSchema,
        },
      },
      async (request, reply) => {
        await deleteEffectClass(deps, request.actor, request.params.code);
        return reply.status(204).send();
      },
    );

    app.post(
      '/screenings/parse',
      {
        config,
        bodyLimit: PLAN_BODY_LIMIT,
        schema: {
          tags,
          summary:
            'Read planner aimpoints (MGRS, lat/lon, DMS; text, CSV or GeoJSON); every bad line is listed',
          body: parseAimpointsBodySchema,
          response: { 200: parseAimpointsResultSchema, 400: problemSchema },
        },
      },
      async (request) => parsePlannerInput(deps, request.actor, request.body),
    );

    app.post(
      '/screenings',
      {
        config,
        bodyLimit: PLAN_BODY_LIMIT,
        schema: {
          tags,
          summary:
            'Screen aimpoints against the current register or a release; saved with its digest (audited)',
          body: createScreeningBodySchema,
          response: { 201: screeningSchema, 400: problemSchema, ...notFound },
        },
      },
      async (request, reply) => {
        const view = await createScreening(deps, request.actor, request.body);
        return reply
          .status(201)
          .header('location', `/api/screenings/${view.header.id}`)
          .send(screeningView(view));
      },
    );

    app.get(
      '/screenings',
      {
        config,
        schema: {
          tags,
          summary: 'Saved screenings the caller may see, newest first',
          querystring: pageQuerySchema,
          response: { 200: screeningListSchema },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await listScreenings(deps, request.actor, { limit, offset });
        return { items: page.items.map(screeningSummaryView), total: page.total, limit, offset };
      },
    );

    app.get(
      '/screenings/:id',
      {
        config,
        schema: {
          tags,
          summary: 'One screening, with the hits the caller may see and the others withheld',
          params: idParamsSchema,
          response: { 200: screeningSchema, ...notFound },
        },
      },
      async (request) => screeningView(await getScreening(deps, request.actor, request.params.id)),
    );

    app.get(
      '/screenings/:id/flag-sheet.csv',
      {
        config,
        schema: {
          tags,
          summary: 'The flag sheet as CSV: marking row first, formula-neutralised (audited)',
          params: idParamsSchema,
        },
      },
      async (request, reply) => {
        const { body } = await exportFlagSheet(deps, request.actor, request.params.id, 'csv');
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="screening-${request.params.id}.csv"`,
          )
          .send(body);
      },
    );

    app.get(
      '/screenings/:id/flag-sheet.pdf',
      {
        config,
        schema: {
          tags,
          summary: 'The flag sheet as PDF, marked at the top and bottom of every page (audited)',
          params: idParamsSchema,
        },
      },
      async (request, reply) => {
        const { body } = await exportFlagSheet(deps, request.actor, request.params.id, 'pdf');
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `attachment; filename="screening-${request.params.id}.pdf"`,
          )
          .send(body);
      },
    );
  };
}
