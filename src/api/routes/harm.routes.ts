import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  assessmentBodySchema,
  casualtySchema,
  createCasualtyBodySchema,
  createHarmReportBodySchema,
  createResponseBodySchema,
  findCandidatesResultSchema,
  harmCandidateListSchema,
  harmCandidateQuerySchema,
  harmCandidateSchema,
  harmIncidentListSchema,
  harmIncidentQuerySchema,
  harmIncidentSchema,
  harmReportListSchema,
  harmReportQuerySchema,
  harmReportSchema,
  harmResponseSchema,
  harmStatsQuerySchema,
  harmStatsSchema,
  idParamsSchema,
  mergeBodySchema,
  problemSchema,
  splitBodySchema,
  splitResultSchema,
  updateResponseBodySchema,
} from '../../contract/index.js';
import type { HarmIncidentView, HarmReportView } from '../../contract/index.js';
import type { HarmIncident, HarmReport } from '../../domain/harm/harm.js';
import type { ServiceDeps } from '../../service/deps.js';
import {
  acceptCandidate,
  addCasualty,
  assessIncident,
  createReport,
  createResponse,
  findCandidates,
  getIncident,
  getReport,
  harmStats,
  listCandidates,
  listCasualties,
  listIncidents,
  listReports,
  listResponses,
  mergeIncidents,
  rejectCandidate,
  reopenCandidate,
  splitIncident,
  updateResponse,
} from '../../service/harm/harm.service.js';

/** A report as the contract types it (mutable arrays). */
function reportView(r: HarmReport): HarmReportView {
  return { ...r, warnings: [...r.warnings], topics: [...r.topics] };
}

/** An incident as the contract types it. */
function incidentView(i: HarmIncident): HarmIncidentView {
  return { ...i, topics: [...i.topics] };
}

/**
 * Civilian harm tracking: reports, incidents and their correlation, assessment, responses,
 * casualties and statistics (docs/harm.md).
 */
export function harmRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const config = { policy: 'signed-in' as const };
    const tags = ['harm'];
    const notFound = { 404: problemSchema };
    const invalid = { 400: problemSchema, 422: problemSchema };

    app.post(
      '/harm/reports',
      {
        config,
        schema: {
          tags,
          summary: 'File a report of civilian harm (it gets an incident of its own)',
          body: createHarmReportBodySchema,
          response: { 201: harmReportSchema, ...invalid },
        },
      },
      async (request, reply) => {
        const report = await createReport(deps, request.actor, request.body);
        return reply
          .status(201)
          .header('location', `/api/harm/reports/${report.id}`)
          .send(reportView(report));
      },
    );

    app.get(
      '/harm/reports',
      {
        config,
        schema: {
          tags,
          summary: 'Reports you may see, newest first (never with reporter details)',
          querystring: harmReportQuerySchema,
          response: { 200: harmReportListSchema },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        const page = await listReports(deps, request.actor, filter, { limit, offset });
        return { items: page.items.map(reportView), total: page.total, limit, offset };
      },
    );

    app.get(
      '/harm/reports/:id',
      {
        config,
        schema: {
          tags,
          summary: 'One report; reporter contact and confidential narrative only with need-to-know',
          params: idParamsSchema,
          response: { 200: harmReportSchema, ...notFound },
        },
      },
      async (request) => reportView(await getReport(deps, request.actor, request.params.id)),
    );

    app.get(
      '/harm/incidents',
      {
        config,
        schema: {
          tags,
          summary: 'Incidents you may see, newest first',
          querystring: harmIncidentQuerySchema,
          response: { 200: harmIncidentListSchema },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        const page = await listIncidents(deps, request.actor, filter, { limit, offset });
        return { items: page.items.map(incidentView), total: page.total, limit, offset };
      },
    );

    app.get(
      '/harm/incidents/:id',
      {
        config,
        schema: {
          tags,
          summary: 'One incident with its reconciled figures',
          params: idParamsSchema,
          response: { 200: harmIncidentSchema, ...notFound },
        },
      },
      async (request) => incidentView(await getIncident(deps, request.actor, request.params.id)),
    );

    app.put(
      '/harm/incidents/:id/assessment',
      {
        config,
        schema: {
          tags,
          summary: 'Grade an incident, attribute it and set its investigation status',
          params: idParamsSchema,
          body: assessmentBodySchema,
          response: { 200: harmIncidentSchema, ...invalid, ...notFound },
        },
      },
      async (request) =>
        incidentView(await assessIncident(deps, request.actor, request.params.id, request.body)),
    );

    app.post(
      '/harm/incidents/:id/merge',
      {
        config,
        schema: {
          tags,
          summary: 'Merge other incidents into this one',
          params: idParamsSchema,
          body: mergeBodySchema,
          response: { 200: harmIncidentSchema, ...invalid, ...notFound },
        },
      },
      async (request) =>
        incidentView(
          await mergeIncidents(deps, request.actor, request.params.id, request.body.incidentIds),
        ),
    );

    app.post(
      '/harm/incidents/:id/split',
      {
        config,
        schema: {
          tags,
          summary: 'Split reports off this incident into a new one',
          params: idParamsSchema,
          body: splitBodySchema,
          response: { 200: splitResultSchema, ...invalid, ...notFound },
        },
      },
      async (request) => {
        const { kept, split } = await splitIncident(
          deps,
          request.actor,
          request.params.id,
          request.body.reportIds,
        );
        return { kept: incidentView(kept), split: incidentView(split) };
      },
    );

    app.get(
      '/harm/incidents/:id/responses',
      {
        config,
        schema: {
          tags,
          summary: 'Responses to an incident',
          params: idParamsSchema,
          response: { 200: harmResponseSchema.array(), ...notFound },
        },
      },
      async (request) => listResponses(deps, request.actor, request.params.id),
    );

    app.post(
      '/harm/incidents/:id/responses',
      {
        config,
        schema: {
          tags,
          summary: 'Record a response: acknowledgement, apology, payment, assistance, referral',
          params: idParamsSchema,
          body: createResponseBodySchema,
          response: { 201: harmResponseSchema, ...invalid, ...notFound },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createResponse(deps, request.actor, request.params.id, request.body)),
    );

    app.patch(
      '/harm/responses/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Change a response’s status, due date or note',
          params: idParamsSchema,
          body: updateResponseBodySchema,
          response: { 200: harmResponseSchema, ...invalid, ...notFound },
        },
      },
      async (request) => updateResponse(deps, request.actor, request.params.id, request.body),
    );

    app.get(
      '/harm/incidents/:id/casualties',
      {
        config,
        schema: {
          tags,
          summary: 'Casualties of an incident; names only with need-to-know',
          params: idParamsSchema,
          response: { 200: casualtySchema.array(), ...notFound },
        },
      },
      async (request) => listCasualties(deps, request.actor, request.params.id),
    );

    app.post(
      '/harm/incidents/:id/casualties',
      {
        config,
        schema: {
          tags,
          summary: 'Record one casualty (the name is encrypted)',
          params: idParamsSchema,
          body: createCasualtyBodySchema,
          response: { 201: casualtySchema, ...invalid, ...notFound },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addCasualty(deps, request.actor, request.params.id, request.body)),
    );

    app.post(
      '/harm/candidates/find',
      {
        config,
        schema: {
          tags,
          summary: 'Run correlation and record new candidate pairs',
          response: { 200: findCandidatesResultSchema },
        },
      },
      async (request) => ({ added: await findCandidates(deps, request.actor) }),
    );

    app.get(
      '/harm/candidates',
      {
        config,
        schema: {
          tags,
          summary: 'Candidate pairs whose two reports you may see, best first',
          querystring: harmCandidateQuerySchema,
          response: { 200: harmCandidateListSchema },
        },
      },
      async (request) => {
        const { limit, offset, status } = request.query;
        const page = await listCandidates(deps, request.actor, status, { limit, offset });
        const items = page.items.map((c) => ({ ...c, reports: c.reports.map(reportView) }));
        return { items, total: page.total, limit, offset };
      },
    );

    app.post(
      '/harm/candidates/:id/accept',
      {
        config,
        schema: {
          tags,
          summary: 'Accept a candidate: its two reports’ incidents merge',
          params: idParamsSchema,
          response: { 200: harmIncidentSchema, 409: problemSchema, ...notFound },
        },
      },
      async (request) =>
        incidentView(await acceptCandidate(deps, request.actor, request.params.id)),
    );

    for (const [verb, run, summary] of [
      ['reject', rejectCandidate, 'Reject a candidate: not one event; not proposed again'],
      ['reopen', reopenCandidate, 'Reopen a decided candidate'],
    ] as const) {
      app.post(
        `/harm/candidates/:id/${verb}`,
        {
          config,
          schema: {
            tags,
            summary,
            params: idParamsSchema,
            response: { 200: harmCandidateSchema, 409: problemSchema, ...notFound },
          },
        },
        async (request) => run(deps, request.actor, request.params.id),
      );
    }

    app.get(
      '/harm/stats',
      {
        config,
        schema: {
          tags,
          summary: 'Civilians killed and injured (low/best/high) over the incidents you may see',
          querystring: harmStatsQuerySchema,
          response: { 200: harmStatsSchema },
        },
      },
      async (request) => {
        const stats = await harmStats(deps, request.actor, request.query);
        return {
          ...stats,
          byMonth: [...stats.byMonth],
          byWeek: [...stats.byWeek],
          byArea: [...stats.byArea],
          byCause: [...stats.byCause],
          byAttribution: [...stats.byAttribution],
        };
      },
    );
  };
}
