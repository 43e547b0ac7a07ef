import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../../geo/index.js';
import { correlateReference } from './correlate-reference.js';
import {
  correlate,
  PRECISION_RADIUS_KM,
  type CorrelationCandidate,
  type CorrelationPoint,
} from './correlate.js';

/**
 * A scripted set of reports: which event each really describes is known (`event`), so the
 * test can say which pairs must be proposed and which must not.
 */
interface Scripted extends CorrelationPoint {
  readonly event: string;
}

const KHARKIV_MARKET = { lon: 36.2304, lat: 49.9935 };

function report(
  id: string,
  event: string,
  lon: number,
  lat: number,
  precision: string,
  start: string,
  end = start,
  datePrecision = 'DAY',
  dataset: string | null = null,
): Scripted {
  return {
    id,
    event,
    incidentId: `inc-${id}`,
    lon,
    lat,
    locationPrecision: precision,
    dateStart: start,
    dateEnd: end,
    datePrecision,
    dataset,
  };
}

const SCRIPT: Scripted[] = [
  // Event M: shelling of a market, reported four times.
  report('m1', 'M', KHARKIV_MARKET.lon, KHARKIV_MARKET.lat, 'EXACT', '2024-03-05'),
  report('m2', 'M', KHARKIV_MARKET.lon + 0.01, KHARKIV_MARKET.lat, 'EXACT', '2024-03-05'),
  report('m3', 'M', 36.3, 50.05, 'NEAR', '2024-03-06'),
  // Oblast-level report over a week: "shelling in Kharkiv oblast, several killed".
  report('m4', 'M', 36.6, 49.6, 'ADM1', '2024-03-03', '2024-03-08', 'WEEK'),
  // Event L: the same market, three weeks later — a different event.
  report('l1', 'L', KHARKIV_MARKET.lon, KHARKIV_MARKET.lat, 'EXACT', '2024-03-27'),
  report('l2', 'L', KHARKIV_MARKET.lon, KHARKIV_MARKET.lat + 0.005, 'EXACT', '2024-03-27'),
  // Event Z: same day as M, 70 km away, in the same oblast.
  report('z1', 'Z', 35.6, 49.55, 'EXACT', '2024-03-05'),
  // Event D1/D2: two UCDP events at one village on one day, coded as distinct by the dataset.
  report('d1', 'D1', 37.8, 48.0, 'EXACT', '2024-02-10', '2024-02-10', 'DAY', 'ucdp-ged'),
  report('d2', 'D2', 37.8, 48.0, 'EXACT', '2024-02-10', '2024-02-10', 'DAY', 'ucdp-ged'),
  // Event F: far away (Odesa), same day as M.
  report('f1', 'F', 30.73, 46.48, 'EXACT', '2024-03-05'),
];

const key = (c: CorrelationCandidate) => `${c.a}|${c.b}`;
const byId = new Map(SCRIPT.map((r) => [r.id, r]));

describe('correlate', () => {
  const candidates = correlate(SCRIPT);
  const pairs = new Set(candidates.map(key));

  it('proposes every pair of reports of one event, so duplicates merge', () => {
    const m = SCRIPT.filter((r) => r.event === 'M').map((r) => r.id);
    for (const a of m) for (const b of m) if (a < b) expect(pairs).toContain(`${a}|${b}`);
    expect(pairs).toContain('l1|l2');
  });

  it('never proposes two precise reports of distinct events', () => {
    for (const c of candidates) {
      const a = byId.get(c.a)!;
      const b = byId.get(c.b)!;
      const precise = ['EXACT', 'NEAR'];
      if (precise.includes(a.locationPrecision) && precise.includes(b.locationPrecision)) {
        expect(a.event, `${c.a} and ${c.b}`).toBe(b.event);
      }
    }
    expect([...pairs].some((p) => p.includes('f1'))).toBe(false);
    expect(pairs).not.toContain('d1|d2');
  });

  it('lets a region-level report match anything inside its radius, scoring the nearer higher', () => {
    const toM1 = candidates.find((c) => key(c) === 'm1|m4')!;
    const toZ1 = candidates.find((c) => key(c) === 'm4|z1')!;
    expect(toZ1).toBeDefined();
    expect(toM1.score).toBeGreaterThan(0);
    // The oblast report does not reach the market three weeks later.
    expect(pairs).not.toContain('l1|m4');
  });

  it('measures the distance and the gap between stated dates', () => {
    const c = candidates.find((x) => key(x) === 'm1|m3')!;
    const m1 = byId.get('m1')!;
    const m3 = byId.get('m3')!;
    expect(c.distanceKm).toBeCloseTo(haversineMetres(m1.lon, m1.lat, m3.lon, m3.lat) / 1000, 2);
    expect(c.dayGap).toBe(1);
  });

  it('skips pairs already in one incident and pairs decided before', () => {
    const merged = SCRIPT.map((r) => (r.id === 'm2' ? { ...r, incidentId: 'inc-m1' } : r));
    const again = correlate(merged, new Set(['m1|m3']));
    const keys = again.map(key);
    expect(keys).not.toContain('m1|m2');
    expect(keys).not.toContain('m1|m3');
    expect(keys).toContain('m2|m3');
  });

  it('is deterministic whatever the input order', () => {
    const reversed = correlate([...SCRIPT].reverse());
    expect(reversed).toEqual(candidates);
    const sortedScores = candidates.map((c) => c.score);
    expect(sortedScores).toEqual([...sortedScores].sort((a, b) => b - a));
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(SCRIPT);
    correlate(SCRIPT);
    expect(SCRIPT).toEqual(copy);
  });
});

/** mulberry32, so a failing seed can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRECISIONS = [...Object.keys(PRECISION_RADIUS_KM), 'NOT-A-CODE'];
const DATE_PRECISIONS = ['DAY', 'DAYS', 'WEEK', 'MONTH', 'YEAR'];

/**
 * Random reports around a few centres (some at the poles and the antimeridian, where grids
 * in longitude and latitude go wrong), with every precision, spans, shared incidents and
 * datasets: dense enough that thousands of pairs are proposed and many more are near misses.
 */
function randomReports(seed: number, n: number): CorrelationPoint[] {
  const random = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const centres: [number, number][] = [
    [36.23, 49.99],
    [179.99, -16.5],
    [-179.98, -16.6],
    [12.0, 89.95],
    [-100.0, -89.9],
    [0, 0],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [lon0, lat0] = pick(centres);
    const km = pick([0.5, 3, 30, 300]);
    const lat = Math.max(-90, Math.min(90, lat0 + ((random() - 0.5) * km) / 55));
    let lon = lon0 + ((random() - 0.5) * km) / 55 / Math.max(0.02, Math.cos((lat * Math.PI) / 180));
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    const start = Date.UTC(2024, 0, 1) + Math.floor(random() * 60) * 86_400_000;
    const span = pick([1, 1, 1, 3, 7, 30, 200]);
    const end = start + (span - 1) * 86_400_000;
    return {
      id: `r${String(Math.floor(random() * 1e9)).padStart(9, '0')}-${i}`,
      incidentId: random() < 0.1 ? `shared-${Math.floor(random() * 5)}` : `inc-${i}`,
      lon,
      lat,
      locationPrecision: pick(PRECISIONS),
      dateStart: new Date(start).toISOString().slice(0, 10),
      dateEnd: new Date(end).toISOString().slice(0, 10),
      datePrecision: pick(DATE_PRECISIONS),
      dataset: random() < 0.3 ? pick(['ucdp-ged', 'acled']) : null,
    };
  });
}

describe('correlate against the every-pair reference', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`returns exactly the reference's candidates on random set ${seed}`, () => {
      const points = randomReports(seed, 1000);
      const reference = correlateReference(points);
      const known = new Set(reference.filter((_, i) => i % 7 === 0).map(key));
      expect(reference.length).toBeGreaterThan(1000);
      expect(correlate(points)).toEqual(reference);
      expect(correlate(points, known)).toEqual(correlateReference(points, known));
    });
  }
});
