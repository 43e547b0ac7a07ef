import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canSee, type Viewer } from '../../src/domain/access/viewer.js';
import type { Estimate, HarmIncident, HarmStatsFilter } from '../../src/domain/harm/harm.js';
import { reconcileBreakdown } from '../../src/domain/harm/harm-rules.js';
import type { Classification, Releasability } from '../../src/domain/taxonomy/index.js';
import { rebuildStats } from '../../src/store/harm-stats.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';

/** mulberry32, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS: [string | null, string | null][] = [
  ['UA63', 'Kharkivska'],
  ['UA80', 'Kyiv'],
  [null, 'Kyiv'],
  [null, null],
];
const MARKINGS: [Classification, Releasability[]][] = [
  ['NU', ['PUBLIC']],
  ['NR', ['NATO']],
  ['NC', ['NATO', 'EU']],
  ['NS', ['NATO']],
  ['NU', ['UN']],
];
const CAUSES = ['ARTILLERY', 'AIR-STRIKE', 'SMALL-ARMS', 'UNKNOWN'] as const;
const PARTIES = ['OWN-FORCES', 'ADVERSARY', 'UNKNOWN'] as const;

function randomIncidents(seed: number, n: number): HarmIncident[] {
  const random = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const estimate = (max: number): Estimate => {
    const best = Math.floor(random() * max);
    return { low: Math.floor(best * random()), best, high: best + Math.floor(random() * 3) };
  };
  const counts = () => Math.floor(random() * 4);
  return Array.from({ length: n }, (_, i) => {
    // 2023-12-11 … 2024-03-20: crosses a year (ISO week 2024-W01 starts 2024-01-01), months, weeks.
    const day = new Date(Date.UTC(2023, 11, 11) + Math.floor(random() * 101) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const [adminCode, adminName] = pick(AREAS);
    const [classification, releasability] = pick(MARKINGS);
    const breakdowns = () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        sex: random() < 0.6 ? { FEMALE: counts(), MALE: counts() } : { UNKNOWN: counts() },
        age: random() < 0.5 ? { CHILD: counts(), ADULT: counts() } : {},
      }));
    return {
      id: `inc-${String(i).padStart(4, '0')}`,
      title: `Incident ${i}`,
      location: { lon: 36, lat: 49, precision: 'EXACT', adminCode, adminName, place: '' },
      date: { start: day, end: day, precision: 'DAY' },
      cause: pick(CAUSES),
      killed: estimate(8),
      injured: estimate(12),
      killedBreakdown: reconcileBreakdown(breakdowns()),
      injuredBreakdown: reconcileBreakdown(breakdowns()),
      reportCount: 1 + Math.floor(random() * 3),
      // Some assessed, some tagged: statistics filter by grade and topic.
      assessment:
        random() < 0.3
          ? {
              grade: pick(['FAIR', 'CONFIRMED', 'WEAK'] as const),
              attribution: pick(['ADVERSARY', 'UNKNOWN'] as const),
              investigation: 'INITIAL-REVIEW',
              rationale: '',
              assessedAt: '2024-04-01T00:00:00Z',
              assessedBy: 'test',
            }
          : null,
      marking: { classification, releasability },
      topics: random() < 0.2 ? [pick(['CAAC', 'CRSV'] as const)] : [],
      createdAt: '2024-04-01T00:00:00Z',
      createdBy: 'test',
      updatedAt: '2024-04-01T00:00:00Z',
      updatedBy: 'test',
    } satisfies HarmIncident;
  });
}

/** ISO week, computed another way than the code under test: by counting Thursdays. */
function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = new Date(t + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  let week = 0;
  for (let d = Date.UTC(year, 0, 1); d <= thursday.getTime(); d += 86_400_000) {
    if (new Date(d).getUTCDay() === 4) week += 1;
  }
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The statistics as plain sums over the incidents, without cells or SQL. */
function expected(incidents: readonly HarmIncident[], viewer: Viewer, filter: HarmStatsFilter) {
  const live = incidents.filter(
    (i) =>
      canSee(viewer, i.marking, null) &&
      (!filter.from || i.date.start >= filter.from) &&
      (!filter.to || i.date.start <= filter.to) &&
      (!filter.area ||
        i.location.adminCode === filter.area ||
        (i.location.adminCode === null && i.location.adminName === filter.area)) &&
      (!filter.grade || i.assessment?.grade === filter.grade) &&
      (!filter.topic || i.topics.includes(filter.topic as never)),
  );
  const zero = () => ({ low: 0, best: 0, high: 0 });
  const add = (into: Estimate, e: Estimate) => ({
    low: into.low + e.low,
    best: into.best + e.best,
    high: into.high + e.high,
  });
  const grouped = (key: (i: HarmIncident) => string) => {
    const out = new Map<
      string,
      { key: string; incidents: number; reports: number; killed: Estimate; injured: Estimate }
    >();
    for (const i of live) {
      const k = key(i);
      const g = out.get(k) ?? { key: k, incidents: 0, reports: 0, killed: zero(), injured: zero() };
      out.set(k, {
        key: k,
        incidents: g.incidents + 1,
        reports: g.reports + i.reportCount,
        killed: add(g.killed, i.killed),
        injured: add(g.injured, i.injured),
      });
    }
    return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  };
  const breakdown = (dim: 'sex' | 'age', keys: readonly string[]) =>
    [...keys, 'UNRECORDED'].map((key) => {
      let incidents = 0;
      const sums = { killed: zero(), injured: zero() };
      for (const i of live) {
        let anyone = 0;
        for (const outcome of ['killed', 'injured'] as const) {
          const parts = i[`${outcome}Breakdown`][dim] as Record<string, Estimate | undefined>;
          const figure = { ...zero() };
          for (const band of ['low', 'best', 'high'] as const) {
            const described = keys.reduce((s, k) => s + (parts[k]?.[band] ?? 0), 0);
            figure[band] =
              key === 'UNRECORDED'
                ? Math.max(0, i[outcome][band] - described)
                : (parts[key]?.[band] ?? 0);
          }
          sums[outcome] = add(sums[outcome], figure);
          anyone += figure.high;
        }
        if (anyone > 0) incidents += 1;
      }
      return { key, incidents, ...sums };
    });
  const total = grouped(() => 'all')[0];
  return {
    incidents: total?.incidents ?? 0,
    reports: total?.reports ?? 0,
    killed: total?.killed ?? zero(),
    injured: total?.injured ?? zero(),
    byMonth: grouped((i) => i.date.start.slice(0, 7)),
    byArea: grouped((i) => i.location.adminCode ?? i.location.adminName ?? 'UNKNOWN'),
    byCause: grouped((i) => i.cause),
    byAttribution: grouped((i) => i.assessment?.attribution ?? 'UNASSESSED'),
    byWeek: grouped((i) => weekOf(i.date.start)),
    bySex: breakdown('sex', ['FEMALE', 'MALE', 'UNKNOWN']),
    byAge: breakdown('age', ['CHILD', 'ADULT', 'OLDER', 'UNKNOWN']),
  };
}

const FILTERS: HarmStatsFilter[] = [
  {},
  { from: '2024-01-01' },
  { to: '2024-01-31' },
  { from: '2023-12-20', to: '2024-02-14' },
  { from: '2024-01-03', to: '2024-01-09' },
  { from: '2024-02-01', to: '2024-02-29' },
  { from: '2024-01-01', to: '2024-01-07' },
  { from: '2024-02-10', to: '2024-02-09' },
  { area: 'Kyiv' },
  { area: 'UA63', from: '2024-01-15', to: '2024-03-03' },
  { area: 'UNKNOWN' },
  { grade: 'FAIR' },
  { grade: 'CONFIRMED', from: '2024-01-15', to: '2024-03-03' },
  { topic: 'CAAC' },
  { topic: 'CRSV', area: 'UA63' },
];
const VIEWERS: Viewer[] = [
  { clearance: 'NS', organisations: ['NATO'], compartments: [] },
  { clearance: 'NR', organisations: ['EU'], compartments: [] },
  { clearance: 'NU', organisations: ['UN'], compartments: [] },
];

describe.each(testDatabases())('harm statistics on $name', (database) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
  });
  afterEach(async () => dispose());

  it('match plain sums over the incidents for every filter and viewer, after updates and merges', async () => {
    const incidents = randomIncidents(7, 400);
    await store.harm.insertIncidents(incidents);
    // Assess some (attribution moves), merge some away (they leave the statistics).
    const current = [...incidents];
    for (let i = 0; i < 40; i += 1) {
      const assessed: HarmIncident = {
        ...current[i]!,
        date: { ...current[i]!.date, start: '2024-01-01', end: '2024-01-01' },
        assessment: {
          grade: 'FAIR',
          attribution: PARTIES[i % PARTIES.length]!,
          investigation: 'INITIAL-REVIEW',
          rationale: '',
          assessedAt: '2024-04-02T00:00:00Z',
          assessedBy: 'test',
        },
      };
      current[i] = assessed;
      await store.harm.updateIncident(assessed);
    }
    const merged = new Set(current.slice(40, 60).map((i) => i.id));
    for (const i of current.slice(40, 60)) await store.harm.updateIncident(i, 'inc-0000');
    const live = current.filter((i) => !merged.has(i.id));

    for (const viewer of VIEWERS) {
      for (const filter of FILTERS) {
        const stats = await store.harm.stats(viewer, filter);
        expect(stats, `${viewer.clearance} ${JSON.stringify(filter)}`).toEqual(
          expected(live, viewer, filter),
        );
      }
    }
    expect((await store.harm.stats(VIEWERS[0]!, {})).incidents).toBe(380);

    // Rebuilding the cells from the incidents gives the same figures as keeping them up to date.
    const kept = await store.harm.stats(VIEWERS[0]!, FILTERS[3]!);
    await rebuildStats(store.db);
    expect(await store.harm.stats(VIEWERS[0]!, FILTERS[3]!)).toEqual(kept);
  });

  it('computes only the parts asked for', async () => {
    await store.harm.insertIncidents(randomIncidents(3, 30));
    const stats = await store.harm.stats(VIEWERS[0]!, {}, ['byWeek']);
    expect(stats.byWeek.length).toBeGreaterThan(0);
    expect(stats.byMonth).toEqual([]);
    expect(stats.incidents).toBe(0);
  });
});
