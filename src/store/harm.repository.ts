import type { Kysely, Selectable } from 'kysely';
import type { Viewer } from '../domain/access/viewer.js';
import type {
  Assessment,
  Breakdown,
  BreakdownEstimate,
  DamagedObject,
  Casualty,
  HarmCandidate,
  HarmIncident,
  HarmReport,
  HarmResponse,
  HarmWarning,
} from '../domain/harm/harm.js';
import { isoWeek } from '../domain/harm/harm-rules.js';
import type {
  CivilianStatus,
  HarmCause,
  HarmSourceType,
  Party,
  ResponseStatus,
  ResponseType,
  SourceReliability,
} from '../domain/harm/harm-codes.js';
import type {
  AgeGroup,
  Classification,
  CrossCuttingTopic,
  DatePrecision,
  LocationPrecision,
  Sex,
} from '../domain/taxonomy/index.js';
import { fieldAad, type FieldCipher } from './crypto/field-cipher.js';
import { applyStatsDelta, breakdownRow, harmStatistics } from './harm-stats.js';
import { decodeReleasability, encodeReleasability, visibleTo } from './marking-sql.js';
import type { HarmRepository, IncidentFilter } from './ports.js';
import type {
  Database,
  HarmEventColumns,
  HarmIncidentTable,
  HarmReportTable,
  HarmResponseTable,
} from './schema/database.js';

type EventFields = Pick<
  HarmIncident,
  'location' | 'date' | 'cause' | 'killed' | 'injured' | 'marking' | 'topics'
> & { createdAt: string; createdBy: string; updatedAt: string; updatedBy: string };

function eventRow(e: EventFields): HarmEventColumns {
  return {
    lon: e.location.lon,
    lat: e.location.lat,
    location_precision: e.location.precision,
    admin_code: e.location.adminCode,
    admin_name: e.location.adminName,
    place: e.location.place,
    date_start: e.date.start,
    date_end: e.date.end,
    date_precision: e.date.precision,
    cause: e.cause,
    killed_low: e.killed.low,
    killed_best: e.killed.best,
    killed_high: e.killed.high,
    injured_low: e.injured.low,
    injured_best: e.injured.best,
    injured_high: e.injured.high,
    topics: JSON.stringify(e.topics),
    classification: e.marking.classification,
    releasability: encodeReleasability(e.marking.releasability),
    created_at: e.createdAt,
    created_by: e.createdBy,
    updated_at: e.updatedAt,
    updated_by: e.updatedBy,
  };
}

function eventFields(r: HarmEventColumns): EventFields {
  return {
    location: {
      lon: r.lon,
      lat: r.lat,
      precision: r.location_precision as LocationPrecision,
      adminCode: r.admin_code,
      adminName: r.admin_name,
      place: r.place,
    },
    date: { start: r.date_start, end: r.date_end, precision: r.date_precision as DatePrecision },
    cause: r.cause as HarmCause,
    killed: { low: r.killed_low, best: r.killed_best, high: r.killed_high },
    injured: { low: r.injured_low, best: r.injured_best, high: r.injured_high },
    topics: JSON.parse(r.topics) as CrossCuttingTopic[],
    marking: {
      classification: r.classification as Classification,
      releasability: decodeReleasability(r.releasability),
    },
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

const BATCH = 200;

function toIncident(r: Selectable<HarmIncidentTable>): HarmIncident {
  return {
    id: r.id,
    title: r.title,
    reportCount: r.report_count,
    killedBreakdown: JSON.parse(r.killed_breakdown) as BreakdownEstimate,
    injuredBreakdown: JSON.parse(r.injured_breakdown) as BreakdownEstimate,
    assessment: r.assessment === null ? null : (JSON.parse(r.assessment) as Assessment),
    ...eventFields(r),
  };
}

function incidentRow(i: HarmIncident, mergedInto: string | null = null): HarmIncidentTable {
  return {
    id: i.id,
    title: i.title,
    report_count: i.reportCount,
    merged_into: mergedInto,
    grade: i.assessment?.grade ?? null,
    attribution: i.assessment?.attribution ?? null,
    assessment: i.assessment === null ? null : JSON.stringify(i.assessment),
    week: isoWeek(i.date.start),
    killed_breakdown: JSON.stringify(i.killedBreakdown),
    injured_breakdown: JSON.stringify(i.injuredBreakdown),
    ...eventRow(i),
    // The breakdown's figures, one integer column each (store/harm-stats.ts), for statistics.
    ...(breakdownRow(i) as object),
  };
}

const num = (v: unknown): number => Number(v ?? 0);

/**
 * Civilian harm records on SQLite and PostgreSQL. Reporter contact, the confidential
 * narrative, payment recipients and casualty names are encrypted with the field cipher, bound
 * to their row; reads filter by the viewer's marking inside the query.
 *
 * @example
 * const page = await store.harm.listIncidents(viewer, { from: '2022-01-01' }, { limit: 50, offset: 0 });
 */
export function createHarmRepository(db: Kysely<Database>, cipher: FieldCipher): HarmRepository {
  const aad = (table: string, field: string, id: string) => fieldAad(table, field, id);

  const reportRow = (r: HarmReport): HarmReportTable => ({
    id: r.id,
    incident_id: r.incidentId,
    source_type: r.sourceType,
    reliability: r.reliability,
    source_name: r.sourceName,
    source_ref: r.sourceRef,
    sources: JSON.stringify(r.sources),
    received_at: r.receivedAt,
    reporter_contact_enc: cipher.encrypt(
      r.reporterContact,
      aad('harm_report', 'reporter_contact', r.id),
    ),
    narrative_enc: cipher.encrypt(r.narrative.confidential, aad('harm_report', 'narrative', r.id)),
    narrative_releasable: r.narrative.releasable,
    killed_breakdown: JSON.stringify(r.killedBreakdown),
    injured_breakdown: JSON.stringify(r.injuredBreakdown),
    suspected_party: r.suspectedParty,
    warnings: JSON.stringify(r.warnings),
    damaged_objects: JSON.stringify(r.damagedObjects),
    ...eventRow(r),
  });

  const toReport = (r: Selectable<HarmReportTable>, sensitive: boolean): HarmReport => {
    const e = eventFields(r);
    return {
      id: r.id,
      incidentId: r.incident_id,
      sourceType: r.source_type as HarmSourceType,
      reliability: r.reliability as SourceReliability,
      sourceName: r.source_name,
      sourceRef: r.source_ref,
      sources: JSON.parse(r.sources) as HarmReport['sources'],
      receivedAt: r.received_at,
      reporterContact: sensitive
        ? cipher.decrypt(r.reporter_contact_enc, aad('harm_report', 'reporter_contact', r.id))
        : '',
      narrative: {
        confidential: sensitive
          ? cipher.decrypt(r.narrative_enc, aad('harm_report', 'narrative', r.id))
          : '',
        releasable: r.narrative_releasable,
      },
      killedBreakdown: JSON.parse(r.killed_breakdown) as Breakdown,
      injuredBreakdown: JSON.parse(r.injured_breakdown) as Breakdown,
      suspectedParty: r.suspected_party as Party,
      warnings: JSON.parse(r.warnings) as HarmWarning[],
      damagedObjects: JSON.parse(r.damaged_objects) as DamagedObject[],
      ...e,
      location: e.location,
      marking: e.marking,
      topics: [...e.topics],
    };
  };

  const responseRow = (r: HarmResponse): HarmResponseTable => ({
    id: r.id,
    incident_id: r.incidentId,
    type: r.type,
    status: r.status,
    due_date: r.dueDate,
    amount: r.amount,
    currency: r.currency,
    recipient_ref_enc: cipher.encrypt(r.recipientRef, aad('harm_response', 'recipient_ref', r.id)),
    note: r.note,
    created_at: r.createdAt,
    created_by: r.createdBy,
    updated_at: r.updatedAt,
    updated_by: r.updatedBy,
  });

  const toResponse = (r: HarmResponseTable): HarmResponse => ({
    id: r.id,
    incidentId: r.incident_id,
    type: r.type as ResponseType,
    status: r.status as ResponseStatus,
    dueDate: r.due_date,
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency,
    recipientRef: cipher.decrypt(r.recipient_ref_enc, aad('harm_response', 'recipient_ref', r.id)),
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  });

  const visibleIncident = (viewer: Viewer) =>
    visibleTo('harm_incident', viewer, { compartment: false });
  const visibleReport = (viewer: Viewer) =>
    visibleTo('harm_report', viewer, { compartment: false });

  const incidentQuery = (viewer: Viewer, filter: IncidentFilter) => {
    let q = db
      .selectFrom('harm_incident')
      .where('merged_into', 'is', null)
      .where(visibleIncident(viewer));
    if (filter.from) q = q.where('date_start', '>=', filter.from);
    if (filter.to) q = q.where('date_start', '<=', filter.to);
    if (filter.area) {
      const area = filter.area;
      q = q.where((eb) =>
        eb.or([
          eb('admin_code', '=', area),
          eb.and([eb('admin_code', 'is', null), eb('admin_name', '=', area)]),
        ]),
      );
    }
    if (filter.grade) q = q.where('grade', '=', filter.grade);
    // Topics are a JSON array of codes; a code is quoted in it, so this cannot match a prefix.
    if (filter.topic) q = q.where('topics', 'like', `%${JSON.stringify(filter.topic)}%`);
    return q;
  };

  return {
    async insertIncidents(incidents) {
      const all = incidents.map((x) => incidentRow(x));
      for (let i = 0; i < all.length; i += BATCH) {
        await db
          .insertInto('harm_incident')
          .values(all.slice(i, i + BATCH))
          .execute();
      }
      await applyStatsDelta(db, all, 1);
    },

    async updateIncident(incident, mergedInto = null) {
      const row = incidentRow(incident, mergedInto);
      const before = await db
        .selectFrom('harm_incident')
        .selectAll()
        .where('id', '=', incident.id)
        .executeTakeFirst();
      const { id: _id, created_at: _c, created_by: _b, ...changes } = row;
      await db.updateTable('harm_incident').set(changes).where('id', '=', incident.id).execute();
      if (before && before.merged_into === null) await applyStatsDelta(db, [before], -1);
      if (mergedInto === null) await applyStatsDelta(db, [row], 1);
    },

    async getIncident(id, viewer) {
      const r = await db
        .selectFrom('harm_incident')
        .selectAll()
        .where('id', '=', id)
        .where('merged_into', 'is', null)
        .where(visibleIncident(viewer))
        .executeTakeFirst();
      return r ? toIncident(r) : undefined;
    },

    async mergedInto(id) {
      const r = await db
        .selectFrom('harm_incident')
        .select('merged_into')
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? r.merged_into : undefined;
    },

    async listIncidents(viewer, filter, page) {
      const q = incidentQuery(viewer, filter);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('date_start', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toIncident), total: num(total.n) };
    },

    async insertReports(reports) {
      for (let i = 0; i < reports.length; i += BATCH) {
        await db
          .insertInto('harm_report')
          .values(reports.slice(i, i + BATCH).map(reportRow))
          .execute();
      }
    },

    async updateReport(report) {
      const { id: _id, created_at: _c, created_by: _b, ...changes } = reportRow(report);
      await db.updateTable('harm_report').set(changes).where('id', '=', report.id).execute();
    },

    async getReport(id, viewer, sensitive) {
      const r = await db
        .selectFrom('harm_report')
        .selectAll()
        .where('id', '=', id)
        .where(visibleReport(viewer))
        .executeTakeFirst();
      return r ? toReport(r, sensitive) : undefined;
    },

    async listReports(viewer, filter, page, sensitive) {
      let q = db.selectFrom('harm_report').where(visibleReport(viewer));
      if (filter.incidentId) q = q.where('incident_id', '=', filter.incidentId);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('received_at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((r) => toReport(r, sensitive)), total: num(total.n) };
    },

    async reportsOf(incidentIds) {
      if (incidentIds.length === 0) return [];
      const rows = await db
        .selectFrom('harm_report')
        .selectAll()
        .where('incident_id', 'in', [...incidentIds])
        .orderBy('received_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => toReport(r, false));
    },

    async findBySource(sourceName, refs) {
      const found = new Map<string, { id: string; incidentId: string }>();
      for (let i = 0; i < refs.length; i += 500) {
        const rows = await db
          .selectFrom('harm_report')
          .select(['id', 'incident_id', 'source_ref'])
          .where('source_name', '=', sourceName)
          .where('source_ref', 'in', refs.slice(i, i + 500))
          .execute();
        for (const r of rows) found.set(r.source_ref!, { id: r.id, incidentId: r.incident_id });
      }
      return found;
    },

    async moveReports(reportIds, incidentId) {
      if (reportIds.length === 0) return;
      await db
        .updateTable('harm_report')
        .set({ incident_id: incidentId })
        .where('id', 'in', [...reportIds])
        .execute();
    },

    async reportPoints() {
      const rows = await db
        .selectFrom('harm_report')
        .select([
          'id',
          'incident_id',
          'lon',
          'lat',
          'location_precision',
          'date_start',
          'date_end',
          'date_precision',
          'source_type',
          'source_name',
        ])
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        lon: r.lon,
        lat: r.lat,
        locationPrecision: r.location_precision,
        dateStart: r.date_start,
        dateEnd: r.date_end,
        datePrecision: r.date_precision,
        // Records of one published dataset are distinct events by its own coding.
        dataset: r.source_type === 'DATASET' ? r.source_name : null,
      }));
    },

    async insertCandidates(candidates) {
      for (let i = 0; i < candidates.length; i += BATCH) {
        await db
          .insertInto('harm_candidate')
          .values(
            candidates.slice(i, i + BATCH).map((c) => ({
              id: c.id,
              report_a: c.reportA,
              report_b: c.reportB,
              score: c.score,
              distance_km: c.distanceKm,
              day_gap: c.dayGap,
              status: c.status,
              decided_at: c.decidedAt,
              decided_by: c.decidedBy,
            })),
          )
          .execute();
      }
    },

    async candidateKeys() {
      const rows = await db.selectFrom('harm_candidate').select(['report_a', 'report_b']).execute();
      return new Set(rows.map((r) => `${r.report_a}|${r.report_b}`));
    },

    async getCandidate(id) {
      const r = await db
        .selectFrom('harm_candidate')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toCandidate(r) : undefined;
    },

    async listCandidates(status, page) {
      let q = db.selectFrom('harm_candidate');
      if (status) q = q.where('status', '=', status);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('score', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toCandidate), total: num(total.n) };
    },

    async setCandidateStatus(id, status, by, at) {
      await db
        .updateTable('harm_candidate')
        .set({ status, decided_by: by, decided_at: at })
        .where('id', '=', id)
        .execute();
    },

    async insertResponse(response) {
      await db.insertInto('harm_response').values(responseRow(response)).execute();
    },

    async updateResponse(response) {
      const { id: _id, created_at: _c, created_by: _b, ...changes } = responseRow(response);
      await db.updateTable('harm_response').set(changes).where('id', '=', response.id).execute();
    },

    async getResponse(id) {
      const r = await db
        .selectFrom('harm_response')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toResponse(r) : undefined;
    },

    async listResponses(incidentId) {
      const rows = await db
        .selectFrom('harm_response')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toResponse);
    },

    async insertCasualty(c) {
      await db
        .insertInto('harm_casualty')
        .values({
          id: c.id,
          incident_id: c.incidentId,
          name_enc: cipher.encrypt(c.name ?? '', aad('harm_casualty', 'name', c.id)),
          sex: c.sex,
          age_years: c.ageYears,
          age_group: c.ageGroup,
          civilian_status: c.civilianStatus,
          outcome: c.outcome,
          date: c.date,
          place: c.place,
          created_at: c.createdAt,
          created_by: c.createdBy,
        })
        .execute();
    },

    async listCasualties(incidentId, names) {
      const rows = await db
        .selectFrom('harm_casualty')
        .innerJoin('harm_incident', 'harm_incident.id', 'harm_casualty.incident_id')
        .selectAll('harm_casualty')
        .select(['harm_incident.classification', 'harm_incident.releasability'])
        .where('harm_casualty.incident_id', '=', incidentId)
        .orderBy('harm_casualty.created_at')
        .orderBy('harm_casualty.id')
        .execute();
      return rows.map((r) => {
        const casualty: Casualty = {
          id: r.id,
          incidentId: r.incident_id,
          name: null,
          sex: r.sex as Sex,
          ageYears: r.age_years,
          ageGroup: r.age_group as AgeGroup,
          civilianStatus: r.civilian_status as CivilianStatus,
          outcome: r.outcome as Casualty['outcome'],
          date: r.date,
          place: r.place,
          marking: {
            classification: r.classification as Classification,
            releasability: decodeReleasability(r.releasability),
          },
          createdAt: r.created_at,
          createdBy: r.created_by,
        };
        return names(casualty)
          ? { ...casualty, name: cipher.decrypt(r.name_enc, aad('harm_casualty', 'name', r.id)) }
          : casualty;
      });
    },

    async moveCasualtiesAndResponses(fromIncidentIds, to) {
      if (fromIncidentIds.length === 0) return;
      for (const table of ['harm_casualty', 'harm_response'] as const) {
        await db
          .updateTable(table)
          .set({ incident_id: to })
          .where('incident_id', 'in', [...fromIncidentIds])
          .execute();
      }
    },

    async stats(viewer, filter, parts) {
      return harmStatistics(db, viewer, filter, parts);
    },

    async insertLesson(lesson) {
      await db
        .insertInto('harm_lesson')
        .values({
          id: lesson.id,
          incident_id: lesson.incidentId,
          title: lesson.title,
          observation: lesson.observation,
          classification: lesson.marking.classification,
          releasability: encodeReleasability(lesson.marking.releasability),
          created_at: lesson.createdAt,
          created_by: lesson.createdBy,
        })
        .execute();
    },

    async listLessons(viewer, incidentId, page) {
      let q = db
        .selectFrom('harm_lesson')
        .where(visibleTo('harm_lesson', viewer, { compartment: false }));
      if (incidentId !== null) q = q.where('incident_id', '=', incidentId);
      const [rows, total] = await Promise.all([
        q
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          incidentId: r.incident_id,
          title: r.title,
          observation: r.observation,
          marking: {
            classification: r.classification as Classification,
            releasability: decodeReleasability(r.releasability),
          },
          createdAt: r.created_at,
          createdBy: r.created_by,
        })),
        total: num(total.n),
      };
    },

    async reencrypt(next) {
      let count = 0;
      const again = (stored: string, context: string) =>
        next.encrypt(cipher.decrypt(stored, context), context);
      const reports = await db
        .selectFrom('harm_report')
        .select(['id', 'reporter_contact_enc', 'narrative_enc'])
        .execute();
      for (const r of reports) {
        await db
          .updateTable('harm_report')
          .set({
            reporter_contact_enc: again(
              r.reporter_contact_enc,
              aad('harm_report', 'reporter_contact', r.id),
            ),
            narrative_enc: again(r.narrative_enc, aad('harm_report', 'narrative', r.id)),
          })
          .where('id', '=', r.id)
          .execute();
      }
      const responses = await db
        .selectFrom('harm_response')
        .select(['id', 'recipient_ref_enc'])
        .execute();
      for (const r of responses) {
        await db
          .updateTable('harm_response')
          .set({
            recipient_ref_enc: again(
              r.recipient_ref_enc,
              aad('harm_response', 'recipient_ref', r.id),
            ),
          })
          .where('id', '=', r.id)
          .execute();
      }
      const casualties = await db.selectFrom('harm_casualty').select(['id', 'name_enc']).execute();
      for (const r of casualties) {
        await db
          .updateTable('harm_casualty')
          .set({ name_enc: again(r.name_enc, aad('harm_casualty', 'name', r.id)) })
          .where('id', '=', r.id)
          .execute();
      }
      count += reports.length + responses.length + casualties.length;
      return count;
    },
  };
}

function toCandidate(r: {
  id: string;
  report_a: string;
  report_b: string;
  score: number;
  distance_km: number;
  day_gap: number;
  status: string;
  decided_at: string | null;
  decided_by: string | null;
}): HarmCandidate {
  return {
    id: r.id,
    reportA: r.report_a,
    reportB: r.report_b,
    score: Number(r.score),
    distanceKm: Number(r.distance_km),
    dayGap: r.day_gap,
    status: r.status as HarmCandidate['status'],
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
  };
}
