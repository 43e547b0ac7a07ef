/**
 * The `civitas screen` contract, through the built CLI (npx tsc -p tsconfig.build.json first):
 * results against brute force on random and edge-case inputs, both threads, both formats, and
 * every kind of bad input failing with file, line and field and leaving no output behind.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLat, lonLatDistanceMetres } from '../../src/geo/index.js';
import { runCivitas } from '../helpers/cli.js';
import type * as ScreenFilesModule from '../../src/service/screening/screen-files.js';
import type * as PrestartModule from '../../src/service/screening/screen-prestart.js';
import { seededRandom } from '../helpers/random.js';

interface Obj {
  id: string;
  lon: number;
  lat: number;
  buffer_m: number;
  category?: string;
}
interface Act {
  id: string;
  lon: number;
  lat: number;
  radius_m: number;
}

/** The contract's answer, line by line, by definition. */
function expected(objects: readonly Obj[], actions: readonly Act[]): string {
  return actions
    .map((a) => {
      const hits = objects
        .filter(
          (o) =>
            lonLatDistanceMetres(lonLat(a.lon, a.lat), lonLat(o.lon, o.lat)) <=
            a.radius_m + o.buffer_m,
        )
        .map((o) => o.id)
        .sort();
      return `${JSON.stringify({ action: a.id, hits })}\n`;
    })
    .join('');
}

const ndjson = (records: readonly object[]): string =>
  records.map((r) => JSON.stringify(r)).join('\n') + '\n';

function featureCollection(records: readonly (Obj | Act)[]): string {
  return JSON.stringify(
    {
      type: 'FeatureCollection',
      features: records.map(({ lon, lat, ...properties }) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties,
      })),
    },
    null,
    1,
  );
}

let dir: string;
const keyFile = (): string => join(dir, 'unused.key');

async function screen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCivitas(['screen', ...args], { keyFile: keyFile() });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civitas-screen-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** City-like random data, plus the awkward places. */
function dataset(seed: number, n: number, m: number): { objects: Obj[]; actions: Act[] } {
  const rnd = seededRandom(seed);
  const centres: [number, number][] = [
    [30.52, 50.45],
    [29.36, -3.38],
    [179.995, -16.5],
    [-179.995, -16.5],
    [0, 89.999],
    [120, -89.998],
  ];
  const around = (): [number, number] => {
    const [x, y] = centres[Math.floor(rnd() * centres.length)]!;
    let lon = x + (rnd() - 0.5) * 0.1;
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    return [
      Math.round(lon * 1e6) / 1e6,
      Math.max(-90, Math.min(90, Math.round((y + (rnd() - 0.5) * 0.05) * 1e6) / 1e6)),
    ];
  };
  const objects: Obj[] = Array.from({ length: n }, (_, i) => {
    const [lon, lat] = around();
    return { id: `O${i}`, lon, lat, buffer_m: Math.floor(rnd() * 501), category: 'medical' };
  });
  // Coincident points, a pole, the antimeridian both ways, one with a wide buffer.
  objects.push({ id: 'same-1', lon: 30.52, lat: 50.45, buffer_m: 0 });
  objects.push({ id: 'same-2', lon: 30.52, lat: 50.45, buffer_m: 0 });
  objects.push({ id: 'north-pole', lon: 0, lat: 90, buffer_m: 0 });
  objects.push({ id: 'east', lon: 180, lat: -16.5, buffer_m: 10 });
  objects.push({ id: 'west', lon: -180, lat: -16.5, buffer_m: 10 });
  objects.push({ id: 'wide', lon: 29.4, lat: -3.4, buffer_m: 20_000 });
  const actions: Act[] = Array.from({ length: m }, (_, i) => {
    const [lon, lat] = around();
    return {
      id: `A${i}`,
      lon,
      lat,
      radius_m: Math.round(Math.exp(Math.log(25) + rnd() * Math.log(200))),
    };
  });
  actions.push({ id: 'zero', lon: 30.52, lat: 50.45, radius_m: 0 });
  actions.push({ id: 'pole', lon: 77, lat: 90, radius_m: 3000 });
  actions.push({ id: 'dateline', lon: 179.999, lat: -16.5, radius_m: 2000 });
  return { objects, actions };
}

describe('civitas screen', () => {
  it('writes the brute-force answer, one line per action in input order, with one or two threads', async () => {
    const { objects, actions } = dataset(1, 6000, 400);
    writeFileSync(join(dir, 'objects.ndjson'), ndjson(objects));
    writeFileSync(join(dir, 'actions.ndjson'), ndjson(actions));
    const want = expected(objects, actions);
    expect(want.match(/"hits":\["/g)!.length).toBeGreaterThan(50);
    for (const extra of [
      ['--threads', '1'],
      ['--threads', '2', '--block-size', '8192'],
    ]) {
      const out = join(dir, `result-${extra[1]}.ndjson`);
      const r = await screen([
        '--objects',
        join(dir, 'objects.ndjson'),
        '--actions',
        join(dir, 'actions.ndjson'),
        '--out',
        out,
        ...extra,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `Screened ${actions.length} action(s) against ${objects.length} object(s)`,
      );
      expect(readFileSync(out, 'utf8')).toBe(want);
    }
  });

  it('gives the same answer when both threads format the result (large results)', async () => {
    // The built module, so that its worker (compiled JavaScript) can start.
    const { screenFiles } = (await import(
      pathToFileURL(resolve('dist/server/service/screening/screen-files.js')).href
    )) as typeof ScreenFilesModule;
    const { objects, actions } = dataset(3, 5000, 300);
    writeFileSync(join(dir, 'p-objects.ndjson'), ndjson(objects));
    writeFileSync(join(dir, 'p-actions.ndjson'), ndjson(actions));
    const out = join(dir, 'p-result.ndjson');
    const summary = await screenFiles({
      objects: join(dir, 'p-objects.ndjson'),
      actions: join(dir, 'p-actions.ndjson'),
      out,
      threads: 2,
      blockSize: 8192,
      parallelFormatHits: 1,
    });
    expect(summary.threads).toBe(2);
    expect(summary.deferred).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(expected(objects, actions));
  });

  it('starts the worker at launch and hands it over, the same answer either way', async () => {
    const { objects, actions } = dataset(5, 3000, 200);
    writeFileSync(join(dir, 'e-objects.ndjson'), ndjson(objects));
    writeFileSync(join(dir, 'e-actions.ndjson'), ndjson(actions));
    const want = expected(objects, actions);
    const out = join(dir, 'e-result.ndjson');
    const args = [
      '--objects',
      join(dir, 'e-objects.ndjson'),
      '--actions',
      join(dir, 'e-actions.ndjson'),
      '--out',
      out,
      '--threads',
      '2',
      '--block-size',
      '4096',
      '--timings',
    ];
    const r = await screen(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/threads: 2, worker started at launch \(objects \d+ \+ \d+\)/);
    // npm run build bundles the command (scripts/bundle-screen.mjs); bin/civitas.js runs the
    // bundle unless tsc has built since (then the compiled modules, as in the run above may be).
    const fresh = (): boolean =>
      existsSync('dist/screen/screen.js') &&
      statSync('dist/screen/screen.js').mtimeMs >= statSync('dist/.tsbuildinfo').mtimeMs;
    expect(r.stderr).toContain(fresh() ? 'code bundled' : 'code modules');
    expect(readFileSync(out, 'utf8')).toBe(want);
    if (!fresh()) execFileSync(process.execPath, ['scripts/bundle-screen.mjs']);
    const bundled = await screen(args);
    expect(bundled.code).toBe(0);
    expect(bundled.stderr).toMatch(/worker started at launch .*; code bundled;/);
    expect(readFileSync(out, 'utf8')).toBe(want);

    // In one process: a worker started for another file (or block size) is stopped, not used.
    const dist = (path: string): string =>
      pathToFileURL(resolve(`dist/server/service/screening/${path}`)).href;
    const { screenFiles } = (await import(dist('screen-files.js'))) as typeof ScreenFilesModule;
    const prestart = (await import(dist('screen-prestart.js'))) as typeof PrestartModule;
    const files = {
      objects: join(dir, 'e-objects.ndjson'),
      actions: join(dir, 'e-actions.ndjson'),
      out,
      threads: 2,
      blockSize: 4096,
    };
    writeFileSync(join(dir, 'e-other.ndjson'), ndjson(objects.slice(0, 2000)));
    prestart.prestartScreenWorker([
      'node',
      'civitas',
      'screen',
      '--objects',
      join(dir, 'e-other.ndjson'),
      '--block-size',
      '4096',
    ]);
    const other = await screenFiles(files);
    expect(other.earlyWorker).toBe(false);
    expect(other.threads).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe(want);

    prestart.prestartScreenWorker([
      'node',
      'civitas',
      'screen',
      '--objects',
      files.objects,
      '--block-size=4096',
    ]);
    const same = await screenFiles(files);
    expect(same.earlyWorker).toBe(true);
    expect(same.objects).toBe(objects.length);
    expect(readFileSync(out, 'utf8')).toBe(want);

    // Register mode, one thread or a GeoJSON file: no worker is started early.
    for (const argv of [
      ['--objects', files.objects, '--release', '3'],
      ['--objects', files.objects, '--threads', '1'],
      ['--objects', join(dir, 'objects.geojson')],
    ]) {
      prestart.prestartScreenWorker(['node', 'civitas', 'screen', ...argv]);
      expect(
        prestart.takePrestartedWorker(files.objects, statSync(files.objects).size, 1 << 20),
      ).toBeUndefined();
    }
  });

  it('writes ids of every length the same way: in fixed slots up to 29 bytes, beyond as they are', async () => {
    const { screenFiles } = (await import(
      pathToFileURL(resolve('dist/server/service/screening/screen-files.js')).href
    )) as typeof ScreenFilesModule;
    const { objects, actions } = dataset(6, 2000, 150);
    writeFileSync(join(dir, 'l-actions.ndjson'), ndjson(actions));
    for (const longest of [29, 30, 70]) {
      // Ids that sort differently by length and by content: a prefix, equal lengths, digits.
      const renamed = objects.map((o, i) => ({
        ...o,
        id:
          i % 3 === 0
            ? `${o.id}-`.padEnd(longest - (i % 7), String.fromCharCode(97 + (i % 26)))
            : o.id,
      }));
      writeFileSync(join(dir, 'l-objects.ndjson'), ndjson(renamed));
      const out = join(dir, `l-result-${longest}.ndjson`);
      await screenFiles({
        objects: join(dir, 'l-objects.ndjson'),
        actions: join(dir, 'l-actions.ndjson'),
        out,
        threads: 2,
        blockSize: 8192,
      });
      expect(Math.max(...renamed.map((o) => o.id.length))).toBe(longest);
      expect(readFileSync(out, 'utf8')).toBe(expected(renamed, actions));
    }
  });

  it('reads GeoJSON FeatureCollections with the same properties to the same answer', async () => {
    const { objects, actions } = dataset(2, 800, 60);
    writeFileSync(join(dir, 'objects.geojson'), featureCollection(objects));
    writeFileSync(join(dir, 'actions.geojson'), featureCollection(actions));
    const out = join(dir, 'from-geojson.ndjson');
    const r = await screen([
      '--objects',
      join(dir, 'objects.geojson'),
      '--actions',
      join(dir, 'actions.geojson'),
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(expected(objects, actions));
  });

  it('takes JSON as JSON: key order, spacing, CRLF, blank lines, escapes and non-ASCII ids', async () => {
    const objects: Obj[] = [
      { id: 'Ä-1', lon: 10, lat: 10, buffer_m: 0 },
      { id: 'q"uote', lon: 10.0001, lat: 10, buffer_m: 5 },
      { id: 'O9', lon: 10, lat: 10.0001, buffer_m: 0 },
      { id: 'O17', lon: 10.0002, lat: 10, buffer_m: 0 },
      { id: '😀', lon: 10, lat: 10, buffer_m: 0 },
      { id: 'ｚ', lon: 10, lat: 10, buffer_m: 0 },
    ];
    const text =
      '\uFEFF{"buffer_m":0,"lat":10,"lon":10,"id":"Ä-1"}\r\n' +
      '\r\n' +
      '  { "id" : "q\\"uote" , "lon" : 10.0001e0 , "lat" : 1e1 , "buffer_m" : 5 , "tags": ["a", {"b": null}] }\r\n' +
      '{"id":"O\\u0039","lon":10,"lat":10.0001,"buffer_m":0}\n' +
      '{"id":"O17","lon":10.0002,"lat":10,"buffer_m":0,"note":"tab\\there"}\n' +
      '{"id":"😀","lon":10,"lat":10,"buffer_m":0}\n' +
      '{"id":"ｚ","lon":10,"lat":10,"buffer_m":0}';
    writeFileSync(join(dir, 'odd.ndjson'), text);
    const actions: Act[] = [{ id: 'A"1', lon: 10, lat: 10, radius_m: 30 }];
    writeFileSync(join(dir, 'odd-actions.ndjson'), ndjson(actions));
    const out = join(dir, 'odd-result.ndjson');
    const r = await screen([
      '--objects',
      join(dir, 'odd.ndjson'),
      '--actions',
      join(dir, 'odd-actions.ndjson'),
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(expected(objects, actions));
    expect(readFileSync(out, 'utf8')).toBe(
      '{"action":"A\\"1","hits":["O17","O9","q\\"uote","Ä-1","😀","ｚ"]}\n',
    );
  });

  describe('bad input', () => {
    const good = ndjson([
      { id: 'O1', lon: 30.5, lat: 50.4, buffer_m: 10 },
      { id: 'O2', lon: 30.6, lat: 50.4, buffer_m: 10 },
      { id: 'O3', lon: 30.7, lat: 50.4, buffer_m: 10 },
    ]);
    const goodActions = ndjson([{ id: 'A1', lon: 30.5, lat: 50.4, radius_m: 100 }]);
    const cases: {
      name: string;
      objects?: string;
      actions?: string;
      message: RegExp;
      args?: string[];
    }[] = [
      {
        name: 'a missing field',
        objects: good + '{"id":"O4","lon":30.5,"buffer_m":1}\n',
        message: /objects\.ndjson line 4, field lat: lat is missing/,
      },
      {
        name: 'lat and lon swapped',
        objects: good + '{"id":"O4","lon":50.4,"lat":130.5,"buffer_m":1}\n',
        message: /line 4, field lat: lat 130\.5 is outside −90\.\.90 \(are lon and lat swapped\?\)/,
      },
      {
        name: 'a longitude out of range',
        objects: '{"id":"O4","lon":190,"lat":10,"buffer_m":1}\n' + good,
        message: /objects\.ndjson line 1, field lon: lon 190 is outside −180\.\.180/,
      },
      {
        name: 'a negative radius',
        actions: goodActions + '{"id":"A2","lon":30.5,"lat":50.4,"radius_m":-5}\n',
        message: /actions\.ndjson line 2, field radius_m: radius_m -5 is negative/,
      },
      {
        name: 'a negative buffer',
        objects: good + '{"id":"O4","lon":30.5,"lat":50.4,"buffer_m":-1}\n',
        message: /line 4, field buffer_m: buffer_m -1 is negative/,
      },
      {
        name: 'a number given as text',
        objects: good + '{"id":"O4","lon":"30.5","lat":50.4,"buffer_m":1}\n',
        message: /line 4, field lon: lon must be a number of degrees, not "30\.5"/,
      },
      {
        name: 'a duplicate object id',
        objects: good + '{"id":"O2","lon":1,"lat":1,"buffer_m":1}\n',
        message: /objects\.ndjson line 4, field id: duplicate id "O2" \(first on line 2\)/,
      },
      {
        name: 'a duplicate object id written with an escape',
        objects: good + '{"id":"O\\u0032","lon":1,"lat":1,"buffer_m":1}\n',
        message: /objects\.ndjson line 4, field id: duplicate id "O2" \(first on line 2\)/,
      },
      {
        name: 'a duplicate action id',
        actions: goodActions + goodActions,
        message: /actions\.ndjson line 2, field id: duplicate id "A1" \(first on line 1\)/,
      },
      {
        name: 'a line that is not JSON',
        objects: good + '{"id":"O4","lon":30.5,"lat":50.4,"buffer_m":1\n',
        message: /objects\.ndjson line 4: not valid JSON/,
      },
      {
        name: 'a line that is not an object',
        objects: good + '[1,2,3]\n',
        message: /objects\.ndjson line 4: each line must be one JSON object/,
      },
    ];
    for (const c of cases) {
      it(`fails on ${c.name}, naming file, line and field, and leaves no output`, async () => {
        const sub = mkdtempSync(join(dir, 'bad-'));
        writeFileSync(join(sub, 'objects.ndjson'), c.objects ?? good);
        writeFileSync(join(sub, 'actions.ndjson'), c.actions ?? goodActions);
        const out = join(sub, 'result.ndjson');
        const r = await screen([
          '--objects',
          join(sub, 'objects.ndjson'),
          '--actions',
          join(sub, 'actions.ndjson'),
          '--out',
          out,
          ...(c.args ?? []),
        ]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^civitas: /);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(c.message);
        expect(existsSync(out)).toBe(false);
        expect(readdirSync(sub).sort()).toEqual(['actions.ndjson', 'objects.ndjson']);
      });
    }

    it('finds a repeated id across the two threads and keeps an existing output file as it was', async () => {
      const sub = mkdtempSync(join(dir, 'bad-'));
      const rnd = seededRandom(9);
      const objects: Obj[] = Array.from({ length: 3000 }, (_, i) => ({
        id: `O${i}`,
        lon: 30 + rnd(),
        lat: 50 + rnd(),
        buffer_m: 1,
      }));
      objects.push({ id: 'O17', lon: 31, lat: 51, buffer_m: 1 }); // line 3001 repeats line 18
      writeFileSync(join(sub, 'objects.ndjson'), ndjson(objects));
      writeFileSync(join(sub, 'actions.ndjson'), goodActions);
      const out = join(sub, 'result.ndjson');
      writeFileSync(out, 'previous result\n');
      const r = await screen([
        '--objects',
        join(sub, 'objects.ndjson'),
        '--actions',
        join(sub, 'actions.ndjson'),
        '--out',
        out,
        '--threads',
        '2',
        '--block-size',
        '4096',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/line 3001, field id: duplicate id "O17" \(first on line 18\)/);
      expect(readFileSync(out, 'utf8')).toBe('previous result\n');
      expect(readdirSync(sub).sort()).toEqual([
        'actions.ndjson',
        'objects.ndjson',
        'result.ndjson',
      ]);
    });

    it('reports the first bad line of the file when both threads meet one', async () => {
      const sub = mkdtempSync(join(dir, 'bad-'));
      const lines = Array.from({ length: 4000 }, (_, i) =>
        JSON.stringify({ id: `O${i}`, lon: 30, lat: 50, buffer_m: 1 }),
      );
      lines[3500] = '{"id":"late","lon":30,"lat":99,"buffer_m":1}';
      lines[2500] = '{"id":"early","lon":30,"lat":50,"buffer_m":"x"}';
      writeFileSync(join(sub, 'objects.ndjson'), lines.join('\n') + '\n');
      writeFileSync(join(sub, 'actions.ndjson'), goodActions);
      const r = await screen([
        '--objects',
        join(sub, 'objects.ndjson'),
        '--actions',
        join(sub, 'actions.ndjson'),
        '--out',
        join(sub, 'result.ndjson'),
        '--threads',
        '2',
        '--block-size',
        '4096',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /objects\.ndjson line 2501, field buffer_m: buffer_m must be a number of metres, not "x"/,
      );
    });

    it('names a GeoJSON feature by line and property', async () => {
      const sub = mkdtempSync(join(dir, 'bad-'));
      const text = featureCollection([
        { id: 'O1', lon: 30.5, lat: 50.4, buffer_m: 1 },
        { id: 'O2', lon: 30.5, lat: 50.4, buffer_m: -3 },
      ]);
      writeFileSync(join(sub, 'objects.geojson'), text);
      writeFileSync(join(sub, 'actions.ndjson'), goodActions);
      const r = await screen([
        '--objects',
        join(sub, 'objects.geojson'),
        '--actions',
        join(sub, 'actions.ndjson'),
        '--out',
        join(sub, 'r.ndjson'),
      ]);
      expect(r.code).toBe(1);
      const line =
        text
          .split('\n')
          .findIndex(
            (l, i, all) => l.trim() === '{' && all[i + 1]?.includes('"Feature"') && i > 5,
          ) + 1;
      expect(r.stderr).toMatch(
        new RegExp(
          `objects\\.geojson line ${line}, field properties\\.buffer_m: buffer_m -3 is negative`,
        ),
      );
    });

    it('rejects a file whose format it cannot tell', async () => {
      const r = await screen([
        '--objects',
        join(dir, 'objects.csv'),
        '--actions',
        join(dir, 'actions.ndjson'),
        '--out',
        join(dir, 'x.ndjson'),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/objects\.csv: cannot tell the format from the name/);
    });
  });
});
