import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  buildImportResults,
  formatPath,
  ImportResult,
  parseDecimal,
  pathFieldName,
  withUniqueSourceIds,
  type RawObject,
} from './import-result.js';
import { decodeText, splitLineBatches } from './text-stream.js';

const context = {
  index: 4,
  line: 9,
  fieldName: pathFieldName({ bufferMetres: 'buffer_m' }),
  defaultSource: 'test',
};
const point = { type: 'Point', coordinates: [9.52, 47.14] };

describe('buildImportResults', () => {
  it('fills what the item leaves out from the category and the options', () => {
    const [result] = buildImportResults(
      { sourceId: 7, name: ' Spital ', geometry: point },
      context,
      {
        category: 'medical',
      },
    );
    expect(result).toEqual({
      kind: 'ok',
      index: 4,
      line: 9,
      sourceId: '7',
      object: {
        name: 'Spital',
        category: 'medical',
        protection: 'geneva-medical',
        geometry: point,
        bufferMetres: 300,
        source: 'test',
        sourceRef: '7',
        topics: ['PoC', 'CAAC'],
        marking: { classification: 'NU', releasability: [] },
        lists: [],
      },
    });
  });

  it('reads codes case-insensitively and lists separated by ; , | or spaces', () => {
    const raw: RawObject = {
      sourceId: 'a',
      name: 'Kirche',
      category: 'RELIGIOUS',
      protection: 'Policy',
      topics: 'poc | cpp',
      list: 'rtl',
      restriction: 'Only with approval',
      bufferMetres: '150.5',
      geometry: point,
    };
    const [result] = buildImportResults(raw, context, {});
    expect(result?.kind === 'ok' && result.object).toMatchObject({
      category: 'religious',
      protection: 'policy',
      topics: ['PoC', 'CPP'],
      lists: [{ list: 'RTL', restriction: 'Only with approval' }],
      bufferMetres: 150.5,
    });
  });

  it('reports every problem of an item, each with its field', () => {
    const raw: RawObject = {
      category: 'bunker',
      topics: ['PoC', 'XYZ'],
      list: 'ABC',
      bufferMetres: 'far',
    };
    expect(buildImportResults(raw, context, {}).map((r) => r.kind === 'error' && r.field)).toEqual([
      'sourceId',
      'name',
      'category',
      'buffer_m',
      'topics[1]',
      'list',
      'geometry',
    ]);
  });

  it('names schema problems by the field the file uses', () => {
    const raw: RawObject = {
      sourceId: 'a',
      name: 'x',
      category: 'water',
      bufferMetres: 60_000,
      geometry: point,
    };
    expect(buildImportResults(raw, context, {})).toEqual([
      ImportResult.error(4, 'buffer_m', 'the buffer is larger than 50000 m', 9),
    ]);
  });

  it('reports an RTL entry without its restriction, and a restriction without a list', () => {
    const base = { sourceId: 'a', name: 'x', category: 'water', geometry: point };
    expect(buildImportResults({ ...base, list: 'RTL' }, context, {})).toEqual([
      ImportResult.error(4, 'restriction', 'an RTL entry must say what the restriction is', 9),
    ]);
    expect(buildImportResults({ ...base, restriction: 'x' }, context, {})[0]).toMatchObject({
      field: 'restriction',
    });
  });

  it('reports at most 10 problems for one item', () => {
    const ring = Array.from({ length: 30 }, (_, i) => [200 + i, 47]);
    const raw: RawObject = {
      sourceId: 'a',
      name: 'x',
      category: 'water',
      geometry: { type: 'LineString', coordinates: ring },
    };
    const results = buildImportResults(raw, context, {});
    expect(results).toHaveLength(10);
    expect(results.at(-1)?.kind === 'error' && results.at(-1)).toMatchObject({
      message: expect.stringMatching(/and 20 more problems/),
    });
  });
});

describe('helpers', () => {
  it('parses plain decimals only', () => {
    expect(parseDecimal(' -12.5 ')).toBe(-12.5);
    expect(parseDecimal('1e3')).toBe(1000);
    expect(parseDecimal(3)).toBe(3);
    for (const bad of ['12,5', '47°N', '', '0x10', 'Infinity', null])
      expect(parseDecimal(bad)).toBeUndefined();
  });

  it('formats zod paths', () => {
    expect(formatPath(['coordinates', 0, 3])).toBe('.coordinates[0][3]');
  });

  it('passes results through withUniqueSourceIds, flagging a repeated id', async () => {
    async function* results() {
      yield* buildImportResults(
        { sourceId: 'a', name: 'A', category: 'water', geometry: point },
        { ...context, index: 0 },
        {},
      );
      yield* buildImportResults(
        { sourceId: 'a', name: 'B', category: 'water', geometry: point },
        { ...context, index: 1 },
        {},
      );
    }
    const seen: ImportResult[] = [];
    for await (const result of withUniqueSourceIds(results(), 'id')) seen.push(result);
    expect(seen.map((r) => r.kind)).toEqual(['ok', 'error']);
  });
});

describe('text streams', () => {
  it('decodes UTF-8 split inside a character, and drops a BOM', async () => {
    const bytes = Buffer.from('\uFEFFZürich\nКиїв', 'utf8');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    let text = '';
    for await (const part of decodeText(Readable.from(chunks))) text += part;
    expect(text).toBe('Zürich\nКиїв');
  });

  it('reports bytes that are not UTF-8 with the line', async () => {
    const latin1 = Buffer.from('ok\nZ\xfcrich\n', 'latin1');
    await expect(async () => {
      for await (const _ of decodeText(Readable.from([latin1]))) void _;
    }).rejects.toMatchObject({
      name: 'ImportContentError',
      message: expect.stringMatching(/not valid UTF-8/),
    });
  });

  it('splits lines across chunks, dropping CR of CRLF', async () => {
    const lines: [number, string][] = [];
    for await (const batch of splitLineBatches(Readable.from(['a\r', '\nb', 'c\n\nd']), 100))
      for (const { line, text } of batch) lines.push([line, text]);
    expect(lines).toEqual([
      [1, 'a'],
      [2, 'bc'],
      [3, ''],
      [4, 'd'],
    ]);
  });
});
