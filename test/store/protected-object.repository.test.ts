import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { UNRESTRICTED_VIEWER as all } from '../../src/domain/access/viewer.js';
import type { ProtectedGeometry } from '../../src/domain/protected-object/protected-object.js';
import type { ProtectedObject } from '../../src/domain/protected-object/register.js';
import { lonLat, lonLatDistanceMetres } from '../../src/geo/index.js';
import { objectRowValues } from '../../src/store/object-row.js';
import type { Store } from '../../src/store/ports.js';
import { up as nameSearchUp } from '../../src/store/migrations/0011-register-name-search.js';
import { MMAP_BYTES } from '../../src/store/sqlite/connect.js';
import { DEFER_INDEXES_AFTER } from '../../src/store/sqlite/object-rows.js';
import { testDatabases } from '../helpers/databases.js';

const at = '2026-11-22T00:00:00.000Z';

function object(i: number, geometry?: ProtectedGeometry): ProtectedObject {
  // A deterministic scatter around Vaduz, about 10 km across, with a few polygons.
  const lon = 9.47 + ((i * 37) % 113) / 800;
  const lat = 47.08 + ((i * 53) % 127) / 1000;
  const shape: ProtectedGeometry = geometry ?? { type: 'Point', coordinates: [lon, lat] };
  return {
    id: `o-${String(i).padStart(5, '0')}`,
    source: 'test',
    sourceRef: `r${i}`,
    name: `Objekt ${i} Schlössle`,
    nameLatin: null,
    category: 'cultural',
    protection: 'hague-general',
    geometry: shape,
    bufferMetres: 100 + (i % 400),
    mgrs: null,
    centroid: shape.type === 'Point' ? [lon, lat] : [9.5, 47.1],
    topics: ['CPP'],
    list: null,
    restriction: null,
    marking: { classification: 'NU', releasability: [] },
    version: 1,
    createdAt: at,
    createdBy: 'test',
    updatedAt: at,
    updatedBy: 'test',
  };
}

const square: ProtectedGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [9.49, 47.09],
      [9.51, 47.09],
      [9.51, 47.11],
      [9.49, 47.11],
      [9.49, 47.09],
    ],
  ],
};

const page = { limit: 10_000, offset: 0 };

describe.each(testDatabases())('protected-object repository on $name', (database) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await database.open());
  });
  afterEach(async () => {
    await dispose();
  });

  /** Ids within `metres` of a point by brute force over `objects`, nearest first. */
  function nearByBruteForce(
    objects: readonly ProtectedObject[],
    lon: number,
    lat: number,
    metres: number,
  ) {
    return objects
      .map((o) => ({
        id: o.id,
        d: lonLatDistanceMetres(lonLat(lon, lat), lonLat(o.centroid[0], o.centroid[1])),
      }))
      .filter((h) => h.d <= metres)
      .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
      .map((h) => h.id);
  }

  it('should write in bulk what insertMany and update write, and find it through the spatial index', async () => {
    const objects = Array.from({ length: 1200 }, (_, i) =>
      object(i, i % 100 === 7 ? square : undefined),
    );
    await store.transaction((tx) =>
      tx.objects.bulkWrite(async (writer) => {
        await writer.insert(objects.slice(0, 700));
        await writer.insert(objects.slice(700));
      }),
    );
    expect(await store.objects.count()).toBe(1200);
    expect(await store.objects.get('o-00042', all)).toEqual(objects[42]);
    expect(await store.objects.get('o-00107', all)).toEqual(objects[107]);

    const near = await store.objects.search(
      all,
      { near: { lon: 9.52, lat: 47.14, metres: 2500 } },
      page,
    );
    expect(near.items.map((o) => o.id)).toEqual(nearByBruteForce(objects, 9.52, 47.14, 2500));
    expect(near.total).toBeGreaterThan(50);
    const box = await store.objects.search(all, { bbox: [9.5, 47.1, 9.52, 47.12] }, page);
    expect(box.items.map((o) => o.id)).toContain('o-00107');

    // Updates: one object moves, one changes its name only; a normal insert after the bulk
    // write still gets its R*Tree entry from the trigger.
    const moved = {
      ...objects[3]!,
      geometry: { type: 'Point' as const, coordinates: [9.6, 47.2] },
      centroid: [9.6, 47.2] as const,
      version: 2,
    };
    const renamed = { ...objects[4]!, name: 'Umbenannt', version: 2 };
    await store.transaction((tx) =>
      tx.objects.bulkWrite((writer) => writer.update([moved, renamed])),
    );
    await store.objects.insertMany([object(5000)]);
    expect(await store.objects.get(moved.id, all)).toEqual(moved);
    expect(await store.objects.get(renamed.id, all)).toEqual(renamed);
    const there = await store.objects.search(
      all,
      { near: { lon: 9.6, lat: 47.2, metres: 10 } },
      page,
    );
    expect(there.items.map((o) => o.id)).toEqual([moved.id]);
    const after = [...objects.filter((o) => o.id !== moved.id), moved, object(5000)];
    const again = await store.objects.search(
      all,
      { near: { lon: 9.52, lat: 47.14, metres: 2500 } },
      page,
    );
    expect(again.items.map((o) => o.id)).toEqual(nearByBruteForce(after, 9.52, 47.14, 2500));
  });

  it('should write nothing when the transaction fails, and leave the spatial index whole', async () => {
    await expect(
      store.transaction((tx) =>
        tx.objects.bulkWrite(async (writer) => {
          await writer.insert([object(1), object(2)]);
          throw new Error('abort');
        }),
      ),
    ).rejects.toThrow('abort');
    // A duplicate (source, source_ref) fails in the database, on either engine.
    await expect(
      store.transaction((tx) =>
        tx.objects.bulkWrite((writer) =>
          writer.insert([object(1), { ...object(2), sourceRef: 'r1' }]),
        ),
      ),
    ).rejects.toThrow();
    expect(await store.objects.count()).toBe(0);
    await store.objects.insertMany([object(9)]);
    const near = await store.objects.search(
      all,
      { near: { lon: object(9).centroid[0], lat: object(9).centroid[1], metres: 1 } },
      page,
    );
    expect(near.items.map((o) => o.id)).toEqual(['o-00009']);
    if (store.kind === 'sqlite') {
      const triggers = await sql<{
        name: string;
      }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'protected_object' ORDER BY name`.execute(
        store.db,
      );
      expect(triggers.rows.map((r) => r.name)).toEqual([
        'protected_object_fts_delete',
        'protected_object_fts_insert',
        'protected_object_fts_update',
        'protected_object_rtree_delete',
        'protected_object_rtree_insert',
        'protected_object_rtree_update',
      ]);
      const entries = await sql<{
        n: number;
      }>`SELECT count(*) AS n FROM protected_object_rtree`.execute(store.db);
      expect(Number(entries.rows[0]!.n)).toBe(1);
      // The name-search index holds the one object too, and nothing of the failed write.
      const check =
        await sql`INSERT INTO protected_object_fts (protected_object_fts) VALUES ('integrity-check')`.execute(
          store.db,
        );
      expect(check.numAffectedRows).toBeDefined();
      expect((await store.objects.search(all, { q: 'objekt' }, page)).total).toBe(1);
    }
  });

  it('should refuse a bulk write outside a transaction, and tell whether a source has objects', async () => {
    await expect(store.objects.bulkWrite(async () => undefined)).rejects.toThrow(
      /inside store\.transaction/,
    );
    expect(await store.objects.hasSource('test')).toBe(false);
    await store.objects.insertMany([object(1)]);
    expect(await store.objects.hasSource('test')).toBe(true);
    expect(await store.objects.hasSource('other')).toBe(false);
  });

  it('should write large row batches, with the secondary indexes whole afterwards and after a failure', async () => {
    const many = DEFER_INDEXES_AFTER + 5000;
    const batch = (from: number, to: number) => {
      const rows: unknown[][] = [];
      for (let i = from; i < to; i += 1) {
        rows.push(
          objectRowValues({ ...object(i), category: i % 2 === 0 ? 'cultural' : 'medical' }),
        );
      }
      return { rows };
    };
    const indexes = async () =>
      store.kind === 'sqlite'
        ? (
            await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'protected_object' AND sql IS NOT NULL ORDER BY name`.execute(
              store.db,
            )
          ).rows.map((r) => r.name)
        : [];
    const before = await indexes();
    await expect(
      store.transaction((tx) =>
        tx.objects.bulkWrite(async (writer) => {
          await writer.insertRows(batch(0, many));
          throw new Error('abort');
        }),
      ),
    ).rejects.toThrow('abort');
    expect(await store.objects.count()).toBe(0);
    expect(await indexes()).toEqual(before);

    await store.transaction((tx) =>
      tx.objects.bulkWrite(async (writer) => {
        await writer.insertRows(batch(0, 10_000));
        await writer.insertRows(batch(10_000, many));
      }),
    );
    expect(await store.objects.count()).toBe(many);
    expect(await indexes()).toEqual(before);
    const medical = await store.objects.search(
      all,
      { category: 'medical' },
      { limit: 1, offset: 0 },
    );
    expect(medical.total).toBe(many / 2);
    // PostGIS gives coordinates back to 9 decimals: compare the geometry to that precision.
    const seventh = await store.objects.get('o-00007', all);
    const expected = { ...object(7), category: 'medical' as const };
    expect(seventh).toEqual({ ...expected, geometry: seventh?.geometry });
    const [lon, lat] = (seventh?.geometry as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(expected.centroid[0], 9);
    expect(lat).toBeCloseTo(expected.centroid[1], 9);
    const near = await store.objects.search(
      all,
      { near: { lon: 9.52, lat: 47.14, metres: 300 } },
      page,
    );
    const everything = Array.from({ length: many }, (_, i) => object(i));
    expect(near.items.map((o) => o.id)).toEqual(nearByBruteForce(everything, 9.52, 47.14, 300));
    if (store.kind === 'sqlite') {
      expect(before).toEqual(['protected_object_category_idx', 'protected_object_list_idx']);
      // The R*Tree was loaded packed (the register was empty): whole, one entry per object.
      const check = await sql<{
        c: string;
        n: number;
      }>`SELECT rtreecheck('protected_object_rtree') AS c, (SELECT count(*) FROM protected_object_rtree) AS n`.execute(
        store.db,
      );
      expect(check.rows[0]).toEqual({ c: 'ok', n: many });
      // The memory map, off during the write, is back for the reads.
      const mmap = await sql<{ mmap_size: number }>`PRAGMA mmap_size`.execute(store.db);
      expect(mmap.rows[0]!.mmap_size).toBe(MMAP_BYTES);
      const plan = await sql<{
        detail: string;
      }>`EXPLAIN QUERY PLAN SELECT id FROM protected_object WHERE category = 'medical'`.execute(
        store.db,
      );
      expect(plan.rows.map((r) => r.detail).join(' ')).toContain('protected_object_category_idx');
    }
  });

  it('should search names as words by prefix, in both scripts, case and accents ignored, after bulk and single writes', async () => {
    const named = (i: number, name: string, nameLatin: string | null = null): ProtectedObject => ({
      ...object(i),
      name,
      nameLatin,
    });
    const bulk = [
      named(1, 'Києво-Печерська лавра', 'Kyiv-Pechersk Lavra'),
      named(2, 'Київська міська лікарня № 1', 'Kyiv City Hospital No. 1'),
      named(3, 'Primärschule Ebenholz'),
      named(4, 'Kirche St.-Florin'),
      named(5, 'Софійський собор', 'Saint Sophia Cathedral'),
      named(6, 'Kyivstar tower'),
      named(7, 'Łódź Kaliska'),
    ];
    await store.transaction((tx) => tx.objects.bulkWrite((writer) => writer.insert(bulk)));
    await store.objects.insertMany([named(8, 'Київ-Пасажирський', 'Kyiv-Pasazhyrskyi')]);
    const names = async (q: string) =>
      (await store.objects.search(all, { q }, page)).items.map((o) => o.sourceRef).sort();

    // Each word typed must begin a word of the name or its transliteration.
    expect(await names('Kyiv')).toEqual(['r1', 'r2', 'r6', 'r8']);
    expect(await names('kyiv hosp')).toEqual(['r2']);
    expect(await names('Київ')).toEqual(['r2', 'r8']);
    expect(await names('київ')).toEqual(['r2', 'r8']);
    expect(await names('КИЇВ')).toEqual(['r2', 'r8']);
    // Accents are ignored whichever side has them, in Cyrillic too (ї is і with a diaeresis).
    expect(await names('Киів')).toEqual(['r2', 'r8']);
    expect(await names('лавр')).toEqual(['r1']);
    expect(await names('PRIMARSCHULE')).toEqual(['r3']);
    expect(await names('primärsch ebenh')).toEqual(['r3']);
    expect(await names('lodz')).toEqual(['r7']);
    // Punctuation separates words, in the names and in the query.
    expect(await names('st florin')).toEqual(['r4']);
    expect(await names('St.-Florin')).toEqual(['r4']);
    expect(await names('pechersk')).toEqual(['r1']);
    // Words, not substrings: the middle of a word does not match.
    expect(await names('schule')).toEqual([]);
    expect(await names('star')).toEqual([]);
    expect(await names('софія')).toEqual([]);
    expect(await names('софій собор')).toEqual(['r5']);
    // Quotes and search syntax are only text.
    expect(await names('"Kyiv" lavra*')).toEqual(['r1']);
    expect(await names('kyiv OR lavra')).toEqual([]);
    expect(await names('---')).toHaveLength(8);

    // Renames, re-imports and deletions keep the index in step.
    const renamed = { ...bulk[5]!, name: 'Telecom tower', version: 2 };
    await store.transaction((tx) => tx.objects.bulkWrite((writer) => writer.update([renamed])));
    await store.objects.update({ ...bulk[2]!, nameLatin: 'Kyiv school', version: 2 });
    await store.objects.delete(bulk[0]!.id);
    expect(await names('kyiv')).toEqual(['r2', 'r3', 'r8']);
    expect(await names('telecom')).toEqual(['r6']);
    expect(await names('lavra')).toEqual([]);
    const hit = await store.objects.search(
      all,
      { q: 'kyiv', category: 'cultural' },
      { limit: 2, offset: 0 },
    );
    expect(hit.total).toBe(3);
    expect(hit.items).toHaveLength(2);
  });

  it('should index the names of objects written before full-text search, in the same words on both databases', async () => {
    await store.objects.insertMany([
      { ...object(1), name: 'Kyiv-Pechersk Lavra' },
      { ...object(2), name: 'Schloss Vaduz', nameLatin: null },
    ]);
    // The register as migration 0011 finds it: no name index, search text with punctuation.
    if (store.kind === 'sqlite') {
      for (const trigger of ['insert', 'update', 'delete']) {
        await sql`DROP TRIGGER ${sql.id(`protected_object_fts_${trigger}`)}`.execute(store.db);
      }
      await sql`DROP TABLE protected_object_fts`.execute(store.db);
    } else {
      await sql`DROP INDEX protected_object_search_gin`.execute(store.db);
    }
    await sql`UPDATE protected_object SET search_text = 'kyiv-pechersk lavra,' WHERE source_ref = 'r1'`.execute(
      store.db,
    );
    await nameSearchUp(store.db, store.kind);
    const texts = await sql<{
      search_text: string;
    }>`SELECT search_text FROM protected_object ORDER BY source_ref`.execute(store.db);
    expect(texts.rows.map((r) => r.search_text)).toEqual(['kyiv pechersk lavra', 'schloss vaduz']);
    const refs = async (q: string) =>
      (await store.objects.search(all, { q }, page)).items.map((o) => o.sourceRef);
    expect(await refs('pechersk lav')).toEqual(['r1']);
    expect(await refs('vaduz')).toEqual(['r2']);
    // Writes after the migration are indexed too.
    await store.objects.insertMany([{ ...object(3), name: 'Lavra Bell Tower' }]);
    expect((await refs('lavra')).sort()).toEqual(['r1', 'r3']);
  });
});
