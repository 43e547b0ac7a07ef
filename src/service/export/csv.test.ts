import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvWithMarking, neutraliseFormula } from './csv.js';

describe('neutraliseFormula', () => {
  it.each(['=1+1', '+1', '-1', '@x', '\t=1', '\r=1', '\0x', ' =1', '  @SUM(A1)'])(
    'neutralises %j',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    },
  );
  it.each(['plain', '1', 'a=b', 'x-1', ''])('leaves %j alone', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });
});

describe('csvWithMarking', () => {
  it('puts the marking first and round-trips quoted cells', () => {
    const text = csvWithMarking(
      'NATO RESTRICTED — RELEASABLE TO EU',
      ['id', 'title'],
      [
        ['f1', 'Risk, "water" points\nnorth'],
        ['f2', '=cmd|calc'],
      ],
    );
    const rows = parse(text, { relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual(['NATO RESTRICTED — RELEASABLE TO EU']);
    expect(rows[1]).toEqual(['id', 'title']);
    expect(rows[2]).toEqual(['f1', 'Risk, "water" points\nnorth']);
    expect(rows[3]).toEqual(['f2', "'=cmd|calc"]);
  });
});
