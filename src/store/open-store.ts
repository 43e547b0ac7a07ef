import type { FieldCipher } from './crypto/field-cipher.js';
import type { Store } from './ports.js';
import { openPostgresStore, type PostgresOptions } from './postgres/connect.js';
import { openSqliteStore } from './sqlite/connect.js';

/**
 * Opens the store a database URL names: `postgres://…` or `postgresql://…` for PostgreSQL with
 * PostGIS, anything else as a SQLite file path (`:memory:` for a throwaway database).
 * Only api/build-app.ts's callers and cli/ call this; everything else receives a Store.
 *
 * @example
 * const store = await openStore(config.databaseUrl, cipher);
 */
export async function openStore(
  url: string,
  cipher: FieldCipher,
  options: PostgresOptions = {},
): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStore(url, cipher, options);
  return openSqliteStore(url.replace(/^sqlite:(\/\/)?/i, ''), cipher);
}

export type { Store } from './ports.js';
export type { FieldCipher } from './crypto/field-cipher.js';
export { createFieldCipher, fieldAad } from './crypto/field-cipher.js';
export {
  loadKeyring,
  keyringWithNewKey,
  keyringActiveOnly,
  writeKeyringFile,
  type KeySource,
} from './crypto/keyring-file.js';
