import { EARTH_RADIUS_M, haversineMetres } from '../../geo/index.js';
import { daysBetween, PRECISION_RADIUS_KM } from '../../domain/harm/harm-rules.js';
import {
  DatePrecision,
  LocationPrecision,
  type DatePrecision as DatePrecisionCode,
} from '../../domain/taxonomy/index.js';

export { PRECISION_RADIUS_KM };

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
 * score (highest first), then ids — exactly what {@link correlateReference} (every pair
 * against every pair) returns; see {@link correlateEach} for how it gets there fast. While
 * sweeping it keeps one number per candidate (score and both ids' ranks packed together),
 * sorts those, and builds the candidate objects only at the end, in order.
 *
 * @example
 * correlate(points).filter((c) => c.score > 0.8);
 */
export function correlate(
  points: readonly CorrelationPoint[],
  known: ReadonlySet<string> = new Set(),
): CorrelationCandidate[] {
  const n = points.length;
  // Beyond this the packed key no longer fits a double exactly; sort objects instead.
  if (n * n * 1001 >= Number.MAX_SAFE_INTEGER) {
    const out: CorrelationCandidate[] = [];
    correlateEach(points, known, (a, b, distanceKm, dayGap, score) => {
      out.push({ a: points[a]!.id, b: points[b]!.id, distanceKm, dayGap, score });
    });
    return out.sort(compareCandidates);
  }
  const byId = Array.from({ length: n }, (_, i) => i).sort((x, y) =>
    points[x]!.id < points[y]!.id ? -1 : points[x]!.id > points[y]!.id ? 1 : 0,
  );
  const rank = new Float64Array(n);
  byId.forEach((point, r) => (rank[point] = r));
  let keys = new Float64Array(1024);
  let count = 0;
  const prepared = prepare(points);
  sweep(points, prepared, known, (a, b, _distanceKm, _dayGap, score) => {
    if (count === keys.length) {
      const grown = new Float64Array(keys.length * 2);
      grown.set(keys);
      keys = grown;
    }
    const key = (1000 - Math.round(score * 1000)) * n * n + rank[a]! * n + rank[b]!;
    keys[count++] = key;
  });
  const sorted = keys.subarray(0, count).sort();
  const out: CorrelationCandidate[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const key = sorted[i]!;
    const rb = key % n;
    const ra = ((key - rb) / n) % n;
    const bucket = (key - ra * n - rb) / (n * n);
    const ia = byId[ra]!;
    const ib = byId[rb]!;
    // The distance and day gap again, by the same arithmetic as the sweep (cheaper than
    // keeping them for every candidate).
    const a = points[ia]!;
    const b = points[ib]!;
    out[i] = {
      a: a.id,
      b: b.id,
      distanceKm: Math.round((haversineMetres(a.lon, a.lat, b.lon, b.lat) / 1000) * 1000) / 1000,
      dayGap: dayGapOf(prepared, ia, ib),
      score: (1000 - bucket) / 1000,
    };
  }
  return out;
}

/** Receives one candidate: indexes into the points (`a` has the smaller id) and its figures. */
export type CandidateSink = (
  a: number,
  b: number,
  distanceKm: number,
  dayGap: number,
  score: number,
) => void;

/** Cell sizes (km) of the grids each precision group is indexed in, finest first. */
const LEVELS_KM = [4, 16, 64, 256, 1024, 4096] as const;
/** Reports between two sweeps of every cell for expired entries. */
const PURGE_EVERY = 65_536;
const EARTH_KM = EARTH_RADIUS_M / 1000;
const TO_RAD = Math.PI / 180;

/** What the sweep reads of each report, in flat arrays. */
interface Prepared {
  readonly from: Float64Array;
  readonly to: Float64Array;
  readonly radius: Float64Array;
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
  readonly xyz: Float64Array;
}

function prepare(points: readonly CorrelationPoint[]): Prepared {
  const n = points.length;
  const prepared = {
    from: new Float64Array(n),
    to: new Float64Array(n),
    radius: new Float64Array(n),
    startMs: new Float64Array(n),
    endMs: new Float64Array(n),
    xyz: new Float64Array(n * 3),
  };
  for (let i = 0; i < n; i += 1) {
    const p = points[i]!;
    const w = windowOf(p);
    prepared.from[i] = w.from;
    prepared.to[i] = w.to;
    prepared.radius[i] = precisionRadiusKm(p.locationPrecision);
    prepared.startMs[i] = Date.parse(p.dateStart.slice(0, 10));
    prepared.endMs[i] = Date.parse(p.dateEnd.slice(0, 10));
    const lat = p.lat * TO_RAD;
    const lon = p.lon * TO_RAD;
    prepared.xyz[i * 3] = EARTH_KM * Math.cos(lat) * Math.cos(lon);
    prepared.xyz[i * 3 + 1] = EARTH_KM * Math.cos(lat) * Math.sin(lon);
    prepared.xyz[i * 3 + 2] = EARTH_KM * Math.sin(lat);
  }
  return prepared;
}

/** Days between two reports' stated ranges, 0 when they overlap (as `daysBetween` counts). */
function dayGapOf({ startMs, endMs }: Prepared, a: number, b: number): number {
  return Math.max(
    0,
    Math.round((Math.max(startMs[a]!, startMs[b]!) - Math.min(endMs[a]!, endMs[b]!)) / 86_400_000),
  );
}

/** How a report of one radius looks into the group of another: reach, chord and grid level. */
interface Plan {
  readonly limit: number;
  readonly chord: number;
  readonly chord2: number;
  readonly level: number;
}

/** The reports of one precision radius, in a 3-D grid per level of {@link LEVELS_KM} it needs. */
interface Group {
  readonly radius: number;
  /** Grids by level; null for levels no look-up into this group uses. */
  readonly levels: (Map<number, number[]> | null)[];
  /** The plan of a look-up from each radius (by index in the radii list). */
  readonly plans: Plan[];
}

/**
 * Correlation as a stream: calls `emit` once for every pair {@link correlate} returns, in no
 * particular order, without building the list. It sweeps the reports in order of their first
 * possible day, so only reports whose date windows overlap meet; and it indexes the reports
 * still open by precision radius, each group in grids of cubes over the sphere (points as 3-D
 * vectors, so the poles and the antimeridian need no special case) at several cell sizes. A
 * report looks into each group through the finest grid whose cells are at least as wide as the
 * reach (the chord of both radii plus the tolerance), so at most 2×2×2 cells. An exact point
 * thus meets only the exact points of its own few kilometres, while a region-level report sees
 * every report within its region's reach through a coarse grid. The straight-line (chord)
 * distance prunes cheaply and conservatively; the great-circle distance, computed as before,
 * decides. Expired entries leave a cell when it is next visited and in a sweep every
 * {@link PURGE_EVERY} reports.
 */
export function correlateEach(
  points: readonly CorrelationPoint[],
  known: ReadonlySet<string>,
  emit: CandidateSink,
): void {
  sweep(points, prepare(points), known, emit);
}

function sweep(
  points: readonly CorrelationPoint[],
  prepared: Prepared,
  known: ReadonlySet<string>,
  emit: CandidateSink,
): void {
  const { from, to, radius, xyz } = prepared;
  const n = points.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  order.sort((x, y) => from[x]! - from[y]!);

  // Every radius present, and for each pair of radii how one looks into the other's group.
  const radii = [...new Set(radius)].sort((a, b) => a - b);
  const radiusIndex = new Map(radii.map((r, i) => [r, i]));
  const groups: Group[] = radii.map((rg) => {
    const plans = radii.map((rq) => {
      const limit = rq + rg + BASE_TOLERANCE_KM;
      // The chord of the reach, widened so rounding never drops a pair the great circle keeps.
      const half = Math.min(Math.PI / 2, limit / (2 * EARTH_KM));
      const chord = 2 * EARTH_KM * Math.sin(half) * (1 + 1e-9) + 1e-6;
      let level = LEVELS_KM.findIndex((size) => size >= 2 * chord);
      if (level < 0) level = LEVELS_KM.length - 1;
      return { limit, chord, chord2: chord * chord, level };
    });
    const used = new Set(plans.map((p) => p.level));
    return {
      radius: rg,
      plans,
      levels: LEVELS_KM.map((_, l) => (used.has(l) ? new Map<number, number[]>() : null)),
    };
  });
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) groupOf[i] = radiusIndex.get(radius[i]!)!;

  // A cell's key: its three grid coordinates hashed into a small integer (a V8 Smi, so Map
  // look-ups allocate nothing). Two cells may share a key; that only puts more entries in one
  // list, each still tested by distance, and a look-up never visits one list twice.
  const cellKey = (ix: number, iy: number, iz: number) =>
    (Math.imul(ix, 73_856_093) ^ Math.imul(iy, 19_349_663) ^ Math.imul(iz, 83_492_791)) &
    0x3fffffff;
  const seen: number[] = [];

  const pair = (w: number, o: number, limit: number) => {
    const pw = points[w]!;
    const po = points[o]!;
    if (pw.incidentId === po.incidentId) return;
    if (pw.dataset && pw.dataset === po.dataset) return;
    const [ia, ib] = po.id < pw.id ? [o, w] : [w, o];
    const a = points[ia]!;
    const b = points[ib]!;
    const distanceKm = haversineMetres(a.lon, a.lat, b.lon, b.lat) / 1000;
    if (distanceKm > limit) return;
    if (known.size > 0 && known.has(`${a.id}|${b.id}`)) return;
    const gap = dayGapOf(prepared, ia, ib);
    const overlapDays = Math.min(to[ia]!, to[ib]!) - Math.max(from[ia]!, from[ib]!);
    const longest = Math.max(to[ia]! - from[ia]!, to[ib]! - from[ib]!);
    const timeFit = longest > 0 ? Math.max(0, overlapDays) / longest : 1;
    const score = 0.5 * (1 - distanceKm / limit) + 0.5 * timeFit;
    emit(ia, ib, Math.round(distanceKm * 1000) / 1000, gap, Math.round(score * 1000) / 1000);
  };

  /** Compares `w` with the open entries of one cell, dropping the expired ones. */
  const visit = (cell: number[], w: number, limit: number, chord2: number) => {
    const day = from[w]!;
    const wx = xyz[w * 3]!;
    const wy = xyz[w * 3 + 1]!;
    const wz = xyz[w * 3 + 2]!;
    let keep = 0;
    const length = cell.length;
    for (let k = 0; k < length; k += 1) {
      const o = cell[k]!;
      if (to[o]! < day) continue;
      cell[keep++] = o;
      const dx = xyz[o * 3]! - wx;
      const dy = xyz[o * 3 + 1]! - wy;
      const dz = xyz[o * 3 + 2]! - wz;
      if (dx * dx + dy * dy + dz * dz > chord2) continue;
      pair(w, o, limit);
    }
    if (keep !== length) cell.length = keep;
  };

  const purge = (day: number) => {
    for (const g of groups) {
      for (const level of g.levels) {
        if (!level) continue;
        for (const [key, cell] of level) {
          let keep = 0;
          for (const o of cell) if (to[o]! >= day) cell[keep++] = o;
          cell.length = keep;
          if (keep === 0) level.delete(key);
        }
      }
    }
  };

  for (let step = 0; step < n; step += 1) {
    const w = order[step]!;
    if (step > 0 && step % PURGE_EVERY === 0) purge(from[w]!);
    const wx = xyz[w * 3]!;
    const wy = xyz[w * 3 + 1]!;
    const wz = xyz[w * 3 + 2]!;
    const wg = groupOf[w]!;
    for (const g of groups) {
      const { limit, chord, chord2, level } = g.plans[wg]!;
      const size = LEVELS_KM[level]!;
      const cells = g.levels[level]!;
      if (cells.size === 0) continue;
      const x0 = Math.floor((wx - chord) / size);
      const x1 = Math.floor((wx + chord) / size);
      const y0 = Math.floor((wy - chord) / size);
      const y1 = Math.floor((wy + chord) / size);
      const z0 = Math.floor((wz - chord) / size);
      const z1 = Math.floor((wz + chord) / size);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1) > cells.size) {
        for (const cell of cells.values()) visit(cell, w, limit, chord2);
        continue;
      }
      seen.length = 0;
      for (let ix = x0; ix <= x1; ix += 1) {
        for (let iy = y0; iy <= y1; iy += 1) {
          for (let iz = z0; iz <= z1; iz += 1) {
            const key = cellKey(ix, iy, iz);
            const cell = cells.get(key);
            if (!cell || seen.includes(key)) continue;
            seen.push(key);
            visit(cell, w, limit, chord2);
          }
        }
      }
    }
    const own = groups[wg]!;
    for (let l = 0; l < LEVELS_KM.length; l += 1) {
      const cells = own.levels[l];
      if (!cells) continue;
      const size = LEVELS_KM[l]!;
      const key = cellKey(Math.floor(wx / size), Math.floor(wy / size), Math.floor(wz / size));
      const cell = cells.get(key);
      if (cell) cell.push(w);
      else cells.set(key, [w]);
    }
  }
}

/** The order of correlation's output: score, highest first, then the ids. */
export function compareCandidates(x: CorrelationCandidate, y: CorrelationCandidate): number {
  return y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1);
}
