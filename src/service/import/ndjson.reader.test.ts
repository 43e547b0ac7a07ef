import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportResult } from './import-result.js';
import { readNdjson, readNdjsonBatches, type NdjsonReaderOptions } from './ndjson.reader.js';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/import');

async function read(input: Readable, options: NdjsonReaderOptions = {}): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for await (const result of readNdjson(input, options)) results.push(result);
  return results;
}

const errors = (results: ImportResult[]) =>
  results
    .filter(ImportResult.isError)
    .map(({ index, line, field, message }) => ({ index, line, field, message }));

describe('readNdjson', () => {
  it('reads flat records and GeoJSON features, one a line, skipping blank lines', async () => {
    const results = await read(
      createReadStream(resolve(FIXTURES, 'sites.ndjson'), { highWaterMark: 16 }),
    );
    const ok = results.filter(ImportResult.isOk);
    expect(ok.map((r) => [r.index, r.line, r.sourceId])).toEqual([
      [0, 1, 'nd-1'],
      [1, 2, 'nd-2'],
      [5, 7, 'nd-6'],
    ]);
    expect(ok[0]?.object).toMatchObject({
      name: 'Gemeindespital',
      category: 'medical',
      bufferMetres: 350,
      source: 'ndjson',
      geometry: { type: 'Point', coordinates: [9.51, 47.16] },
    });
    expect(ok[2]?.object.geometry).toEqual({ type: 'Point', coordinates: [9.55, 47.2] });
  });

  it('names the line of each bad record and the field at fault', async () => {
    const results = await read(createReadStream(resolve(FIXTURES, 'sites.ndjson')));
    expect(errors(results)).toEqual([
      {
        index: 2,
        line: 4,
        field: 'json',
        message: expect.stringMatching(/^line 4 is not valid JSON: /),
      },
      {
        index: 3,
        line: 5,
        field: 'lat',
        message:
          'latitude 147.1 is outside −90..90: longitude and latitude look swapped (GeoJSON order is [lon, lat])',
      },
      {
        index: 4,
        line: 6,
        field: 'category',
        message: expect.stringMatching(/^unknown category "bunker"/),
      },
    ]);
  });

  it('reports coordinates outside the expected area, or swapped into it', async () => {
    const lines = [
      '{"id":"a","name":"A","category":"water","lon":47.14,"lat":9.52}',
      '{"id":"b","name":"B","category":"water","lon":30.5,"lat":50.4}',
    ].join('\n');
    const results = await read(Readable.from([lines]), { bboxHint: [9.47, 47.04, 9.64, 47.28] });
    expect(errors(results).map((e) => [e.index, e.line, e.field, e.message.split(':')[0]])).toEqual(
      [
        [0, 1, 'geometry', 'coordinates look swapped (latitude written first)'],
        [1, 2, 'geometry', 'lies outside the expected area [9.47, 47.04, 9.64, 47.28]'],
      ],
    );
  });

  it('reports a line that is not an object, and one too long to be a record', async () => {
    expect(errors(await read(Readable.from(['[1,2]\n'])))).toEqual([
      { index: 0, line: 1, field: 'json', message: 'line 1 is not a JSON object' },
    ]);
    const long = `{"id":"x","name":"${'n'.repeat(200)}"}\n`;
    expect(errors(await read(Readable.from([long]), { maxLineLength: 100 }))[0]).toMatchObject({
      field: 'file',
      line: 1,
      message: expect.stringMatching(/longer than 100 characters/),
    });
  });

  it('uses the category option for records that name none', async () => {
    const results = await read(Readable.from(['{"id":"p","name":"Plant","lon":30,"lat":50}']), {
      category: 'power',
    });
    expect(results.filter(ImportResult.isOk).map((r) => r.object.category)).toEqual(['power']);
  });

  it('gives the same results an array per input chunk, a repeated id and a line too long included', async () => {
    const good = (id: string) =>
      `{"id":"${id}","name":"N ${id}","category":"water","lon":9.5,"lat":47.1}`;
    const text = [good('a'), good('b'), '', good('a'), '{oops', good('c')].join('\n') + '\n';
    const long = `${good('d')}\n{"id":"e","name":"${'n'.repeat(200)}"}\n${good('f')}\n`;
    for (const [chunks, options] of [
      [[text.slice(0, 50), text.slice(50, 51), text.slice(51)], {}],
      [[long], { maxLineLength: 150 }],
    ] as const) {
      const one = await read(Readable.from([...chunks]), options);
      const arrays: ImportResult[][] = [];
      for await (const some of readNdjsonBatches(Readable.from([...chunks]), options)) {
        arrays.push(some);
      }
      expect(arrays.flat()).toEqual(one);
      expect(arrays.every((some) => some.length > 0)).toBe(true);
    }
    const results = await read(Readable.from([text]));
    expect(errors(results).map((e) => [e.index, e.line, e.field])).toEqual([
      [2, 4, 'id'],
      [3, 5, 'json'],
    ]);
  });
});
