import { describe, expect, it } from 'vitest';
import { lonLat, lonLatDistanceMetres } from '../../geo/index.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { ActionIndex, HitBuffer } from './action-index.js';
import type { ScreeningAction, ScreeningObject } from './input.js';
import { screenActions } from './screen-actions.js';

/** mulberry32, so every run tests the same points. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = ScreeningObject<{ n: number }>;

/** The definition, applied pair by pair. */
function bruteForce(objects: readonly Obj[], actions: readonly ScreeningAction[]) {
  return actions.map((a) => ({
    action: a.id,
    hits: objects
      .map((o) => ({
        id: o.id,
        d: lonLatDistanceMetres(lonLat(a.lon, a.lat), lonLat(o.lon, o.lat)),
        limit: a.radius_m + o.buffer_m,
      }))
      .filter((x) => x.d <= x.limit)
      .map(({ id, d }) => ({ id, d }))
      .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
  }));
}

function screened(objects: readonly Obj[], actions: readonly ScreeningAction[]) {
  return screenActions(objects, actions).map((r) => ({
    action: r.action.id,
    hits: r.hits.map((h) => ({ id: h.object.id, d: h.distance_m as number })),
  }));
}

function wrapLon(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}

function clampLat(lat: number): number {
  return Math.max(-90, Math.min(90, lat));
}

/** Points clustered around a few centres (city-like), within `spreadDeg`. */
function cluster(
  rnd: () => number,
  n: number,
  centres: readonly [number, number][],
  spreadDeg: number,
  make: (i: number, lon: number, lat: number) => Obj,
): Obj[] {
  return Array.from({ length: n }, (_, i) => {
    const [lon0, lat0] = centres[Math.floor(rnd() * centres.length)] as [number, number];
    return make(
      i,
      wrapLon(lon0 + (rnd() - 0.5) * 2 * spreadDeg),
      clampLat(lat0 + (rnd() - 0.5) * 2 * spreadDeg),
    );
  });
}

describe('screenActions', () => {
  it('matches brute force exactly on city-like random data', () => {
    const rnd = random(1);
    const centres: [number, number][] = [
      [30.52, 50.45],
      [18.56, 4.36],
      [-74.0, 40.7],
      [139.7, 35.7],
      [29.36, -3.38],
    ];
    const objects = cluster(rnd, 4000, centres, 0.08, (i, lon, lat) => ({
      id: `O${i}`,
      lon,
      lat,
      buffer_m: Math.floor(rnd() * 501),
      attrs: { n: i },
    }));
    const actions = cluster(rnd, 300, centres, 0.08, (i, lon, lat) => ({
      id: `A${i}`,
      lon,
      lat,
      buffer_m: 0,
    })).map((a) => ({
      id: a.id,
      lon: a.lon,
      lat: a.lat,
      radius_m: Math.round(Math.exp(Math.log(25) + rnd() * Math.log(200))),
    }));
    const expected = bruteForce(objects, actions);
    expect(expected.reduce((s, r) => s + r.hits.length, 0)).toBeGreaterThan(1000);
    expect(screened(objects, actions)).toEqual(expected);
  });

  it('matches brute force on uniform points over the whole globe with radii up to half the Earth', () => {
    const rnd = random(2);
    const point = () => ({
      lon: rnd() * 360 - 180,
      lat: (Math.asin(2 * rnd() - 1) * 180) / Math.PI,
    });
    const objects: Obj[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `O${i}`,
      ...point(),
      buffer_m: rnd() * 50_000,
    }));
    const radii = [0, 1, 1000, 100_000, 1_000_000, 5_000_000, 10_007_543, 15_000_000, 20_015_087];
    const actions: ScreeningAction[] = Array.from({ length: 120 }, (_, i) => ({
      id: `A${i}`,
      ...point(),
      radius_m: radii[i % radii.length] as number,
    }));
    expect(screened(objects, actions)).toEqual(bruteForce(objects, actions));
  });

  it('is exact at the poles, across the antimeridian, at zero radius and for coincident points', () => {
    const rnd = random(3);
    const objects: Obj[] = [];
    const add = (lon: number, lat: number, buffer_m = 0) =>
      objects.push({ id: `O${objects.length}`, lon, lat, buffer_m });
    // Near both poles, every longitude, including the poles themselves.
    for (let i = 0; i < 400; i += 1) {
      add(rnd() * 360 - 180, 90 - rnd() * 0.2, Math.floor(rnd() * 300));
      add(rnd() * 360 - 180, -90 + rnd() * 0.2, Math.floor(rnd() * 300));
    }
    add(0, 90);
    add(123.4, 90);
    add(-180, -90);
    // Either side of the antimeridian, and on it as −180 and 180.
    for (let i = 0; i < 400; i += 1) {
      add(180 - rnd() * 0.1, (rnd() - 0.5) * 0.2, Math.floor(rnd() * 300));
      add(-180 + rnd() * 0.1, (rnd() - 0.5) * 0.2, Math.floor(rnd() * 300));
      add(180 - rnd() * 0.05, 70 + (rnd() - 0.5) * 0.2);
      add(-180 + rnd() * 0.05, 70 + (rnd() - 0.5) * 0.2);
    }
    add(180, 0);
    add(-180, 0);
    add(180, 0.001);
    // Coincident points, with and without a buffer.
    add(10, 10);
    add(10, 10);
    add(10, 10, 5);
    add(10.00001, 10);
    const actions: ScreeningAction[] = [
      { id: 'north-pole', lon: 0, lat: 90, radius_m: 15_000 },
      { id: 'north-pole-other-lon', lon: -97, lat: 90, radius_m: 5_000 },
      { id: 'near-north', lon: 45, lat: 89.95, radius_m: 8_000 },
      { id: 'south-pole', lon: 180, lat: -90, radius_m: 20_000 },
      { id: 'near-south', lon: -170, lat: -89.99, radius_m: 2_500 },
      { id: 'pole-zero', lon: 0, lat: 90, radius_m: 0 },
      { id: 'dateline-east', lon: 179.99, lat: 0, radius_m: 5_000 },
      { id: 'dateline-west', lon: -179.99, lat: 0.01, radius_m: 5_000 },
      { id: 'dateline-on', lon: 180, lat: 0, radius_m: 3_000 },
      { id: 'dateline-on-west', lon: -180, lat: 0, radius_m: 0 },
      { id: 'dateline-70', lon: -179.999, lat: 70, radius_m: 4_000 },
      { id: 'zero', lon: 10, lat: 10, radius_m: 0 },
      { id: 'one-metre', lon: 10, lat: 10, radius_m: 1 },
      { id: 'tiny', lon: 10, lat: 10, radius_m: 1.0953 },
      { id: 'zero-far', lon: -50, lat: -20, radius_m: 0 },
    ];
    const result = screened(objects, actions);
    expect(result).toEqual(bruteForce(objects, actions));
    const byId = new Map(result.map((r) => [r.action, r.hits.map((h) => h.id)]));
    // The zero-radius action reaches the two coincident zero-buffer objects and the 5 m one.
    expect(byId.get('zero')).toHaveLength(3);
    // −180 and 180 are the same meridian, but the haversine formula puts them 1.6 nm apart
    // (sin 180° is not exactly 0 in floating point): a tie within 1e-6 m, decided as brute force does.
    const west = objects.find((o) => o.lon === -180 && o.lat === 0)!;
    const east = objects.find((o) => o.lon === 180 && o.lat === 0)!;
    expect(byId.get('dateline-on-west')).toEqual([west.id]);
    expect(lonLatDistanceMetres(lonLat(-180, 0), lonLat(east.lon, east.lat))).toBeLessThan(1e-6);
    expect(byId.get('dateline-on')).toContain(west.id);
    expect(byId.get('north-pole')!.length).toBeGreaterThan(100);
    expect(byId.get('south-pole')!.length).toBeGreaterThan(100);
    expect(byId.get('dateline-east')!.length).toBeGreaterThan(50);
  });

  it('gives the same answer whatever the grid size', () => {
    const rnd = random(4);
    const objects = Array.from({ length: 3000 }, (_, i) => ({
      id: `O${i}`,
      lon: wrapLon(179 + rnd() * 2),
      lat: 60 + rnd() * 2,
      buffer_m: Math.floor(rnd() * 500),
    }));
    const actions = Array.from({ length: 200 }, (_, i) => ({
      id: `A${i}`,
      lon: wrapLon(179 + rnd() * 2),
      lat: 60 + rnd() * 2,
      radius_m: rnd() * 20_000,
    }));
    const expected = bruteForce(objects, actions).map((r) => r.hits.map((h) => h.id));
    for (const [cellDegrees, withDistances] of [
      [0.005, true],
      [0.01, false],
      [0.3, true],
      [0.3, false],
      [5, false],
    ] as const) {
      const index = ActionIndex.build(
        {
          lon: actions.map((a) => a.lon),
          lat: actions.map((a) => a.lat),
          radius: actions.map((a) => a.radius_m),
        },
        { maxBufferM: 500, cellDegrees },
      );
      const got: string[][] = actions.map(() => []);
      const hits = new HitBuffer(1, withDistances);
      for (const o of objects) {
        hits.clear();
        index.probe(o.lon, o.lat, o.buffer_m, hits);
        for (let i = 0; i < hits.count; i += 1) got[hits.actions[i]!]!.push(o.id);
      }
      expect(got.map((ids) => ids.sort())).toEqual(expected);
    }
  });

  it('decides pairs within a hair of the limit exactly as the haversine expression does', () => {
    // Objects stepped a few ulps at a time across each circle's edge, along both axes and a
    // diagonal, so the fast decision's band and the exact expression both get exercised.
    const rnd = random(5);
    const actions: ScreeningAction[] = [];
    const objects: Obj[] = [];
    for (let i = 0; i < 60; i += 1) {
      const lon = rnd() * 340 - 170;
      const lat = rnd() * 160 - 80;
      const radius_m = [0.5, 25, 333.3, 5000, 60_000][i % 5] as number;
      const buffer_m = [0, 0.25, 17, 500][i % 4] as number;
      actions.push({ id: `A${i}`, lon, lat, radius_m });
      const limit = radius_m + buffer_m;
      for (const [ex, ey] of [
        [0, 1],
        [1, 0],
        [Math.SQRT1_2, Math.SQRT1_2],
      ] as const) {
        // Bisect for the offset t where the distance crosses the limit, then step around it.
        const at = (t: number) => ({
          lon: lon + (ex * t) / Math.cos((lat * Math.PI) / 180),
          lat: lat + ey * t,
        });
        const dist = (t: number) => {
          const p = at(t);
          return lonLatDistanceMetres(lonLat(lon, lat), lonLat(p.lon, p.lat));
        };
        let lo = 0;
        let hi = 2;
        for (let k = 0; k < 200; k += 1) {
          const mid = (lo + hi) / 2;
          if (dist(mid) <= limit) lo = mid;
          else hi = mid;
        }
        for (let k = -3; k <= 3; k += 1) {
          const p = at(lo + k * Number.EPSILON * Math.max(lo, 1e-300) * 4);
          objects.push({ id: `O${objects.length}`, lon: p.lon, lat: p.lat, buffer_m });
        }
      }
    }
    const expected = bruteForce(objects, actions).map((r) => r.hits.map((h) => h.id));
    expect(expected.flat().length).toBeGreaterThan(objects.length / 10);
    const index = ActionIndex.build(
      {
        lon: actions.map((a) => a.lon),
        lat: actions.map((a) => a.lat),
        radius: actions.map((a) => a.radius_m),
      },
      { maxBufferM: 500 },
    );
    for (const withDistances of [true, false]) {
      const got: string[][] = actions.map(() => []);
      const hits = new HitBuffer(1, withDistances);
      for (const o of objects) {
        hits.clear();
        index.probe(o.lon, o.lat, o.buffer_m, hits);
        for (let i = 0; i < hits.count; i += 1) got[hits.actions[i]!]!.push(o.id);
      }
      expect(got.map((ids) => ids.sort())).toEqual(expected.map((ids) => [...ids].sort()));
    }
  });

  it('sorts hits by plain code-unit order, not by number or locale', () => {
    const ids = ['O9', 'O17', 'o1', 'Ä', 'Z', '\u{1F600}', '\uFF21', 'O10'];
    const objects = ids.map((id) => ({ id, lon: 1, lat: 1, buffer_m: 0 }));
    const [r] = screenActions(objects, [{ id: 'A', lon: 1, lat: 1, radius_m: 0 }]);
    expect(r!.hits.map((h) => h.object.id)).toEqual([...ids].sort());
    expect(r!.hits.map((h) => h.object.id)).toEqual([
      'O10',
      'O17',
      'O9',
      'Z',
      'o1',
      'Ä',
      '\u{1F600}',
      '\uFF21',
    ]);
  });

  it('does not mutate its input', () => {
    const objects: Obj[] = [
      { id: 'O2', lon: 30.5, lat: 50.4, buffer_m: 100, attrs: { n: 2 } },
      { id: 'O1', lon: 30.501, lat: 50.4, buffer_m: 0, attrs: { n: 1 } },
    ];
    const actions: ScreeningAction[] = [{ id: 'A1', lon: 30.5005, lat: 50.4, radius_m: 250 }];
    const before = structuredClone({ objects, actions });
    const [r] = screenActions(objects, actions);
    expect(r!.hits.map((h) => h.object.id)).toEqual(['O1', 'O2']);
    expect(r!.hits[1]!.object).toBe(objects[0]);
    expect({ objects, actions }).toEqual(before);
  });

  it('rejects invalid input with every problem named', () => {
    const run = () =>
      screenActions(
        [
          { id: 'O1', lon: 30.5, lat: 150.4, buffer_m: 0 },
          { id: 'O1', lon: 30.5, lat: 50.4, buffer_m: -1 },
        ],
        [{ id: 'A1', lon: 30.5, lat: 50.4, radius_m: -5 }],
      );
    expect(run).toThrow(CivitasError);
    try {
      run();
    } catch (error) {
      const e = error as CivitasError;
      expect(e.code).toBe('validation_failed');
      expect(e.message).toContain(
        'objects[0].lat: lat 150.4 is outside −90..90 (are lon and lat swapped?)',
      );
      expect(e.problems.map((p) => p.path)).toEqual([
        'objects[0].lat',
        'objects[1].buffer_m',
        'objects[1].id',
        'actions[0].radius_m',
      ]);
    }
  });

  it('refuses a probe with a buffer larger than the index was built for', () => {
    const index = ActionIndex.build({ lon: [0], lat: [0], radius: [10] }, { maxBufferM: 100 });
    expect(() => index.probe(0, 0, 101, new HitBuffer())).toThrow(/larger maxBufferM/);
  });
});
