/**
 * Benchmark of the civilian harm dashboard statistics against the target: under 200 ms
 * per query over 1,000,000 incidents, on SQLite and on PostgreSQL.
 *
 * Run (from the repository root):
 *
 *   npx tsx bench/harm-stats.bench.ts [--incidents 1000000] [--years 10] [--runs 5] [--seed 1]
 *                                     [--pg-url postgres://postgres@127.0.0.1:5432/civitas_ci]
 *                                     [--no-pg]
 *
 * It loads the same generated incidents into a temporary SQLite file and a fresh PostgreSQL
 * schema (dropped afterwards) through the harm repository's `insertIncidents` — the path every
 * import and intake takes, which keeps the statistics cells up to date — in transactions of
 * 10,000, in date order (as a dataset is imported). Incidents fall uniformly over `--years` years
 * ending 2025-12-31, in 27 oblast P-codes
 * (5 % with only a name, 2 % with neither), under five markings, the causes and attributions
 * of the harm code lists (70 % not assessed), with random breakdowns by sex and age.
 *
 * Then, for each statistics query (totals with the sex and age breakdowns, by month, by week,
 * by area, by cause, by attribution) and each filter (none, a date range that does not fall on
 * month or week boundaries, an area, both), it runs one untimed warm-up and `--runs` timed runs
 * through the repository's `stats` with only that part asked, and prints the median wall time,
 * the median CPU time of the process (and, for PostgreSQL, of its server backend, read from
 * /proc — the server runs on this machine), SQLite and PostgreSQL side by side with the target.
 * The load average is printed before and after: the machine is shared.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Viewer } from '../src/domain/access/viewer.js';
import type { Estimate, HarmIncident, HarmStatsFilter } from '../src/domain/harm/harm.js';
import { HarmCause, Party } from '../src/domain/harm/harm-codes.js';
import { reconcileBreakdown } from '../src/domain/harm/harm-rules.js';
import type { Classification, Releasability } from '../src/domain/taxonomy/index.js';
import { STATS_PARTS, type StatsPart } from '../src/store/harm-stats.js';
import { createFieldCipher, openStore, type Store } from '../src/store/open-store.js';
import { randomSource } from './screening-workload.js';

const TARGET_MS = 200;
const DAY_MS = 86_400_000;
const LAST_DAY = Date.parse('2025-12-31T00:00:00Z') / DAY_MS;
const CHUNK = 10_000;
/** A staff officer's view: NATO SECRET, NATO releasability (sees every generated incident). */
const VIEWER: Viewer = { clearance: 'NS', organisations: ['NATO'], compartments: [] };
const OBLASTS = [
  'UA05',
  'UA07',
  'UA12',
  'UA14',
  'UA18',
  'UA21',
  'UA23',
  'UA26',
  'UA32',
  'UA35',
  'UA44',
  'UA46',
  'UA48',
  'UA51',
  'UA53',
  'UA56',
  'UA59',
  'UA61',
  'UA63',
  'UA65',
  'UA68',
  'UA71',
  'UA73',
  'UA74',
  'UA80',
  'UA85',
  'UA01',
];
const MARKINGS: [Classification, Releasability[], number][] = [
  ['NU', ['PUBLIC'], 0.4],
  ['NR', ['NATO'], 0.25],
  ['NC', ['EU', 'NATO'], 0.15],
  ['NS', ['NATO'], 0.1],
  ['NU', ['UN'], 0.1],
];

interface Options {
  readonly incidents: number;
  readonly years: number;
  readonly runs: number;
  readonly seed: number;
  readonly pgUrl: string | null;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return n;
  };
  const url = argv.indexOf('--pg-url');
  return {
    incidents: value('incidents', 1_000_000),
    years: value('years', 10),
    runs: value('runs', 5),
    seed: value('seed', 1),
    pgUrl: argv.includes('--no-pg')
      ? null
      : url >= 0
        ? (argv[url + 1] ?? '')
        : 'postgres://postgres@127.0.0.1:5432/civitas_ci',
  };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Generates incidents `from`…`to` (indexes) of the seeded set, so both databases get the same. */
function incidents(options: Options): (count: number) => HarmIncident[] {
  const random = randomSource(options.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const days = Math.round(options.years * 365.25);
  const causes = HarmCause.codes;
  const parties = Party.codes;
  let made = 0;
  const estimate = (max: number): Estimate => {
    const best = Math.floor(random() * random() * max);
    return { low: Math.floor(best * random()), best, high: best + Math.floor(random() * 4) };
  };
  const part = () => Math.floor(random() * 3);
  return (count) =>
    Array.from({ length: count }, () => {
      made += 1;
      // In date order, as a dataset is imported: the n-th incident falls in the n-th slice.
      const day = isoDay(
        LAST_DAY - days + Math.floor(((made - 1 + random()) / options.incidents) * days),
      );
      const area = random();
      const code = area < 0.93 ? pick(OBLASTS) : null;
      const name = area < 0.98 ? `Oblast ${code ?? pick(OBLASTS)}` : null;
      let m = random();
      const marking = MARKINGS.find(([, , p]) => (m -= p) < 0) ?? MARKINGS[0]!;
      const assessed = random() < 0.3;
      const breakdown = () => ({
        sex: random() < 0.5 ? { FEMALE: part(), MALE: part() } : {},
        age: random() < 0.4 ? { CHILD: part(), ADULT: part(), OLDER: part() } : {},
      });
      const at = `${day}T12:00:00Z`;
      return {
        id: `bench-${String(made).padStart(8, '0')}`,
        title: `Incident ${made}`,
        location: {
          lon: 36,
          lat: 49,
          precision: 'EXACT',
          adminCode: code,
          adminName: name,
          place: '',
        },
        date: { start: day, end: day, precision: 'DAY' },
        cause: pick(causes),
        killed: estimate(20),
        injured: estimate(40),
        killedBreakdown: reconcileBreakdown([breakdown()]),
        injuredBreakdown: reconcileBreakdown([breakdown()]),
        reportCount: 1 + Math.floor(random() * random() * 4),
        assessment: assessed
          ? {
              grade: 'FAIR',
              attribution: pick(parties),
              investigation: 'INITIAL-REVIEW',
              rationale: '',
              assessedAt: at,
              assessedBy: 'bench',
            }
          : null,
        marking: { classification: marking[0], releasability: marking[1] },
        topics: [],
        createdAt: at,
        createdBy: 'bench',
        updatedAt: at,
        updatedBy: 'bench',
      } satisfies HarmIncident;
    });
}

const FILTERS: [string, HarmStatsFilter][] = [
  ['all', {}],
  ['dates', { from: '2022-03-15', to: '2023-06-20' }],
  ['area', { area: 'UA63' }],
  ['area+dates', { area: 'UA63', from: '2022-03-15', to: '2023-06-20' }],
];

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly serverCpuMs: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU ticks (user + system) of a local process, from /proc; null when unreadable. */
function processTicks(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

async function timeQueries(
  store: Store,
  options: Options,
  serverPid: number | null,
): Promise<Map<string, Timing>> {
  const out = new Map<string, Timing>();
  for (const part of STATS_PARTS) {
    for (const [label, filter] of FILTERS) {
      await store.harm.stats(VIEWER, filter, [part]);
      const walls: number[] = [];
      const cpu: number[] = [];
      const server: number[] = [];
      for (let run = 0; run < options.runs; run += 1) {
        const ticks = processTicks(serverPid);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await store.harm.stats(VIEWER, filter, [part as StatsPart]);
        walls.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        const after = processTicks(serverPid);
        if (ticks !== null && after !== null) server.push((after - ticks) * 10);
      }
      out.set(`${part} ${label}`, {
        wallMs: median(walls),
        cpuMs: median(cpu),
        serverCpuMs: server.length > 0 ? median(server) : null,
      });
    }
  }
  return out;
}

async function load(store: Store, options: Options, kind: string): Promise<number> {
  const next = incidents(options);
  const t0 = performance.now();
  for (let done = 0; done < options.incidents; done += CHUNK) {
    const batch = next(Math.min(CHUNK, options.incidents - done));
    await store.transaction((tx) => tx.harm.insertIncidents(batch));
    if ((done / CHUNK) % 10 === 0) {
      process.stderr.write(`${kind}: ${(done + batch.length).toLocaleString('en')} loaded\r`);
    }
  }
  process.stderr.write('\n');
  return (performance.now() - t0) / 1000;
}

async function runOn(
  kind: 'sqlite' | 'postgres',
  options: Options,
): Promise<{ loadSeconds: number; timings: Map<string, Timing> } | string> {
  const cipher = createFieldCipher({ active: 'bench', keys: { bench: randomBytes(32) } });
  const dir = mkdtempSync(join(tmpdir(), 'civitas-harm-bench-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  let store: Store;
  try {
    store =
      kind === 'sqlite'
        ? await openStore(join(dir, 'bench.db'), cipher)
        : await openStore(options.pgUrl!, cipher, { schema, maxConnections: 1 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `not run: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    const loadSeconds = await load(store, options, kind);
    // Fresh statistics for the planners; on PostgreSQL also the visibility map that index-only
    // scans need (autovacuum keeps both current in service).
    await sql
      .raw(kind === 'postgres' ? 'VACUUM ANALYZE harm_incident, harm_stats' : 'ANALYZE')
      .execute(store.db);
    let pid: number | null = null;
    if (kind === 'postgres') {
      const r = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db);
      pid = Number(r.rows[0]!.pid);
    }
    return { loadSeconds, timings: await timeQueries(store, options, pid) };
  } finally {
    if (kind === 'postgres') {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(store.db);
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const before = loadavg();
  const sqlite = await runOn('sqlite', options);
  const postgres = options.pgUrl ? await runOn('postgres', options) : 'not run: --no-pg';
  const after = loadavg();

  say(
    `harm statistics: ${options.incidents.toLocaleString('en')} incidents over ${options.years} years`,
  );
  say(
    `load average: ${before.map((l) => l.toFixed(2)).join(' ')} before, ${after.map((l) => l.toFixed(2)).join(' ')} after (${cpus().length} CPUs)`,
  );
  for (const [name, r] of [
    ['SQLite', sqlite],
    ['PostgreSQL', postgres],
  ] as const) {
    say(
      typeof r === 'string' ? `${name}: ${r}` : `${name}: loaded in ${r.loadSeconds.toFixed(0)} s`,
    );
  }
  say('');
  say(
    `${'query'.padEnd(26)} ${'SQLite wall/CPU ms'.padStart(20)} ${'PostgreSQL wall/CPU/server ms'.padStart(31)}  target`,
  );
  const cell = (r: typeof sqlite, key: string, server: boolean) => {
    if (typeof r === 'string') return '—';
    const t = r.timings.get(key)!;
    const parts = [t.wallMs.toFixed(1), t.cpuMs.toFixed(1)];
    if (server) parts.push(t.serverCpuMs === null ? '?' : t.serverCpuMs.toFixed(0));
    return parts.join(' / ');
  };
  let failures = 0;
  for (const part of STATS_PARTS) {
    for (const [label] of FILTERS) {
      const key = `${part} ${label}`;
      const walls = [sqlite, postgres]
        .filter((r) => typeof r !== 'string')
        .map((r) => (r as Exclude<typeof r, string>).timings.get(key)!.wallMs);
      const pass = walls.every((w) => w < TARGET_MS);
      if (!pass) failures += 1;
      say(
        `${key.padEnd(26)} ${cell(sqlite, key, false).padStart(20)} ${cell(postgres, key, true).padStart(31)}  < ${TARGET_MS} ${pass ? 'PASS' : 'FAIL'}`,
      );
    }
  }
  say('');
  say(
    'Median of the timed runs. CPU: this process (user + system); server: the PostgreSQL backend, from /proc (10 ms ticks).',
  );
  say(failures === 0 ? 'All queries under the target.' : `${failures} queries over the target.`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
