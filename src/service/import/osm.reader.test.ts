import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { ProtectedGeometry } from '../../domain/protected-object/protected-object.js';
import { readGeoJson } from './geojson.reader.js';
import { ImportResult, type ImportOk } from './import-result.js';
import { readOsmPbf, readOsmXml } from './osm.reader.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/import');
const OSM = sharedData('osm-liechtenstein');
const PBF = resolve(OSM, 'liechtenstein-2013-08-03.osm.pbf');
const BZ2 = resolve(OSM, 'liechtenstein-2013-08-03.osm.bz2');
const DERIVED = resolve(OSM, 'liechtenstein-civilian-objects.geojson');
const hasData = existsSync(PBF) && existsSync(BZ2) && existsSync(DERIVED);
// The XML is shipped bzip2-compressed; no maintained pure-JS bzip2 decompressor exists, so the
// test decompresses with the bzip2 program, as a user would.
const hasBzip2 = spawnSync('bzip2', ['--help']).error === undefined;
if (!hasData) console.error(`OSM tests on real data skipped: ${OSM} is absent`);
else if (!hasBzip2)
  console.error('OSM XML test on real data skipped: the bzip2 program is not installed');

async function collect(results: AsyncIterable<ImportResult>): Promise<ImportResult[]> {
  const all: ImportResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

function bunzip2(path: string): Readable {
  return spawn('bzip2', ['-dc', path], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout;
}

const errors = (results: ImportResult[]) =>
  results
    .filter(ImportResult.isError)
    .map(({ index, line, field, message }) => ({ index, line, field, message }));

function countByCategory(results: readonly ImportResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { object } of results.filter(ImportResult.isOk)) {
    counts[object.category] = (counts[object.category] ?? 0) + 1;
  }
  return counts;
}

const byId = (results: readonly ImportResult[]) =>
  new Map(results.filter(ImportResult.isOk).map((r) => [r.sourceId, r] as const));

describe.skipIf(!hasData)('readOsmPbf and readOsmXml on the Liechtenstein extract of 2013', () => {
  // 65,733 nodes, 7,121 ways, 113 relations.
  const expectedCounts = {
    cultural: 22,
    education: 27,
    medical: 5,
    religious: 21,
    water: 12,
    transport: 3,
    power: 1,
  };
  let pbf: ImportResult[] = [];

  it('reads the PBF into 91 protected objects without errors', async () => {
    pbf = await collect(readOsmPbf(createReadStream(PBF)));
    expect(errors(pbf)).toEqual([]);
    expect(pbf).toHaveLength(91);
    expect(countByCategory(pbf)).toEqual(expectedCounts);
    const vaduz = byId(pbf).get('osm:relation/52');
    expect(vaduz?.object).toMatchObject({
      name: 'Schloss Vaduz',
      category: 'cultural',
      topics: ['CPP'],
    });
    expect(vaduz?.object.geometry.type).toBe('Polygon');
  });

  it.skipIf(!hasBzip2)('reads the same objects from the XML as from the PBF', async () => {
    const xml = await collect(readOsmXml(bunzip2(BZ2)));
    expect(errors(xml)).toEqual([]);
    expect(countByCategory(xml)).toEqual(expectedCounts);
    // Same source ids, same objects, same element index; only XML results carry a line.
    expect(xml.map(({ line: _line, ...rest }) => rest)).toEqual(pbf);
    expect(xml.every((r) => typeof r.line === 'number' && r.line > 0)).toBe(true);
  });

  it('covers every object of the osmium-derived GeoJSON, with the same category and shape', async () => {
    const derived = byId(await collect(readGeoJson(createReadStream(DERIVED))));
    const fromPbf = byId(pbf);
    expect(derived.size).toBe(78);
    for (const [id, fromGeoJson] of derived) {
      const object = fromPbf.get(id)?.object;
      expect(object?.category, id).toBe(fromGeoJson.object.category);
      expect(object?.name, id).toBe(fromGeoJson.object.name);
      const a = fromGeoJson.object.geometry as ProtectedGeometry;
      const b = object?.geometry as ProtectedGeometry;
      if (a.type === 'Point') expect(b, id).toEqual(a);
      // osmium writes every area as a MultiPolygon; Civitas writes a Polygon when there is one.
      else expect(area(b) / area(a), id).toBeCloseTo(1, 9);
    }
  });

  it('finds 13 objects more than the GeoJSON, all from mapping rows beyond its osmium filter', () => {
    // The GeoJSON was cut with `osmium tags-filter` for the brief's tags; Civitas also maps
    // museums and libraries (Hague 1954 art. 1(b)) and stations: here 9 museums, a library,
    // 2 railway stations and a bus station. Open ways would also differ (osmium exported
    // points and polygons only), but no mapped way in this extract is open.
    const derivedIds = new Set(
      (
        JSON.parse(readFileSync(DERIVED, 'utf8')) as {
          features: { properties: Record<string, unknown> }[];
        }
      ).features.map((f) => `osm:${String(f.properties['@type'])}/${String(f.properties['@id'])}`),
    );
    const extra = pbf.filter((r): r is ImportOk => r.kind === 'ok' && !derivedIds.has(r.sourceId));
    expect(extra).toHaveLength(13);
    expect(countByCategory(extra)).toEqual({ cultural: 10, transport: 3 });
    expect(extra.every((r) => r.object.geometry.type !== 'LineString')).toBe(true);
  });

  it('reports a PBF file cut in half as an error, not a shorter result', async () => {
    const half = readFileSync(PBF).subarray(0, 296_315);
    const results = await collect(readOsmPbf(Readable.from([half])));
    expect(results.at(-1)).toMatchObject({
      kind: 'error',
      field: 'file',
      message: expect.stringMatching(
        /^the file ends inside blob \d+ \(OSMData, \d+ bytes from byte \d+\): it is truncated$/,
      ),
    });
    expect(errors(results)).toHaveLength(1);
  });

  it.skipIf(!hasBzip2)('reports an XML file cut in half as an error naming the line', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of bunzip2(BZ2)) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    const results = await collect(readOsmXml(Readable.from([whole.subarray(0, whole.length / 2)])));
    expect(results.at(-1)).toMatchObject({
      kind: 'error',
      field: 'file',
      line: expect.any(Number),
      message: expect.stringMatching(
        /^the file ends (inside <\w+ id="\d+"> )?before the XML is complete: it is truncated/,
      ),
    });
  });
});

describe('readOsmXml on hand-made files', () => {
  const fixture = () => readOsmXml(createReadStream(resolve(FIXTURES, 'multipolygon.osm')));

  it('reads mapped nodes, closed ways as polygons, walls as lines and multipolygons with holes', async () => {
    const results = await collect(fixture());
    const ok = results.filter(ImportResult.isOk);
    expect(ok.map((r) => [r.index, r.line, r.sourceId, r.object.geometry.type])).toEqual([
      [8, 14, 'osm:node/9', 'Point'],
      [14, 34, 'osm:way/103', 'Polygon'],
      [15, 38, 'osm:way/104', 'LineString'],
      [17, 46, 'osm:relation/1000', 'Polygon'],
    ]);
    expect(ok[0]?.object).toMatchObject({
      name: 'Спитал',
      nameLatin: 'Spytal',
      category: 'medical',
      source: 'osm',
    });
    const castle = ok[3]?.object;
    expect(castle).toMatchObject({
      name: 'Burg',
      category: 'cultural',
      protection: 'hague-general',
      topics: ['CPP'],
    });
    // The outer ring is joined from way 100 and way 101 reversed, counter-clockwise; the
    // courtyard (way 102) is a clockwise hole.
    expect(castle?.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [9.5, 47.1],
          [9.51, 47.1],
          [9.51, 47.11],
          [9.5, 47.11],
          [9.5, 47.1],
        ],
        [
          [9.503, 47.103],
          [9.503, 47.107],
          [9.507, 47.107],
          [9.507, 47.103],
          [9.503, 47.103],
        ],
      ],
    });
  });

  it('reports a way using a node that is not in the file, and a ring that does not close', async () => {
    expect(errors(await collect(fixture()))).toEqual([
      {
        index: 16,
        line: 42,
        field: 'geometry',
        message: expect.stringMatching(/^way 105 uses node 99, which is not in the file/),
      },
      {
        index: 18,
        line: 54,
        field: 'geometry',
        message: 'relation 1001: an outer ring is not closed — its ways stop at node 3',
      },
    ]);
  });

  it('refuses a DOCTYPE, so an external entity is never read', async () => {
    const results = await collect(readOsmXml(createReadStream(resolve(FIXTURES, 'xxe.osm'))));
    expect(results).toEqual([
      {
        kind: 'error',
        index: 0,
        line: expect.any(Number),
        field: 'file',
        message:
          'the file has a DOCTYPE declaration, which OSM XML never has: refused (entities are not expanded)',
      },
    ]);
  });

  it('reports a file that is not OSM XML, or not XML at all', async () => {
    expect(errors(await collect(readOsmXml(Readable.from(['<kml></kml>']))))[0]?.message).toMatch(
      /root element is <kml>/,
    );
    expect(
      errors(await collect(readOsmXml(Readable.from(['{"type":"FeatureCollection"}']))))[0]
        ?.message,
    ).toMatch(/not well-formed/);
  });
});

describe('readOsmPbf on files that are not PBF', () => {
  it('reports an XML file given as PBF, and an empty file', async () => {
    const xml = await collect(readOsmPbf(createReadStream(resolve(FIXTURES, 'multipolygon.osm'))));
    expect(errors(xml)).toEqual([
      {
        index: 0,
        line: undefined,
        field: 'file',
        message: expect.stringMatching(/not an OSM PBF file/),
      },
    ]);
    expect(errors(await collect(readOsmPbf(Readable.from([])))).map((e) => e.message)).toEqual([
      'the file is empty',
    ]);
  });
});
