import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Area, Place, Region } from '../../src/domain/area/area.js';
import { bboxContains, bboxIntersects, bboxOfGeometry, type BBox } from '../../src/geo/index.js';
import type { Store } from '../../src/store/ports.js';
import { testDatabases } from '../helpers/databases.js';
import { UNRESTRICTED_VIEWER as all } from '../../src/domain/access/viewer.js';

function square(lon: number, lat: number, size: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
      ],
    ],
  };
}

const area: Area = {
  id: 'area-1',
  name: 'AO TEST',
  description: 'test area',
  exercise: true,
  marking: { classification: 'NR', releasability: ['EU'] },
  source: 'test',
  outline: square(10, 0, 10),
  bbox: [10, 0, 20, 10],
  createdAt: '2026-11-22T00:00:00.000Z',
  createdBy: 'test',
};

/** A deterministic scatter of places: a grid with irregular offsets, some on box edges. */
function places(): Place[] {
  const out: Place[] = [];
  for (let i = 0; i < 400; i++) {
    const lon = 10 + ((i * 37) % 100) / 10;
    const lat = ((i * 53) % 100) / 10;
    out.push({
      id: `p-${String(i).padStart(3, '0')}`,
      areaId: area.id,
      name: `Place ${i}`,
      kind: 'village',
      population: 1000 + ((i * 7919) % 50_000),
      adminCode: null,
      source: 'test',
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
  }
  return out;
}

describe.each(testDatabases())('area repository on $name', (database) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
  });
  afterEach(async () => {
    await dispose();
  });

  it('stores an area and reads it back with its marking, outline and counts', async () => {
    await store.areas.insertArea(area);
    await store.areas.insertPlaces(places().slice(0, 3));
    const got = await store.areas.getArea(area.id, all);
    expect(got).toMatchObject({
      id: area.id,
      name: 'AO TEST',
      exercise: true,
      marking: { classification: 'NR', releasability: ['EU'] },
      outline: area.outline,
      bbox: [10, 0, 20, 10],
      placeCount: 3,
      regionCount: 0,
      unitCount: 0,
    });
    expect(await store.areas.getArea('missing', all)).toBeUndefined();
  });

  it('pages areas newest first with the total', async () => {
    for (let i = 0; i < 5; i++) {
      await store.areas.insertArea({
        ...area,
        id: `a${i}`,
        createdAt: `2026-11-2${i}T00:00:00.000Z`,
      });
    }
    const page = await store.areas.listAreas({ limit: 2, offset: 1 }, all);
    expect(page.total).toBe(5);
    expect(page.items.map((a) => a.id)).toEqual(['a3', 'a2']);
  });

  it('answers bbox queries through the spatial index exactly as a brute-force scan does', async () => {
    const all = places();
    await store.areas.insertArea(area);
    await store.areas.insertPlaces(all);
    const boxes: BBox[] = [
      [12, 2, 14.5, 6],
      [10, 0, 10.9, 0.9],
      [15.3, 4.4, 15.3, 4.4],
      [0, 0, 5, 5],
      [10, 0, 20, 10],
    ];
    for (const box of boxes) {
      const expected = all
        .filter((p) => bboxContains(box, p.geometry.coordinates[0]!, p.geometry.coordinates[1]!))
        .map((p) => p.id)
        .sort();
      const got = await store.areas.listPlaces(area.id, { bbox: box, limit: 10_000 });
      expect(got.items.map((p) => p.id).sort()).toEqual(expected);
      expect(got.total).toBe(expected.length);
    }
  });

  it('filters polygons by bbox intersection and keeps index and table in step after deletes', async () => {
    await store.areas.insertArea(area);
    const regions: Region[] = [0, 1, 2, 3].map((i) => ({
      id: `r${i}`,
      areaId: area.id,
      name: `Region ${i}`,
      code: `R${i}`,
      source: 'test',
      geometry: square(10 + i * 2.5, 0, 2.5),
    }));
    await store.areas.insertRegions(regions);
    const got = await store.areas.listRegions(area.id);
    expect(got.map((r) => r.code)).toEqual(['R0', 'R1', 'R2', 'R3']);
    expect(got[2]!.geometry).toEqual(regions[2]!.geometry);
    const box: BBox = [13, 1, 14, 2];
    expect(
      regions.filter((r) => bboxIntersects(bboxOfGeometry(r.geometry), box)).map((r) => r.id),
    ).toEqual(['r1']);

    expect(await store.areas.deleteArea(area.id)).toBe(true);
    expect(await store.areas.listRegions(area.id)).toEqual([]);
    if (store.kind === 'sqlite') {
      const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM region_rtree`.execute(
        store.db,
      );
      expect(rows.rows[0]!.n).toBe(0);
    }
    expect(await store.areas.deleteArea(area.id)).toBe(false);
  });

  it('writes nothing when a transaction fails part-way', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.areas.insertArea(area);
        await tx.audit.append(
          { actor: 't', action: 'area.create', recordType: 'area', recordId: area.id },
          area.createdAt,
        );
        throw new Error('crash between statements');
      }),
    ).rejects.toThrow('crash between statements');
    expect(await store.areas.countAreas()).toBe(0);
    expect(await store.audit.listForRecord('area', area.id)).toEqual([]);
  });

  it('rejects a region whose area does not exist (foreign keys are on)', async () => {
    await expect(
      store.areas.insertRegions([
        { id: 'r', areaId: 'nope', name: 'x', code: 'x', source: 't', geometry: square(0, 0, 1) },
      ]),
    ).rejects.toThrow();
  });

  it('appends audit events in order', async () => {
    await store.audit.append(
      { actor: 'a', action: 'one', recordType: 'area', recordId: 'x' },
      '2026-01-01T00:00:00Z',
    );
    await store.audit.append(
      { actor: 'b', action: 'two', recordType: 'area', recordId: 'x', detail: { n: 1 } },
      '2026-01-02T00:00:00Z',
    );
    const events = await store.audit.listForRecord('area', 'x');
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['a', 'one', {}],
      ['b', 'two', { n: 1 }],
    ]);
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
  });
});
