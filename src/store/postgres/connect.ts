import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { createStore } from '../create-store.js';
import { migrateToLatest } from '../migrations/index.js';
import type { Store } from '../ports.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../schema/database.js';
import { postgresDialectSql } from './dialect-sql.js';

/** Options for a PostgreSQL store. */
export interface PostgresOptions {
  /** A schema to create and use first on the search path (tests isolate themselves this way). */
  readonly schema?: string;
  readonly maxConnections?: number;
}

/** The URL without its password, safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Connects to PostgreSQL, checks PostGIS, and applies migrations. Fails with one clear
 * `database_unavailable` line when the server cannot be reached or PostGIS is missing.
 *
 * @example
 * const store = await openPostgresStore('postgres://civitas@db.example/civitas', cipher);
 */
export async function openPostgresStore(
  url: string,
  cipher: FieldCipher,
  options: PostgresOptions = {},
): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new CivitasError('bad_request', `invalid schema name ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const where = redactUrl(url);
  try {
    if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new CivitasError(
      'database_unavailable',
      `cannot reach PostgreSQL at ${where}: ${reason}`,
    );
  }
  try {
    const postgis = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM pg_extension WHERE extname = 'postgis'`.execute(db);
    if (Number(postgis.rows[0]?.n ?? 0) === 0) {
      try {
        await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CivitasError(
          'database_unavailable',
          `PostGIS is not enabled in ${where} and could not be enabled (${reason}): install postgresql-15-postgis-3 and run CREATE EXTENSION postgis as a superuser`,
        );
      }
    }
    await migrateToLatest(db, 'postgres', schema);
  } catch (error) {
    await db.destroy();
    if (error instanceof CivitasError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CivitasError(
      'database_unavailable',
      `cannot reach PostgreSQL at ${where}: ${reason}`,
    );
  }
  return createStore('postgres', db, postgresDialectSql, cipher, {
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
    backup: async () => {
      throw new CivitasError(
        'bad_request',
        'civitas backup copies SQLite databases; back up PostgreSQL with pg_dump -Fc (docs/security.md)',
      );
    },
  });
}
