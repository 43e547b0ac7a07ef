import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/helpers/random.js';
import { float32Down, float32Up, loadRtree, RtreeEntryList } from './rtree-load.js';

function entries(n: number, seed: number): RtreeEntryList {
  const random = seededRandom(seed);
  const list = new RtreeEntryList();
  for (let i = 0; i < n; i += 1) {
    // Points clustered as real registers are, a few boxes, and awkward values.
    const lon = i % 97 === 0 ? -0.1 : 30 + random() * 2 - (i % 3) * 60;
    const lat = i % 89 === 0 ? 1e-9 : 50 + random() - (i % 5) * 30;
    const w = i % 10 === 0 ? random() / 10 : 0;
    list.add(1000 + i * 3, lon, lon + w, lat, lat + w);
  }
  return list;
}

const TREE = 'CREATE VIRTUAL TABLE t USING rtree(id, min_x, max_x, min_y, max_y)';

describe('loadRtree', () => {
  it('rounds outwards to 32-bit floats as SQLite does', () => {
    const db = new SQLite(':memory:');
    db.exec(TREE);
    const values = [30.123456, -30.123456, 0, 1e-9, -1e-9, 179.999999, -89.9, 0.1, 16777217];
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
    values.forEach((v, i) => insert.run(i + 1, v, v, v, v));
    const stored = db.prepare('SELECT min_x, max_x FROM t ORDER BY id').raw().all();
    expect(stored).toEqual(values.map((v) => [float32Down(v), float32Up(v)]));
  });

  it.each([
    [0, 1],
    [1, 2],
    [51, 3],
    [52, 4],
    [3000, 5],
    [140_000, 6],
  ])(
    'should build from %i entries the tree SQLite builds row by row, whole, and keep it working',
    (n, seed) => {
      const list = entries(n, seed);
      const db = new SQLite(':memory:');
      db.exec(`${TREE}; ${TREE.replace(' t ', ' u ')}`);
      const insert = db.prepare('INSERT INTO u VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => {
        for (let i = 0; i < n; i += 1) {
          insert.run(list.ids[i], ...list.boxes.subarray(4 * i, 4 * i + 4));
        }
        // Whatever the table held before is replaced.
        db.prepare('INSERT INTO t VALUES (1, 0, 1, 0, 1)').run();
        loadRtree(db, 't', list);
      })();
      const all = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().all();
      expect(all('t')).toEqual(all('u'));
      expect(db.prepare("SELECT rtreecheck('t')").pluck().get()).toBe('ok');
      const random = seededRandom(seed + 100);
      const query = (table: string, box: number[]) =>
        db
          .prepare(
            `SELECT id FROM ${table} WHERE max_x >= ? AND min_x <= ? AND max_y >= ? AND min_y <= ? ORDER BY id`,
          )
          .pluck()
          .all(...box);
      for (let q = 0; q < 50; q += 1) {
        const x = -95 + random() * 130;
        const y = -75 + random() * 130;
        const box = [x, x + random() * 3, y, y + random() * 3];
        expect(query('t', box)).toEqual(query('u', box));
      }
      // Row-by-row writes go on as before on the loaded tree.
      db.prepare('INSERT INTO t VALUES (7, 1, 2, 3, 4)').run();
      db.prepare('DELETE FROM t WHERE id IN (SELECT id FROM t ORDER BY id LIMIT 40)').run();
      db.prepare('UPDATE t SET min_x = min_x - 1').run();
      expect(db.prepare("SELECT rtreecheck('t')").pluck().get()).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(Math.max(0, n + 1 - 40));
    },
  );
});
