import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNRESTRICTED_VIEWER } from '../../src/domain/access/viewer.js';
import type { ProtectedObject } from '../../src/domain/protected-object/register.js';
import { bboxContains, lonLat, lonLatDistanceMetres, type BBox } from '../../src/geo/index.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(20261122);
/** Clusters around a city, the antimeridian, and a pole: where bbox arithmetic goes wrong. */
const CENTRES: [number, number][] = [
  [18.55, 4.36],
  [179.95, -16.5],
  [-179.9, -16.6],
  [10, 89.95],
  [0, 0],
];
const objects: ProtectedObject[] = Array.from({ length: 1500 }, (_, i) => {
  const [clon, clat] = CENTRES[i % CENTRES.length]!;
  let lon = clon + (rnd() - 0.5) * 0.4;
  const lat = Math.max(-90, Math.min(90, clat + (rnd() - 0.5) * 0.2));
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return {
    id: `o${String(i).padStart(5, '0')}`,
    source: 'parity',
    sourceRef: `p${i}`,
    name: `Object ${i}`,
    nameLatin: null,
    category: 'medical',
    protection: 'policy',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    bufferMetres: 0,
    mgrs: null,
    centroid: [lon, lat],
    topics: [],
    list: null,
    restriction: null,
    marking: { classification: 'NU', releasability: [] },
    version: 1,
    createdAt: '2026-11-22T00:00:00Z',
    createdBy: 't',
    updatedAt: '2026-11-22T00:00:00Z',
    updatedBy: 't',
  };
});
const queries = Array.from({ length: 60 }, (_, i) => {
  const [clon, clat] = CENTRES[i % CENTRES.length]!;
  let lon = clon + (rnd() - 0.5) * 0.2;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return {
    lon,
    lat: Math.max(-90, Math.min(90, clat + (rnd() - 0.5) * 0.1)),
    metres: 200 + rnd() * 15_000,
  };
});

function bruteNear(q: { lon: number; lat: number; metres: number }): string[] {
  return objects
    .filter(
      (o) =>
        lonLatDistanceMetres(lonLat(q.lon, q.lat), lonLat(o.centroid[0], o.centroid[1])) <=
        q.metres,
    )
    .map((o) => o.id)
    .sort();
}

const answers = new Map<string, string[][]>();

describe.each(testDatabases())('register spatial search on $name', (database) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ store, dispose } = await database.open());
    await store.objects.insertMany(objects);
  });
  afterAll(async () => {
    await dispose();
  });

  it('answers near queries (city, antimeridian, pole) exactly as a brute-force haversine scan', async () => {
    const got: string[][] = [];
    for (const q of queries) {
      const page = await store.objects.search(
        UNRESTRICTED_VIEWER,
        { near: q },
        { limit: 10_000, offset: 0 },
      );
      const ids = page.items.map((o) => o.id).sort();
      expect(ids).toEqual(bruteNear(q));
      got.push(ids);
    }
    expect(got.some((ids) => ids.length > 0)).toBe(true);
    answers.set(database.name, got);
  });

  it('answers bbox queries exactly as a brute-force scan', async () => {
    for (const q of queries.slice(0, 20)) {
      const box: BBox = [
        Math.max(-180, q.lon - 0.05),
        Math.max(-90, q.lat - 0.05),
        Math.min(180, q.lon + 0.05),
        Math.min(90, q.lat + 0.05),
      ];
      const page = await store.objects.search(
        UNRESTRICTED_VIEWER,
        { bbox: box },
        { limit: 10_000, offset: 0 },
      );
      const expected = objects
        .filter((o) => bboxContains(box, o.centroid[0], o.centroid[1]))
        .map((o) => o.id)
        .sort();
      expect(page.items.map((o) => o.id).sort()).toEqual(expected);
    }
  });

  it('gives SQLite and PostgreSQL the same answers when both ran', () => {
    if (answers.size === 2) expect(answers.get('postgres')).toEqual(answers.get('sqlite'));
    else expect(answers.size).toBe(1);
  });
});
