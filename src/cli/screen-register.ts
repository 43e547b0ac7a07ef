import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { localDataDir } from '../config/config.js';
import type { AimpointFormat } from '../analysis/screening/aimpoint-input.js';
import { FLAG_CODES, isFlagged } from '../domain/screening/screening.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { formatMarking, markingSchema, type Marking } from '../domain/taxonomy/index.js';
import { demoPopulationRaster } from '../service/demo/demo-population.js';
import { defaultDeps } from '../service/deps.js';
import {
  createScreening,
  readPlannerText,
} from '../service/screening/register-screening.service.js';
import {
  commandActor,
  commandConfig,
  openCommandStore,
  say,
  type CommonOptions,
} from './context.js';

/** The options of `civitas screen` in register mode. */
export interface RegisterScreenOptions extends CommonOptions {
  readonly release: string;
  readonly actions: string;
  readonly title?: string;
  readonly planReference?: string;
  readonly marking?: string;
  readonly populationThreshold?: string;
  readonly defaultEffectClass?: string;
  readonly defaultRadius?: string;
  readonly as?: string;
}

/**
 * Reads `--marking CLASSIFICATION[:REL,REL]` (`NR`, `NU:UN,EU`), checked as every marking is.
 *
 * @example
 * parseMarkingOption('NR:EU'); // { classification: 'NR', releasability: ['EU'] }
 */
export function parseMarkingOption(text: string): Marking {
  const [classification = '', rel = ''] = text.split(':');
  const parsed = markingSchema.safeParse({
    classification: classification.trim().toUpperCase(),
    releasability: rel
      .split(',')
      .map((r) => r.trim().toUpperCase())
      .filter(Boolean),
  });
  if (!parsed.success) {
    throw new CivitasError(
      'validation_failed',
      `--marking ${text}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')} (write CLASSIFICATION[:REL,REL], e.g. NR or NU:UN,EU)`,
    );
  }
  return parsed.data;
}

function formatOf(file: string): AimpointFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.txt') return 'text';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return 'auto';
}

function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) {
    throw new CivitasError('validation_failed', `${name} must be a number ≥ 0, not ${text}`);
  }
  return n;
}

/**
 * `civitas screen --release N|current --actions FILE`: reads the planner's aimpoints (text, CSV
 * or GeoJSON), screens them against a release or the current register, saves the screening
 * (audited) and prints its flags.
 *
 * @example
 * await screenRegister({ release: 'current', actions: 'plan.csv', title: 'Phase 2' });
 */
export async function screenRegister(o: RegisterScreenOptions): Promise<void> {
  const release =
    o.release === 'current'
      ? undefined
      : /^\d+$/.test(o.release) && Number(o.release) >= 1
        ? Number(o.release)
        : (() => {
            throw new CivitasError(
              'validation_failed',
              `--release must be a release number or "current", not ${o.release}`,
            );
          })();
  const marking = parseMarkingOption(o.marking ?? 'NU');
  const threshold = numberOption('--population-threshold', o.populationThreshold);
  const defaultRadius = numberOption('--default-radius', o.defaultRadius);
  const text = await readFile(o.actions, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CivitasError(
      'validation_failed',
      `${o.actions}: cannot read (${error.code ?? error.message})`,
    );
  });
  const config = commandConfig(o);
  const store = await openCommandStore(config);
  try {
    const base = defaultDeps(store);
    // Without a configured raster, the EXERCISE area's modelled population (if there is one).
    const raster =
      config.populationRaster ?? (await demoPopulationRaster(base, localDataDir(config)));
    const deps = raster ? { ...base, populationRaster: raster } : base;
    if (raster && !config.populationRaster) {
      say(`Population: modelled for the EXERCISE area (${raster}), not census data.`);
    }
    const actor = await commandActor(store, o.as);
    let parsed: Awaited<ReturnType<typeof readPlannerText>>;
    try {
      parsed = await readPlannerText(deps, {
        text,
        format: formatOf(o.actions),
        default_effect_class: o.defaultEffectClass,
        default_radius_m: defaultRadius,
      });
    } catch (error) {
      if (CivitasError.is(error, 'invalid_aimpoints')) {
        const lines = error.problems.map((p) => `  ${o.actions} ${p.path}: ${p.message}`);
        throw new CivitasError(
          'invalid_aimpoints',
          `${o.actions}: ${lines.length} problem(s), nothing was saved:\n${lines.join('\n')}`,
          error.problems,
        );
      }
      throw error;
    }
    for (const w of parsed.warnings) {
      process.stderr.write(
        `civitas: ${o.actions}${w.line ? ` line ${w.line}` : ''}: ${w.message}\n`,
      );
    }
    const view = await createScreening(deps, actor, {
      title: o.title ?? `Screening of ${o.actions}`,
      plan_reference: o.planReference,
      release,
      aimpoints: parsed.aimpoints,
      population_threshold: threshold,
      marking,
    });
    const h = view.header;
    say(`Screening ${h.id} saved: ${h.title}`);
    say(
      `  against ${h.release ? `release ${h.release.number}` : 'the current register'}; ${h.aimpointCount} aimpoint(s), ${view.flaggedCount} flagged; marking ${formatMarking(view.marking)}`,
    );
    say(`  result digest ${h.resultDigest}`);
    const totals = FLAG_CODES.map(
      (f) => [f, view.aimpoints.filter((a) => a.flags.includes(f)).length] as const,
    ).filter(([, n]) => n > 0);
    say(`  flags: ${totals.map(([f, n]) => `${f} ${n}`).join(', ') || 'none'}`);
    for (const a of view.aimpoints) {
      if (!isFlagged(a.flags)) continue;
      const hits = a.hits
        .slice(0, 3)
        .map((x) => `${x.name} (${x.list ?? x.category}, ${x.distance_m.toFixed(0)} m)`);
      say(
        `${a.id}\t${a.flags.join(' ')}\t${a.hits.length} hit(s)${a.withheld_hits ? `, ${a.withheld_hits} withheld` : ''}${a.population ? `\tpopulation ${a.population.best}` : ''}${hits.length ? `\t${hits.join('; ')}${a.hits.length > 3 ? '; …' : ''}` : ''}`,
      );
    }
  } finally {
    await store.close();
  }
}
