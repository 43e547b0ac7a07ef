import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { StoreKind } from '../ports.js';
import * as platform from './0001-platform.js';
import * as security from './0002-security.js';
import * as auditNoTruncate from './0003-audit-no-truncate.js';
import * as protectedObjects from './0004-protected-objects.js';
import * as registerBulkWrite from './0005-register-bulk-write.js';
import * as screening from './0007-screening.js';
import * as civilianHarm from './0008-civilian-harm.js';
import * as harmAnalytics from './0009-harm-analytics.js';
import * as harmFilterIndexes from './0010-harm-filter-indexes.js';
import * as registerNameSearch from './0011-register-name-search.js';

/**
 * Every migration, in order. The same list runs on SQLite and PostgreSQL; each receives the
 * database kind so a migration can choose a column type or index method.
 */
const MIGRATIONS: ReadonlyArray<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see 0001-platform.ts
  readonly [name: string, up: (db: Kysely<any>, kind: StoreKind) => Promise<void>]
> = [
  ['0001-platform', platform.up],
  ['0002-security', security.up],
  ['0003-audit-no-truncate', auditNoTruncate.up],
  ['0004-protected-objects', protectedObjects.up],
  ['0005-register-bulk-write', registerBulkWrite.up],
  ['0007-screening', screening.up],
  ['0008-civilian-harm', civilianHarm.up],
  ['0009-harm-analytics', harmAnalytics.up],
  ['0010-harm-filter-indexes', harmFilterIndexes.up],
  ['0011-register-name-search', registerNameSearch.up],
];

function provider(kind: StoreKind): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, up] of MIGRATIONS) out[name] = { up: (db) => up(db, kind) };
      return out;
    },
  };
}

/**
 * Brings the database to the latest schema. Throws `migration_failed` naming the migration and
 * the database's own message, so start-up can stop with one clear line.
 *
 * @example
 * const applied = await migrateToLatest(db, 'sqlite'); // ['0001-platform'] on a new database
 */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
  db: Kysely<any>,
  kind: StoreKind,
  schema?: string,
): Promise<string[]> {
  // With a schema named, the migrator looks for its own tables there and not in another schema.
  const migrator = new Migrator({
    db,
    provider: provider(kind),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new CivitasError('migration_failed', `migration ${failed} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
