import { haversineMetres } from '../../geo/index.js';
import { daysBetween } from '../../domain/harm/harm-rules.js';
import {
  BASE_TOLERANCE_KM,
  compareCandidates,
  precisionRadiusKm,
  windowOf,
  type CorrelationCandidate,
  type CorrelationPoint,
} from './correlate.js';

/**
 * The plain statement of correlation, every pair against every pair (O(n²)): what
 * {@link correlate} must return, exactly, however it indexes and prunes. It is the algorithm
 * Civitas shipped first, without its time sweep; tests compare the two on random sets and the
 * correlation benchmark can run it for a before/after figure. Too slow for more than a few
 * thousand reports.
 */
export function correlateReference(
  points: readonly CorrelationPoint[],
  known: ReadonlySet<string> = new Set(),
): CorrelationCandidate[] {
  const windows = points.map((point) => ({
    point,
    ...windowOf(point),
    radius: precisionRadiusKm(point.locationPrecision),
  }));
  const out: CorrelationCandidate[] = [];
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const x = windows[i]!;
      const y = windows[j]!;
      if (x.to < y.from || y.to < x.from) continue;
      const [first, second] = x.point.id < y.point.id ? [x, y] : [y, x];
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
  }
  return out.sort(compareCandidates);
}
