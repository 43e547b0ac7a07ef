import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARALLEL_IMPORT_BYTES } from '../../src/service/register/import.service.js';
import { runCivitas } from '../helpers/cli.js';
import { sharedData } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-register-cli-'));
const keyFile = join(dir, 'civitas.key');
const db = join(dir, 'register.db');
const civitas = (args: string[]) => runCivitas([...args, '--db', db], { keyFile });
const shared = sharedData();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = [
  { id: 'H1', name: 'Landesspital', category: 'medical', lon: 9.5209, lat: 47.141, buffer_m: 300 },
  { id: 'C1', name: 'Schloss Vaduz', category: 'cultural', lon: 9.5244, lat: 47.1392 },
];

describe('civitas objects and release (built executable)', () => {
  it('should refuse a bad file with one line per bad item, exit non-zero, and write nothing', async () => {
    await civitas(['init']);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(
      bad,
      `${JSON.stringify(lines[0])}\n{"id":"X","name":"Nowhere","category":"medical","lon":9.5,"lat":147.1}\n`,
    );
    const res = await civitas(['objects', 'import', bad, '--list', 'NSL']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.ndjson: line 2: lat/);
    expect(res.stderr).toMatch(/civitas: 1 bad item\(s\) in bad\.ndjson .*nothing was written/);
    const search = await civitas(['objects', 'search']);
    expect(search.stdout).toContain('0 match(es)');
  });

  it('should import, export with the marking, and re-import the export without duplicates', async () => {
    const good = join(dir, 'good.ndjson');
    writeFileSync(good, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const first = await civitas(['objects', 'import', good, '--list', 'NSL', '--source', 'survey']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 new, 0 updated');
    const out = join(dir, 'export.geojson');
    expect((await civitas(['objects', 'export', '--format', 'geojson', '--out', out])).code).toBe(
      0,
    );
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.marking).toContain('NATO UNCLASSIFIED');
    expect(fc.features).toHaveLength(2);
    const again = await civitas(['objects', 'import', out, '--source', 'survey']);
    expect(again.stdout).toContain('0 new, 2 updated');
    const near = await civitas(['objects', 'search', '--near', '9.5209,47.141', '--radius', '500']);
    expect(near.stdout).toContain('2 match(es)');
  });

  it('should read a large file in the import worker, atomically and idempotently', async () => {
    // Over PARALLEL_IMPORT_BYTES: the built CLI reads, checks and prepares it in a worker thread.
    const count = 45_000;
    const big = join(dir, 'big.ndjson');
    const rows = Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        id: `B${i}`,
        name: `Site ${i} with a name long enough to make the file large`,
        category: ['medical', 'education', 'water'][i % 3],
        lon: 9.4 + (i % 300) / 1000,
        lat: 47.0 + Math.floor(i / 300) / 1000,
        buffer_m: i % 500,
      }),
    );
    writeFileSync(big, rows.join('\n') + '\n');
    expect(statSync(big).size).toBeGreaterThanOrEqual(PARALLEL_IMPORT_BYTES);
    const badLine = 40_002; // a water site (item 40,001)
    const broken = [...rows];
    broken[badLine - 1] = broken[badLine - 1]!.replace('"water"', '"casino"');
    const bad = join(dir, 'big-bad.ndjson');
    writeFileSync(bad, broken.join('\n') + '\n');
    const refused = await civitas(['objects', 'import', bad, '--source', 'big']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `big-bad.ndjson: line ${badLine}: category: unknown category "casino"`,
    );
    const before = await civitas(['objects', 'search', '--category', 'water']);

    const first = await civitas(['objects', 'import', big, '--source', 'big']);
    expect(first.stdout).toContain(`${count} new, 0 updated`);
    const again = await civitas(['objects', 'import', big, '--source', 'big']);
    expect(again.stdout).toContain(`0 new, ${count} updated`);
    const water = await civitas(['objects', 'search', '--category', 'water']);
    const matches = (text: string) => Number(/(\d+) match\(es\)/.exec(text)?.[1]);
    expect(matches(water.stdout) - matches(before.stdout)).toBe(count / 3);
  });

  it('should need two different people to release a list', async () => {
    const add = (name: string, role: string) =>
      civitas(['user', 'add', name, '--role', role, '--clearance', 'NS', '--name', `Test ${name}`]);
    expect((await add('alice', 'targeting-officer')).code).toBe(0);
    expect((await add('bob', 'legal-adviser')).code).toBe(0);
    const draft = await civitas(['release', 'create', 'NSL phase 1', '--as', 'alice']);
    expect(draft.stdout).toMatch(/Draft \S+: 2 objects/);
    const id = /Draft (\S+):/.exec(draft.stdout)![1]!;
    expect((await civitas(['release', 'submit', id, '--as', 'alice'])).stdout).toContain(
      'is review',
    );
    const self = await civitas(['release', 'approve', id, '--as', 'alice']);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/may not approve|cannot approve/);
    const ok = await civitas(['release', 'approve', id, '--as', 'bob']);
    expect(ok.stdout).toContain('Release 1 is released');
    expect((await civitas(['release', 'diff', '1', '--as', 'bob'])).stdout).toContain('added 2');
  });

  it.skipIf(!existsSync(shared))('should refuse an OSM file cut in half', async () => {
    const whole = readFileSync(
      resolve(shared, 'osm-liechtenstein/liechtenstein-2013-08-03.osm.pbf'),
    );
    const half = join(dir, 'half.osm.pbf');
    writeFileSync(half, whole.subarray(0, Math.floor(whole.length / 2)));
    const res = await civitas(['objects', 'import', half]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/half\.osm\.pbf: .*file/);
  });
});
