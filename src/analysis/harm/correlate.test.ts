import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../../geo/index.js';
import { correlate, type CorrelationCandidate, type CorrelationPoint } from './correlate.js';

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
