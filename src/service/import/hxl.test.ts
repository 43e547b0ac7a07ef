import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  findHxlColumn,
  findHxlTagRow,
  hxlPatternMatches,
  parseHxlHashtag,
  parseHxlPattern,
  parseHxlTagRow,
  type HxlHashtag,
} from './hxl.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

// The libhxl-python conformance files, read in place (never copied into the repository).
const HXL_FILES = sharedData('hxl-libhxl-fixtures/files');
const present = existsSync(HXL_FILES);
if (!present) console.error(`HXL fixture tests skipped: ${HXL_FILES} is absent`);

function rows(path: string, delimiter = ','): string[][] {
  return parse(readFileSync(resolve(HXL_FILES, path), 'utf8'), {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
}

function tagsOf(columns: readonly (HxlHashtag | undefined)[] | undefined): (string | null)[] {
  return (columns ?? []).map((column) =>
    column === undefined ? null : [column.tag, ...column.attributes.map((a) => `+${a}`)].join(''),
  );
}

describe('parseHxlHashtag', () => {
  it('reads a tag and its attributes, case-insensitively, tolerating spaces', () => {
    expect(parseHxlHashtag(' #Geo +LAT ')).toEqual({
      tag: '#geo',
      attributes: ['lat'],
      text: '#Geo +LAT',
    });
    expect(parseHxlHashtag('#loc+name+i_en+name')?.attributes).toEqual(['name', 'i_en']);
  });

  it.each(['loc+name', '#', '#1abc', '#loc+', '#loc name', '#loc-name'])('rejects %j', (text) => {
    expect(parseHxlHashtag(text)).toBeUndefined();
  });
});

describe('tag patterns', () => {
  const column = (text: string) => parseHxlHashtag(text) as HxlHashtag;

  it('matches by tag, required and excluded attributes, and ! for no others', () => {
    expect(hxlPatternMatches(parseHxlPattern('#targeted'), column('#targeted+f'))).toBe(true);
    expect(hxlPatternMatches(parseHxlPattern('#targeted+f'), column('#targeted+m'))).toBe(false);
    expect(hxlPatternMatches(parseHxlPattern('targeted-f'), column('#targeted+m'))).toBe(true);
    expect(hxlPatternMatches(parseHxlPattern('#targeted-f'), column('#targeted+f'))).toBe(false);
    expect(hxlPatternMatches(parseHxlPattern('#targeted+f!'), column('#targeted+f+adult'))).toBe(
      false,
    );
    expect(hxlPatternMatches(parseHxlPattern('#targeted+f!'), column('#Targeted +F'))).toBe(true);
    expect(hxlPatternMatches(parseHxlPattern('*+code'), column('#adm1+code'))).toBe(true);
  });

  it('finds the first column matching the first pattern that matches any', () => {
    const columns = parseHxlTagRow(['#loc+name+i_en', '#loc+name', '#geo+lat']) ?? [];
    expect(findHxlColumn(columns, ['#loc+name-i_en', '#loc+name'])).toBe(1);
    expect(findHxlColumn(columns, ['#loc+name+latin', '#loc+name+i_en'])).toBe(0);
    expect(findHxlColumn(columns, ['#geo+lon'])).toBe(-1);
  });

  it('throws on a malformed pattern, which is a programming error', () => {
    expect(() => parseHxlPattern('#geo lat')).toThrow(/not an HXL tag pattern/);
  });
});

describe.skipIf(!present)('the hashtag row, against the libhxl-python fixtures', () => {
  const validTags = tagsOf(parseHxlTagRow(rows('test_io/output-valid.csv')[1] ?? []));

  it('reads the expected tags of output-valid.csv', () => {
    expect(validTags).toEqual([
      null,
      '#sector+es',
      '#subsector+es',
      '#org+es',
      '#targeted+f',
      '#targeted+m',
      '#country',
      '#adm1',
      '#date+reported',
    ]);
  });

  it.each([
    ['test_io/input-valid.csv', ','],
    ['test_io/input-valid.tsv', '\t'],
    ['test_io/input-valid.ssv', ';'],
  ])(
    'finds the hashtag row of %s under two human rows, with the expected tags',
    (path, delimiter) => {
      const table = rows(path, delimiter);
      const at = findHxlTagRow(table);
      expect(at).toBe(2);
      expect(tagsOf(parseHxlTagRow(table[at] ?? []))).toEqual(validTags);
    },
  );

  it('takes a row with a minority of mistyped hashtags, leaving those columns untagged (input-fuzzy.csv)', () => {
    const table = rows('test_io/input-fuzzy.csv');
    expect(findHxlTagRow(table)).toBe(2);
    expect(tagsOf(parseHxlTagRow(table[2] ?? []))).toEqual([
      null,
      '#sector+es',
      '#subsector+es',
      '#org+es',
      '#targeted+f',
      '#targeted+f',
      null,
      null,
    ]);
  });

  it.each([
    'test_io/input-invalid.csv',
    'test_io/input-untagged.csv',
    'test_scripts/input-untagged.csv',
  ])('finds no hashtag row in %s', (path) => {
    expect(findHxlTagRow(rows(path))).toBe(-1);
  });

  it('skips junk rows above the header (input-multiple-headers.csv)', () => {
    const table = rows('test_io/input-multiple-headers.csv');
    expect(findHxlTagRow(table)).toBe(2);
    expect(tagsOf(parseHxlTagRow(table[2] ?? []))).toEqual(['#org', null, '#adm1', '#affected']);
  });

  it('reads a hashtag row that is the first row, with spaces after commas (mock/taxonomy.csv)', () => {
    const table = rows('mock/taxonomy.csv');
    expect(findHxlTagRow(table)).toBe(0);
    expect(tagsOf(parseHxlTagRow(table[0] ?? []))).toEqual(['#adm1+name', '#adm1+code']);
  });

  it('selects the columns hxlcut keeps and drops (test_scripts/cut-output-*.csv)', () => {
    const input = parseHxlTagRow(rows('test_scripts/input-simple.csv')[1] ?? []) ?? [];
    const keep = ['#sector', '#org', '#adm1'].map((p) => findHxlColumn(input, [p]));
    expect(tagsOf(keep.map((i) => input[i]))).toEqual(
      tagsOf(parseHxlTagRow(rows('test_scripts/cut-output-includes.csv')[1] ?? [])),
    );
    const drop = ['#population', '#targeted'].map(parseHxlPattern);
    const kept = input.filter(
      (column) => column !== undefined && !drop.some((p) => hxlPatternMatches(p, column)),
    );
    expect(tagsOf(kept)).toEqual(
      tagsOf(parseHxlTagRow(rows('test_scripts/cut-output-excludes.csv')[1] ?? [])),
    );
  });

  it('reads the tag of a file whose only cell spans lines (input-multiline.csv)', () => {
    const multiline = rows('test_io/input-multiline.csv');
    expect(tagsOf(parseHxlTagRow(multiline[0] ?? []))).toEqual(['#description']);
    expect(multiline[1]?.[0]).toContain('Line 2');
  });
});
