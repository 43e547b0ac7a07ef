/**
 * Benchmark of harm-mitigation screening: the `civitas screen` CLI against PostGIS as an
 * expert would use it and against a straightforward JavaScript peer, on the same files, in one
 * run, checking that the three answers are identical.
 *
 * Run from the repository root, after building (`npx tsc -p tsconfig.build.json && node scripts/bundle-screen.mjs`, or `npm run build`):
 *
 *   npx tsx bench/screening.bench.ts [--objects 1000000] [--actions 10000] [--seed 1]
 *                                    [--repeat 3] [--data DIR] [--no-pg] [--no-peer]
 *                                    [--pg-url postgres://postgres@127.0.0.1:5432/civitas_ci]
 *
 * Workload (bench/screening-workload.ts): objects scattered around GeoNames populated places in
 * proportion to population (city-like density), aimpoints mostly in cities, radii log-uniform
 * 25 m – 5 km, buffers 0 – 500 m. Written to a temporary directory, or reused from `--data DIR`
 * (kept there for later runs).
 *
 * Contenders, each timed end to end as the wall time of what it needs:
 * - Civitas: `node bin/civitas.js screen …` as a child process (process start, reading,
 *   parsing, indexing, answering, writing); peak RSS from /usr/bin/time when available. The same
 *   command through the screen entry alone (`node dist/server/cli/screen.command.js screen …`,
 *   without loading the rest of the CLI) is timed as well, for the startup share.
 * - PostGIS (fresh schema in the database, dropped afterwards; per-session tuning for this
 *   machine): load = objects and actions streamed from the NDJSON files (JSON.parse in this
 *   process, COPY into UNLOGGED tables whose geography column is generated from lon/lat), GiST
 *   index, ANALYZE; query = ST_DWithin(o.geog, a.geog, a.radius_m + <max buffer>, false) for the
 *   index, then the exact ST_DWithin(o.geog, a.geog, a.radius_m + o.buffer_m, false), hits
 *   aggregated per action in code-unit (C) order and fetched. `false` (sphere) in the index
 *   pass too: with the spheroid default the pass can drop pairs that are inside on the sphere.
 * - Peer: `node bench/screening-peer.mjs …` (per-line JSON.parse, kdbush + geokdbush `around`,
 *   exact haversine filter).
 *
 * With --repeat N each contender runs N times, interleaved, and its fastest run counts (the
 * PostGIS load and index run once; the query N times). Progress goes to stderr, the table to
 * stdout.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { haversineMetres } from '../src/geo/index.js';
import { writeWorkload } from './screening-workload.js';

const TARGETS = {
  /** Civitas at least this many times faster than PostGIS load + index + query. */
  postgisTotal: 20,
  /** …than the PostGIS query alone. */
  postgisQuery: 3,
  /** …than the straightforward peer. */
  peer: 3,
  /** At 5,000,000 × 100,000: this many times faster than the PostGIS query alone. */
  postgisQueryLarge: 10,
  peakMb: 1024,
};

interface Options {
  objects: number;
  actions: number;
  seed: number;
  repeat: number;
  data: string | undefined;
  pg: boolean;
  peer: boolean;
  pgUrl: string;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const count = (name: string, fallback: number): number => {
    const v = value(name);
    const n = v === undefined ? fallback : Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  return {
    objects: count('objects', 1_000_000),
    actions: count('actions', 10_000),
    seed: count('seed', 1),
    repeat: count('repeat', 1),
    data: value('data'),
    pg: !argv.includes('--no-pg'),
    peer: !argv.includes('--no-peer'),
    pgUrl: value('pg-url') ?? 'postgres://postgres@127.0.0.1:5432/civitas_ci',
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function fmt(n: number): string {
  return n.toLocaleString('en-GB');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface Run {
  readonly ms: number;
  readonly peakMb: number | undefined;
  readonly stdout: string;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs `node args…`, timing the wall clock; peak RSS via /usr/bin/time -f %M when present. */
function runNode(args: string[]): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const command = TIME ?? process.execPath;
    const argv = TIME ? ['-f', 'peak-rss-kb %M', process.execPath, ...args] : args;
    const started = performance.now();
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} failed (${code}):\n${stderr}`));
        return;
      }
      const peak = /peak-rss-kb (\d+)/.exec(stderr);
      resolvePromise({ ms, peakMb: peak ? Number(peak[1]) / 1024 : undefined, stdout });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// PostGIS

/** Streams NDJSON records as COPY text rows (tab-separated; our ids need no escaping). */
async function* copyRows(
  file: string,
  row: (record: Record<string, unknown>) => string,
): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let batch: string[] = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    batch.push(row(JSON.parse(line) as Record<string, unknown>));
    if (batch.length === 10_000) {
      yield `${batch.join('\n')}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

class Postgis {
  private readonly client: pg.Client;
  private readonly schema = `screening_bench_${randomBytes(5).toString('hex')}`;

  constructor(url: string) {
    this.client = new pg.Client(url);
  }

  async open(): Promise<void> {
    await this.client.connect();
    await this.client.query(`CREATE SCHEMA ${this.schema}`);
    await this.client.query(`SET search_path = ${this.schema}, public`);
    // Per-session tuning for a 2-core machine with plenty of RAM and data in the page cache.
    for (const setting of [
      `SET work_mem = '256MB'`,
      `SET maintenance_work_mem = '1GB'`,
      `SET synchronous_commit = off`,
      `SET jit = off`,
      `SET max_parallel_workers_per_gather = 2`,
      `SET parallel_setup_cost = 0`,
      `SET parallel_tuple_cost = 0`,
      `SET min_parallel_table_scan_size = 0`,
      `SET random_page_cost = 1.1`,
      `SET effective_cache_size = '8GB'`,
    ]) {
      await this.client.query(setting);
    }
  }

  /** Loads both files, builds the index; returns the wall time (ms). */
  async load(objectsFile: string, actionsFile: string): Promise<number> {
    const started = performance.now();
    const c = this.client;
    const geog = `geography(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED`;
    await c.query(
      `CREATE UNLOGGED TABLE objects (id text NOT NULL, lon float8 NOT NULL, lat float8 NOT NULL, buffer_m float8 NOT NULL, geog ${geog})`,
    );
    await c.query(
      `CREATE UNLOGGED TABLE actions (ord int NOT NULL, id text NOT NULL, lon float8 NOT NULL, lat float8 NOT NULL, radius_m float8 NOT NULL, geog ${geog})`,
    );
    await pipeline(
      Readable.from(copyRows(objectsFile, (o) => `${o.id}\t${o.lon}\t${o.lat}\t${o.buffer_m}`)),
      c.query(copyStreams.from('COPY objects (id, lon, lat, buffer_m) FROM STDIN')),
    );
    let ord = 0;
    await pipeline(
      Readable.from(
        copyRows(actionsFile, (a) => `${ord++}\t${a.id}\t${a.lon}\t${a.lat}\t${a.radius_m}`),
      ),
      c.query(copyStreams.from('COPY actions (ord, id, lon, lat, radius_m) FROM STDIN')),
    );
    await c.query('CREATE INDEX objects_geog ON objects USING gist (geog)');
    await c.query('ANALYZE objects');
    await c.query('ANALYZE actions');
    return performance.now() - started;
  }

  /** Runs the screening query, writes the result lines; returns the wall time (ms). */
  async query(out: string, actionIds: readonly string[]): Promise<{ ms: number; plan: string }> {
    const c = this.client;
    const maxBuffer = Number((await c.query('SELECT max(buffer_m) AS m FROM objects')).rows[0].m);
    const sql = `
      SELECT a.ord, array_agg(o.id ORDER BY o.id COLLATE "C") AS hits
        FROM actions a
        JOIN objects o
          ON ST_DWithin(o.geog, a.geog, a.radius_m + ${maxBuffer}, false)
         AND ST_DWithin(o.geog, a.geog, a.radius_m + o.buffer_m, false)
       GROUP BY a.ord`;
    const plan = (await c.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    const started = performance.now();
    const { rows } = await c.query<{ ord: number; hits: string[] }>(sql);
    const ms = performance.now() - started;
    const hits: string[][] = actionIds.map(() => []);
    for (const row of rows) hits[row.ord] = row.hits;
    writeFileSync(
      out,
      actionIds.map((id, i) => JSON.stringify({ action: id, hits: hits[i] })).join('\n') + '\n',
    );
    return { ms, plan };
  }

  async close(): Promise<void> {
    try {
      await this.client.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    } finally {
      await this.client.end();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing answers

interface Comparison {
  readonly identical: boolean;
  readonly differences: number;
  /** Differences that are ties: the pair's distance within 1e-6 m of radius + buffer. */
  readonly ties: number;
  readonly example?: string;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

/** Compares result files line by line; explains differing pairs with their distances. */
function compare(
  expectedFile: string,
  actualFile: string,
  objects: () => Map<string, { lon: number; lat: number; buffer: number }>,
  actions: readonly { lon: number; lat: number; radius: number }[],
): Comparison {
  const a = readLines(expectedFile);
  const b = readLines(actualFile);
  if (a.length === b.length && a.every((line, i) => line === b[i])) {
    return { identical: true, differences: 0, ties: 0 };
  }
  const index = objects();
  let differences = 0;
  let ties = 0;
  let example: string | undefined;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] === b[i]) continue;
    const x = new Set((JSON.parse(a[i] ?? '{"hits":[]}') as { hits: string[] }).hits);
    const y = new Set((JSON.parse(b[i] ?? '{"hits":[]}') as { hits: string[] }).hits);
    const action = actions[i];
    for (const id of [...x].filter((h) => !y.has(h)).concat([...y].filter((h) => !x.has(h)))) {
      differences += 1;
      const o = index.get(id);
      if (!o || !action) continue;
      const d = haversineMetres(action.lon, action.lat, o.lon, o.lat);
      const limit = action.radius + o.buffer;
      if (Math.abs(d - limit) <= 1e-6) ties += 1;
      else example ??= `line ${i + 1}: ${id} at ${d} m, limit ${limit} m`;
    }
    if (x.size === y.size && differences === 0)
      example ??= `line ${i + 1} differs in order or format`;
  }
  return { identical: false, differences, ties, ...(example ? { example } : {}) };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const root = resolve(import.meta.dirname, '..');
  const bin = join(root, 'bin/civitas.js');
  const entry = join(root, 'dist/server/cli/screen.command.js');
  if (!existsSync(entry))
    throw new Error(
      'build first: npx tsc -p tsconfig.build.json && node scripts/bundle-screen.mjs',
    );
  const peerScript = join(root, 'bench/screening-peer.mjs');

  const work = mkdtempSync(join(tmpdir(), 'civitas-screening-'));
  const dataDir = options.data ?? join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  const stamp = join(dataDir, 'workload.json');
  const wanted = JSON.stringify({
    objects: options.objects,
    actions: options.actions,
    seed: options.seed,
  });
  const objectsFile = join(dataDir, 'objects.ndjson');
  const actionsFile = join(dataDir, 'actions.ndjson');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    log(
      `generating ${fmt(options.objects)} objects and ${fmt(options.actions)} actions in ${dataDir} …`,
    );
    await writeWorkload({
      dir: dataDir,
      objects: options.objects,
      actions: options.actions,
      seed: options.seed,
    });
    writeFileSync(stamp, wanted);
  } else log(`reusing the workload in ${dataDir}`);
  const objectsMb = statSync(objectsFile).size / 1024 / 1024;

  const actionRecords = readLines(actionsFile).map(
    (l) => JSON.parse(l) as { id: string; lon: number; lat: number; radius_m: number },
  );
  const actionIds = actionRecords.map((a) => a.id);
  const actionGeo = actionRecords.map((a) => ({ lon: a.lon, lat: a.lat, radius: a.radius_m }));
  const objectIndex = (() => {
    let cache: Map<string, { lon: number; lat: number; buffer: number }> | undefined;
    return () => {
      cache ??= new Map(
        readLines(objectsFile).map((l) => {
          const o = JSON.parse(l) as { id: string; lon: number; lat: number; buffer_m: number };
          return [o.id, { lon: o.lon, lat: o.lat, buffer: o.buffer_m }];
        }),
      );
      return cache;
    };
  })();

  const out = {
    civitas: join(work, 'civitas.ndjson'),
    entry: join(work, 'civitas-entry.ndjson'),
    peer: join(work, 'peer.ndjson'),
    postgis: join(work, 'postgis.ndjson'),
  };
  const best: Record<string, Run | undefined> = {};
  const keep = (name: string, run: Run): void => {
    const previous = best[name];
    if (!previous || run.ms < previous.ms) best[name] = run;
  };

  let postgis: Postgis | undefined;
  let loadMs: number | undefined;
  let queryMs: number | undefined;
  let plan = '';
  if (options.pg) {
    try {
      postgis = new Postgis(options.pgUrl);
      await postgis.open();
    } catch (error) {
      log(`PostgreSQL unreachable (${(error as Error).message}): PostGIS skipped`);
      postgis = undefined;
    }
  }
  try {
    if (postgis) {
      log('PostGIS: loading and indexing …');
      loadMs = await postgis.load(objectsFile, actionsFile);
      log(`PostGIS: load + index ${seconds(loadMs)}`);
    }
    for (let round = 1; round <= options.repeat; round += 1) {
      log(`round ${round}/${options.repeat}`);
      const screenArgs = (o: string) => [
        '--objects',
        objectsFile,
        '--actions',
        actionsFile,
        '--out',
        o,
      ];
      const civitas = await runNode([bin, 'screen', ...screenArgs(out.civitas)]);
      log(`  civitas screen (bin/civitas.js): ${seconds(civitas.ms)}`);
      keep('civitas', civitas);
      const direct = await runNode([entry, 'screen', ...screenArgs(out.entry)]);
      log(`  civitas screen (screen entry alone): ${seconds(direct.ms)}`);
      keep('entry', direct);
      if (postgis) {
        const q = await postgis.query(out.postgis, actionIds);
        plan = q.plan;
        log(`  PostGIS query: ${seconds(q.ms)}`);
        queryMs = queryMs === undefined ? q.ms : Math.min(queryMs, q.ms);
      }
      if (options.peer) {
        const peer = await runNode([peerScript, objectsFile, actionsFile, out.peer]);
        log(`  peer: ${seconds(peer.ms)}`);
        keep('peer', peer);
      }
    }
  } finally {
    await postgis?.close();
  }

  // Answers.
  const checks: [string, string][] = [['civitas screen entry', out.entry]];
  if (options.peer) checks.push(['peer', out.peer]);
  if (loadMs !== undefined) checks.push(['PostGIS', out.postgis]);
  const verdicts = checks.map(([name, file]) => ({
    name,
    ...compare(out.civitas, file, objectIndex, actionGeo),
  }));
  const hits = readLines(out.civitas).reduce(
    (n, l) => n + (JSON.parse(l) as { hits: unknown[] }).hits.length,
    0,
  );

  // Table.
  const civitas = best.civitas as Run;
  const entryRun = best.entry as Run;
  const rows: string[][] = [
    ['contender', 'time', 'Civitas (bin) is', 'target', '', 'Civitas (entry) is', ''],
  ];
  const ratioRow = (name: string, ms: number | undefined, target: number): void => {
    if (ms === undefined) return;
    const r = ms / civitas.ms;
    const e = ms / entryRun.ms;
    rows.push([
      name,
      seconds(ms),
      `${r.toFixed(1)}× faster`,
      `≥ ${target}×`,
      r >= target ? 'PASS' : 'FAIL',
      `${e.toFixed(1)}× faster`,
      e >= target ? 'PASS' : 'FAIL',
    ]);
  };
  rows.push(['Civitas screen, bin/civitas.js', seconds(civitas.ms), '', '', '', '', '']);
  rows.push(['Civitas screen, screen entry alone', seconds(entryRun.ms), '', '', '', '', '']);
  const large = options.objects >= 5_000_000 && options.actions >= 100_000;
  if (loadMs !== undefined && queryMs !== undefined) {
    rows.push(['PostGIS load + index', seconds(loadMs), '', '', '', '', '']);
    if (!large) ratioRow('PostGIS load + index + query', loadMs + queryMs, TARGETS.postgisTotal);
    ratioRow(
      'PostGIS query alone',
      queryMs,
      large ? TARGETS.postgisQueryLarge : TARGETS.postgisQuery,
    );
  }
  if (best.peer) ratioRow('JS peer (JSON.parse, kdbush/geokdbush)', best.peer.ms, TARGETS.peer);
  const peak = civitas.peakMb;
  rows.push([
    'Civitas peak memory (RSS)',
    peak === undefined ? 'n/a' : `${fmt(Math.round(peak))} MB`,
    '',
    `< ${fmt(TARGETS.peakMb)} MB`,
    peak === undefined ? '' : peak < TARGETS.peakMb ? 'PASS' : 'FAIL',
    entryRun.peakMb === undefined ? '' : `${fmt(Math.round(entryRun.peakMb))} MB`,
    '',
  ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );

  process.stdout.write(
    [
      `Screening benchmark: ${fmt(options.objects)} objects (${objectsMb.toFixed(0)} MB NDJSON) × ${fmt(options.actions)} actions, ${fmt(hits)} hits, seed ${options.seed}, best of ${options.repeat}`,
      `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Node ${process.version}`,
      '',
      lines[0]!,
      lines[0]!.replace(/[^ ]/g, '-'),
      ...lines.slice(1),
      '',
      ...verdicts.map((v) =>
        v.identical
          ? `answers: ${v.name} identical to Civitas (byte for byte)`
          : `answers: ${v.name} differs from Civitas in ${v.differences} pair(s), ${v.ties} of them ties within 1e-6 m${v.example ? ` — e.g. ${v.example}` : ''}`,
      ),
      ...(plan ? ['', 'PostGIS plan:', plan] : []),
      '',
    ].join('\n'),
  );
  rmSync(work, { recursive: true, force: true });
  if (verdicts.some((v) => !v.identical && v.differences !== v.ties)) process.exitCode = 1;
}

await main();
