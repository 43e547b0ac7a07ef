import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importObjects, readerFor } from '../../src/service/register/import.service.js';
import { systemActor } from '../../src/service/deps.js';
import { UNRESTRICTED_VIEWER } from '../../src/domain/access/viewer.js';
import { testDatabases } from '../helpers/databases.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { sharedData } from '../helpers/shared-data.js';

const shared = sharedData();

/** Objects around Vaduz (Liechtenstein), as NDJSON lines. */
function ndjson(rows: Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
const base = [
  { id: 'H1', name: 'Landesspital', category: 'medical', lon: 9.5209, lat: 47.141, buffer_m: 300 },
  {
    id: 'S1',
    name: 'Primarschule Ebenholz',
    category: 'education',
    lon: 9.515,
    lat: 47.145,
    buffer_m: 150,
  },
  {
    id: 'C1',
    name: 'Schloss Vaduz',
    category: 'cultural',
    lon: 9.5244,
    lat: 47.1392,
    buffer_m: 200,
  },
  { id: 'W1', name: 'Wasserwerk', category: 'water', lon: 9.49, lat: 47.1, buffer_m: 100 },
];

describe.each(testDatabases())('protected-objects register on $name', (database) => {
  let t: TestApp;
  let author: string;
  let approver: string;
  let partner: string;

  const importText = (text: string, query: string, cookie = author) =>
    t.app.inject({
      method: 'POST',
      url: `/api/objects/import?${query}`,
      headers: { cookie, 'content-type': 'application/x-ndjson' },
      payload: text,
    });

  beforeAll(async () => {
    t = await buildTestApp(database);
    author = (await t.signIn({ role: 'targeting-officer', clearance: 'NS' })).cookie;
    approver = (await t.signIn({ role: 'legal-adviser', clearance: 'NS' })).cookie;
    partner = (await t.signIn({ role: 'partner', clearance: 'NU', organisations: ['UN'] })).cookie;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('should refuse a file with any bad line, list every bad line with its field, and write nothing', async () => {
    const bad =
      ndjson([
        base[0]!,
        { id: 'X1', name: 'Swapped', category: 'medical', lon: 47.1, lat: 95.5 },
        { id: 'X2', name: 'Unknown', category: 'casino', lon: 9.5, lat: 47.1 },
      ]) + '{"id": "X3", "name": \n';
    const res = await importText(bad, 'format=ndjson&source=test&list=NSL');
    expect(res.statusCode).toBe(422);
    const report = res.json();
    expect(report.written).toBe(false);
    expect(report.errorCount).toBeGreaterThanOrEqual(3);
    const lines = report.errors.map((e: { line: number }) => e.line);
    expect(lines).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(report.errors.find((e: { line: number }) => e.line === 3).field).toBe('category');
    expect(await t.store.objects.count()).toBe(0);
  });

  it('should import, then re-import the same file as updates rather than duplicates', async () => {
    const first = (await importText(ndjson(base), 'format=ndjson&source=test&list=NSL')).json();
    expect(first).toMatchObject({ read: 4, inserted: 4, updated: 0, written: true, errorCount: 0 });
    const again = (await importText(ndjson(base), 'format=ndjson&source=test&list=NSL')).json();
    expect(again).toMatchObject({ inserted: 0, updated: 4 });
    expect(await t.store.objects.count()).toBe(4);
    const dry = (
      await importText(
        ndjson([{ ...base[0]!, id: 'NEW' }]),
        'format=ndjson&source=test&dryRun=true',
      )
    ).json();
    expect(dry).toMatchObject({ inserted: 1, written: false });
    expect(await t.store.objects.count()).toBe(4);
  });

  it('should search by name in any case or accents, category, list, bbox and great-circle radius', async () => {
    const get = async (q: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/objects?${q}`, headers: { cookie: author } })
      ).json();
    expect((await get('q=SCHLOSS')).items.map((o: { name: string }) => o.name)).toEqual([
      'Schloss Vaduz',
    ]);
    expect((await get('q=primärschule')).total).toBe(1);
    expect((await get('q=primarschule ebenholz')).total).toBe(1);
    // Full-text: each word typed begins a word of the name; the middle of a word does not match.
    expect((await get('q=schl%20vad')).total).toBe(1);
    expect((await get('q=loss')).total).toBe(0);
    expect((await get('category=medical')).total).toBe(1);
    expect((await get('list=NSL')).total).toBe(4);
    expect((await get('list=RTL')).total).toBe(0);
    expect((await get('bbox=9.50,47.13,9.53,47.15')).total).toBe(3);
    // S1 lies 631 m from the hospital, C1 332 m (haversine on the 6,371,008.7714 m sphere).
    const near = await get('near=9.5209,47.141&radius=600');
    expect(near.items.map((o: { sourceRef: string }) => o.sourceRef)).toEqual(['H1', 'C1']);
    const wider = await get('near=9.5209,47.141&radius=700');
    expect(wider.items.map((o: { sourceRef: string }) => o.sourceRef)).toEqual(['H1', 'C1', 'S1']);
    expect(near.items[0].distanceMetres).toBeCloseTo(0, 3);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/objects?near=9.5',
      headers: { cookie: author },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.near');
  });

  it('should release, refuse self-approval, and show the diff of a scripted change set', async () => {
    const draft = (
      await t.app.inject({
        method: 'POST',
        url: '/api/releases',
        headers: { cookie: author },
        payload: { title: 'NSL 1' },
      })
    ).json();
    expect(draft).toMatchObject({ status: 'draft', objectCount: 4, number: null });
    await t.app.inject({
      method: 'POST',
      url: `/api/releases/${draft.id}/submit`,
      headers: { cookie: author },
    });
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/releases/${draft.id}/approve`,
      headers: { cookie: author },
    });
    expect(self.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/releases/${draft.id}/approve`,
      headers: { cookie: approver },
    });
    expect(ok.json()).toMatchObject({ status: 'released', number: 1 });

    // The change set: one object removed from the list, one moved, one changed, one added.
    const objects = (
      await t.store.objects.search(UNRESTRICTED_VIEWER, {}, { limit: 100, offset: 0 })
    ).items;
    const by = (ref: string) => objects.find((o) => o.sourceRef === ref)!;
    const patch = (id: string, payload: object) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/objects/${id}`,
        headers: { cookie: author },
        payload,
      });
    expect((await patch(by('W1').id, { list: null })).statusCode).toBe(200);
    expect(
      (await patch(by('C1').id, { geometry: { type: 'Point', coordinates: [9.5244, 47.1402] } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await patch(by('S1').id, { list: 'RTL', restriction: 'Only with COM approval' })).statusCode,
    ).toBe(200);
    await importText(
      ndjson([
        { id: 'R1', name: 'Kirche St. Florin', category: 'religious', lon: 9.521, lat: 47.1405 },
      ]),
      'format=ndjson&source=test&list=NSL',
    );

    const second = (
      await t.app.inject({
        method: 'POST',
        url: '/api/releases',
        headers: { cookie: author },
        payload: { title: 'NSL 2' },
      })
    ).json();
    const diff = (
      await t.app.inject({
        method: 'GET',
        url: `/api/releases/${second.id}/diff`,
        headers: { cookie: author },
      })
    ).json();
    expect(diff.against.number).toBe(1);
    expect(diff.diff.added).toEqual([
      objects.length ? (await t.store.objects.findBySource('test', ['R1'])).get('R1')!.id : '',
    ]);
    expect(diff.diff.removed).toEqual([by('W1').id]);
    expect(diff.diff.moved.map((m: { objectId: string }) => m.objectId)).toEqual([by('C1').id]);
    expect(diff.diff.moved[0].metres).toBeCloseTo(111.2, 0);
    expect(diff.diff.changed).toEqual([{ objectId: by('S1').id, fields: ['list', 'restriction'] }]);
    // Release 1 is immutable: it still has the removed object.
    const r1 = (
      await t.app.inject({
        method: 'GET',
        url: '/api/objects/export?release=1&format=geojson',
        headers: { cookie: author },
      })
    ).json();
    expect(
      r1.features.map((f: { properties: { source_id: string } }) => f.properties.source_id).sort(),
    ).toEqual(['C1', 'H1', 'S1', 'W1']);
  });

  it('should export GeoJSON, CSV and KML with the marking, and re-import the GeoJSON to the same register', async () => {
    const geo = await t.app.inject({
      method: 'GET',
      url: '/api/objects/export?format=geojson',
      headers: { cookie: author },
    });
    expect(geo.json().marking).toContain('NATO UNCLASSIFIED');
    expect(geo.json().features[0].properties).toHaveProperty('buffer_m');
    const before = await t.store.objects.count();
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/objects/import?format=geojson&source=test',
      headers: { cookie: author, 'content-type': 'application/geo+json' },
      payload: geo.body,
    });
    expect(back.json()).toMatchObject({ inserted: 0, errorCount: 0 });
    expect(back.json().updated).toBe(before);
    expect(await t.store.objects.count()).toBe(before);
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/objects/export?format=csv',
      headers: { cookie: author },
    });
    expect(csv.body.split('\n')[0]).toContain('NATO UNCLASSIFIED');
    expect(csv.body).toContain('#geo+lat');
    const kml = await t.app.inject({
      method: 'GET',
      url: '/api/objects/export?format=kml',
      headers: { cookie: author },
    });
    expect(kml.body).toContain('<kml');
    expect(kml.body).toContain('Schloss Vaduz');
  });

  it('should hide objects outside a partner\u2019s releasability and forbid partners to write', async () => {
    const list = (
      await t.app.inject({ method: 'GET', url: '/api/objects', headers: { cookie: partner } })
    ).json();
    expect(list.total).toBe(0);
    const res = await importText(ndjson(base), 'format=ndjson&source=test', partner);
    expect(res.statusCode).toBe(403);
  });

  it.skipIf(!existsSync(shared))(
    'should import the real OSM extract (PBF) and the Ukraine power plants end to end',
    async () => {
      const actor = systemActor('test');
      const pbf = await importObjects(
        t.deps,
        actor,
        readerFor(
          'osm-pbf',
          createReadStream(resolve(shared, 'osm-liechtenstein/liechtenstein-2013-08-03.osm.pbf')),
          {},
        ),
      );
      expect(pbf.errorCount).toBe(0);
      expect(pbf.inserted).toBeGreaterThan(40);
      const csv = await importObjects(
        t.deps,
        actor,
        readerFor(
          'csv',
          createReadStream(
            resolve(shared, 'wri-gppd-ukraine/global_power_plant_database_ukraine.csv'),
          ),
          {
            source: 'wri-gppd',
            category: 'power',
            columns: { name: 'name', lat: 'latitude', lon: 'longitude', sourceId: 'gppd_idnr' },
          },
        ),
      );
      expect(csv.errorCount).toBe(0);
      expect(csv.inserted).toBeGreaterThan(50);
      const again = await importObjects(
        t.deps,
        actor,
        readerFor(
          'osm-pbf',
          Readable.from(
            createReadStream(resolve(shared, 'osm-liechtenstein/liechtenstein-2013-08-03.osm.pbf')),
          ),
          {},
        ),
      );
      expect(again).toMatchObject({ inserted: 0, updated: pbf.inserted });
    },
  );
});
