import { haversineMetres } from '../../geo/index.js';
import { daysBetween } from '../../domain/harm/harm-rules.js';
import {
  DatePrecision,
  LocationPrecision,
  type DatePrecision as DatePrecisionCode,
  type LocationPrecision as LocationPrecisionCode,
} from '../../domain/taxonomy/index.js';

/**
 * How far (km) the real place of a report may lie from its point, by location precision: an
 * exact point is the place; "near" is UCDP's 25 km; an admin-level point stands for a whole
 * district, oblast or country, so a report at that level may match anything within that radius.
 */
export const PRECISION_RADIUS_KM: Readonly<Record<LocationPrecisionCode, number>> = Object.freeze({
  EXACT: 0,
  NEAR: 25,
  ADM2: 40,
  ADM1: 150,
  FEATURE: 50,
  COUNTRY: 1000,
  INTERNATIONAL: 300,
});

/** Slack for two exact reports of one place geocoded slightly differently (km). */
export const BASE_TOLERANCE_KM = 2;

/** What correlation reads of a report. */
export interface CorrelationPoint {
  readonly id: string;
  readonly incidentId: string;
  readonly lon: number;
  readonly lat: number;
  readonly locationPrecision: string;
  readonly dateStart: string;
  readonly dateEnd: string;
  readonly datePrecision: string;
  /**
   * A published dataset and the record's id in it. Two records of one dataset are distinct
   * events by the dataset's own coding, so they are never proposed as the same event.
   */
  readonly dataset?: string | null;
}

/** A proposed pair: `a` < `b` by id. */
export interface CorrelationCandidate {
  readonly a: string;
  readonly b: string;
  readonly distanceKm: number;
  /** Days between the two stated date ranges (0 when they overlap). */
  readonly dayGap: number;
  /** 1 for the same point and day, falling towards 0 at the edge of the tolerance. */
  readonly score: number;
}

interface Window {
  readonly point: CorrelationPoint;
  readonly from: number;
  readonly to: number;
  readonly radius: number;
}

const DAY = 1;

/** How far (km) a report of this precision may lie from its point; 0 for an unknown code. */
export function precisionRadiusKm(precision: string): number {
  return LocationPrecision.is(precision) ? PRECISION_RADIUS_KM[precision] : 0;
}

/**
 * The days a report's event may fall on, as day numbers: its stated range, widened when its
 * precision allows a longer span than the range states (half the difference each side), and a
 * day each side for time zones and late-night events.
 */
export function windowOf(point: CorrelationPoint): { from: number; to: number } {
  const start = Math.round(Date.parse(`${point.dateStart}T00:00:00Z`) / 86_400_000);
  const span = daysBetween(point.dateStart, point.dateEnd) + 1;
  const allowed = DatePrecision.is(point.datePrecision)
    ? DatePrecision.get(point.datePrecision as DatePrecisionCode).maxSpanDays
    : 1;
  const widen = Math.max(0, Math.ceil((allowed - span) / 2));
  return { from: start - widen - DAY, to: start + span - 1 + widen + DAY };
}

/**
 * Proposes pairs of reports that may describe the same event: their places are within the sum
 * of their precision radii (plus {@link BASE_TOLERANCE_KM}) and their date windows overlap.
 * Reports already in one incident, pairs in `known` (`a|b` keys, decided or proposed before)
 * and two records of the same dataset are skipped. Deterministic: the output is sorted by
 * score (highest first), then ids. Sweeps the reports in time order, so only reports whose
 * windows overlap are compared.
 *
 * @example
 * correlate(points).filter((c) => c.score > 0.8);
 */
export function correlate(
  points: readonly CorrelationPoint[],
  known: ReadonlySet<string> = new Set(),
): CorrelationCandidate[] {
  const windows: Window[] = points
    .map((point) => ({ point, ...windowOf(point), radius: precisionRadiusKm(point.locationPrecision) }))
    .sort((x, y) => x.from - y.from || (x.point.id < y.point.id ? -1 : 1));
  const out: CorrelationCandidate[] = [];
  let active: Window[] = [];
  for (const w of windows) {
    active = active.filter((o) => o.to >= w.from);
    for (const o of active) {
      const [first, second] = o.point.id < w.point.id ? [o, w] : [w, o];
      const a = first.point;
      const b = second.point;
      if (a.incidentId === b.incidentId) continue;
      if (a.dataset && a.dataset === b.dataset) continue;
      if (known.has(`${a.id}|${b.id}`)) continue;
      const limit = first.radius + second.radius + BASE_TOLERANCE_KM;
      const distanceKm = haversineMetres(a.lon, a.lat, b.lon, b.lat) / 1000;
      if (distanceKm > limit) continue;
      const gap = Math.max(
        0,
        daysBetween(
          a.dateEnd < b.dateEnd ? a.dateEnd : b.dateEnd,
          a.dateStart > b.dateStart ? a.dateStart : b.dateStart,
        ),
      );
      const overlapDays = Math.min(first.to, second.to) - Math.max(first.from, second.from);
      const longest = Math.max(first.to - first.from, second.to - second.from);
      const timeFit = longest > 0 ? Math.max(0, overlapDays) / longest : 1;
      const score = 0.5 * (1 - distanceKm / limit) + 0.5 * timeFit;
      out.push({
        a: a.id,
        b: b.id,
        distanceKm: Math.round(distanceKm * 1000) / 1000,
        dayGap: gap,
        score: Math.round(score * 1000) / 1000,
      });
    }
    active.push(w);
  }
  return out.sort(compareCandidates);
}

/** The order of correlation's output: score, highest first, then the ids. */
export function compareCandidates(x: CorrelationCandidate, y: CorrelationCandidate): number {
  return y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1);
}
