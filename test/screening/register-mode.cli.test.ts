/**
 * `civitas screen --release N|current --actions FILE` through the built executable (npx tsc -p
 * tsconfig.build.json first): planner files in, a saved screening and its flags out, hits as a
 * brute-force haversine computation gives them; bad files refused line by line, nothing saved.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLat, lonLatDistanceMetres } from '../../src/geo/index.js';
import { runCivitas } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-screen-register-'));
const keyFile = join(dir, 'civitas.key');
const db = join(dir, 'civitas.db');
const civitas = (args: string[]) => runCivitas([...args, '--db', db], { keyFile });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Obj {
  id: string;
  name: string;
  category: string;
  lon: number;
  lat: number;
  buffer_m: number;
}
const listed: Obj[] = [
  { id: 'H1', name: 'Hospital One', category: 'medical', lon: 30.52, lat: 50.45, buffer_m: 300 },
  { id: 'S1', name: 'School One', category: 'education', lon: 30.53, lat: 50.455, buffer_m: 150 },
  { id: 'C1', name: 'Church One', category: 'religious', lon: 30.5, lat: 50.44, buffer_m: 200 },
];
const unlisted: Obj[] = [
  { id: 'W1', name: 'Water Works', category: 'water', lon: 30.521, lat: 50.451, buffer_m: 100 },
];
const plan = [
  { id: 'T1', lat: 50.4505, lon: 30.5205, radius: 100 },
  { id: 'T2', lat: 50.455, lon: 30.531, radius: 25 },
  { id: 'T3', lat: 50.6, lon: 30.9, radius: 500 },
];

/** The objects each aimpoint reaches, by definition. */
function expectedHits(objects: readonly Obj[]): Map<string, string[]> {
  return new Map(
    plan.map((a) => [
      a.id,
      objects
        .filter(
          (o) =>
            lonLatDistanceMetres(lonLat(a.lon, a.lat), lonLat(o.lon, o.lat)) <=
            a.radius + o.buffer_m,
        )
        .map((o) => o.name),
    ]),
  );
}

/** The printed line of an aimpoint (flagged aimpoints only), or undefined. */
const lineOf = (stdout: string, id: string) =>
  stdout.split('\n').find((l) => l.startsWith(`${id}\t`));

const countScreenings = () => {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare('SELECT count(*) AS n FROM screening').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
};

describe('civitas screen in register mode (built executable)', () => {
  beforeAll(async () => {
    await civitas(['init']);
    const file = (name: string, rows: Obj[]) => {
      const path = join(dir, name);
      writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      return path;
    };
    expect(
      (await civitas(['objects', 'import', file('nsl.ndjson', listed), '--list', 'NSL'])).code,
    ).toBe(0);
    expect(
      (await civitas(['objects', 'import', file('other.ndjson', unlisted), '--source', 'other']))
        .code,
    ).toBe(0);
    for (const [name, role] of [
      ['alice', 'targeting-officer'],
      ['bob', 'legal-adviser'],
    ]) {
      await civitas(['user', 'add', name!, '--role', role!, '--clearance', 'NS', '--name', name!]);
    }
    const draft = await civitas(['release', 'create', 'NSL 1', '--as', 'alice']);
    const id = /Draft (\S+):/.exec(draft.stdout)![1]!;
    await civitas(['release', 'submit', id, '--as', 'alice']);
    expect((await civitas(['release', 'approve', id, '--as', 'bob'])).stdout).toContain(
      'Release 1 is released',
    );
  }, 120_000);

  it('should screen a CSV plan against release 1, save it and print the flags', async () => {
    const csv = join(dir, 'plan.csv');
    writeFileSync(
      csv,
      ['id,lat,lon,radius_m', ...plan.map((a) => `${a.id},${a.lat},${a.lon},${a.radius}`)].join(
        '\n',
      ),
    );
    const res = await civitas([
      'screen',
      '--release',
      '1',
      '--actions',
      csv,
      '--title',
      'Phase 2',
      '--marking',
      'NR',
      '--as',
      'alice',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Screening \S+ saved: Phase 2/);
    expect(res.stdout).toContain('against release 1; 3 aimpoint(s)');
    expect(res.stdout).toContain('NATO RESTRICTED');
    const want = expectedHits(listed);
    for (const a of plan) {
      const names = want.get(a.id)!;
      const line = lineOf(res.stdout, a.id);
      if (names.length === 0) expect(line, a.id).toBeUndefined();
      else {
        expect(line, a.id).toContain(`${names.length} hit(s)`);
        for (const n of names) expect(line).toContain(n);
        expect(line).toContain('NSL_INSIDE');
      }
    }
    expect(want.get('T1')!.length).toBeGreaterThan(0);
    expect(countScreenings()).toBe(1);
  });

  it('should screen a text plan against the current register, unlisted objects included', async () => {
    const txt = join(dir, 'plan.txt');
    writeFileSync(
      txt,
      plan.map((a) => `${a.id} ${a.lat}N ${a.lon}E ${a.radius}`).join('\n') + '\n',
    );
    const res = await civitas(['screen', '--release', 'current', '--actions', txt]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('against the current register');
    const want = expectedHits([...listed, ...unlisted]);
    expect(want.get('T1')).toContain('Water Works');
    const t1 = lineOf(res.stdout, 'T1')!;
    expect(t1).toContain(`${want.get('T1')!.length} hit(s)`);
    expect(countScreenings()).toBe(2);
  });

  it('should refuse a plan with bad lines, list each with its field, and save nothing', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'T1 50.45N 30.52E 100\nT2 130.5, 30.5 100\nT3 50.45 30.52 HUGE\n');
    const res = await civitas(['screen', '--release', 'current', '--actions', bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.txt line 2: lat: lat 130\.5 is outside/);
    expect(res.stderr).toMatch(/bad\.txt line 3: effect_class: "HUGE"/);
    expect(res.stderr).toContain('nothing was saved');
    expect(countScreenings()).toBe(2);
    const noRelease = await civitas([
      'screen',
      '--release',
      '7',
      '--actions',
      join(dir, 'plan.csv'),
    ]);
    expect(noRelease.code).toBe(1);
    expect(noRelease.stderr).toMatch(/No released release number 7/);
    const mixed = await civitas([
      'screen',
      '--release',
      '1',
      '--objects',
      'x.ndjson',
      '--actions',
      bad,
    ]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/leave out --objects and --out/);
  });

  it('should still ask for --objects and --out in file mode', async () => {
    const res = await runCivitas(['screen', '--actions', join(dir, 'plan.csv')], { keyFile });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--objects/);
  });
});
