import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.js';
import { testCipher } from './crypto.js';

/** A database the store tests run against. */
export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty store; `dispose` removes it again. */
  open(): Promise<{ store: Store; url: string; schema?: string; dispose: () => Promise<void> }>;
}

/**
 * The PostgreSQL URL for tests: CIVITAS_TEST_PG_URL, or the local server when running under CI
 * (CI=1), or none.
 */
export function testPostgresUrl(): string | undefined {
  if (process.env.CIVITAS_TEST_PG_URL) return process.env.CIVITAS_TEST_PG_URL;
  if (process.env.CI) return 'postgres://postgres@127.0.0.1:5432/civitas_ci';
  return undefined;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-test-'));
    const url = join(dir, 'civitas.db');
    const store = await openStore(url, testCipher());
    return {
      store,
      url,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(url: string): TestDatabase {
  return {
    name: 'postgres',
    async open() {
      // Each test gets a schema of its own in the shared database, dropped afterwards.
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const store = await openStore(url, testCipher(), { schema, maxConnections: 4 });
      return {
        store,
        url,
        schema,
        dispose: async () => {
          await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(store.db);
          await store.close();
        },
      };
    },
  };
}

/**
 * The databases every store test loops over: SQLite always; PostgreSQL when CIVITAS_TEST_PG_URL
 * or CI provides one. Under CI a missing PostgreSQL is an error, not a skip.
 */
export function testDatabases(): TestDatabase[] {
  const url = testPostgresUrl();
  return url ? [sqlite, postgres(url)] : [sqlite];
}
