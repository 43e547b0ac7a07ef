// What the Track pages need besides the API: which view a URL path opens, the filters shared by
// the incident list and the dashboard, the incidents as map features, and the problems of an API
// answer sorted by the field they name.
import type { FeatureCollection } from 'geojson';
import type { HarmIncident, ProblemError } from './contract.js';
import { formatNumber } from './i18n.js';

/** The view a `/track...` path opens. */
export type TrackRoute =
  | { kind: 'incidents' }
  | { kind: 'report' }
  | { kind: 'candidates' }
  | { kind: 'dashboard' }
  | { kind: 'incident'; id: string }
  | { kind: 'unknown' };

/**
 * Reads a Track path.
 *
 * @example trackRoute('/track/incidents/abc'); // { kind: 'incident', id: 'abc' }
 */
export function trackRoute(path: string): TrackRoute {
  const rest = path.replace(/^\/track\/?/, '').replace(/\/$/, '');
  if (rest === '' || rest === 'incidents') return { kind: 'incidents' };
  if (rest === 'report') return { kind: 'report' };
  if (rest === 'candidates') return { kind: 'candidates' };
  if (rest === 'dashboard') return { kind: 'dashboard' };
  const incident = /^incidents\/([^/]+)$/.exec(rest);
  if (incident?.[1]) return { kind: 'incident', id: decodeURIComponent(incident[1]) };
  return { kind: 'unknown' };
}

/** Filters of incident lists and statistics, as the form holds them ('' = not filtered). */
export interface HarmFilters {
  from: string;
  to: string;
  area: string;
  grade: string;
  topic: string;
}

export const noHarmFilters: HarmFilters = { from: '', to: '', area: '', grade: '', topic: '' };

/**
 * The query of `GET /api/harm/incidents` and `GET /api/harm/stats` for these filters.
 *
 * @example harmQuery({ ...noHarmFilters, grade: 'FAIR' }); // { grade: 'FAIR' }
 */
export function harmQuery(filters: HarmFilters): Record<string, string | undefined> {
  const value = (v: string) => (v.trim() === '' ? undefined : v.trim());
  return {
    from: value(filters.from),
    to: value(filters.to),
    area: value(filters.area),
    grade: value(filters.grade),
    topic: value(filters.topic),
  };
}

/**
 * Incidents as map points: `id`, `name` (the title), `killed` and `injured` best estimates and
 * `weight` (people harmed, at least 1 so an incident without casualties still shows on the heat
 * layer).
 */
export function incidentFeatures(incidents: readonly HarmIncident[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: incidents.map((i) => ({
      type: 'Feature',
      properties: {
        id: i.id,
        name: i.title,
        killed: i.killed.best,
        injured: i.injured.best,
        weight: Math.max(1, i.killed.best + i.injured.best),
      },
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
    })),
  };
}

/**
 * The messages of a problem's `errors` by the form field they name. Request validation names
 * `body.location.lat`, the report's own rules name `location.lat`: both become `location.lat`.
 *
 * @example fieldErrors([{ path: 'body.killed', message: 'low ≤ best ≤ high does not hold' }]);
 */
export function fieldErrors(errors: readonly ProblemError[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const e of errors) {
    const path = e.path.replace(/^body\.?/, '');
    byField.set(path, [...(byField.get(path) ?? []), e.message]);
  }
  return byField;
}

/**
 * The messages for one field: those naming it or anything inside it (`killed` also takes
 * `killed.low`).
 */
export function errorsFor(byField: ReadonlyMap<string, string[]>, field: string): string[] {
  const out: string[] = [];
  for (const [path, messages] of byField) {
    if (path === field || path.startsWith(`${field}.`)) out.push(...messages);
  }
  return out;
}

/** An estimate as people read it: the best figure with its range when there is one. */
export function estimateText(e: { low: number; best: number; high: number }): string {
  return e.low === e.high
    ? formatNumber(e.best)
    : `${formatNumber(e.best)} (${formatNumber(e.low)}–${formatNumber(e.high)})`;
}

/**
 * The first day of a statistics period key, in UTC: a month (`2024-05`), a day (`2024-05-06`,
 * the Monday a week starts) or an ISO week (`2024-W19`); null for anything else.
 *
 * @example statsKeyDate('2024-W01')?.toISOString(); // '2024-01-01T00:00:00.000Z'
 */
export function statsKeyDate(key: string): Date | null {
  if (/^\d{4}-\d{2}$/.test(key)) return new Date(`${key}-01T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return new Date(`${key}T00:00:00Z`);
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!week) return null;
  // Week 1 holds 4 January; its Monday starts the ISO year.
  const jan4 = Date.UTC(Number(week[1]), 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday + (Number(week[2]) - 1) * 7 * 86_400_000);
}
