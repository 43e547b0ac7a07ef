import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { HarmStats, HarmStatsFilter } from '../domain/harm/harm.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { formatMarking } from '../domain/taxonomy/index.js';
import { defaultDeps } from '../service/deps.js';
import { csvWithMarking } from '../service/export/csv.js';
import { HARM_IMPORT_FORMATS, type HarmImportFormat } from '../service/harm/harm-file.js';
import { importHarm } from '../service/harm/harm-import.service.js';
import { harmStats } from '../service/harm/harm.service.js';
import {
  exportHarm,
  HARM_EXPORT_FORMATS,
  type HarmExportFormat,
} from '../service/harm/harm-export.service.js';
import {
  commandActor,
  commandConfig,
  openCommandStore,
  say,
  type CommonOptions,
} from './context.js';

const dbOption = [
  '--db <path|url>',
  'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)',
] as const;
const asOption = ['--as <username>', 'act as this user (default: the CLI on the server)'] as const;

/** Largest harm file read (whole, to detect its encoding). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

const isDate = (v: string | undefined) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * The stats as CSV rows: one per group, with the overall total first. Sex and age rows have
 * no report count (a breakdown is of people, not reports).
 */
function statsCsv(stats: HarmStats): string {
  const row = (
    group: string,
    key: string,
    g: Omit<HarmStats['bySex'][number], 'key'> & { reports?: number },
  ) => [
    group,
    key,
    g.incidents,
    g.reports ?? '',
    g.killed.low,
    g.killed.best,
    g.killed.high,
    g.injured.low,
    g.injured.best,
    g.injured.high,
  ];
  return csvWithMarking(
    formatMarking({ classification: 'NU', releasability: [] }),
    [
      'group',
      'key',
      'incidents',
      'reports',
      'killed_low',
      'killed_best',
      'killed_high',
      'injured_low',
      'injured_best',
      'injured_high',
    ],
    [
      row('total', 'all', stats),
      ...stats.byMonth.map((g) => row('month', g.key, g)),
      ...stats.byWeek.map((g) => row('week', g.key, g)),
      ...stats.byArea.map((g) => row('area', g.key, g)),
      ...stats.byCause.map((g) => row('cause', g.key, g)),
      ...stats.byAttribution.map((g) => row('attribution', g.key, g)),
      ...stats.byWeek.map((g) => row('week', g.key, g)),
      ...stats.bySex.map((g) => row('sex', g.key, g)),
      ...stats.byAge.map((g) => row('age', g.key, g)),
    ],
  );
}

/** `civitas harm import|export|stats`: civilian harm tracking. */
export function registerHarm(program: Command): void {
  const harm = program
    .command('harm')
    .description('civilian harm tracking: reports, incidents, figures');

  harm
    .command('import <file>')
    .description(
      'import harm events (UCDP GED CSV/GeoJSON, HXL CSV); atomic: any bad row and nothing is written',
    )
    .requiredOption('--format <format>', `one of ${HARM_IMPORT_FORMATS.join(', ')}`)
    .option('--skip-invalid', 'write the valid rows; write the bad ones to --rejects')
    .option('--rejects <file>', 'where --skip-invalid writes the rejected rows (CSV)')
    .option('--source <name>', 'dataset name for HXL files, used to recognise rows on re-import')
    .option('--dry-run', 'check everything, write nothing')
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        file: string,
        o: CommonOptions & {
          format: string;
          skipInvalid?: boolean;
          rejects?: string;
          source?: string;
          dryRun?: boolean;
          as?: string;
        },
      ) => {
        if (!HARM_IMPORT_FORMATS.includes(o.format as HarmImportFormat)) {
          throw new CivitasError(
            'validation_failed',
            `--format must be one of ${HARM_IMPORT_FORMATS.join(', ')}`,
          );
        }
        if (o.skipInvalid && !o.rejects)
          throw new CivitasError('validation_failed', '--skip-invalid needs --rejects FILE');
        if (statSync(file).size > MAX_FILE_BYTES)
          throw new CivitasError('payload_too_large', `${basename(file)} is larger than 512 MiB`);
        const bytes = readFileSync(file);
        const store = await openCommandStore(commandConfig(o));
        try {
          const result = await importHarm(
            defaultDeps(store),
            await commandActor(store, o.as),
            bytes,
            {
              format: o.format as HarmImportFormat,
              dryRun: o.dryRun === true,
              skipInvalid: o.skipInvalid === true,
              label: basename(file),
              ...(o.source ? { source: o.source } : {}),
            },
          ).catch((error: unknown) => {
            if (CivitasError.is(error, 'harm_import_invalid')) {
              for (const p of error.problems)
                process.stderr.write(`${basename(file)}: ${p.path}: ${p.message}\n`);
            }
            throw error;
          });
          if (result.rejectsCsv !== undefined && o.rejects) {
            writeFileSync(o.rejects, result.rejectsCsv);
            for (const p of result.problems)
              process.stderr.write(
                `${basename(file)}: line ${p.line} field ${p.field}: ${p.message}\n`,
              );
          }
          say(
            `${o.dryRun ? 'Dry run: would import' : 'Imported'} ${result.read - result.rejectedRows} of ${result.read} row(s) from ${basename(file)} (${result.encoding}): ${result.inserted} new, ${result.updated} already known, ${result.warned} with warnings${result.rejectedRows > 0 ? `, ${result.rejectedRows} rejected to ${o.rejects}` : ''}.`,
          );
        } finally {
          await store.close();
        }
      },
    );

  harm
    .command('export')
    .description(
      'export the incidents you may see (CSV, HXL or GeoJSON), marked; never contact details, confidential narratives or names',
    )
    .requiredOption('--format <format>', `one of ${HARM_EXPORT_FORMATS.join(', ')}`)
    .option(...FROM_OPTION)
    .option(...TO_OPTION)
    .option(...AREA_OPTION)
    .option('--out <file>', 'write here instead of standard output')
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        o: CommonOptions & {
          format: string;
          from?: string;
          to?: string;
          area?: string;
          out?: string;
          as?: string;
        },
      ) => {
        if (!HARM_EXPORT_FORMATS.includes(o.format as HarmExportFormat)) {
          throw new CivitasError(
            'validation_failed',
            `--format must be one of ${HARM_EXPORT_FORMATS.join(', ')}`,
          );
        }
        const filter = harmFilter(o);
        const store = await openCommandStore(commandConfig(o));
        try {
          const file = await exportHarm(defaultDeps(store), await commandActor(store, o.as), {
            format: o.format as HarmExportFormat,
            filter,
          });
          if (o.out) {
            writeFileSync(o.out, file.body);
            say(
              `Exported ${file.incidents} incident(s) and ${file.reports} report(s) to ${basename(o.out)}.`,
            );
          } else {
            process.stdout.write(file.body);
          }
        } finally {
          await store.close();
        }
      },
    );

  harm
    .command('stats')
    .description('civilian harm figures: incidents, reports, civilians killed and injured')
    .option('--format <format>', 'json or csv', 'json')
    .option(...FROM_OPTION)
    .option(...TO_OPTION)
    .option(...AREA_OPTION)
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        o: CommonOptions & {
          format: string;
          from?: string;
          to?: string;
          area?: string;
          as?: string;
        },
      ) => {
        if (o.format !== 'json' && o.format !== 'csv')
          throw new CivitasError('validation_failed', '--format must be json or csv');
        const filter = harmFilter(o);
        const store = await openCommandStore(commandConfig(o));
        try {
          const stats = await harmStats(
            defaultDeps(store),
            await commandActor(store, o.as),
            filter,
          );
          process.stdout.write(
            o.format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : statsCsv(stats),
          );
        } finally {
          await store.close();
        }
      },
    );
}

/** The --from, --to and --area options of `harm export` and `harm stats`. */
const FROM_OPTION = [
  '--from <date>',
  'incidents starting on or after this day (YYYY-MM-DD)',
] as const;
const TO_OPTION = ['--to <date>', 'incidents starting on or before this day (YYYY-MM-DD)'] as const;
const AREA_OPTION = [
  '--area <pcode>',
  'one admin area: its P-code (or its name where there is none)',
] as const;

/** The incidents those options choose; bad dates stop the command. */
function harmFilter(o: { from?: string; to?: string; area?: string }): HarmStatsFilter {
  if (!isDate(o.from) || !isDate(o.to))
    throw new CivitasError('validation_failed', '--from and --to must be dates YYYY-MM-DD');
  return {
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
    ...(o.area ? { area: o.area } : {}),
  };
}
