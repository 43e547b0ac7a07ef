import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CivitasError } from '../domain/shared/civitas-error.js';
import type { ProgressListener } from '../service/demo/load-demo.js';
import { screenFiles } from '../service/screening/screen-files.js';

/** Progress starts showing once a run has taken this long (short runs stay quiet). */
const PROGRESS_AFTER_MS = 1000;

interface ScreenOptions {
  objects?: string;
  actions: string;
  out?: string;
  release?: string;
  title?: string;
  planReference?: string;
  marking?: string;
  populationThreshold?: string;
  defaultEffectClass?: string;
  defaultRadius?: string;
  db?: string;
  as?: string;
  population?: string;
  threads?: string;
  blockSize?: string;
  timings?: boolean;
}

/**
 * `civitas screen`: screens planned actions against protected objects (and population), files in
 * and out. The contract (docs/screening.md):
 *
 *   civitas screen --objects OBJECTS.ndjson --actions ACTIONS.ndjson --out RESULT.ndjson
 *                  [--population RASTER.tif]
 *
 * With `--release N|current` instead of `--objects`/`--out` it runs in register mode: the
 * planner's aimpoints (text, CSV, GeoJSON) against a release or the current register, saved as a
 * screening with its flags printed (cli/screen-register.ts, loaded only then).
 *
 * writes one line per action in input order, `{"action":"A1","hits":["O17","O9"]}`, hits sorted
 * by id in code-unit order (plus `"population":{"best":N}` with a raster). Bad input stops the
 * run with the file, line and field, and no output file is left behind.
 *
 * @example
 * registerScreen(program);
 */
export function registerScreen(program: Command): void {
  program
    .command('screen')
    .description(
      'screen planned actions against protected objects: for each action, every object within radius_m + buffer_m (haversine), and optionally the exposed population',
    )
    .option(
      '--objects <file>',
      'protected objects: .ndjson, one {"id","lon","lat","buffer_m",…} per line, or a .geojson FeatureCollection of Points',
    )
    .requiredOption(
      '--actions <file>',
      'planned actions: .ndjson, one {"id","lon","lat","radius_m"} per line, or a .geojson FeatureCollection of Points (with --release: aimpoints as text, CSV or GeoJSON)',
    )
    .option('--out <file>', 'result: one {"action","hits"[,"population"]} line per action')
    .option(
      '--population <raster>',
      'a population GeoTIFF in a geographic CRS (e.g. WorldPop): adds "population":{"best":N}, area-weighted',
    )
    .option('--threads <n>', 'threads reading objects (default: the number of cores)')
    .option(
      '--block-size <bytes>',
      'bytes of the objects file a thread claims at a time (default 8 MiB)',
    )
    .option('--timings', 'print the time of each phase to stderr')
    .option(
      '--release <n|current>',
      'register mode: screen against release N or the current register and save the screening',
    )
    .option('--title <text>', 'register mode: the screening title')
    .option('--plan-reference <text>', 'register mode: the plan or order it belongs to')
    .option(
      '--marking <CLASS[:REL,…]>',
      'register mode: the marking, e.g. NR or NU:UN,EU (raised to cover the hits)',
    )
    .option('--population-threshold <n>', 'register mode: flag above this population (100)')
    .option('--default-effect-class <code>', 'register mode: for aimpoints without a radius')
    .option('--default-radius <metres>', 'register mode: for aimpoints without a radius')
    .option('--as <username>', 'register mode: act as this user (their clearance applies)')
    .option(
      '--db <path|url>',
      'register mode: SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)',
    )
    .action(async (o: ScreenOptions) => {
      if (o.release !== undefined) {
        if (o.objects !== undefined || o.out !== undefined) {
          throw new CivitasError(
            'validation_failed',
            '--release screens against the register: leave out --objects and --out',
          );
        }
        const { screenRegister } = await import('./screen-register.js');
        await screenRegister({ ...o, release: o.release });
        return;
      }
      if (o.objects === undefined || o.out === undefined) {
        throw new CivitasError(
          'validation_failed',
          `required option '${o.objects === undefined ? '--objects <file>' : '--out <file>'}' not specified (or give --release N|current to screen against the register)`,
        );
      }
      const files = { objects: o.objects, out: o.out };
      const threads = o.threads === undefined ? undefined : Number(o.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
        throw new CivitasError(
          'validation_failed',
          `--threads must be a whole number ≥ 1, not ${o.threads}`,
        );
      }
      const blockSize = o.blockSize === undefined ? undefined : Number(o.blockSize);
      if (blockSize !== undefined && !(Number.isInteger(blockSize) && blockSize >= 1024)) {
        throw new CivitasError(
          'validation_failed',
          `--block-size must be a whole number ≥ 1024, not ${o.blockSize}`,
        );
      }
      const started = performance.now();
      let progress: { listener: ProgressListener; stop: () => void } | undefined;
      let loading = false;
      let lastLine = 0;
      const onProgress: ProgressListener = (event) => {
        const now = performance.now();
        if (now - started < PROGRESS_AFTER_MS) return;
        if (!progress) {
          if (!loading) {
            loading = true;
            void import('./progress.js').then(({ createProgress }) => {
              progress = createProgress(process.stderr);
            });
          }
          return;
        }
        // Plain lines (not a terminal) at most once a second; the bar throttles itself.
        if (!process.stderr.isTTY && now - lastLine < 1000 && event.done < event.total) return;
        lastLine = now;
        progress.listener({
          ...event,
          done: Math.round(event.done / 1024),
          total: Math.round(event.total / 1024),
          phase: `${event.phase} (KiB)`,
        });
      };
      try {
        const summary = await screenFiles({
          objects: files.objects,
          actions: o.actions,
          out: files.out,
          ...(o.population ? { population: o.population } : {}),
          ...(threads ? { threads } : {}),
          ...(blockSize ? { blockSize } : {}),
          onProgress,
        });
        progress?.stop();
        if (o.timings) {
          for (const [phase, ms] of Object.entries(summary.timings)) {
            process.stderr.write(
              `${phase}: ${ms.toFixed(1)} ms (CPU ${(summary.cpu[phase] ?? 0).toFixed(1)} ms)\n`,
            );
          }
          const total = process.cpuUsage();
          process.stderr.write(
            `threads: ${summary.threads}${summary.earlyWorker ? ', worker started at launch' : ''} (objects ${summary.perThread.join(' + ')}); code ${import.meta.url.endsWith('/screen/screen.js') ? 'bundled' : 'modules'}; process CPU ${((total.user + total.system) / 1000).toFixed(0)} ms, uptime ${(process.uptime() * 1000).toFixed(0)} ms\n`,
          );
        }
        process.stdout.write(
          `Screened ${summary.actions} action(s) against ${summary.objects} object(s): ${summary.hits} hit(s) written to ${files.out}.\n`,
        );
      } finally {
        progress?.stop();
      }
    });
}

/**
 * Runs `civitas screen` without loading the rest of the CLI (the server, the database, the demo):
 * process start is most of a small screening's time. `bin/civitas.js` or a direct
 * `node dist/server/cli/screen.command.js screen …` call it; errors print one line and exit 1,
 * as in cli/index.ts.
 *
 * @example
 * await screenMain(['node', 'civitas', 'screen', '--objects', 'o.ndjson', '--actions', 'a.ndjson', '--out', 'r.ndjson']);
 */
export async function screenMain(argv: string[]): Promise<void> {
  const program = new Command('civitas').showHelpAfterError().exitOverride();
  registerScreen(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    // ConfigError (register mode's database settings) by name: importing it would load the
    // configuration schema, which file screening does not need.
    const message =
      error instanceof CivitasError || (error instanceof Error && error.name === 'ConfigError')
        ? error.message
        : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`civitas: ${message}\n`);
    if (process.env.CIVITAS_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await screenMain(process.argv);
