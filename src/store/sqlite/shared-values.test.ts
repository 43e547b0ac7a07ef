import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sharedValuesInsert } from './shared-values.js';

const COLUMNS = ['k', 'a', 'b', 'c', 'd', 'e'];

describe('sharedValuesInsert', () => {
  it('should store exactly what binding every value stores, whichever values the rows share', () => {
    const db = new SQLite(':memory:');
    db.exec('CREATE TABLE t (k TEXT, a TEXT, b REAL, c INTEGER, d TEXT, e TEXT)');
    db.exec('CREATE TABLE u (k TEXT, a TEXT, b REAL, c INTEGER, d TEXT, e TEXT)');
    const batches: unknown[][][] = [
      // Shared: a quote in a text, a whole number, null; `e` differs only in the last row.
      [
        ['1', "O'Brien's", 100, 1, null, 'x'],
        ['2', "O'Brien's", 100, 1, null, 'x'],
        ['3', "O'Brien's", 100, 1, null, 'y'],
      ],
      // Not written as literals: a fraction, a long text, a text with a NUL character.
      [
        ['4', 'a'.repeat(300), 2.5, 7, 'nul\u0000inside', 'x'],
        ['5', 'a'.repeat(300), 2.5, 7, 'nul\u0000inside', 'x'],
      ],
      [['6', '); DROP TABLE u; --', 1e300, -3, '', '\u{1F3DB}']],
      [],
    ];
    const insert = sharedValuesInsert(db, 't', COLUMNS, ['a', 'b', 'c', 'd', 'e']);
    const plain = db.prepare(`INSERT INTO u VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const rowids: number[] = [];
    for (const rows of batches) {
      insert(rows, (row, rowid) => rowids.push(rowid));
      for (const row of rows) plain.run(row);
    }
    const all = (table: string) =>
      db
        .prepare(
          `SELECT rowid, ${COLUMNS.map((c) => `${c}, typeof(${c})`).join(', ')} FROM ${table} ORDER BY rowid`,
        )
        .raw()
        .all();
    expect(all('t')).toEqual(all('u'));
    expect(rowids).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('should refuse a column the table does not have', () => {
    const db = new SQLite(':memory:');
    expect(() => sharedValuesInsert(db, 't', COLUMNS, ['z'])).toThrow(/z is not a column of t/);
  });
});
