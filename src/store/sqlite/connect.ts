import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { createStore } from '../create-store.js';
import { migrateToLatest } from '../migrations/index.js';
import type { Store } from '../ports.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from '../schema/database.js';
import { sqliteDialectSql } from './dialect-sql.js';

/**
 * Bytes of the database file SQLite reads through a memory map instead of `read` calls
 * ({@link openSqliteStore}). A `near` query over a million objects reads some thousand rows
 * scattered over the file: copying each page into SQLite's cache by a system call cost about
 * two thirds of the query (median 9.7–16 ms against 4.4–5.8 ms mapped, on the busy 2-core
 * development machine). Pages mapped count in the process's resident memory, but they are the
 * operating system's file cache, dropped under memory pressure; bulk writes turn the map off
 * (store/sqlite/object-rows.ts).
 */
export const MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * Opens (creating if needed) a SQLite database file, sets the pragmas Civitas relies on and
 * applies migrations. WAL lets readers work during a write; `synchronous=FULL` means a commit
 * that returned survives a power loss; foreign keys are on; reads go through a memory map of up
 * to {@link MMAP_BYTES}.
 *
 * @example
 * const store = await openSqliteStore('./var/civitas.db', cipher);
 */
export async function openSqliteStore(path: string, cipher: FieldCipher): Promise<Store> {
  let raw: SQLite.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    raw = new SQLite(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    raw.pragma(`mmap_size = ${MMAP_BYTES}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CivitasError(
      'database_unavailable',
      `cannot open SQLite database ${path}: ${reason}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const store = createStore('sqlite', db, sqliteDialectSql(raw), cipher, {
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: () => db.destroy(),
    // SQLite's online backup API copies a consistent snapshot while readers and writers go on.
    backup: async (file) => {
      await raw.backup(file);
    },
  });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return store;
}
