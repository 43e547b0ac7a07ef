import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { defaultDeps } from '../service/deps.js';
import {
  exportObjects,
  EXPORT_FORMATS,
  type ExportFormat,
} from '../service/register/export.service.js';
import {
  formatOfFile,
  importObjects,
  IMPORT_FORMATS,
  readerFor,
  type ImportFormat,
  PARALLEL_IMPORT_BYTES,
} from '../service/register/import.service.js';
import { searchObjects } from '../service/register/object.service.js';
import { ListKind } from '../domain/protected-object/protected-object.js';
import {
  commandActor,
  commandConfig,
  openCommandStore,
  say,
  type CommonOptions,
} from './context.js';
import { createProgress } from './progress.js';

const dbOption = [
  '--db <path|url>',
  'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)',
] as const;
const asOption = ['--as <username>', 'act as this user (default: the CLI on the server)'] as const;

/** `civitas objects import|export|search`: the protected-objects register. */
export function registerObjects(program: Command): void {
  const objects = program
    .command('objects')
    .description('the protected-objects register (cultural property, medical, education, …)');

  objects
    .command('import <file>')
    .description(
      'import objects; atomic: any bad item and nothing is written (every bad item is listed)',
    )
    .option(
      '--format <format>',
      `one of ${IMPORT_FORMATS.join(', ')} (default: from the file name)`,
    )
    .option('--list <list>', 'put every object on the NSL or RTL')
    .option('--restriction <text>', 'the restriction text, with --list RTL')
    .option('--source <name>', 'the dataset name used to recognise objects on re-import')
    .option('--dry-run', 'check everything, write nothing')
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        file: string,
        o: CommonOptions & {
          format?: string;
          list?: string;
          restriction?: string;
          source?: string;
          dryRun?: boolean;
          as?: string;
        },
      ) => {
        const format = (o.format ?? formatOfFile(file)) as ImportFormat | undefined;
        if (!format || !IMPORT_FORMATS.includes(format)) {
          throw new CivitasError(
            'validation_failed',
            `--format must be one of ${IMPORT_FORMATS.join(', ')} (cannot tell from ${basename(file)})`,
          );
        }
        if (o.list !== undefined && !ListKind.is(o.list))
          throw new CivitasError('validation_failed', '--list must be NSL or RTL');
        const size = statSync(file).size;
        const store = await openCommandStore(commandConfig(o));
        const progress = createProgress(process.stderr);
        try {
          const deps = defaultDeps(store);
          const actor = await commandActor(store, o.as);
          let bytes = 0;
          const counter = new PassThrough();
          counter.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          const input = createReadStream(file).pipe(counter);
          const report = await importObjects(
            deps,
            actor,
            readerFor(format, input, o.source ? { source: o.source } : {}),
            {
              dryRun: o.dryRun === true,
              ...(o.list ? { list: o.list as 'NSL' | 'RTL' } : {}),
              ...(o.restriction ? { restriction: o.restriction } : {}),
              label: basename(file),
              parallel: size >= PARALLEL_IMPORT_BYTES,
              onProgress: () =>
                progress.listener({
                  phase: 'importing (KiB)',
                  done: Math.round(bytes / 1024),
                  total: Math.max(1, Math.round(size / 1024)),
                }),
            },
          );
          progress.stop();
          if (report.errorCount > 0) {
            for (const e of report.errors) {
              process.stderr.write(
                `${basename(file)}: ${e.line !== undefined ? `line ${e.line}` : `item ${e.index}`}: ${e.field}: ${e.message}\n`,
              );
            }
            throw new CivitasError(
              'validation_failed',
              `${report.errorCount} bad item(s) in ${basename(file)} (listed above${report.errorCount > report.errors.length ? `, first ${report.errors.length}` : ''}); nothing was written`,
            );
          }
          say(
            `${o.dryRun ? 'Dry run: would import' : 'Imported'} ${report.read} item(s) from ${basename(file)}: ${report.inserted} new, ${report.updated} updated.`,
          );
        } finally {
          progress.stop();
          await store.close();
        }
      },
    );

  objects
    .command('export')
    .description('export the register or a release, with its marking (stdout without --out)')
    .option('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, 'geojson')
    .option('--release <n>', 'a release number (default: the current register)')
    .option('--out <file>', 'write to this file')
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        o: CommonOptions & { format: string; release?: string; out?: string; as?: string },
      ) => {
        if (!EXPORT_FORMATS.includes(o.format as ExportFormat)) {
          throw new CivitasError(
            'validation_failed',
            `--format must be one of ${EXPORT_FORMATS.join(', ')}`,
          );
        }
        const store = await openCommandStore(commandConfig(o));
        try {
          const result = await exportObjects(defaultDeps(store), await commandActor(store, o.as), {
            format: o.format as ExportFormat,
            ...(o.release ? { release: o.release } : {}),
          });
          if (o.out) {
            writeFileSync(o.out, result.body);
            process.stderr.write(`Wrote ${result.count} object(s) to ${o.out}\n`);
          } else {
            process.stdout.write(result.body);
          }
        } finally {
          await store.close();
        }
      },
    );

  objects
    .command('search [text]')
    .description('search by name, category, list, or within --radius metres of --near lon,lat')
    .option('--category <c>', 'category')
    .option('--list <l>', 'NSL, RTL or none')
    .option('--near <lon,lat>', 'centre of a great-circle search')
    .option('--radius <m>', 'radius in metres, with --near')
    .option('--limit <n>', 'at most this many', '50')
    .option(...asOption)
    .option(...dbOption)
    .action(
      async (
        text: string | undefined,
        o: CommonOptions & {
          category?: string;
          list?: string;
          near?: string;
          radius?: string;
          limit: string;
          as?: string;
        },
      ) => {
        const store = await openCommandStore(commandConfig(o));
        try {
          const near = o.near?.split(',').map(Number);
          if (near && (near.length !== 2 || near.some((n) => !Number.isFinite(n)) || !o.radius)) {
            throw new CivitasError(
              'validation_failed',
              '--near takes lon,lat and needs --radius in metres',
            );
          }
          const page = await searchObjects(
            defaultDeps(store),
            await commandActor(store, o.as),
            {
              ...(text ? { q: text } : {}),
              ...(o.category ? { category: o.category as never } : {}),
              ...(o.list ? { list: o.list as never } : {}),
              ...(near ? { near: { lon: near[0]!, lat: near[1]!, metres: Number(o.radius) } } : {}),
            },
            { limit: Number(o.limit), offset: 0 },
          );
          for (const h of page.items) {
            say(
              [
                h.id,
                h.name,
                h.category,
                h.list ?? '-',
                h.mgrs ?? '',
                h.distanceMetres !== undefined ? `${h.distanceMetres.toFixed(0)} m` : '',
              ].join('\t'),
            );
          }
          say(`${page.total} match(es)`);
        } finally {
          await store.close();
        }
      },
    );
}
