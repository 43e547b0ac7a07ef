import { canSee } from '../../domain/access/viewer.js';
import type {
  Estimate,
  HarmIncident,
  HarmReport,
  HarmStatsFilter,
} from '../../domain/harm/harm.js';
import {
  combineMarkings,
  DatePrecision,
  formatMarking,
  LocationPrecision,
} from '../../domain/taxonomy/index.js';
import { authorize, viewerOf } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { csvWithMarking } from '../export/csv.js';

export const HARM_EXPORT_FORMATS = ['csv', 'hxl', 'geojson'] as const;
export type HarmExportFormat = (typeof HARM_EXPORT_FORMATS)[number];

/** An export, ready to write or send. */
export interface HarmExport {
  readonly body: string;
  readonly contentType: string;
  readonly extension: 'csv' | 'geojson';
  readonly incidents: number;
  readonly reports: number;
}

const PAGE = 500;

/**
 * The columns of a CSV/HXL export: name, HXL hashtag (empty: untagged) and value. The best
 * figures come before their low/high so that the import's `#affected+killed` pattern finds the
 * best one first.
 */
const COLUMNS: readonly [string, string, (i: HarmIncident, sources: string) => unknown][] = [
  ['id', '#event+id', (i) => i.id],
  ['title', '#event+name', (i) => i.title],
  ['date_start', '#date+start', (i) => i.date.start],
  ['date_end', '#date+end', (i) => i.date.end],
  ['date_precision', '', (i) => i.date.precision],
  ['lat', '#geo+lat', (i) => i.location.lat],
  ['lon', '#geo+lon', (i) => i.location.lon],
  ['location_precision', '', (i) => i.location.precision],
  ['admin_code', '#adm1+code', (i) => i.location.adminCode],
  ['admin_name', '#adm1+name', (i) => i.location.adminName],
  ['place', '#loc+name', (i) => i.location.place],
  ['cause', '#cause', (i) => i.cause],
  ['killed_best', '#affected+killed', (i) => i.killed.best],
  ['killed_low', '#affected+killed+min', (i) => i.killed.low],
  ['killed_high', '#affected+killed+max', (i) => i.killed.high],
  ['killed_f', '#affected+killed+f', (i) => i.killedBreakdown.sex.FEMALE?.best],
  ['killed_m', '#affected+killed+m', (i) => i.killedBreakdown.sex.MALE?.best],
  ['killed_children', '#affected+killed+children', (i) => i.killedBreakdown.age.CHILD?.best],
  ['injured_best', '#affected+injured', (i) => i.injured.best],
  ['injured_low', '#affected+injured+min', (i) => i.injured.low],
  ['injured_high', '#affected+injured+max', (i) => i.injured.high],
  ['injured_f', '#affected+injured+f', (i) => i.injuredBreakdown.sex.FEMALE?.best],
  ['injured_m', '#affected+injured+m', (i) => i.injuredBreakdown.sex.MALE?.best],
  ['injured_children', '#affected+injured+children', (i) => i.injuredBreakdown.age.CHILD?.best],
  ['grade', '', (i) => i.assessment?.grade],
  ['attribution', '', (i) => i.assessment?.attribution],
  ['classification', '', (i) => i.marking.classification],
  ['releasability', '', (i) => i.marking.releasability.join(' ')],
  ['report_count', '', (i) => i.reportCount],
  ['source_names', '#meta+source', (_i, sources) => sources],
];

/** The fields of a report an export may carry: never contact, confidential narrative or names. */
function releasableReport(r: HarmReport) {
  return {
    id: r.id,
    sourceType: r.sourceType,
    reliability: r.reliability,
    sourceName: r.sourceName,
    sourceRef: r.sourceRef,
    receivedAt: r.receivedAt,
    date: r.date,
    location: r.location,
    killed: r.killed,
    injured: r.injured,
    cause: r.cause,
    narrative: r.narrative.releasable,
    classification: r.marking.classification,
    releasability: r.marking.releasability,
  };
}

/** An estimate as UCDP GED's `best`/`low`/`high`, so the import rebuilds the same range. */
const ged = (e: Estimate) => ({ deaths_civilians: e.best, best: e.best, low: e.low, high: e.high });

/**
 * Exports the incidents the caller may see (start date within [from, to], in an area) as CSV,
 * HXL-tagged CSV or GeoJSON, audited. Incidents and reports above the caller's clearance or not
 * releasable to them are left out, never redacted in place; reporter contact, the confidential
 * narrative, casualty names and payment recipients are never exported (none of them is even
 * read). The file's marking line (or GeoJSON `marking`) is the combined marking of what it
 * holds. HXL and GeoJSON re-import with `civitas harm import` (docs/harm.md).
 *
 * @example
 * const file = await exportHarm(deps, actor, { format: 'hxl', filter: { from: '2024-01-01' } });
 */
export async function exportHarm(
  deps: ServiceDeps,
  actor: Actor | undefined,
  options: { format: HarmExportFormat; filter: HarmStatsFilter },
): Promise<HarmExport> {
  await authorize(deps, actor, 'harm_incident', 'export');
  const viewer = viewerOf(actor!);
  const incidents: HarmIncident[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await deps.store.harm.listIncidents(viewer, options.filter, {
      limit: PAGE,
      offset,
    });
    incidents.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  const reports = new Map<string, HarmReport[]>();
  for (let i = 0; i < incidents.length; i += PAGE) {
    const ids = incidents.slice(i, i + PAGE).map((x) => x.id);
    for (const r of await deps.store.harm.reportsOf(ids)) {
      if (!canSee(viewer, r.marking, null)) continue;
      reports.set(r.incidentId, [...(reports.get(r.incidentId) ?? []), r]);
    }
  }
  const reportCount = [...reports.values()].reduce((n, rs) => n + rs.length, 0);
  const marking = combineMarkings([
    ...incidents.map((i) => i.marking),
    ...[...reports.values()].flat().map((r) => r.marking),
  ]);
  const sourcesOf = (i: HarmIncident) =>
    [...new Set((reports.get(i.id) ?? []).map((r) => r.sourceName))].join('; ');

  let body: string;
  if (options.format === 'geojson') {
    body = JSON.stringify({
      type: 'FeatureCollection',
      marking: formatMarking(marking),
      features: incidents.map((i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
        properties: {
          ...Object.fromEntries(
            COLUMNS.map(([name, , value]) => [name, value(i, sourcesOf(i)) ?? null]),
          ),
          // UCDP GED names, so that `civitas harm import --format geojson` reads the file back.
          where_prec: LocationPrecision.get(i.location.precision).number,
          date_prec: DatePrecision.get(i.date.precision).number,
          adm_1: i.location.adminName ?? i.location.adminCode ?? '',
          where_coordinates: i.location.place,
          ...ged(i.killed),
          reports: (reports.get(i.id) ?? []).map(releasableReport),
        },
      })),
    });
  } else {
    const header = COLUMNS.map(([name]) => name);
    const rows = incidents.map((i) => COLUMNS.map(([, , value]) => value(i, sourcesOf(i))));
    body = csvWithMarking(
      formatMarking(marking),
      header,
      options.format === 'hxl' ? [COLUMNS.map(([, tag]) => tag), ...rows] : rows,
    );
  }
  await deps.store.audit.append(
    {
      actor: actor!.id,
      action: 'harm_incident.export',
      recordType: 'harm_incident',
      recordId: '*',
      detail: { format: options.format, incidents: incidents.length, reports: reportCount },
    },
    deps.now(),
  );
  return {
    body,
    contentType: options.format === 'geojson' ? 'application/geo+json' : 'text/csv; charset=utf-8',
    extension: options.format === 'geojson' ? 'geojson' : 'csv',
    incidents: incidents.length,
    reports: reportCount,
  };
}
