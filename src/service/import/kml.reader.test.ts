import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportResult } from './import-result.js';
import { readKml, type KmlReaderOptions } from './kml.reader.js';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/import');

async function read(input: Readable, options: KmlReaderOptions = {}): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for await (const result of readKml(input, options)) results.push(result);
  return results;
}

const fixture = (name: string) => createReadStream(resolve(FIXTURES, name));
const errors = (results: ImportResult[]) =>
  results
    .filter(ImportResult.isError)
    .map(({ index, line, field, message }) => ({ index, line, field, message }));

describe('readKml', () => {
  it('reads Placemarks in folders, with ExtendedData and SchemaData, holes and MultiGeometry', async () => {
    const results = await read(fixture('sites.kml'));
    const ok = results.filter(ImportResult.isOk);
    expect(ok.map((r) => [r.index, r.line, r.sourceId, r.object.geometry.type])).toEqual([
      [0, 7, 'kml-castle', 'Polygon'],
      [1, 30, 'kml-hospital', 'Point'],
      [2, 40, 'kml-wells', 'MultiPoint'],
      [5, 65, 'kml-road', 'LineString'],
    ]);
    expect(ok[0]?.object).toMatchObject({
      name: 'Schloss Vaduz',
      nameLatin: 'Vaduz Castle',
      category: 'cultural',
      bufferMetres: 400,
      source: 'kml',
    });
    const castle = ok[0]?.object.geometry;
    expect(castle?.type === 'Polygon' && castle.coordinates.map((ring) => ring.length)).toEqual([
      5, 5,
    ]);
    expect(castle?.type === 'Polygon' && castle.coordinates[0]?.[0]).toEqual([9.524, 47.139, 0]);
  });

  it('reports a ring that is not closed (never closing it silently) and mixed MultiGeometry', async () => {
    expect(errors(await read(fixture('sites.kml')))).toEqual([
      {
        index: 3,
        line: 48,
        field: 'geometry.coordinates[0][3]',
        message: 'the polygon ring is not closed: its last position must repeat its first',
      },
      {
        index: 4,
        line: 57,
        field: 'geometry',
        message: expect.stringMatching(/^the MultiGeometry mixes Point and LineString/),
      },
    ]);
  });

  it('refuses a DOCTYPE with an external entity without reading the entity', async () => {
    const results = await read(fixture('xxe.kml'));
    expect(results).toEqual([
      {
        kind: 'error',
        index: 0,
        line: 2,
        field: 'file',
        message:
          'the file has a DOCTYPE or ENTITY declaration, which KML never needs: refused (entities are not expanded)',
      },
    ]);
  });

  it('reports XML that is not well-formed, and XML that is not KML', async () => {
    const broken =
      '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>x</Placemark></kml>';
    expect(errors(await read(Readable.from([broken])))[0]).toMatchObject({
      field: 'file',
      message: expect.stringMatching(/not well-formed/),
    });
    expect(errors(await read(Readable.from(['<gpx></gpx>'])))[0]?.message).toMatch(
      /not a KML file: its root element is <gpx>/,
    );
  });

  it('refuses a file larger than the limit', async () => {
    const results = await read(fixture('sites.kml'), { maxBytes: 100 });
    expect(errors(results)[0]?.message).toMatch(/larger than 100 bytes/);
  });
});
