import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { BBox } from '../../geo/index.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { readCsv, type CsvColumnMapping, type CsvReaderOptions } from './csv.reader.js';
import { ImportResult } from './import-result.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/import');
const DATA = sharedData();
const GPPD = resolve(DATA, 'wri-gppd-ukraine/global_power_plant_database_ukraine.csv');
const HXL_FILES = resolve(DATA, 'hxl-libhxl-fixtures/files');
if (!existsSync(DATA)) console.error(`CSV tests on real data skipped: ${DATA} is absent`);

const LIECHTENSTEIN: BBox = [9.47, 47.04, 9.64, 47.28];
const UKRAINE: BBox = [22.1, 44.3, 40.3, 52.4];
const GPPD_COLUMNS: CsvColumnMapping = {
  sourceId: 'gppd_idnr',
  name: 'name',
  lat: 'latitude',
  lon: 'longitude',
};

async function read(input: Readable, options: CsvReaderOptions = {}): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for await (const result of readCsv(input, options)) results.push(result);
  return results;
}

const fixture = (name: string) => createReadStream(resolve(FIXTURES, name));
const text = (csv: string) => Readable.from([Buffer.from(csv, 'utf8')]);
const errors = (results: ImportResult[]) =>
  results
    .filter(ImportResult.isError)
    .map(({ index, line, field, message }) => ({ index, line, field, message }));

describe.skipIf(!existsSync(GPPD))('readCsv on the WRI power plant database for Ukraine', () => {
  const rows = parse(readFileSync(GPPD, 'utf8'), { columns: true }) as Record<string, string>[];

  it('imports every data row as a power object, keyed by gppd_idnr', async () => {
    const results = await read(createReadStream(GPPD), {
      columns: GPPD_COLUMNS,
      category: 'power',
      source: 'wri-gppd',
      bboxHint: UKRAINE,
    });
    expect(errors(results)).toEqual([]);
    expect(results).toHaveLength(rows.length);
    expect(rows).toHaveLength(64);
    const objects = results.filter(ImportResult.isOk);
    expect(objects.map((r) => r.sourceId)).toEqual(rows.map((row) => row.gppd_idnr));
    expect(new Set(objects.map((r) => r.object.category))).toEqual(new Set(['power']));
    const kakhovka = objects.find((r) => r.object.name === 'Kakhovka');
    expect(kakhovka?.object).toMatchObject({
      source: 'wri-gppd',
      protection: 'policy',
      bufferMetres: 1000,
    });
    expect(objects[0]?.line).toBe(2);
    expect(objects.at(-1)?.line).toBe(65);
  });
});

describe('readCsv with HXL hashtags', () => {
  it('finds the hashtag row below junk and header rows, drops the BOM, and reads each row', async () => {
    const results = await read(fixture('sites-hxl.csv'));
    const ok = results.filter(ImportResult.isOk);
    expect(ok.map((r) => [r.index, r.line, r.sourceId])).toEqual([
      [0, 4, 'h-1'],
      [1, 5, 'h-2'],
      [2, 7, 'h-3'],
    ]);
    expect(ok[0]?.object).toMatchObject({
      name: 'Landesspital',
      nameLatin: 'State Hospital',
      category: 'medical',
      geometry: { type: 'Point', coordinates: [9.5209, 47.141] },
    });
    expect(ok[1]?.object.name).toBe('Kapelle\r\nMaria zum Trost');
  });

  it('names the line and the column of each bad cell', async () => {
    const results = await read(fixture('sites-hxl.csv'), { bboxHint: LIECHTENSTEIN });
    expect(errors(results)).toEqual([
      {
        index: 2,
        line: 7,
        field: '#geo+lat, #geo+lon',
        message: expect.stringMatching(/coordinates look swapped/),
      },
      {
        index: 3,
        line: 8,
        field: '#geo+lat',
        message:
          'latitude "47,141" is not a decimal number of degrees (write e.g. 47.1410, with a point)',
      },
      {
        index: 4,
        line: 9,
        field: '#meta+category',
        message: expect.stringMatching(/^unknown category "bunker": use one of cultural, medical/),
      },
    ]);
  });

  it('reports a file without a hashtag row', async () => {
    expect(errors(await read(text('a,b\n1,2\n')))).toEqual([
      {
        index: 0,
        line: undefined,
        field: 'file',
        message: expect.stringMatching(/no HXL hashtag row/),
      },
    ]);
  });

  it('reports each required hashtag no column carries', async () => {
    const results = await read(text('Name,Lat\n#loc+name,#geo+lat\nA,1\n'));
    expect(errors(results).map((e) => [e.field, e.line])).toEqual([
      ['#meta+id', 2],
      ['#geo+lon', 2],
    ]);
  });

  it.skipIf(!existsSync(HXL_FILES))(
    'reports a Latin-1 file read as UTF-8, and reads it as Latin-1 when told',
    async () => {
      const latin1 = resolve(HXL_FILES, 'test_io/input-valid-latin1.csv');
      expect(errors(await read(createReadStream(latin1)))[0]?.message).toMatch(
        /not valid UTF-8 .*encoding "latin1"/,
      );
      const asLatin1 = errors(await read(createReadStream(latin1), { encoding: 'latin1' }));
      // It has hashtags (#org, #adm1, …) but none of the protected-object ones.
      expect(asLatin1.map((e) => e.field)).toEqual([
        '#meta+id',
        '#loc+name-latin-i_en',
        '#geo+lat',
        '#geo+lon',
      ]);
    },
  );
});

describe('readCsv with a column mapping', () => {
  it('reports every mapped column missing from the header, on the header line', async () => {
    const results = await read(fixture('missing-column.csv'), {
      columns: { sourceId: 'id', name: 'name', lat: 'latitude', lon: 'longitude' },
      category: 'medical',
    });
    expect(errors(results)).toEqual(
      ['id', 'latitude', 'longitude'].map((field) => ({
        index: 0,
        line: 1,
        field,
        message: expect.stringMatching(new RegExp(`^the header has no column "${field}"`)),
      })),
    );
  });

  it('reports a row with a cell missing, and reads the rows around it', async () => {
    const results = await read(fixture('short-row.csv'), {
      columns: { sourceId: 'id', name: 'name', lat: 'latitude', lon: 'longitude' },
      category: 'medical',
    });
    expect(results.filter(ImportResult.isOk).map((r) => r.sourceId)).toEqual(['s-1', 's-3']);
    expect(errors(results)).toEqual([
      {
        index: 1,
        line: 3,
        field: 'longitude',
        message: 'the row has 3 cells, so column 4 (longitude) is missing',
      },
    ]);
  });

  it('matches header names case-insensitively and skips an HXL row under the header', async () => {
    const csv = 'ID;Name;Lat;Lon\n#meta+id;#loc+name;#geo+lat;#geo+lon\nx;Spital;47.14;9.52\n';
    const results = await read(text(csv), {
      columns: { sourceId: 'id', name: 'name', lat: 'lat', lon: 'lon' },
      delimiter: ';',
      category: 'medical',
    });
    expect(results.map((r) => r.kind)).toEqual(['ok']);
  });

  it('reports a second row with the same id', async () => {
    const csv = 'id,name,lat,lon\na,One,47.1,9.5\na,Two,47.2,9.5\n';
    const results = await read(text(csv), {
      columns: { sourceId: 'id', name: 'name', lat: 'lat', lon: 'lon' },
      category: 'water',
    });
    expect(errors(results)).toEqual([
      {
        index: 1,
        line: 3,
        field: 'id',
        message: 'id "a" is already used by item 0: ids must be unique in a file',
      },
    ]);
  });

  it('reports a quote never closed as a file error after the rows before it', async () => {
    const csv = 'id,name,lat,lon\na,One,47.1,9.5\nb,"Two,47.2,9.5\n';
    const results = await read(text(csv), {
      columns: { sourceId: 'id', name: 'name', lat: 'lat', lon: 'lon' },
      category: 'water',
    });
    expect(results.map((r) => r.kind)).toEqual(['ok', 'error']);
    expect(errors(results)[0]).toMatchObject({
      index: 1,
      field: 'file',
      message: expect.stringMatching(/Quote Not Closed/),
    });
  });

  it('fails at once when the mapping lacks a required column', async () => {
    const columns = { sourceId: 'id', name: 'name', lat: 'lat' } as unknown as CsvColumnMapping;
    await expect(read(text('id\n'), { columns })).rejects.toSatisfy(
      (error: unknown) => CivitasError.is(error, 'bad_request') && /lon/.test(error.message),
    );
  });

  it('throws when the stream itself fails', async () => {
    await expect(read(createReadStream(resolve(FIXTURES, 'no-such-file.csv')))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
