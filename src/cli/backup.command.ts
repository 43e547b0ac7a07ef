import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { backupStore, restoreStore } from '../service/backup/backup.service.js';
import { openStore } from '../store/open-store.js';
import {
  cliActor,
  commandCipher,
  commandConfig,
  openCommandStore,
  say,
  type CommonOptions,
} from './context.js';

/** `civitas backup FILE` and `civitas restore FILE --db TARGET`. */
export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description(
      'write a consistent online copy of the database to FILE (a SQLite file, from SQLite or PostgreSQL)',
    )
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .action(async (file: string, o: CommonOptions) => {
      const target = resolve(file);
      if (existsSync(target))
        throw new CivitasError('conflict', `${target} exists: a backup never overwrites a file`);
      const config = commandConfig(o);
      const cipher = commandCipher(config, false);
      const store = await openCommandStore(config, { createKey: false });
      try {
        const report = await backupStore(
          store,
          target,
          () => openStore(target, cipher),
          cliActor(),
          new Date().toISOString(),
        );
        say(
          `Backup written to ${target}: ${Object.entries(report.counts)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}.`,
        );
        say(
          `Audit chain in the backup verifies: ${report.chain.count} events, head ${report.chain.headHash}.`,
        );
        say(
          'Encrypted fields stay encrypted: keep the key file with the backup in a separate, protected place.',
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('restore <file>')
    .description('restore a backup FILE into a new or empty database (SQLite or PostgreSQL)')
    .requiredOption('--db <path|url>', 'the database to restore into (must be new or empty)')
    .action(async (file: string, o: CommonOptions) => {
      const source = resolve(file);
      if (!existsSync(source)) throw new CivitasError('not_found', `${source} not found`);
      const config = commandConfig(o);
      const cipher = commandCipher(config, false);
      const backup = await openStore(source, cipher);
      try {
        const target = await openStore(config.databaseUrl, cipher);
        try {
          const report = await restoreStore(backup, target, (table, n) =>
            process.stderr.write(`restored ${table}: ${n}\n`),
          );
          say(
            `Restored into ${target.kind}: audit chain verifies (${report.chain.count} events, head ${report.chain.headHash}).`,
          );
        } finally {
          await target.close();
        }
      } finally {
        await backup.close();
      }
    });
}
