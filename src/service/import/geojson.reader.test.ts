import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readGeoJson } from './geojson.reader.js';
import { ImportResult } from './import-result.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/import');
const DERIVED = sharedData('osm-liechtenstein/liechtenstein-civilian-objects.geojson');
if (!existsSync(DERIVED)) console.error(`GeoJSON test on real data skipped: ${DERIVED} is absent`);

async function read(input: Readable): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for await (const result of readGeoJson(input)) results.push(result);
  return results;
}

const fixture = (name: string) => createReadStream(resolve(FIXTURES, name), { highWaterMark: 64 });
const text = (json: string) => Readable.from([Buffer.from(json, 'utf8')]);
const errors = (results: ImportResult[]) =>
  results
    .filter(ImportResult.isError)
    .map(({ index, line, field, message }) => ({ index, line, field, message }));

describe('readGeoJson', () => {
  it('imports each feature with its index, line and source id, in small chunks', async () => {
    const results = await read(fixture('sites.geojson'));
    expect(errors(results)).toEqual([]);
    const ok = results.filter(ImportResult.isOk);
    expect(ok.map((r) => [r.index, r.line, r.sourceId])).toEqual([
      [0, 5, 'li-hospital'],
      [1, 17, 'vaduz-castle'],
      [2, 41, 'rhine-intake'],
    ]);
    expect(ok[0]?.object).toEqual({
      name: 'Liechtensteinisches Landesspital',
      nameLatin: 'Liechtenstein State Hospital',
      category: 'medical',
      protection: 'geneva-medical',
      geometry: { type: 'Point', coordinates: [9.5209, 47.141] },
      bufferMetres: 300,
      source: 'geojson',
      sourceRef: 'li-hospital',
      topics: ['PoC', 'CAAC'],
      marking: { classification: 'NU', releasability: [] },
      lists: [{ list: 'NSL' }],
    });
    expect(ok[1]?.object).toMatchObject({
      category: 'cultural',
      protection: 'hague-enhanced',
      bufferMetres: 400,
      topics: ['CPP', 'PoC'],
    });
    expect(ok[1]?.object.geometry).not.toHaveProperty('bbox');
    expect(ok[2]?.object.lists).toEqual([
      { list: 'RTL', restriction: 'Engage only with COM approval' },
    ]);
  });

  it('takes the source and marking from the options', async () => {
    const results: ImportResult[] = [];
    const marking = { classification: 'NR' as const, releasability: ['EU' as const] };
    for await (const result of readGeoJson(fixture('sites.geojson'), {
      source: 'li-survey',
      marking,
    })) {
      results.push(result);
    }
    expect(
      results.filter(ImportResult.isOk).map((r) => [r.object.source, r.object.marking]),
    ).toEqual([
      ['li-survey', marking],
      ['li-survey', marking],
      ['li-survey', marking],
    ]);
  });

  it('reports each bad feature with its index, line and field, and imports the good one', async () => {
    const results = await read(fixture('bad-features.geojson'));
    expect(results.filter(ImportResult.isOk).map((r) => r.sourceId)).toEqual(['ok-school']);
    expect(errors(results)).toEqual([
      {
        index: 1,
        line: 9,
        field: 'geometry.coordinates[0][3]',
        message: 'the polygon ring is not closed: its last position must repeat its first',
      },
      {
        index: 2,
        line: 28,
        field: 'geometry.coordinates[0]',
        message: 'longitude 195.2 is outside −180..180',
      },
      {
        index: 3,
        line: 37,
        field: 'geometry.coordinates[1]',
        message:
          'latitude 95.52 is outside −90..90: longitude and latitude look swapped (GeoJSON order is [lon, lat])',
      },
      {
        index: 4,
        line: 42,
        field: 'properties.category',
        message: expect.stringMatching(
          /^unknown category "hostpital": use one of cultural, medical, /,
        ),
      },
      { index: 5, line: 51, field: 'properties.id', message: expect.stringMatching(/^has no id/) },
      {
        index: 6,
        line: 56,
        field: 'properties.id',
        message: 'id "ok-school" is already used by item 0: ids must be unique in a file',
      },
      {
        index: 7,
        line: 61,
        field: 'geometry.type',
        message:
          'geometry type must be Point, LineString, Polygon, MultiPoint, MultiLineString or MultiPolygon',
      },
    ]);
  });

  it('reports broken JSON as a file error naming the feature and line, after the features before it', async () => {
    const results = await read(fixture('broken-geojson.txt'));
    expect(results.map((r) => r.kind)).toEqual(['ok', 'error']);
    expect(errors(results)).toEqual([
      {
        index: 1,
        line: 11,
        field: 'file',
        message: "expected ',' or '}', found '\"' (line 11, column 63)",
      },
    ]);
  });

  it('reports a file cut in half', async () => {
    const whole = readFileSync(resolve(FIXTURES, 'sites.geojson'), 'utf8');
    const results = await read(text(whole.slice(0, whole.length / 2)));
    expect(results.at(-1)).toMatchObject({
      kind: 'error',
      field: 'file',
      message: expect.stringMatching(/truncated/),
    });
  });

  it('reads a lone Feature, and reports a geometry or an empty file', async () => {
    const feature =
      '{"type":"Feature","properties":{"id":"f","name":"F","category":"other"},"geometry":{"type":"Point","coordinates":[1,2]}}';
    expect((await read(text(feature))).map((r) => r.kind)).toEqual(['ok']);
    expect(errors(await read(text('{"type":"Point","coordinates":[1,2]}')))[0]?.message).toMatch(
      /not a FeatureCollection/,
    );
    expect(errors(await read(text('')))[0]?.message).toMatch(
      /ends before the JSON document is complete/,
    );
  });

  it('throws when the stream itself fails', async () => {
    await expect(read(createReadStream(resolve(FIXTURES, 'missing.geojson')))).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe.skipIf(!existsSync(DERIVED))(
  'readGeoJson on the osmium-derived Liechtenstein civilian objects',
  () => {
    it('maps the OSM tags of its 80 features: 78 objects, 2 skipped for having no mapped tag', async () => {
      const results = await read(createReadStream(DERIVED));
      expect(errors(results)).toEqual([]);
      expect(results).toHaveLength(78);
      const byCategory: Record<string, number> = {};
      for (const { object } of results.filter(ImportResult.isOk)) {
        byCategory[object.category] = (byCategory[object.category] ?? 0) + 1;
      }
      // The README's counts: place_of_worship 21; school 16 + kindergarten 6 + university 4 +
      // college 1; hospital 1 + pharmacy 4; historic 5 + 3 + 2 + 1 + 1; drinking_water 10 +
      // water_works 1 + wastewater_plant 1; generator 1.
      expect(byCategory).toEqual({
        religious: 21,
        education: 27,
        medical: 5,
        cultural: 12,
        water: 12,
        power: 1,
      });
      // The two features osmium added as members of selected objects, with no mapped tag.
      const ids = new Set(results.map((r) => (r.kind === 'ok' ? r.sourceId : '')));
      expect(ids.has('osm:node/12908')).toBe(false);
      expect(ids.has('osm:way/1917')).toBe(false);
      expect(ids.has('osm:relation/52')).toBe(true);
    });
  },
);
